/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.sessiontimeout.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import static dev.sessiontimeout.policy.SessionDurations.format;

/**
 * Turns configured clocks into a valid {@link SessionTimeoutPolicy}: values checked,
 * unset ones taken from the defaults, explicit ones compared with the preset, each
 * clamped to its limit, and the ordering {@code absolute >= reauthentication >= idle},
 * {@code privileged <= reauthentication, absolute} enforced. A default that breaks the
 * ordering is lowered to fit; an explicit value that breaks it is a {@link Violation}.
 * Violations are collected, so that one report can name them all.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class PolicyResolver {

	private final @Nullable Preset preset;

	private final boolean presetDeviationExplained;

	private final Limits limits;

	private final List<Violation> violations = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final List<String> warnings = new ArrayList<>();

	/**
	 * Create a new resolver.
	 * @param preset the preset explicit values are compared with, if any
	 * @param presetDeviationExplained whether values weaker than the preset are allowed
	 * @param limits the ceilings
	 */
	public PolicyResolver(@Nullable Preset preset, boolean presetDeviationExplained, Limits limits) {
		this.preset = preset;
		this.presetDeviationExplained = presetDeviationExplained;
		this.limits = limits;
	}

	/**
	 * Resolve configured clocks into a policy. Problems are collected rather than thrown:
	 * see {@link #throwIfInvalid()}.
	 * @param configured the configured values
	 * @param defaults the values of the clocks that were not configured
	 * @return the policy, named as the configured values
	 */
	public SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy defaults) {
		Value[] values = new Value[Clock.values().length];
		for (Clock clock : Clock.values()) {
			values[clock.ordinal()] = value(configured, clock, defaults);
		}
		order(values, Clock.ABSOLUTE, Clock.REAUTHENTICATION);
		order(values, Clock.ABSOLUTE, Clock.IDLE);
		order(values, Clock.ABSOLUTE, Clock.PRIVILEGED);
		order(values, Clock.REAUTHENTICATION, Clock.IDLE);
		order(values, Clock.REAUTHENTICATION, Clock.PRIVILEGED);
		return new SessionTimeoutPolicy(configured.name(), values[0].duration, values[1].duration, values[2].duration,
				values[3].duration, defaults.cookiePersistent());
	}

	private Value value(ConfiguredClocks configured, Clock clock, SessionTimeoutPolicy defaults) {
		String property = clock.property(configured);
		Duration explicit = clock.of.apply(configured);
		Duration fallback = clock.policyValue.apply(defaults);
		if (explicit == null) {
			return clamp(new Value(property, fallback, false), clock);
		}
		if (SessionDurations.isDisabled(explicit)) {
			explicit = null;
		}
		else if (explicit.isNegative()) {
			this.violations.add(new Violation(property, format(explicit), "a duration must not be negative",
					"use a positive duration, or -1 to disable the clock"));
			return new Value(property, fallback, false);
		}
		else if (explicit.isZero() && clock != Clock.PRIVILEGED) {
			this.violations
				.add(new Violation(property, "0", "0 is allowed only for the privileged age (always re-authenticate)",
						"use a positive duration, or -1 to disable the clock"));
			return new Value(property, fallback, false);
		}
		checkPreset(property, explicit, clock);
		return clamp(new Value(property, explicit, true), clock);
	}

	private void checkPreset(String property, @Nullable Duration explicit, Clock clock) {
		if (this.preset == null || this.presetDeviationExplained) {
			return;
		}
		Duration recommended = clock.policyValue.apply(this.preset.policy());
		if (recommended != null && (explicit == null || explicit.compareTo(recommended) > 0)) {
			this.violations.add(new Violation(property, format(explicit),
					"weaker than preset " + this.preset.value() + ", which sets " + format(recommended),
					"use at most " + format(recommended)
							+ ", or write why this application deviates in session-timeout.preset-deviation"));
		}
	}

	private Value clamp(Value value, Clock clock) {
		Duration ceiling = clock.limit.apply(this.limits);
		Duration clamped = Limits.clamp(value.duration, ceiling);
		if (clamped == value.duration) {
			return value;
		}
		if (value.explicit) {
			String problem = (value.duration != null) ? " is above its limit" : " disables a clock that has a limit";
			this.warnings.add(value.property + "=" + format(value.duration) + problem + " session-timeout.limits."
					+ clock.name + "=" + format(ceiling) + "; using " + format(clamped));
		}
		return new Value(value.property, clamped, value.explicit);
	}

	private void order(Value[] values, Clock longer, Clock shorter) {
		Value big = values[longer.ordinal()];
		Value small = values[shorter.ordinal()];
		if (big.duration == null || small.duration == null || small.duration.compareTo(big.duration) <= 0) {
			return;
		}
		if (!small.explicit) {
			this.notes.add(small.property + " defaults to " + format(small.duration) + ", longer than " + big.property
					+ "=" + format(big.duration) + "; using " + format(big.duration));
			values[shorter.ordinal()] = new Value(small.property, big.duration, false);
			return;
		}
		String bigValue = big.property + "=" + format(big.duration) + (big.explicit ? "" : " (its default)");
		this.violations.add(new Violation(small.property, format(small.duration),
				shorter.name + " must not be longer than " + longer.name + ", " + bigValue,
				"shorten " + small.property + " to at most " + format(big.duration) + ", or set " + big.property
						+ " to at least " + format(small.duration)));
	}

	/**
	 * Record a violation found outside this resolver, so that it is reported with the
	 * others.
	 * @param violation the violation
	 */
	public void reject(Violation violation) {
		this.violations.add(violation);
	}

	/**
	 * Throw if any configured value broke a rule.
	 * @throws InvalidSessionTimeoutException naming every violation
	 */
	public void throwIfInvalid() {
		if (!this.violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(this.violations);
		}
	}

	/**
	 * Return what was adjusted silently (defaults lowered to fit), for an INFO log.
	 * @return the notes
	 */
	public List<String> getNotes() {
		return List.copyOf(this.notes);
	}

	/**
	 * Return what was clamped to a limit, for a WARN log.
	 * @return the warnings
	 */
	public List<String> getWarnings() {
		return List.copyOf(this.warnings);
	}

	private enum Clock {

		ABSOLUTE("absolute", ConfiguredClocks::absolute, SessionTimeoutPolicy::absolute, Limits::absolute),

		IDLE("idle", ConfiguredClocks::idle, SessionTimeoutPolicy::idle, Limits::idle),

		REAUTHENTICATION("reauthentication", ConfiguredClocks::reauthentication, SessionTimeoutPolicy::reauthentication,
				Limits::reauthentication),

		PRIVILEGED("privileged age", ConfiguredClocks::privilegedMaxAge, SessionTimeoutPolicy::privilegedMaxAge,
				(limits) -> null);

		private final String name;

		private final Function<ConfiguredClocks, @Nullable Duration> of;

		private final Function<SessionTimeoutPolicy, @Nullable Duration> policyValue;

		private final Function<Limits, @Nullable Duration> limit;

		Clock(String name, Function<ConfiguredClocks, @Nullable Duration> of,
				Function<SessionTimeoutPolicy, @Nullable Duration> policyValue,
				Function<Limits, @Nullable Duration> limit) {
			this.name = name;
			this.of = of;
			this.policyValue = policyValue;
			this.limit = limit;
		}

		String property(ConfiguredClocks configured) {
			return configured.prefix() + ((this != PRIVILEGED) ? this.name : configured.privilegedProperty());
		}

	}

	private record Value(String property, @Nullable Duration duration, boolean explicit) {
	}

}
