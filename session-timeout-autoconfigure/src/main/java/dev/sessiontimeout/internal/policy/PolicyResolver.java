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
package dev.sessiontimeout.internal.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.policy.ClockValue.Source;
import dev.sessiontimeout.internal.policy.SettingViolation.Rule;
import dev.sessiontimeout.SessionTimeoutPolicy;

import static dev.sessiontimeout.internal.policy.SessionDurations.format;

/**
 * Turns configured clocks into a valid {@link SessionTimeoutPolicy}: values checked,
 * unset ones taken from the defaults, explicit ones compared with the preset, each
 * clamped to its limit, and the ordering {@code absolute >= reauthentication >= idle},
 * {@code privileged <= reauthentication, absolute} enforced. A default that breaks the
 * ordering is lowered to fit; an explicit value that breaks it is a
 * {@link SettingViolation}. Violations are collected, so that one report can name them
 * all.
 *
 * @author session-timeout
 */
final class PolicyResolver {

	private final @Nullable Preset preset;

	private final boolean presetDeviationExplained;

	private final Limits limits;

	private final List<SettingViolation> violations = new ArrayList<>();

	private final Map<Setting, LoweredDefault> notes = new LinkedHashMap<>();

	private final List<ClampedValue> warnings = new ArrayList<>();

	/**
	 * Create a new resolver.
	 * @param preset the preset explicit values are compared with, if any
	 * @param presetDeviationExplained whether values weaker than the preset are allowed
	 * @param limits the ceilings
	 */
	PolicyResolver(@Nullable Preset preset, boolean presetDeviationExplained, Limits limits) {
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
	SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy defaults) {
		return resolve(configured, defaults, (this.preset != null) ? Source.PRESET : Source.DEFAULT, null);
	}

	/**
	 * Resolve the configured clocks of a policy whose unset values are inherited from
	 * other clocks, the global ones. Problems are collected rather than thrown: see
	 * {@link #throwIfInvalid()}.
	 * @param configured the configured values
	 * @param inherited the resolved policy that unset values are inherited from
	 * @param inheritedFrom the configured clocks of that policy
	 * @return the policy, named as the configured values
	 */
	SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy inherited,
			ConfiguredClocks inheritedFrom) {
		return resolve(configured, inherited, Source.INHERITED, inheritedFrom);
	}

	private SessionTimeoutPolicy resolve(ConfiguredClocks configured, SessionTimeoutPolicy fallbacks,
			Source fallbackSource, @Nullable ConfiguredClocks inheritedFrom) {
		ClockValue[] values = new ClockValue[SessionClock.values().length];
		for (SessionClock clock : SessionClock.values()) {
			Setting parent = (inheritedFrom != null) ? inheritedFrom.setting(clock) : null;
			values[clock.ordinal()] = value(configured, clock, fallbacks, fallbackSource, parent);
		}
		order(values, SessionClock.ABSOLUTE, SessionClock.REAUTHENTICATION);
		order(values, SessionClock.ABSOLUTE, SessionClock.IDLE);
		order(values, SessionClock.ABSOLUTE, SessionClock.PRIVILEGED);
		order(values, SessionClock.REAUTHENTICATION, SessionClock.IDLE);
		order(values, SessionClock.REAUTHENTICATION, SessionClock.PRIVILEGED);
		return new SessionTimeoutPolicy(configured.name(), duration(values, SessionClock.ABSOLUTE),
				duration(values, SessionClock.IDLE), duration(values, SessionClock.REAUTHENTICATION),
				duration(values, SessionClock.PRIVILEGED), fallbacks.cookiePersistent());
	}

	private static @Nullable Duration duration(ClockValue[] values, SessionClock clock) {
		return values[clock.ordinal()].duration();
	}

	private ClockValue value(ConfiguredClocks configured, SessionClock clock, SessionTimeoutPolicy fallbacks,
			Source fallbackSource, @Nullable Setting inheritedFrom) {
		Setting setting = configured.setting(clock);
		Duration explicit = clock.of(configured);
		ClockValue unset = ClockValue.of(setting, clock.of(fallbacks), fallbackSource,
				(fallbackSource == Source.PRESET) ? this.preset : null, inheritedFrom);
		if (explicit == null) {
			return clamp(unset);
		}
		if (SessionDurations.isDisabled(explicit)) {
			explicit = null;
		}
		else if (explicit.isNegative()) {
			this.violations.add(new SettingViolation(setting, format(explicit), Rule.NEGATIVE_DURATION));
			return unset;
		}
		else if (explicit.isZero() && clock != SessionClock.PRIVILEGED) {
			this.violations.add(new SettingViolation(setting, "0", Rule.ZERO_DURATION));
			return unset;
		}
		checkPreset(setting, explicit);
		return clamp(ClockValue.of(setting, explicit, Source.SET, null, null));
	}

	private void checkPreset(Setting setting, @Nullable Duration explicit) {
		if (this.preset == null || this.presetDeviationExplained) {
			return;
		}
		Duration recommended = setting.requiredClock().of(this.preset.policy());
		if (recommended != null && (explicit == null || explicit.compareTo(recommended) > 0)) {
			this.violations.add(new SettingViolation(setting, format(explicit), Rule.WEAKER_THAN_PRESET,
					ClockValue.of(setting, recommended, Source.PRESET, this.preset, null)));
		}
	}

	private ClockValue clamp(ClockValue value) {
		Duration ceiling = value.clock().limit(this.limits);
		Duration clamped = Limits.clamp(value.duration(), ceiling);
		if (ceiling == null || clamped == value.duration()) {
			return value;
		}
		if (value.isSet()) {
			this.warnings.add(new ClampedValue(value.setting(), value.duration(), ceiling));
		}
		return value.capped(ceiling);
	}

	private void order(ClockValue[] values, SessionClock longer, SessionClock shorter) {
		ClockValue big = values[longer.ordinal()];
		ClockValue small = values[shorter.ordinal()];
		if (big.duration() == null || small.duration() == null || small.duration().compareTo(big.duration()) <= 0) {
			return;
		}
		if (!small.isSet()) {
			this.notes.put(small.setting(), new LoweredDefault(small, big));
			values[shorter.ordinal()] = small.lowered(big.duration(), big.setting());
			return;
		}
		if (big.loweredToFit() != null) {
			// The value it was lowered to is longer still, and its own rule names it
			return;
		}
		this.violations
			.add(new SettingViolation(small.setting(), format(small.configured()), Rule.LONGER_THAN_CLOCK, big));
	}

	/**
	 * Record a violation found outside this resolver, so that it is reported with the
	 * others.
	 * @param violation the violation
	 */
	void reject(SettingViolation violation) {
		this.violations.add(violation);
	}

	/**
	 * Throw if any configured value broke a rule.
	 * @throws InvalidSessionTimeoutSettingsException naming every violation
	 */
	void throwIfInvalid() {
		if (!this.violations.isEmpty()) {
			throw new InvalidSessionTimeoutSettingsException(this.violations);
		}
	}

	/**
	 * Return what was adjusted silently (defaults lowered to fit), for an INFO log.
	 * @return the notes
	 */
	List<LoweredDefault> getNotes() {
		return List.copyOf(this.notes.values());
	}

	/**
	 * Return what was clamped to a limit, for a WARN log.
	 * @return the warnings
	 */
	List<ClampedValue> getWarnings() {
		return List.copyOf(this.warnings);
	}

}
