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
package dev.sessiontimeout.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.ClampedValue;
import dev.sessiontimeout.internal.policy.ClockValue;
import dev.sessiontimeout.internal.policy.ClockValue.Source;
import dev.sessiontimeout.internal.policy.InvalidSessionTimeoutSettingsException;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.LoweredDefault;
import dev.sessiontimeout.internal.policy.PolicyRef;
import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.policy.SessionClock;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettingsBuilder;
import dev.sessiontimeout.internal.policy.Setting;
import dev.sessiontimeout.internal.policy.SettingViolation;
import dev.sessiontimeout.internal.policy.UserConfig;

import static dev.sessiontimeout.internal.policy.UserConfig.config;
import static dev.sessiontimeout.internal.policy.UserConfig.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link SessionTimeoutMessages}: the violations, notes and warnings of
 * {@link SessionTimeoutSettings} built from what a user configures, worded with property
 * names as {@link SessionTimeoutSettingsFactory} words them.
 *
 * @author session-timeout
 */
class SessionTimeoutMessagesTests {

	private static final Function<SessionTimeoutSettingsBuilder, SessionTimeoutSettings> NAMED = SessionTimeoutSettingsFactory::build;

	private static final PolicyRef ADMINISTRATORS = PolicyRef.of(0, "administrators");

