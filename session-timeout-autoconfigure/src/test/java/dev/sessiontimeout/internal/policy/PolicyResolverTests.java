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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.ClockValue.Source;
import dev.sessiontimeout.internal.policy.SettingViolation.Rule;
import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link PolicyResolver}, {@link Limits} and {@link SessionTimeoutPolicy}.
 *
 * @author session-timeout
 */
class PolicyResolverTests {

	private static final SessionTimeoutPolicy DEFAULTS = new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
			Duration.ofHours(12), Duration.ofMinutes(30), null, Duration.ofMinutes(15));

	private static final PolicyRef ADMINISTRATORS = PolicyRef.of(0, "administrators");

	@Test
	void resolveWhenNothingConfiguredThenDefaultsUnderConfiguredName() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		SessionTimeoutPolicy policy = resolver.resolve(administrators(null, null, null, null), DEFAULTS);
		assertThat(policy).isEqualTo(DEFAULTS.withName("administrators"));
		assertThatNoException().isThrownBy(resolver::throwIfInvalid);
		assertThat(resolver.getNotes()).isEmpty();
		assertThat(resolver.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenPolicyValuesThenUnsetOnesInheritDefaults() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		SessionTimeoutPolicy policy = resolver.resolve(administrators("1h", "10m", null, "5m"), DEFAULTS);
		assertThat(policy).isEqualTo(new SessionTimeoutPolicy("administrators", Duration.ofHours(1),
				Duration.ofMinutes(10), null, Duration.ofMinutes(5)));
	}

	@Test
	void resolveWhenPolicyViolationThenNamesPolicySettings() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		resolver.resolve(administrators("1h", "2h", null, "0"), DEFAULTS);
		assertThatExceptionOfType(InvalidSessionTimeoutSettingsException.class).isThrownBy(resolver::throwIfInvalid)
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.setting()).isEqualTo(Setting.clock(ADMINISTRATORS, SessionClock.IDLE));
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).isEqualTo(Rule.LONGER_THAN_CLOCK);
				assertThat(violation.requiredBound().setting())
					.isEqualTo(Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE));
				assertThat(violation.requiredBound().duration()).isEqualTo(Duration.ofHours(1));
				assertThat(violation.requiredBound().source()).isEqualTo(Source.SET);
			}));
	}

	@Test
	void resolveWhenPolicyPrivilegedInvalidThenNamesPolicyPrivilegedSetting() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		resolver.resolve(administrators(null, null, null, "-3m"), DEFAULTS);
		assertThatExceptionOfType(InvalidSessionTimeoutSettingsException.class).isThrownBy(resolver::throwIfInvalid)
			.satisfies((ex) -> assertThat(ex.getViolations()).containsExactly(new SettingViolation(
					Setting.clock(ADMINISTRATORS, SessionClock.PRIVILEGED), "-3m", Rule.NEGATIVE_DURATION, null)));
	}

	@Test
	void resolveWhenPolicyLowersAbsoluteThenInheritedValuesLoweredWithNotes() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		SessionTimeoutPolicy policy = resolver.resolve(administrators("10m", null, null, null), DEFAULTS);
		assertThat(policy.idle()).isEqualTo(Duration.ofMinutes(10));
		assertThat(policy.privilegedMaxAge()).isEqualTo(Duration.ofMinutes(10));
		assertThat(resolver.getNotes())
			.extracting((note) -> note.value().setting(), (note) -> note.value().configured(),
					(note) -> note.value().source(), (note) -> note.longer().setting(), LoweredDefault::using)
			.containsExactly(
					tuple(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), Duration.ofMinutes(30), Source.DEFAULT,
							Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE), Duration.ofMinutes(10)),
					tuple(Setting.clock(ADMINISTRATORS, SessionClock.PRIVILEGED), Duration.ofMinutes(15),
							Source.DEFAULT, Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE),
							Duration.ofMinutes(10)));
	}

	@Test
	void resolveWhenSeveralPoliciesThenViolationsCollectedAcrossThem() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		resolver.resolve(ConfiguredClocks.global(null, Duration.ZERO, null, null), DEFAULTS);
		resolver.resolve(administrators(null, "-5m", null, null), DEFAULTS);
		assertThatExceptionOfType(InvalidSessionTimeoutSettingsException.class).isThrownBy(resolver::throwIfInvalid)
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(SettingViolation::setting)
				.containsExactly(Setting.clock(PolicyRef.GLOBAL, SessionClock.IDLE),
						Setting.clock(ADMINISTRATORS, SessionClock.IDLE)));
	}

	@Test
	void rejectWhenViolationThenReportedWithTheOthers() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		resolver.reject(new SettingViolation(Setting.name(PolicyRef.of(1, null)), "", Rule.MISSING_NAME));
		resolver.resolve(administrators("0", null, null, null), DEFAULTS);
		assertThatExceptionOfType(InvalidSessionTimeoutSettingsException.class).isThrownBy(resolver::throwIfInvalid)
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(SettingViolation::setting)
				.containsExactly(Setting.name(PolicyRef.of(1, null)),
						Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE)));
	}

	@Test
	void resolveWhenPresetAndWeakerPolicyValueThenViolation() {
		PolicyResolver resolver = new PolicyResolver(Preset.OWASP_HIGH_VALUE, false, Limits.NONE);
		resolver.resolve(administrators(null, "10m", null, null), Preset.OWASP_HIGH_VALUE.policy());
		assertThatExceptionOfType(InvalidSessionTimeoutSettingsException.class).isThrownBy(resolver::throwIfInvalid)
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.setting()).isEqualTo(Setting.clock(ADMINISTRATORS, SessionClock.IDLE));
				assertThat(violation.rule()).isEqualTo(Rule.WEAKER_THAN_PRESET);
				assertThat(violation.requiredBound().source()).isEqualTo(Source.PRESET);
				assertThat(violation.requiredBound().preset()).isEqualTo(Preset.OWASP_HIGH_VALUE);
				assertThat(violation.requiredBound().duration()).isEqualTo(Duration.ofMinutes(5));
			}));
	}

	@Test
	void resolveWhenPresetDeviationExplainedThenWeakerValueAccepted() {
		PolicyResolver resolver = new PolicyResolver(Preset.OWASP_HIGH_VALUE, true, Limits.NONE);
		SessionTimeoutPolicy policy = resolver.resolve(administrators(null, "10m", null, null),
				Preset.OWASP_HIGH_VALUE.policy());
		assertThatNoException().isThrownBy(resolver::throwIfInvalid);
		assertThat(policy.idle()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void resolveWhenAboveLimitThenClampedAndWarned() {
		PolicyResolver resolver = new PolicyResolver(null, false,
				new Limits(Duration.ofHours(8), Duration.ofMinutes(20), Duration.ofHours(4)));
		SessionTimeoutPolicy policy = resolver.resolve(administrators("1d", "1h", "-1", null), DEFAULTS);
		assertThat(policy).isEqualTo(new SessionTimeoutPolicy("administrators", Duration.ofHours(8),
				Duration.ofMinutes(20), Duration.ofHours(4), Duration.ofMinutes(15)));
		assertThat(resolver.getWarnings()).containsExactly(
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE), Duration.ofDays(1),
						Duration.ofHours(8)),
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), Duration.ofHours(1),
						Duration.ofMinutes(20)),
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.REAUTHENTICATION), null,
						Duration.ofHours(4)));
		assertThatNoException().isThrownBy(resolver::throwIfInvalid);
	}

	@Test
	void resolveWhenPrivilegedThenNoLimitApplies() {
		PolicyResolver resolver = new PolicyResolver(null, false,
				new Limits(Duration.ofHours(8), Duration.ofHours(8), Duration.ofHours(8)));
		SessionTimeoutPolicy policy = resolver.resolve(administrators(null, null, null, "2h"), DEFAULTS);
		assertThat(policy.privilegedMaxAge()).isEqualTo(Duration.ofHours(2));
		assertThat(resolver.getWarnings()).isEmpty();
	}

	@Test
	void notesAndWarningsWhenReturnedThenUnmodifiable() {
		PolicyResolver resolver = new PolicyResolver(null, false, Limits.NONE);
		resolver.resolve(administrators("5m", null, null, null), DEFAULTS);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> resolver.getNotes().add(resolver.getNotes().get(0)));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> resolver.getWarnings()
			.add(new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), null, Duration.ofHours(1))));
	}

	@Test
	void globalWhenCreatedThenSettingsOfTheGlobalValues() {
		ConfiguredClocks clocks = ConfiguredClocks.global(null, null, null, null);
		assertThat(clocks.name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
		assertThat(clocks.policy()).isEqualTo(PolicyRef.GLOBAL);
		assertThat(clocks.setting(SessionClock.PRIVILEGED))
			.isEqualTo(new Setting(Setting.Kind.CLOCK, PolicyRef.GLOBAL, SessionClock.PRIVILEGED, -1));
	}

	@Test
	void clampWhenAboveCeilingThenCeiling() {
		Limits limits = new Limits(Duration.ofHours(8), Duration.ofMinutes(20), Duration.ofHours(4));
		SessionTimeoutPolicy clamped = limits.clamp(new SessionTimeoutPolicy("p", Duration.ofDays(1),
				Duration.ofHours(1), Duration.ofHours(5), Duration.ofHours(3)));
		assertThat(clamped).isEqualTo(new SessionTimeoutPolicy("p", Duration.ofHours(8), Duration.ofMinutes(20),
				Duration.ofHours(4), Duration.ofHours(3)));
	}

	@Test
	void clampWhenAtOrBelowCeilingThenUnchanged() {
		Limits limits = new Limits(Duration.ofHours(8), Duration.ofMinutes(20), Duration.ofHours(4));
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("p", Duration.ofHours(8), Duration.ofMinutes(5),
				Duration.ofHours(1), Duration.ZERO);
		assertThat(limits.clamp(policy)).isEqualTo(policy);
	}

	@Test
	void clampWhenDisabledClockThenCeiling() {
		Limits limits = new Limits(Duration.ofHours(8), null, Duration.ofHours(4));
		SessionTimeoutPolicy clamped = limits.clamp(new SessionTimeoutPolicy("p", null, null, null, null));
		assertThat(clamped)
			.isEqualTo(new SessionTimeoutPolicy("p", Duration.ofHours(8), null, Duration.ofHours(4), null));
	}

	@Test
	void clampWhenNoLimitsThenUnchanged() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("p", null, Duration.ofDays(400), null, null);
		assertThat(Limits.NONE.clamp(policy)).isEqualTo(policy);
	}

	@Test
	void policyWhenZeroOrNegativeClockThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SessionTimeoutPolicy("p", Duration.ZERO, null, null, null))
			.withMessageContaining("'absolute'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SessionTimeoutPolicy("p", null, Duration.ofMinutes(-1), null, null))
			.withMessageContaining("'idle'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SessionTimeoutPolicy("p", null, null, Duration.ZERO, null))
			.withMessageContaining("'reauthentication'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SessionTimeoutPolicy("p", null, null, null, Duration.ofSeconds(-1)))
			.withMessageContaining("'privilegedMaxAge'");
	}

	@Test
	void policyWhenPrivilegedZeroThenAccepted() {
		assertThat(new SessionTimeoutPolicy("p", null, null, null, Duration.ZERO).privilegedMaxAge()).isZero();
	}

	@Test
	void withNameWhenCalledThenSameClocks() {
		SessionTimeoutPolicy renamed = DEFAULTS.withName("renamed");
		assertThat(renamed.name()).isEqualTo("renamed");
		assertThat(renamed.withName(SessionTimeoutPolicy.DEFAULT_NAME)).isEqualTo(DEFAULTS);
	}

	private static ConfiguredClocks administrators(@Nullable String absolute, @Nullable String idle,
			@Nullable String reauthentication, @Nullable String privileged) {
		return new ConfiguredClocks("administrators", ADMINISTRATORS, parse(absolute), parse(idle),
				parse(reauthentication), parse(privileged));
	}

	private static @Nullable Duration parse(@Nullable String text) {
		return (text != null) ? SessionDurations.parse(text) : null;
	}

}
