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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

	private final Map<String, String> notes = new LinkedHashMap<>();

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
	 * Resolve configured clocks into a policy whose unset values are defaults: the
	 * preset's when this resolver compares with one, else the built-in ones. Problems are
	 * collected rather than thrown: see {@link #throwIfInvalid()}.
	 * @param configured the configured values
	 * @param defaults the values of the clocks that were not configured
	 * @return the policy, named as the configured values
	 */
	public SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy defaults) {
		return resolve(configured, defaults, (this.preset != null) ? Source.PRESET : Source.DEFAULT, null);
	}

	/**
	 * Resolve the configured clocks of a policy whose unset values are inherited from
	 * other clocks, the global ones. Problems are collected rather than thrown: see
	 * {@link #throwIfInvalid()}.
	 * @param configured the configured values
	 * @param inherited the resolved policy that unset values are inherited from
	 * @param inheritedFrom the configured clocks of that policy, which name its
	 * properties
	 * @return the policy, named as the configured values
	 */
	public SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy inherited,
			ConfiguredClocks inheritedFrom) {
		return resolve(configured, inherited, Source.INHERITED, inheritedFrom);
	}

	private SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy fallbacks,
			Source fallbackSource, @Nullable ConfiguredClocks inheritedFrom) {
		Value[] values = new Value[Clock.values().length];
		for (Clock clock : Clock.values()) {
			String parent = (inheritedFrom != null) ? clock.property(inheritedFrom) : null;
			values[clock.ordinal()] = value(configured, clock, fallbacks, new Fallback(fallbackSource, parent));
		}
		order(values, Clock.ABSOLUTE, Clock.REAUTHENTICATION);
		order(values, Clock.ABSOLUTE, Clock.IDLE);
		order(values, Clock.ABSOLUTE, Clock.PRIVILEGED);
		order(values, Clock.REAUTHENTICATION, Clock.IDLE);
		order(values, Clock.REAUTHENTICATION, Clock.PRIVILEGED);
		return new SessionTimeoutPolicy(configured.name(), values[0].duration, values[1].duration, values[2].duration,
				values[3].duration, fallbacks.cookiePersistent());
	}

	private Value value(ConfiguredClocks configured, Clock clock, SessionTimeoutPolicy fallbacks, Fallback fallback) {
		String property = clock.property(configured);
		Duration explicit = clock.of.apply(configured);
		Duration unset = clock.policyValue.apply(fallbacks);
		if (explicit == null) {
			return clamp(Value.of(property, clock, unset, fallback), clock);
		}
		if (SessionDurations.isDisabled(explicit)) {
			explicit = null;
		}
		else if (explicit.isNegative()) {
			this.violations.add(new Violation(property, format(explicit), "a duration must not be negative",
					"use a positive duration, or -1 to disable the clock"));
			return Value.of(property, clock, unset, fallback);
		}
		else if (explicit.isZero() && clock != Clock.PRIVILEGED) {
			this.violations
				.add(new Violation(property, "0", "0 is allowed only for the privileged age (always re-authenticate)",
						"use a positive duration, or -1 to disable the clock"));
			return Value.of(property, clock, unset, fallback);
		}
		checkPreset(property, explicit, clock);
		return clamp(Value.of(property, clock, explicit, Fallback.NONE), clock);
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
		if (ceiling == null || clamped == value.duration) {
			return value;
		}
		if (value.isSet()) {
			String problem = (value.duration != null) ? " is above its limit" : " disables a clock that has a limit";
			this.warnings.add(value.property + "=" + format(value.duration) + problem + " " + clock.limitProperty()
					+ "=" + format(ceiling) + "; using " + format(clamped));
		}
		return value.capped(ceiling);
	}

	private void order(Value[] values, Clock longer, Clock shorter) {
		Value big = values[longer.ordinal()];
		Value small = values[shorter.ordinal()];
		if (big.duration == null || small.duration == null || small.duration.compareTo(big.duration) <= 0) {
			return;
		}
		if (!small.isSet()) {
			this.notes.put(small.property, small.unsetDescription(this.preset) + ", longer than "
					+ big.description(this.preset) + "; using " + format(big.duration));
			values[shorter.ordinal()] = small.lowered(big.duration, big.property);
			return;
		}
		if (big.loweredToFit != null) {
			// The value it was lowered to is longer still, and its own rule names it
			return;
		}
		String fix = "shorten " + small.property + " to at most " + format(big.duration) + ", or set "
				+ ((big.cappedAt != null) ? big.property + " and " + longer.limitProperty() : big.property)
				+ " to at least " + format(small.configured);
		this.violations.add(new Violation(small.property, format(small.configured),
				shorter.name + " must not be longer than " + longer.name + ", " + big.description(this.preset), fix));
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
		return List.copyOf(this.notes.values());
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

		String limitProperty() {
			return "session-timeout.limits." + this.name;
		}

	}

	/**
	 * Where the value of an unset clock comes from.
	 */
	private enum Source {

		/**
		 * The clock is set.
		 */
		SET,

		/**
		 * A built-in default.
		 */
		DEFAULT,

		/**
		 * The preset.
		 */
		PRESET,

		/**
		 * Another clock's value, the global one for a policy.
		 */
		INHERITED

	}

	private record Fallback(Source source, @Nullable String inheritedFrom) {

		static final Fallback NONE = new Fallback(Source.SET, null);

	}

	/**
	 * The value of a clock as it is resolved.
	 *
	 * @param property the property of the clock
	 * @param configured the value before it was capped or lowered
	 * @param duration the value
	 * @param source where the value comes from
	 * @param inheritedFrom the property it was inherited from, if it was
	 * @param limitProperty the property of the limit that capped it, if one did
	 * @param cappedAt the limit, if it lowered the value or enabled the clock at it
	 * @param loweredToFit the property it was lowered to fit, if it was
	 */
	private record Value(String property, @Nullable Duration configured, @Nullable Duration duration, Source source,
			@Nullable String inheritedFrom, String limitProperty, @Nullable Duration cappedAt,
			@Nullable String loweredToFit) {

		static Value of(String property, Clock clock, @Nullable Duration duration, Fallback fallback) {
			return new Value(property, duration, duration, fallback.source(), fallback.inheritedFrom(),
					clock.limitProperty(), null, null);
		}

		boolean isSet() {
			return this.source == Source.SET;
		}

		Value capped(Duration limit) {
			return new Value(this.property, this.configured, limit, this.source, this.inheritedFrom, this.limitProperty,
					limit, this.loweredToFit);
		}

		Value lowered(@Nullable Duration duration, String toFit) {
			return new Value(this.property, this.configured, duration, this.source, this.inheritedFrom,
					this.limitProperty, this.cappedAt, toFit);
		}

		/**
		 * Describe the value and where it comes from, such as
		 * {@code session-timeout.absolute=12h (its default)}.
		 */
		String description(@Nullable Preset preset) {
			List<String> details = new ArrayList<>();
			switch (this.source) {
				case DEFAULT -> details.add("its default");
				case PRESET -> details.add("from preset " + ((preset != null) ? preset.value() : "?"));
				case INHERITED -> details.add("inherited from " + this.inheritedFrom);
				default -> {
				}
			}
			if (this.cappedAt != null) {
				details.add("capped by " + this.limitProperty);
			}
			if (this.loweredToFit != null) {
				details.add("lowered to fit " + this.loweredToFit);
			}
			return this.property + "=" + format(this.duration)
					+ (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
		}

		/**
		 * Describe the value of an unset clock before it is lowered to fit, such as
		 * {@code session-timeout.idle defaults to 30m}.
		 */
		String unsetDescription(@Nullable Preset preset) {
			String value = format(this.configured);
			String description = switch (this.source) {
				case PRESET ->
					this.property + " is " + value + " from preset " + ((preset != null) ? preset.value() : "?");
				case INHERITED -> this.property + " inherits " + value + " from " + this.inheritedFrom;
				default -> this.property + " defaults to " + value;
			};
			return description + ((this.cappedAt != null)
					? ", capped at " + format(this.cappedAt) + " by " + this.limitProperty : "");
		}

	}

}