	@Test
	void buildWhenRuleBrokenThenViolationsNamedAndThoseInPolicyTermsKeptAsTheCause() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").idle("2h").resolve(NAMED))
			.withMessage("Invalid session-timeout configuration: session-timeout.idle=2h: idle must not be longer than"
					+ " absolute, session-timeout.absolute=1h (shorten session-timeout.idle to at most 1h, or set"
					+ " session-timeout.absolute to at least 2h)")
			.havingCause()
			.isInstanceOfSatisfying(InvalidSessionTimeoutSettingsException.class,
					(cause) -> assertThat(cause.getViolations()).extracting(SettingViolation::setting)
						.containsExactly(Setting.clock(PolicyRef.GLOBAL, SessionClock.IDLE)));
	}

	@Test
	void noteWhenPolicyDefaultLoweredThenNamesThePolicyProperties() {
		ClockValue absolute = value(Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE), "10m", Source.SET);
		assertThat(SessionTimeoutMessages.note(new LoweredDefault(
				value(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), "30m", Source.DEFAULT), absolute)))
			.isEqualTo("session-timeout.policies[0].idle defaults to 30m, longer than"
					+ " session-timeout.policies[0].absolute=10m; using 10m");
		assertThat(SessionTimeoutMessages.note(new LoweredDefault(
				value(Setting.clock(ADMINISTRATORS, SessionClock.PRIVILEGED), "15m", Source.DEFAULT), absolute)))
			.isEqualTo("session-timeout.policies[0].privileged-max-age defaults to 15m, longer than"
					+ " session-timeout.policies[0].absolute=10m; using 10m");
	}

	@Test
	void noteWhenLongerClockFromPresetCappedAndLoweredThenItsDescriptionSaysAll() {
		ClockValue reauthentication = new ClockValue(Setting.clock(PolicyRef.GLOBAL, SessionClock.REAUTHENTICATION),
				Duration.ofDays(1), Duration.ofMinutes(30), Source.PRESET, Preset.NIST_AAL2, null, Duration.ofHours(8),
				Setting.clock(PolicyRef.GLOBAL, SessionClock.ABSOLUTE));
		ClockValue idle = new ClockValue(Setting.clock(PolicyRef.GLOBAL, SessionClock.IDLE), Duration.ofHours(1),
				Duration.ofMinutes(45), Source.PRESET, Preset.NIST_AAL2, null, Duration.ofMinutes(45), null);
		assertThat(SessionTimeoutMessages.note(new LoweredDefault(idle, reauthentication)))
			.isEqualTo("session-timeout.idle is 1h from preset nist-aal2, capped at 45m by session-timeout.limits.idle,"
					+ " longer than session-timeout.reauthentication=30m (from preset nist-aal2, capped by"
					+ " session-timeout.limits.reauthentication, lowered to fit session-timeout.absolute); using 30m");
	}

	@Test
	void warningWhenPolicyValueAboveItsLimitOrDisabledThenNamesItAndTheLimit() {
		assertThat(Stream.of(
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE), Duration.ofDays(1),
						Duration.ofHours(8)),
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), Duration.ofHours(1),
						Duration.ofMinutes(20)),
				new ClampedValue(Setting.clock(ADMINISTRATORS, SessionClock.REAUTHENTICATION), null,
						Duration.ofHours(4)))
			.map(SessionTimeoutMessages::warning))
			.containsExactly(
					"session-timeout.policies[0].absolute=1d is above its limit session-timeout.limits.absolute=8h;"
							+ " using 8h",
					"session-timeout.policies[0].idle=1h is above its limit session-timeout.limits.idle=20m; using 20m",
					"session-timeout.policies[0].reauthentication=-1 disables a clock that has a limit"
							+ " session-timeout.limits.reauthentication=4h; using 4h");
	}

	@Test
	void violationWhenNamedPolicyThenRuleSaysWhichPolicy() {
		Violation violation = SessionTimeoutMessages
			.violation(new SettingViolation(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), "-5m",
					SettingViolation.Rule.NEGATIVE_DURATION, null));
		assertThat(violation).isEqualTo(new Violation("session-timeout.policies[0].idle", "-5m",
				"in policy 'administrators', a duration must not be negative",
				"use a positive duration, or -1 to disable the clock"));
	}

	@Test
	void violationWhenPolicyHasNoNameThenRuleNamesNoPolicy() {
		PolicyRef unnamed = PolicyRef.of(3, "");
		assertThat(SessionTimeoutMessages.violation(new SettingViolation(Setting.clock(unnamed, SessionClock.IDLE), "0",
				SettingViolation.Rule.ZERO_DURATION, null)))
			.isEqualTo(new Violation("session-timeout.policies[3].idle", "0",
					"0 is allowed only for the privileged age (always re-authenticate)",
					"use a positive duration, or -1 to disable the clock"));
		assertThat(SessionTimeoutMessages.violation(
				new SettingViolation(Setting.authorities(unnamed), "", SettingViolation.Rule.NO_AUTHENTICATIONS, null)))
			.isEqualTo(new Violation("session-timeout.policies[3].authorities", "",
					"a policy must say which authentications it applies to",
					"set session-timeout.policies[3].authorities (any of them matches) or"
							+ " session-timeout.policies[3].remember-me"));
	}

	@Test
	void violationWhenNamedPolicyClaimsNothingThenRuleSaysWhichPolicy() {
		assertThat(SessionTimeoutMessages
			.violation(new SettingViolation(Setting.authorities(ADMINISTRATORS), "",
					SettingViolation.Rule.NO_AUTHENTICATIONS, null))
			.rule()).isEqualTo("policy 'administrators' must say which authentications it applies to");
	}

	@Test
	void violationWhenNameOfAPolicyThenRuleDoesNotNameThePolicyAgain() {
		assertThat(SessionTimeoutMessages.violation(new SettingViolation(Setting.name(PolicyRef.of(1, "staff")),
				"staff", SettingViolation.Rule.DUPLICATE_NAME, null)))
			.isEqualTo(new Violation("session-timeout.policies[1].name", "staff", "policy names must be unique",
					"give the policy another name"));
	}

	@Test
	void violationsWhenSeveralThenWordedInTheSameOrder() {
		assertThat(SessionTimeoutMessages.violations(List.of(
				new SettingViolation(Setting.storeGrace(), "-1s", SettingViolation.Rule.NEGATIVE_STORE_GRACE, null),
				new SettingViolation(Setting.limit(SessionClock.IDLE), "0s", SettingViolation.Rule.NON_POSITIVE_LIMIT,
						null))))
			.extracting(Violation::property, Violation::rule)
			.containsExactly(tuple("session-timeout.store-grace", "the store grace must not be negative"),
					tuple("session-timeout.limits.idle", "a limit must be positive"));
	}

	@Test
	void resolveWhenPlatformIdleLongerThanAbsoluteThenLoweredWithNote() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofHours(24)).resolve(NAMED);
		assertPolicy(settings, "12h", "12h", "-1", "15m");
		assertThat(notes(settings)).singleElement()
			.asString()
			.contains("session-timeout.idle", "1d", "session-timeout.absolute=12h");
	}

	@Test
	void resolveWhenExplicitAbsoluteShorterThanPresetThenPresetDefaultsLoweredToFit() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL2).absolute("30m").resolve(NAMED);
		assertPolicy(settings, "30m", "30m", "30m", "15m");
		assertThat(notes(settings)).containsExactly(
				"session-timeout.reauthentication is 1d from preset nist-aal2, longer than"
						+ " session-timeout.absolute=30m; using 30m",
				"session-timeout.idle is 1h from preset nist-aal2, longer than session-timeout.absolute=30m; using 30m");
	}

	@Test
	void resolveWhenExplicitWeakerThanPresetThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.PCI_DSS).idle("30m").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("30m");
				assertThat(violation.rule()).isEqualTo("weaker than preset pci-dss, which sets 15m");
				assertThat(violation.fix()).contains("at most 15m", "session-timeout.preset-deviation");
			}));
	}

	@Test
	void resolveWhenEachExplicitValueWeakerThanPresetThenEachReported() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.OWASP_HIGH_VALUE)
				.absolute("5h")
				.idle("6m")
				.reauthentication("5h")
				.privileged("6m")
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactlyInAnyOrder(tuple("session-timeout.absolute", "5h"), tuple("session-timeout.idle", "6m"),
						tuple("session-timeout.reauthentication", "5h"),
						tuple("session-timeout.privileged.max-age", "6m")));
	}

	@Test
	void resolveWhenExplicitDisablesClockPresetEnablesThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.NIST_AAL3).idle("-1").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("-1");
				assertThat(violation.rule()).contains("nist-aal3", "15m");
			}));
	}

	@Test
	void resolveWhenAbsoluteAloneShortThenIdleAndPrivilegedDefaultsLoweredWithNotes() {
		SessionTimeoutSettings settings = config().absolute("5m").resolve(NAMED);
		assertPolicy(settings, "5m", "5m", "-1", "5m");
		assertThat(notes(settings)).containsExactly(
				"session-timeout.idle defaults to 30m, longer than session-timeout.absolute=5m; using 5m",
				"session-timeout.privileged.max-age defaults to 15m, longer than session-timeout.absolute=5m; using 5m");
		assertThat(warnings(settings)).isEmpty();
	}

	@Test
	void resolveWhenIdleLongerThanAbsoluteThenFailsNamingBoth() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").idle("2h").resolve(NAMED))
			.withMessageContaining("session-timeout.idle=2h")
			.withMessageContaining("session-timeout.absolute=1h")
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule())
					.isEqualTo("idle must not be longer than absolute, session-timeout.absolute=1h");
				assertThat(violation.fix()).isEqualTo(
						"shorten session-timeout.idle to at most 1h, or set session-timeout.absolute to at least 2h");
			}));
	}

	@Test
	void resolveWhenReauthenticationLongerThanAbsoluteThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("4h").reauthentication("8h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.reauthentication");
				assertThat(violation.value()).isEqualTo("8h");
				assertThat(violation.rule()).contains("reauthentication", "session-timeout.absolute=4h");
			}));
	}

	@Test
	void resolveWhenIdleLongerThanReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().reauthentication("1h").idle("2h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).contains("session-timeout.reauthentication=1h");
			}));
	}

	@Test
	void resolveWhenPrivilegedLongerThanReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().reauthentication("1h").privileged("2h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.privileged.max-age");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).contains("session-timeout.reauthentication=1h");
			}));
	}

	@Test
	void resolveWhenPrivilegedLongerThanAbsoluteThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").privileged("2h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.privileged.max-age");
				assertThat(violation.rule()).contains("session-timeout.absolute=1h");
			}));
	}

	@Test
	void resolveWhenExplicitIdleLongerThanDefaultAbsoluteThenFailsNamingTheDefault() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().idle("24h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("1d");
				assertThat(violation.rule()).contains("session-timeout.absolute=12h (its default)");
				assertThat(violation.fix()).contains("set session-timeout.absolute to at least 1d");
			}));
	}

	@Test
	void resolveWhenExplicitIdleLongerThanSetAbsoluteThenRuleNamesTheSetValueAlone() {
		assertOrderingViolation(config().absolute("4h").idle("5h"), "session-timeout.idle", "5h",
				"idle must not be longer than absolute, session-timeout.absolute=4h",
				"shorten session-timeout.idle to at most 4h, or set session-timeout.absolute to at least 5h");
	}

	@Test
	void resolveWhenExplicitIdleLongerThanDefaultAbsoluteThenRuleSaysItsDefault() {
		assertOrderingViolation(config().idle("13h"), "session-timeout.idle", "13h",
				"idle must not be longer than absolute, session-timeout.absolute=12h (its default)",
				"shorten session-timeout.idle to at most 12h, or set session-timeout.absolute to at least 13h");
	}

	@Test
	void resolveWhenExplicitIdleLongerThanPresetAbsoluteThenRuleNamesThePreset() {
		assertOrderingViolation(
				config().preset(Preset.OWASP_HIGH_VALUE).presetDeviation("Kiosks").reauthentication("-1").idle("5h"),
				"session-timeout.idle", "5h",
				"idle must not be longer than absolute, session-timeout.absolute=4h (from preset owasp-high-value)",
				"shorten session-timeout.idle to at most 4h, or set session-timeout.absolute to at least 5h");
	}

	@Test
	void resolveWhenPolicyIdleLongerThanInheritedAbsoluteThenRuleNamesTheGlobalProperty() {
		assertOrderingViolation(
				config().absolute("1h").policy(policy("administrators").authorities("ROLE_ADMIN").idle("2h")),
				"session-timeout.policies[0].idle", "2h",
				"in policy 'administrators', idle must not be longer than absolute,"
						+ " session-timeout.policies[0].absolute=1h (inherited from session-timeout.absolute)",
				"shorten session-timeout.policies[0].idle to at most 1h, or set"
						+ " session-timeout.policies[0].absolute to at least 2h");
	}

	@Test
	void resolveWhenExplicitIdleLongerThanCappedAbsoluteThenRuleAndFixNameTheLimit() {
		assertOrderingViolation(config().absolute("10h").idle("7h").limits("6h", null, null), "session-timeout.idle",
				"7h",
				"idle must not be longer than absolute,"
						+ " session-timeout.absolute=6h (capped by session-timeout.limits.absolute)",
				"shorten session-timeout.idle to at most 6h, or set session-timeout.absolute and"
						+ " session-timeout.limits.absolute to at least 7h");
	}

	@Test
	void resolveWhenExplicitIdleLongerThanReauthenticationLoweredToFitThenOnlyTheAbsoluteRuleNamed() {
		assertOrderingViolation(config().preset(Preset.NIST_AAL2).presetDeviation("Legacy").absolute("2h").idle("3h"),
				"session-timeout.idle", "3h", "idle must not be longer than absolute, session-timeout.absolute=2h",
				"shorten session-timeout.idle to at most 2h, or set session-timeout.absolute to at least 3h");
	}

	@Test
	void resolveWhenPolicyInheritsIdleLongerThanItsAbsoluteThenNoteSaysInherited() {
		SessionTimeoutSettings settings = config().idle("2h")
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h"))
			.resolve(NAMED);
		assertThat(notes(settings))
			.containsExactly("session-timeout.policies[0].idle inherits 2h from session-timeout.idle, longer than"
					+ " session-timeout.policies[0].absolute=1h; using 1h");
	}

	@Test
	void resolveWhenPlatformIdleLongerThanDefaultAbsoluteThenNoteNamesBothDefaults() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofDays(1)).resolve(NAMED);
		assertThat(notes(settings)).containsExactly("session-timeout.idle defaults to 1d, longer than"
				+ " session-timeout.absolute=12h (its default); using 12h");
	}

	@Test
	void resolveWhenDefaultLoweredTwiceThenOneNoteWithTheLastFit() {
		SessionTimeoutSettings settings = config().absolute("8h")
			.reauthentication("1h")
			.platformIdle(Duration.ofHours(10))
			.resolve(NAMED);
		assertPolicy(settings, "8h", "1h", "1h", "15m");
		assertThat(notes(settings)).containsExactly(
				"session-timeout.idle defaults to 10h, longer than" + " session-timeout.reauthentication=1h; using 1h");
	}

	@Test
	void resolveWhenExplicitPrivilegedLongerThanPresetReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().preset(Preset.NIST_AAL2).presetDeviation("legacy").privileged("2d").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.containsOnly("session-timeout.privileged.max-age"));
	}

	@Test
	void resolveWhenZeroAbsoluteThenFails() {
		assertZeroRejected(config().absolute("0"), "session-timeout.absolute");
	}

	@Test
	void resolveWhenZeroIdleThenFails() {
		assertZeroRejected(config().idle("0"), "session-timeout.idle");
	}

	@Test
	void resolveWhenZeroReauthenticationThenFails() {
		assertZeroRejected(config().reauthentication("0s"), "session-timeout.reauthentication");
	}

	@Test
	void resolveWhenNegativeThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().idle("-5m").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("-5m");
				assertThat(violation.rule()).isEqualTo("a duration must not be negative");
				assertThat(violation.fix()).contains("-1 to disable");
			}));
	}

	@Test
	void resolveWhenNegativePrivilegedThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().privileged("-2").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.privileged.max-age", "-2m")));
	}

	@Test
	void resolveWhenExplicitAboveLimitThenClampedWithWarning() {
		SessionTimeoutSettings settings = config().absolute("24h").limits("8h", null, null).resolve(NAMED);
		assertThat(settings.getDefaultPolicy().absolute()).isEqualTo(Duration.ofHours(8));
		assertThat(warnings(settings)).containsExactly(
				"session-timeout.absolute=1d is above its limit session-timeout.limits.absolute=8h; using 8h");
		assertThat(settings.getLimits()).isEqualTo(new Limits(Duration.ofHours(8), null, null));
	}

	@Test
	void resolveWhenExplicitIdleAndReauthenticationAboveLimitsThenClampedWithWarnings() {
		SessionTimeoutSettings settings = config().idle("2h")
			.reauthentication("10h")
			.limits(null, "1h", "4h")
			.resolve(NAMED);
		assertPolicy(settings, "12h", "1h", "4h", "15m");
		assertThat(warnings(settings)).hasSize(2)
			.anySatisfy((warning) -> assertThat(warning).startsWith("session-timeout.idle=2h")
				.contains("session-timeout.limits.idle=1h"))
			.anySatisfy((warning) -> assertThat(warning).startsWith("session-timeout.reauthentication=10h")
				.contains("session-timeout.limits.reauthentication=4h"));
	}

	@Test
	void resolveWhenExplicitlyDisabledClockUnderLimitThenLimitWithWarning() {
		SessionTimeoutSettings settings = config().absolute("-1").limits("1d", null, null).resolve(NAMED);
		assertThat(settings.getDefaultPolicy().absolute()).isEqualTo(Duration.ofDays(1));
		assertThat(warnings(settings)).singleElement()
			.asString()
			.startsWith("session-timeout.absolute=-1")
			.endsWith("using 1d");
	}

	@Test
	void resolveWhenLimitEnablesClockAboveExplicitAbsoluteThenLoweredToFit() {
		SessionTimeoutSettings settings = config().absolute("4h").limits(null, null, "8h").resolve(NAMED);
		assertPolicy(settings, "4h", "30m", "4h", "15m");
		assertThat(notes(settings)).containsExactly("session-timeout.reauthentication defaults to -1, capped at 8h"
				+ " by session-timeout.limits.reauthentication, longer than session-timeout.absolute=4h; using 4h");
	}

	@Test
	void resolveWhenLimitZeroThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().limits(null, "0", null).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.limits.idle");
				assertThat(violation.value()).isEqualTo("0s");
				assertThat(violation.rule()).isEqualTo("a limit must be positive");
				assertThat(violation.fix()).contains("remove the limit");
			}));
	}

	@Test
	void resolveWhenLimitNegativeThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().limits("-5h", null, null).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.limits.absolute", "-5h")));
	}

	@Test
	void resolveWhenStoreGraceNegativeThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().storeGrace(Duration.ofSeconds(-30)).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.store-grace");
				assertThat(violation.value()).isEqualTo("-30s");
				assertThat(violation.rule()).contains("must not be negative");
			}));
	}

	@Test
	void resolveWhenSeveralViolationsThenAllReportedTogether() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("0")
				.idle("-5m")
				.reauthentication("2h")
				.privileged("3h")
				.limits(null, null, "0")
				.storeGrace(Duration.ofSeconds(-1))
				.resolve(NAMED))
			.satisfies((ex) -> {
				assertThat(ex.getViolations()).extracting(Violation::property)
					.containsExactlyInAnyOrder("session-timeout.limits.reauthentication", "session-timeout.store-grace",
							"session-timeout.absolute", "session-timeout.idle", "session-timeout.privileged.max-age");
				assertThat(ex.getMessage()).startsWith("Invalid session-timeout configuration: ")
					.contains("session-timeout.limits.reauthentication=0s", "session-timeout.store-grace=-1s",
							"session-timeout.absolute=0", "session-timeout.idle=-5m",
							"session-timeout.privileged.max-age=3h");
			});
	}

	@Test
	void resolveWhenSeveralOrderingViolationsThenAllReported() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").reauthentication("2h").idle("3h").privileged("4h").resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.contains("session-timeout.reauthentication", "session-timeout.idle",
						"session-timeout.privileged.max-age"));
	}

	@Test
	void resolveWhenPolicyValueAboveLimitThenClampedWithWarning() {
		SessionTimeoutSettings settings = config().limits("8h", "1h", null)
			.policy(policy("remember-me").rememberMe(true).absolute("30d").idle("2h"))
			.resolve(NAMED);
		assertPolicy(settings.getPolicies().get(0).policy(), "8h", "1h", "-1", "15m");
		assertThat(warnings(settings)).containsExactly(
				"session-timeout.policies[0].absolute=30d is above its limit session-timeout.limits.absolute=8h;"
						+ " using 8h",
				"session-timeout.policies[0].idle=2h is above its limit session-timeout.limits.idle=1h; using 1h");
	}

	@Test
	void resolveWhenPolicyDisablesClockThatHasLimitThenLimitWithWarning() {
		SessionTimeoutSettings settings = config().reauthentication("2h")
			.limits(null, null, "4h")
			.policy(policy("kiosk").authorities("ROLE_KIOSK").reauthentication("-1"))
			.resolve(NAMED);
		assertThat(settings.getPolicies().get(0).policy().reauthentication()).isEqualTo(Duration.ofHours(4));
		assertThat(warnings(settings)).containsExactly("session-timeout.policies[0].reauthentication=-1"
				+ " disables a clock that has a limit session-timeout.limits.reauthentication=4h; using 4h");
	}

	@Test
	void resolveWhenPolicyIdleLongerThanItsAbsoluteThenFailsNamingPolicyProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h").idle("2h"))
						.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule())
					.isEqualTo("in policy 'administrators', idle must not be longer than absolute,"
							+ " session-timeout.policies[0].absolute=1h");
				assertThat(violation.fix()).isEqualTo("shorten session-timeout.policies[0].idle to at most 1h,"
						+ " or set session-timeout.policies[0].absolute to at least 2h");
			}));
	}

	@Test
	void resolveWhenPolicyPrivilegedLongerThanItsReauthenticationThenFailsNamingPolicyProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").authorities("ROLE_ADMIN"))
				.policy(policy("operators").authorities("ROLE_OPERATOR").reauthentication("1h").privileged("2h"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[1].privileged-max-age");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).isEqualTo("in policy 'operators', privileged age must not be longer than"
						+ " reauthentication," + " session-timeout.policies[1].reauthentication=1h");
				assertThat(violation.fix()).isEqualTo("shorten session-timeout.policies[1].privileged-max-age to at"
						+ " most 1h, or set session-timeout.policies[1].reauthentication to at least 2h");
			}));
	}

	@Test
	void resolveWhenPolicyValueLongerThanInheritedValueThenFailsNamingWhereItIsInheritedFrom() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(
				() -> config().absolute("8h").policy(policy("remember-me").rememberMe(true).idle("1d")).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("1d");
				assertThat(violation.rule()).isEqualTo("in policy 'remember-me', idle must not be longer than absolute,"
						+ " session-timeout.policies[0].absolute=8h (inherited from session-timeout.absolute)");
				assertThat(violation.fix()).contains("set session-timeout.policies[0].absolute to at least 1d");
			}));
	}

	@Test
	void resolveWhenPolicyValueInvalidThenFailsNamingPolicyProperty() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().policy(policy("administrators").authorities("ROLE_ADMIN").absolute("0").idle("-5m"))
						.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.policies[0].absolute", "0"),
						tuple("session-timeout.policies[0].idle", "-5m")));
	}

	@Test
	void resolveWhenPolicyAbsoluteShorterThanInheritedValuesThenThoseLoweredWithNotes() {
		SessionTimeoutSettings settings = config().reauthentication("4h")
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("10m"))
			.resolve(NAMED);
		assertPolicy(settings.getPolicies().get(0).policy(), "10m", "10m", "10m", "10m");
		assertPolicy(settings, "12h", "30m", "4h", "15m");
		assertThat(notes(settings)).containsExactly(
				"session-timeout.policies[0].reauthentication inherits 4h from session-timeout.reauthentication,"
						+ " longer than session-timeout.policies[0].absolute=10m; using 10m",
				"session-timeout.policies[0].idle inherits 30m from session-timeout.idle, longer than"
						+ " session-timeout.policies[0].absolute=10m; using 10m",
				"session-timeout.policies[0].privileged-max-age inherits 15m from session-timeout.privileged.max-age,"
						+ " longer than session-timeout.policies[0].absolute=10m; using 10m");
	}

	@Test
	void resolveWhenPolicyReauthenticationShorterThanInheritedIdleThenIdleLowered() {
		SessionTimeoutSettings settings = config()
			.policy(policy("administrators").authorities("ROLE_ADMIN").reauthentication("20m").privileged("5m"))
			.resolve(NAMED);
		assertPolicy(settings.getPolicies().get(0).policy(), "12h", "20m", "20m", "5m");
		assertThat(notes(settings)).containsExactly("session-timeout.policies[0].idle inherits 30m from"
				+ " session-timeout.idle, longer than session-timeout.policies[0].reauthentication=20m; using 20m");
	}

	@Test
	void resolveWhenPolicyValueWeakerThanPresetThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.PCI_DSS)
				.policy(policy("remember-me").rememberMe(true).idle("1h"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("1h");
				assertThat(violation.rule())
					.isEqualTo("in policy 'remember-me', weaker than preset pci-dss, which sets 15m");
				assertThat(violation.fix()).isEqualTo(
						"use at most 15m, or write why this application deviates in session-timeout.preset-deviation");
			}));
	}

	@Test
	void resolveWhenPolicyDisablesClockThatPresetSetsThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.NIST_AAL2)
				.policy(policy("kiosk").authorities("ROLE_KIOSK").reauthentication("-1"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.policies[0].reauthentication", "-1")));
	}

	@Test
	void resolveWhenPolicyHasNoNameThenFailsNamingNameProperty() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy(null).authorities("ROLE_ADMIN")).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].name");
				assertThat(violation.value()).isEmpty();
				assertThat(violation.rule()).isEqualTo("every policy needs a name");
				assertThat(violation.fix()).isEqualTo("name the policy, for example administrators");
			}));
	}

	@Test
	void resolveWhenPolicyNameBlankThenFailsNamingNameProperty() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").authorities("ROLE_ADMIN"))
				.policy(policy("  ").authorities("ROLE_OPERATOR"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::rule)
				.containsExactly(tuple("session-timeout.policies[1].name", "every policy needs a name")));
	}

	@Test
	void resolveWhenPolicyWithoutNameHasInvalidClocksThenEveryViolationReported() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy(null).idle("0")).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.containsExactlyInAnyOrder("session-timeout.policies[0].name",
						"session-timeout.policies[0].authorities", "session-timeout.policies[0].idle"));
	}

	@Test
	void resolveWhenPolicyNamesRepeatThenFailsNamingTheSecond() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").authorities("ROLE_ADMIN"))
				.policy(policy("operators").authorities("ROLE_OPERATOR"))
				.policy(policy(" administrators").authorities("ROLE_ROOT"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[2].name");
				assertThat(violation.value()).isEqualTo("administrators");
				assertThat(violation.rule()).isEqualTo("policy names must be unique");
				assertThat(violation.fix()).isEqualTo("give the policy another name");
			}));
	}

	@Test
	void resolveWhenPolicyNamedDefaultThenFailsSayingItIsTheGlobalPolicy() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("default").authorities("ROLE_ADMIN")).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].name");
				assertThat(violation.value()).isEqualTo("default");
				assertThat(violation.rule())
					.isEqualTo("policy names must be unique and default is the name of the global values");
			}));
	}

	@Test
	void resolveWhenPolicyAuthorityBlankThenFailsNamingTheEntry() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").authorities("ROLE_ADMIN", " ", "ROLE_ROOT"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].authorities[1]");
				assertThat(violation.value()).isEmpty();
				assertThat(violation.rule()).isEqualTo("in policy 'administrators', an authority must not be blank");
				assertThat(violation.fix()).contains("ROLE_ADMIN", "remove the entry");
			}));
	}

	@Test
	void resolveWhenPolicyHasNeitherAuthoritiesNorRememberMeThenFailsNamingBothProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").absolute("1h")).resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].authorities");
				assertThat(violation.rule())
					.isEqualTo("policy 'administrators' must say which authentications it applies to");
				assertThat(violation.fix()).isEqualTo("set session-timeout.policies[0].authorities (any of them"
						+ " matches) or session-timeout.policies[0].remember-me");
			}));
	}

	@Test
	void resolveWhenGlobalAndSeveralPoliciesInvalidThenAllReportedTogether() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().idle("0")
				.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h").idle("2h"))
				.policy(policy("administrators").rememberMe(true))
				.policy(policy("nobody"))
				.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.containsExactlyInAnyOrder("session-timeout.idle", "session-timeout.policies[0].idle",
						"session-timeout.policies[1].name", "session-timeout.policies[2].authorities"));
	}

	@Test
	void violationWhenToStringThenPropertyValueRuleAndFix() {
		Violation violation = new Violation("session-timeout.idle", "0", "rule", "fix");
		assertThat(violation).hasToString("session-timeout.idle=0: rule (fix)");
	}

	private static void assertOrderingViolation(UserConfig config, String property, String value, String rule,
			String fix) {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(() -> config.resolve(NAMED))
			.satisfies(
					(ex) -> assertThat(ex.getViolations()).containsExactly(new Violation(property, value, rule, fix)));
	}

	private static void assertZeroRejected(UserConfig config, String property) {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(() -> config.resolve(NAMED))
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo(property);
				assertThat(violation.value()).isEqualTo("0");
				assertThat(violation.rule()).contains("0 is allowed only for the privileged age");
			}));
	}

	private static ClockValue value(Setting setting, String duration, Source source) {
		Duration value = SessionDurations.parse(duration);
		return new ClockValue(setting, value, value, source, null, null, null, null);
	}

	private static List<String> notes(SessionTimeoutSettings settings) {
		return settings.getNotes().stream().map(SessionTimeoutMessages::note).toList();
	}

	private static List<String> warnings(SessionTimeoutSettings settings) {
		return settings.getWarnings().stream().map(SessionTimeoutMessages::warning).toList();
	}

	private static void assertPolicy(SessionTimeoutSettings settings, String absolute, String idle,
			String reauthentication, String privileged) {
		assertPolicy(settings.getDefaultPolicy(), absolute, idle, reauthentication, privileged);
	}

	private static void assertPolicy(SessionTimeoutPolicy policy, String absolute, String idle, String reauthentication,
			String privileged) {
		assertThat(SessionDurations.format(policy.absolute())).as("absolute").isEqualTo(absolute);
		assertThat(SessionDurations.format(policy.idle())).as("idle").isEqualTo(idle);
		assertThat(SessionDurations.format(policy.reauthentication())).as("reauthentication")
			.isEqualTo(reauthentication);
		assertThat(SessionDurations.format(policy.privilegedMaxAge())).as("privileged").isEqualTo(privileged);
	}

}
