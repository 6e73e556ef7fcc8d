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
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link SessionTimeoutSettings}.
 *
 * @author session-timeout
 */
class SessionTimeoutSettingsTests {

	@Test
	void resolveWhenNothingConfiguredThenDefaults() {
		SessionTimeoutSettings settings = config().resolve();
		assertPolicy(settings, "12h", "30m", "-1", "15m");
		assertThat(settings.getDefaultPolicy().name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
		assertThat(settings.getStoreGrace()).isEqualTo(SessionTimeoutSettings.DEFAULT_STORE_GRACE);
		assertThat(settings.getLimits()).isEqualTo(Limits.NONE);
		assertThat(settings.getPreset()).isNull();
		assertThat(settings.getPresetDeviation()).isNull();
		assertThat(settings.getNotes()).isEmpty();
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenPlatformIdleThenIdleDefaultsToIt() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofMinutes(20)).resolve();
		assertPolicy(settings, "12h", "20m", "-1", "15m");
	}

	@Test
	void resolveWhenPlatformIdleZeroOrNegativeThenIdleDisabled() {
		assertThat(config().platformIdle(Duration.ZERO).resolve().getDefaultPolicy().idle()).isNull();
		assertThat(config().platformIdle(Duration.ofSeconds(-1)).resolve().getDefaultPolicy().idle()).isNull();
	}

	@Test
	void resolveWhenPlatformIdleLongerThanAbsoluteThenLoweredWithNote() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofHours(24)).resolve();
		assertPolicy(settings, "12h", "12h", "-1", "15m");
		assertThat(settings.getNotes()).singleElement()
			.asString()
			.contains("session-timeout.idle", "1d", "session-timeout.absolute=12h");
	}

	@Test
	void resolveWhenExplicitValuesThenUsed() {
		SessionTimeoutSettings settings = config().absolute("8h")
			.idle("20m")
			.reauthentication("4h")
			.privileged("10m")
			.resolve();
		assertPolicy(settings, "8h", "20m", "4h", "10m");
		assertThat(settings.getNotes()).isEmpty();
	}

	@Test
	void resolveWhenExplicitIdleThenPlatformIdleIgnored() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofMinutes(20)).idle("45m").resolve();
		assertThat(settings.getDefaultPolicy().idle()).isEqualTo(Duration.ofMinutes(45));
	}

	@Test
	void resolveWhenClocksDisabledThenNull() {
		SessionTimeoutSettings settings = config().absolute("-1")
			.idle("-1")
			.reauthentication("-1")
			.privileged("-1")
			.resolve();
		SessionTimeoutPolicy policy = settings.getDefaultPolicy();
		assertThat(policy.absolute()).isNull();
		assertThat(policy.idle()).isNull();
		assertThat(policy.reauthentication()).isNull();
		assertThat(policy.privilegedMaxAge()).isNull();
	}

	@Test
	void resolveWhenAbsoluteDisabledThenIdleMayBeLonger() {
		SessionTimeoutSettings settings = config().absolute("-1").idle("7d").resolve();
		assertPolicy(settings, "-1", "7d", "-1", "15m");
	}

	@ParameterizedTest
	@CsvSource({ "NIST_AAL1, 30d, -1, 30d, 15m", "NIST_AAL2, 1d, 1h, 1d, 15m", "NIST_AAL3, 12h, 15m, 12h, 15m",
			"PCI_DSS, 12h, 15m, 12h, 15m", "OWASP_HIGH_VALUE, 4h, 5m, 4h, 5m", "OWASP_LOW_RISK, 8h, 30m, 8h, 15m" })
	void resolveWhenPresetThenPresetValues(Preset preset, String absolute, String idle, String reauthentication,
			String privileged) {
		SessionTimeoutSettings settings = config().preset(preset).resolve();
		assertPolicy(settings, absolute, idle, reauthentication, privileged);
		assertThat(settings.getPreset()).isEqualTo(preset);
		assertThat(settings.getDefaultPolicy().name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
		assertThat(settings.getNotes()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Preset.class)
	void resolveWhenPresetThenPlatformIdleIgnored(Preset preset) {
		SessionTimeoutSettings settings = config().preset(preset).platformIdle(Duration.ofMinutes(3)).resolve();
		assertThat(settings.getDefaultPolicy().idle()).isEqualTo(preset.policy().idle());
	}

	@Test
	void presetWhenValueThenWrittenAsUsersWriteIt() {
		assertThat(Preset.NIST_AAL1.value()).isEqualTo("nist-aal1");
		assertThat(Preset.PCI_DSS.value()).isEqualTo("pci-dss");
		assertThat(Preset.OWASP_HIGH_VALUE.value()).isEqualTo("owasp-high-value");
		assertThat(Preset.OWASP_LOW_RISK.policy().name()).isEqualTo("owasp-low-risk");
	}

	@Test
	void resolveWhenExplicitStrongerThanPresetThenExplicitWins() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL2)
			.absolute("8h")
			.idle("30m")
			.reauthentication("4h")
			.privileged("5m")
			.resolve();
		assertPolicy(settings, "8h", "30m", "4h", "5m");
	}

	@Test
	void resolveWhenExplicitEqualToPresetThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.PCI_DSS).idle("15m").resolve();
		assertPolicy(settings, "12h", "15m", "12h", "15m");
	}

	@Test
	void resolveWhenExplicitAbsoluteShorterThanPresetThenPresetDefaultsLoweredToFit() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL2).absolute("30m").resolve();
		assertPolicy(settings, "30m", "30m", "30m", "15m");
		assertThat(settings.getNotes()).containsExactly(
				"session-timeout.reauthentication is 1d from preset nist-aal2, longer than"
						+ " session-timeout.absolute=30m; using 30m",
				"session-timeout.idle is 1h from preset nist-aal2, longer than session-timeout.absolute=30m; using 30m");
	}

	@Test
	void resolveWhenExplicitWeakerThanPresetThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.PCI_DSS).idle("30m").resolve())
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
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactlyInAnyOrder(tuple("session-timeout.absolute", "5h"), tuple("session-timeout.idle", "6m"),
						tuple("session-timeout.reauthentication", "5h"),
						tuple("session-timeout.privileged.max-age", "6m")));
	}

	@Test
	void resolveWhenExplicitDisablesClockPresetEnablesThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.NIST_AAL3).idle("-1").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("-1");
				assertThat(violation.rule()).contains("nist-aal3", "15m");
			}));
	}

	@Test
	void resolveWhenExplicitDisablesClockPresetDisablesThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL1).idle("-1").resolve();
		assertThat(settings.getDefaultPolicy().idle()).isNull();
	}

	@Test
	void resolveWhenExplicitEnablesClockPresetDisablesThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL1).idle("1h").resolve();
		assertThat(settings.getDefaultPolicy().idle()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void resolveWhenExplicitWeakerThanPresetWithDeviationThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.PCI_DSS)
			.presetDeviation("Kiosk terminals behind a badge reader")
			.idle("30m")
			.reauthentication("-1")
			.resolve();
		assertPolicy(settings, "12h", "30m", "-1", "15m");
		assertThat(settings.getPresetDeviation()).isEqualTo("Kiosk terminals behind a badge reader");
	}

	@Test
	void resolveWhenPresetDeviationBlankThenNotAJustification() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.PCI_DSS).presetDeviation("  ").idle("30m").resolve());
		assertThat(config().preset(Preset.PCI_DSS).presetDeviation("  ").resolve().getPresetDeviation()).isNull();
	}

	@Test
	void resolveWhenAbsoluteAloneShortThenIdleAndPrivilegedDefaultsLoweredWithNotes() {
		SessionTimeoutSettings settings = config().absolute("5m").resolve();
		assertPolicy(settings, "5m", "5m", "-1", "5m");
		assertThat(settings.getNotes()).containsExactly(
				"session-timeout.idle defaults to 30m, longer than session-timeout.absolute=5m; using 5m",
				"session-timeout.privileged.max-age defaults to 15m, longer than session-timeout.absolute=5m; using 5m");
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenReauthenticationShortThenIdleAndPrivilegedDefaultsLowered() {
		SessionTimeoutSettings settings = config().reauthentication("10m").resolve();
		assertPolicy(settings, "12h", "10m", "10m", "10m");
		assertThat(settings.getNotes()).hasSize(2);
	}

	@Test
	void resolveWhenIdleLongerThanAbsoluteThenFailsNamingBoth() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").idle("2h").resolve())
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
			.isThrownBy(() -> config().absolute("4h").reauthentication("8h").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.reauthentication");
				assertThat(violation.value()).isEqualTo("8h");
				assertThat(violation.rule()).contains("reauthentication", "session-timeout.absolute=4h");
			}));
	}

	@Test
	void resolveWhenIdleLongerThanReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().reauthentication("1h").idle("2h").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.idle");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).contains("session-timeout.reauthentication=1h");
			}));
	}

	@Test
	void resolveWhenPrivilegedLongerThanReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().reauthentication("1h").privileged("2h").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.privileged.max-age");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).contains("session-timeout.reauthentication=1h");
			}));
	}

	@Test
	void resolveWhenPrivilegedLongerThanAbsoluteThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().absolute("1h").privileged("2h").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.privileged.max-age");
				assertThat(violation.rule()).contains("session-timeout.absolute=1h");
			}));
	}

	@Test
	void resolveWhenEqualValuesThenOrderingHolds() {
		SessionTimeoutSettings settings = config().absolute("1h")
			.reauthentication("1h")
			.idle("1h")
			.privileged("1h")
			.resolve();
		assertPolicy(settings, "1h", "1h", "1h", "1h");
	}

	@Test
	void resolveWhenExplicitIdleLongerThanDefaultAbsoluteThenFailsNamingTheDefault() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(() -> config().idle("24h").resolve())
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
				"idle must not be longer than absolute,"
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
			.resolve();
		assertThat(settings.getNotes())
			.containsExactly("session-timeout.policies[0].idle inherits 2h from session-timeout.idle, longer than"
					+ " session-timeout.policies[0].absolute=1h; using 1h");
	}

	@Test
	void resolveWhenPlatformIdleLongerThanDefaultAbsoluteThenNoteNamesBothDefaults() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofDays(1)).resolve();
		assertThat(settings.getNotes()).containsExactly("session-timeout.idle defaults to 1d, longer than"
				+ " session-timeout.absolute=12h (its default); using 12h");
	}

	@Test
	void resolveWhenDefaultLoweredTwiceThenOneNoteWithTheLastFit() {
		SessionTimeoutSettings settings = config().absolute("8h")
			.reauthentication("1h")
			.platformIdle(Duration.ofHours(10))
			.resolve();
		assertPolicy(settings, "8h", "1h", "1h", "15m");
		assertThat(settings.getNotes()).containsExactly(
				"session-timeout.idle defaults to 10h, longer than" + " session-timeout.reauthentication=1h; using 1h");
	}

	@Test
	void resolveWhenExplicitPrivilegedLongerThanPresetReauthenticationThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.NIST_AAL2).presetDeviation("legacy").privileged("2d").resolve())
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
	void resolveWhenZeroPrivilegedThenAlwaysReauthenticate() {
		SessionTimeoutSettings settings = config().privileged("0").resolve();
		assertThat(settings.getDefaultPolicy().privilegedMaxAge()).isZero();
	}

	@Test
	void resolveWhenNegativeThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(() -> config().idle("-5m").resolve())
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
			.isThrownBy(() -> config().privileged("-2").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.privileged.max-age", "-2m")));
	}

	@Test
	void resolveWhenExplicitAboveLimitThenClampedWithWarning() {
		SessionTimeoutSettings settings = config().absolute("24h").limits("8h", null, null).resolve();
		assertThat(settings.getDefaultPolicy().absolute()).isEqualTo(Duration.ofHours(8));
		assertThat(settings.getWarnings()).containsExactly(
				"session-timeout.absolute=1d is above its limit session-timeout.limits.absolute=8h; using 8h");
		assertThat(settings.getLimits()).isEqualTo(new Limits(Duration.ofHours(8), null, null));
	}

	@Test
	void resolveWhenExplicitIdleAndReauthenticationAboveLimitsThenClampedWithWarnings() {
		SessionTimeoutSettings settings = config().idle("2h")
			.reauthentication("10h")
			.limits(null, "1h", "4h")
			.resolve();
		assertPolicy(settings, "12h", "1h", "4h", "15m");
		assertThat(settings.getWarnings()).hasSize(2)
			.anySatisfy((warning) -> assertThat(warning).startsWith("session-timeout.idle=2h")
				.contains("session-timeout.limits.idle=1h"))
			.anySatisfy((warning) -> assertThat(warning).startsWith("session-timeout.reauthentication=10h")
				.contains("session-timeout.limits.reauthentication=4h"));
	}

	@Test
	void resolveWhenDefaultAboveLimitThenClampedWithoutWarning() {
		SessionTimeoutSettings settings = config().limits("8h", "10m", null).resolve();
		assertPolicy(settings, "8h", "10m", "-1", "15m");
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenPresetValueAboveLimitThenClampedWithoutWarning() {
		SessionTimeoutSettings settings = config().preset(Preset.NIST_AAL1).limits("7d", null, "1d").resolve();
		assertPolicy(settings, "7d", "-1", "1d", "15m");
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenValueBelowLimitThenKept() {
		SessionTimeoutSettings settings = config().absolute("4h").idle("20m").limits("8h", "1h", null).resolve();
		assertPolicy(settings, "4h", "20m", "-1", "15m");
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenDisabledDefaultUnderLimitThenLimit() {
		SessionTimeoutSettings settings = config().limits(null, null, "8h").resolve();
		assertThat(settings.getDefaultPolicy().reauthentication()).isEqualTo(Duration.ofHours(8));
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenExplicitlyDisabledClockUnderLimitThenLimitWithWarning() {
		SessionTimeoutSettings settings = config().absolute("-1").limits("1d", null, null).resolve();
		assertThat(settings.getDefaultPolicy().absolute()).isEqualTo(Duration.ofDays(1));
		assertThat(settings.getWarnings()).singleElement()
			.asString()
			.startsWith("session-timeout.absolute=-1")
			.endsWith("using 1d");
	}

	@Test
	void resolveWhenLimitEnablesClockAboveExplicitAbsoluteThenLoweredToFit() {
		SessionTimeoutSettings settings = config().absolute("4h").limits(null, null, "8h").resolve();
		assertPolicy(settings, "4h", "30m", "4h", "15m");
		assertThat(settings.getNotes()).containsExactly("session-timeout.reauthentication defaults to -1, capped at 8h"
				+ " by session-timeout.limits.reauthentication, longer than session-timeout.absolute=4h; using 4h");
	}

	@Test
	void resolveWhenLimitLowersDefaultBelowOtherDefaultsThenOthersLowered() {
		SessionTimeoutSettings settings = config().limits(null, null, "10m").resolve();
		assertPolicy(settings, "12h", "10m", "10m", "10m");
	}

	@Test
	void resolveWhenLimitDisabledThenNoLimit() {
		SessionTimeoutSettings settings = config().absolute("30d").idle("7d").limits("-1", "-1", "-1").resolve();
		assertPolicy(settings, "30d", "7d", "-1", "15m");
		assertThat(settings.getLimits()).isEqualTo(Limits.NONE);
	}

	@Test
	void resolveWhenLimitZeroThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().limits(null, "0", null).resolve())
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
			.isThrownBy(() -> config().limits("-5h", null, null).resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.limits.absolute", "-5h")));
	}

	@Test
	void resolveWhenStoreGraceZeroThenAccepted() {
		assertThat(config().storeGrace(Duration.ZERO).resolve().getStoreGrace()).isZero();
	}

	@Test
	void resolveWhenStoreGraceNegativeThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().storeGrace(Duration.ofSeconds(-30)).resolve())
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
				.resolve())
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
			.isThrownBy(() -> config().absolute("1h").reauthentication("2h").idle("3h").privileged("4h").resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.contains("session-timeout.reauthentication", "session-timeout.idle",
						"session-timeout.privileged.max-age"));
	}

	@Test
	void resolveWhenNoPoliciesThenNoneAndGlobalPolicyForEveryone() {
		SessionTimeoutSettings settings = config().resolve();
		assertThat(settings.getPolicies()).isEmpty();
		assertThat(settings.policyFor(List.of("ROLE_ADMIN"), true)).isSameAs(settings.getDefaultPolicy());
		assertThat(settings.getDefaultPolicy().cookiePersistent()).isFalse();
	}

	@Test
	void getPoliciesWhenResolvedThenInListOrderWithTheirConditions() {
		SessionTimeoutSettings settings = config().policy(policy("administrators").authorities("ROLE_ADMIN"))
			.policy(policy("remember-me").rememberMe(true))
			.policy(policy("operators").authorities("ROLE_OPERATOR", "ROLE_SUPPORT").rememberMe(false))
			.resolve();
		assertThat(settings.getPolicies())
			.extracting((rule) -> rule.policy().name(), (rule) -> rule.authorities(), (rule) -> rule.rememberMe())
			.containsExactly(tuple("administrators", Set.of("ROLE_ADMIN"), null), tuple("remember-me", Set.of(), true),
					tuple("operators", Set.of("ROLE_OPERATOR", "ROLE_SUPPORT"), false));
	}

	@Test
	void policyForWhenAuthorityOfSecondPolicyThenSecondPolicy() {
		SessionTimeoutSettings settings = config().policy(policy("administrators").authorities("ROLE_ADMIN"))
			.policy(policy("support").authorities("ROLE_SUPPORT").absolute("2h"))
			.resolve();
		SessionTimeoutPolicy policy = settings.policyFor(List.of("ROLE_USER", "ROLE_SUPPORT"), false);
		assertThat(policy.name()).isEqualTo("support");
		assertThat(policy.absolute()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void policyForWhenSeveralPoliciesMatchThenFirstInListOrder() {
		PolicyConfig administrators = policy("administrators").authorities("ROLE_ADMIN").absolute("1h");
		PolicyConfig support = policy("support").authorities("ROLE_SUPPORT").absolute("2h");
		List<String> both = List.of("ROLE_SUPPORT", "ROLE_ADMIN");
		assertThat(config().policy(administrators).policy(support).resolve().policyFor(both, false).name())
			.isEqualTo("administrators");
		assertThat(config().policy(support).policy(administrators).resolve().policyFor(both, false).name())
			.isEqualTo("support");
	}

	@Test
	void policyForWhenNoPolicyMatchesThenGlobalPolicy() {
		SessionTimeoutSettings settings = config().policy(policy("administrators").authorities("ROLE_ADMIN"))
			.policy(policy("remember-me").rememberMe(true))
			.resolve();
		assertThat(settings.policyFor(List.of("ROLE_USER"), false)).isSameAs(settings.getDefaultPolicy());
		assertThat(settings.policyFor(List.of(), false)).isSameAs(settings.getDefaultPolicy());
	}

	@Test
	void policyForWhenRememberMeThenRememberMePolicy() {
		SessionTimeoutSettings settings = config().policy(policy("administrators").authorities("ROLE_ADMIN"))
			.policy(policy("remember-me").rememberMe(true).absolute("1d"))
			.resolve();
		assertThat(settings.policyFor(List.of("ROLE_USER"), true).name()).isEqualTo("remember-me");
		assertThat(settings.policyFor(List.of("ROLE_USER"), false).name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
		assertThat(settings.policyFor(List.of("ROLE_ADMIN"), true).name()).isEqualTo("administrators");
	}

	@Test
	void policyForWhenPolicyExcludesRememberMeThenRememberMeFallsThrough() {
		SessionTimeoutSettings settings = config()
			.policy(policy("interactive-administrators").authorities("ROLE_ADMIN").rememberMe(false))
			.policy(policy("remember-me").rememberMe(true))
			.resolve();
		assertThat(settings.policyFor(List.of("ROLE_ADMIN"), false).name()).isEqualTo("interactive-administrators");
		assertThat(settings.policyFor(List.of("ROLE_ADMIN"), true).name()).isEqualTo("remember-me");
	}

	@Test
	void policyForWhenAuthorityConfiguredWithSpacesThenStripped() {
		SessionTimeoutSettings settings = config().policy(policy(" administrators ").authorities(" ROLE_ADMIN "))
			.resolve();
		assertThat(settings.policyFor(List.of("ROLE_ADMIN"), false).name()).isEqualTo("administrators");
	}

	@Test
	void resolveWhenPolicyLeavesValuesUnsetThenInheritsGlobals() {
		SessionTimeoutSettings settings = config().absolute("8h")
			.idle("20m")
			.reauthentication("4h")
			.privileged("10m")
			.policy(policy("administrators").authorities("ROLE_ADMIN").idle("5m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "8h", "5m", "4h", "10m");
		assertPolicy(settings, "8h", "20m", "4h", "10m");
		assertThat(settings.getNotes()).isEmpty();
	}

	@Test
	void resolveWhenPolicySetsEveryValueThenNoneInherited() {
		SessionTimeoutSettings settings = config()
			.policy(policy("administrators").authorities("ROLE_ADMIN")
				.absolute("1h")
				.idle("10m")
				.reauthentication("30m")
				.privileged("5m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "1h", "10m", "30m", "5m");
		assertPolicy(settings, "12h", "30m", "-1", "15m");
	}

	@Test
	void resolveWhenPolicyDisablesClocksThenDisabledForItOnly() {
		SessionTimeoutSettings settings = config().reauthentication("8h")
			.policy(policy("kiosk").authorities("ROLE_KIOSK").absolute("-1").reauthentication("-1").privileged("-1"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "-1", "30m", "-1", "-1");
		assertPolicy(settings, "12h", "30m", "8h", "15m");
	}

	@Test
	void resolveWhenGlobalsFromPresetThenPolicyInheritsPresetValues() {
		SessionTimeoutSettings settings = config().preset(Preset.OWASP_HIGH_VALUE)
			.policy(policy("administrators").authorities("ROLE_ADMIN").idle("2m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "4h", "2m", "4h", "5m");
	}

	@Test
	void resolveWhenIdleFromPlatformThenPolicyInheritsIt() {
		SessionTimeoutSettings settings = config().platformIdle(Duration.ofMinutes(20))
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("4h"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "4h", "20m", "-1", "15m");
	}

	@Test
	void resolveWhenGlobalLoweredToFitThenPolicyInheritsLoweredValue() {
		SessionTimeoutSettings settings = config().absolute("5m")
			.policy(policy("administrators").authorities("ROLE_ADMIN").privileged("1m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "5m", "5m", "-1", "1m");
	}

	@Test
	void resolveWhenPolicyValueAboveLimitThenClampedWithWarning() {
		SessionTimeoutSettings settings = config().limits("8h", "1h", null)
			.policy(policy("remember-me").rememberMe(true).absolute("30d").idle("2h"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "8h", "1h", "-1", "15m");
		assertThat(settings.getWarnings()).containsExactly(
				"session-timeout.policies[0].absolute=30d is above its limit session-timeout.limits.absolute=8h;"
						+ " using 8h",
				"session-timeout.policies[0].idle=2h is above its limit session-timeout.limits.idle=1h; using 1h");
	}

	@Test
	void resolveWhenPolicyDisablesClockThatHasLimitThenLimitWithWarning() {
		SessionTimeoutSettings settings = config().reauthentication("2h")
			.limits(null, null, "4h")
			.policy(policy("kiosk").authorities("ROLE_KIOSK").reauthentication("-1"))
			.resolve();
		assertThat(settings.getPolicies().get(0).policy().reauthentication()).isEqualTo(Duration.ofHours(4));
		assertThat(settings.getWarnings()).containsExactly("session-timeout.policies[0].reauthentication=-1"
				+ " disables a clock that has a limit session-timeout.limits.reauthentication=4h; using 4h");
	}

	@Test
	void resolveWhenPolicyValueAtLimitThenKeptWithoutWarning() {
		SessionTimeoutSettings settings = config().limits("8h", null, null)
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("8h"))
			.resolve();
		assertThat(settings.getPolicies().get(0).policy().absolute()).isEqualTo(Duration.ofHours(8));
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void resolveWhenPolicyIdleLongerThanItsAbsoluteThenFailsNamingPolicyProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h").idle("2h"))
						.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule())
					.isEqualTo("idle must not be longer than absolute, session-timeout.policies[0].absolute=1h");
				assertThat(violation.fix()).isEqualTo("shorten session-timeout.policies[0].idle to at most 1h,"
						+ " or set session-timeout.policies[0].absolute to at least 2h");
			}));
	}

	@Test
	void resolveWhenPolicyPrivilegedLongerThanItsReauthenticationThenFailsNamingPolicyProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").authorities("ROLE_ADMIN"))
				.policy(policy("operators").authorities("ROLE_OPERATOR").reauthentication("1h").privileged("2h"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[1].privileged-max-age");
				assertThat(violation.value()).isEqualTo("2h");
				assertThat(violation.rule()).isEqualTo("privileged age must not be longer than reauthentication,"
						+ " session-timeout.policies[1].reauthentication=1h");
				assertThat(violation.fix()).isEqualTo("shorten session-timeout.policies[1].privileged-max-age to at"
						+ " most 1h, or set session-timeout.policies[1].reauthentication to at least 2h");
			}));
	}

	@Test
	void resolveWhenPolicyValueLongerThanInheritedValueThenFailsNamingWhereItIsInheritedFrom() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().absolute("8h").policy(policy("remember-me").rememberMe(true).idle("1d")).resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("1d");
				assertThat(violation.rule()).isEqualTo("idle must not be longer than absolute,"
						+ " session-timeout.policies[0].absolute=8h (inherited from session-timeout.absolute)");
				assertThat(violation.fix()).contains("set session-timeout.policies[0].absolute to at least 1d");
			}));
	}

	@Test
	void resolveWhenPolicyValueInvalidThenFailsNamingPolicyProperty() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(
					() -> config().policy(policy("administrators").authorities("ROLE_ADMIN").absolute("0").idle("-5m"))
						.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.policies[0].absolute", "0"),
						tuple("session-timeout.policies[0].idle", "-5m")));
	}

	@Test
	void resolveWhenPolicyAbsoluteShorterThanInheritedValuesThenThoseLoweredWithNotes() {
		SessionTimeoutSettings settings = config().reauthentication("4h")
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("10m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "10m", "10m", "10m", "10m");
		assertPolicy(settings, "12h", "30m", "4h", "15m");
		assertThat(settings.getNotes()).containsExactly(
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
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "12h", "20m", "20m", "5m");
		assertThat(settings.getNotes()).containsExactly("session-timeout.policies[0].idle inherits 30m from"
				+ " session-timeout.idle, longer than session-timeout.policies[0].reauthentication=20m; using 20m");
	}

	@Test
	void resolveWhenPolicyValueWeakerThanPresetThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.PCI_DSS)
				.policy(policy("remember-me").rememberMe(true).idle("1h"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].idle");
				assertThat(violation.value()).isEqualTo("1h");
				assertThat(violation.rule()).isEqualTo("weaker than preset pci-dss, which sets 15m");
				assertThat(violation.fix()).isEqualTo(
						"use at most 15m, or write why this application deviates in session-timeout.preset-deviation");
			}));
	}

	@Test
	void resolveWhenPolicyDisablesClockThatPresetSetsThenFails() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().preset(Preset.NIST_AAL2)
				.policy(policy("kiosk").authorities("ROLE_KIOSK").reauthentication("-1"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::value)
				.containsExactly(tuple("session-timeout.policies[0].reauthentication", "-1")));
	}

	@Test
	void resolveWhenPolicyValueWeakerThanPresetWithDeviationThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.PCI_DSS)
			.presetDeviation("Remember-me only on managed devices")
			.policy(policy("remember-me").rememberMe(true).idle("1h"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "12h", "1h", "12h", "15m");
		assertPolicy(settings, "12h", "15m", "12h", "15m");
	}

	@Test
	void resolveWhenPolicyValueStrongerThanPresetThenAccepted() {
		SessionTimeoutSettings settings = config().preset(Preset.PCI_DSS)
			.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h").idle("5m"))
			.resolve();
		assertPolicy(settings.getPolicies().get(0).policy(), "1h", "5m", "1h", "15m");
	}

	@Test
	void resolveWhenPolicyHasNoNameThenFailsNamingNameProperty() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy(null).authorities("ROLE_ADMIN")).resolve())
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
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property, Violation::rule)
				.containsExactly(tuple("session-timeout.policies[1].name", "every policy needs a name")));
	}

	@Test
	void resolveWhenPolicyWithoutNameHasInvalidClocksThenEveryViolationReported() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy(null).idle("0")).resolve())
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
				.resolve())
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
			.isThrownBy(() -> config().policy(policy("default").authorities("ROLE_ADMIN")).resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].name");
				assertThat(violation.value()).isEqualTo("default");
				assertThat(violation.rule())
					.isEqualTo("policy names must be unique and default is the name of the global values");
			}));
	}

	@Test
	void resolveWhenPolicyAuthorityBlankThenFailsNamingTheEntry() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(
				() -> config().policy(policy("administrators").authorities("ROLE_ADMIN", " ", "ROLE_ROOT")).resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].authorities[1]");
				assertThat(violation.value()).isEmpty();
				assertThat(violation.rule()).isEqualTo("an authority must not be blank");
				assertThat(violation.fix()).contains("ROLE_ADMIN", "remove the entry");
			}));
	}

	@Test
	void resolveWhenPolicyHasNeitherAuthoritiesNorRememberMeThenFailsNamingBothProperties() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().policy(policy("administrators").absolute("1h")).resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo("session-timeout.policies[0].authorities");
				assertThat(violation.rule()).isEqualTo("a policy must say which authentications it applies to");
				assertThat(violation.fix()).isEqualTo("set session-timeout.policies[0].authorities (any of them"
						+ " matches) or session-timeout.policies[0].remember-me");
			}));
	}

	@Test
	void resolveWhenPolicyOnlyExcludesRememberMeThenAccepted() {
		SessionTimeoutSettings settings = config().policy(policy("interactive").rememberMe(false).absolute("1h"))
			.resolve();
		assertThat(settings.policyFor(List.of(), false).name()).isEqualTo("interactive");
		assertThat(settings.policyFor(List.of(), true).name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
	}

	@Test
	void resolveWhenGlobalAndSeveralPoliciesInvalidThenAllReportedTogether() {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class)
			.isThrownBy(() -> config().idle("0")
				.policy(policy("administrators").authorities("ROLE_ADMIN").absolute("1h").idle("2h"))
				.policy(policy("administrators").rememberMe(true))
				.policy(policy("nobody"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::property)
				.containsExactlyInAnyOrder("session-timeout.idle", "session-timeout.policies[0].idle",
						"session-timeout.policies[1].name", "session-timeout.policies[2].authorities"));
	}

	@Test
	void resolveWhenCookiePersistentUnsetThenNoSessionCookieOutlivesTheBrowser() {
		SessionTimeoutSettings settings = config().policy(policy("administrators").authorities("ROLE_ADMIN")).resolve();
		assertThat(settings.getDefaultPolicy().cookiePersistent()).isFalse();
		assertThat(settings.getPolicies().get(0).policy().cookiePersistent()).isFalse();
	}

	@Test
	void resolveWhenGlobalCookiePersistentThenPoliciesInheritIt() {
		SessionTimeoutSettings settings = config().cookiePersistent(true)
			.policy(policy("administrators").authorities("ROLE_ADMIN"))
			.policy(policy("shared-terminals").authorities("ROLE_TERMINAL").cookiePersistent(false))
			.resolve();
		assertThat(settings.getDefaultPolicy().cookiePersistent()).isTrue();
		assertThat(settings.getPolicies()).extracting((rule) -> rule.policy().cookiePersistent())
			.containsExactly(true, false);
	}

	@Test
	void resolveWhenPolicyCookiePersistentThenOnlyThatPolicy() {
		SessionTimeoutSettings settings = config().policy(policy("remember-me").rememberMe(true).cookiePersistent(true))
			.policy(policy("administrators").authorities("ROLE_ADMIN"))
			.resolve();
		assertThat(settings.getDefaultPolicy().cookiePersistent()).isFalse();
		assertThat(settings.getPolicies()).extracting((rule) -> rule.policy().cookiePersistent())
			.containsExactly(true, false);
	}

	@Test
	void buildWhenNothingSetThenDefaultsWithoutPoliciesPresetOrLimits() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder().build();
		assertPolicy(settings, "12h", "30m", "-1", "15m");
		assertThat(settings.getDefaultPolicy()).isEqualTo(new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
				SessionTimeoutSettings.DEFAULT_ABSOLUTE, SessionTimeoutSettings.DEFAULT_IDLE, null,
				SessionTimeoutSettings.DEFAULT_PRIVILEGED_MAX_AGE, false));
		assertThat(settings.getPolicies()).isEmpty();
		assertThat(settings.getLimits()).isEqualTo(Limits.NONE);
		assertThat(settings.getStoreGrace()).isEqualTo(SessionTimeoutSettings.DEFAULT_STORE_GRACE);
		assertThat(settings.getPreset()).isNull();
		assertThat(settings.getPresetDeviation()).isNull();
		assertThat(settings.getNotes()).isEmpty();
		assertThat(settings.getWarnings()).isEmpty();
	}

	@Test
	void buildWhenValuesSetBackToNullThenDefaultsAgain() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(1))
			.idle(Duration.ofMinutes(5))
			.reauthentication(Duration.ofMinutes(20))
			.privilegedMaxAge(Duration.ofMinutes(1))
			.platformIdle(Duration.ofMinutes(10))
			.preset(Preset.PCI_DSS)
			.presetDeviation("Kiosks")
			.absolute(null)
			.idle(null)
			.reauthentication(null)
			.privilegedMaxAge(null)
			.platformIdle(null)
			.preset(null)
			.presetDeviation(null)
			.build();
		assertThat(settings.getDefaultPolicy()).isEqualTo(SessionTimeoutSettings.builder().build().getDefaultPolicy());
		assertThat(settings.getPreset()).isNull();
		assertThat(settings.getPresetDeviation()).isNull();
	}

	@Test
	void buildWhenPoliciesAddedThenResolvedInTheOrderAdded() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.policy(policy("remember-me").rememberMe(true).configured(0))
			.policy(policy("administrators").authorities("ROLE_ADMIN").configured(1))
			.build();
		assertThat(settings.getPolicies()).extracting((rule) -> rule.policy().name())
			.containsExactly("remember-me", "administrators");
	}

	@Test
	void builderWhenNullWhereAValueIsRequiredThenFails() {
		SessionTimeoutSettings.Builder builder = SessionTimeoutSettings.builder();
		assertThatNullPointerException().isThrownBy(() -> builder.limits(null)).withMessageContaining("'limits'");
		assertThatNullPointerException().isThrownBy(() -> builder.storeGrace(null))
			.withMessageContaining("'storeGrace'");
		assertThatNullPointerException().isThrownBy(() -> builder.policy(null)).withMessageContaining("'policy'");
	}

	@Test
	void buildWhenOnlyClocksSetThenNoPoliciesAndBrowserSessionCookies() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(1))
			.storeGrace(Duration.ZERO)
			.build();
		assertThat(settings.getPolicies()).isEmpty();
		assertThat(settings.getDefaultPolicy().cookiePersistent()).isFalse();
	}

	@Test
	void fitWhenOverrideShortensThenKeptUnchanged() {
		SessionTimeoutSettings settings = config().limits("8h", "1h", "4h").resolve();
		SessionTimeoutPolicy override = settings.getDefaultPolicy()
			.withName("unknown-device")
			.withAbsolute(Duration.ofHours(1))
			.withIdle(Duration.ofMinutes(5))
			.withReauthentication(Duration.ofMinutes(30));
		SessionTimeoutSettings.FittedPolicy fitted = settings.fit(override);
		assertThat(fitted.policy()).isEqualTo(override);
		assertThat(fitted.changes()).isEmpty();
	}

	@Test
	void fitWhenOverrideLengthensWithinLimitsThenKept() {
		SessionTimeoutSettings settings = config().limits("1d", null, null).resolve();
		SessionTimeoutPolicy override = settings.getDefaultPolicy().withAbsolute(Duration.ofDays(1));
		assertThat(settings.fit(override).policy()).isEqualTo(override);
	}

	@Test
	void fitWhenOverrideAboveLimitsThenClampedAndEachChangeReported() {
		SessionTimeoutSettings settings = config().limits("8h", "1h", "4h").resolve();
		SessionTimeoutPolicy override = new SessionTimeoutPolicy("trusted-device", Duration.ofDays(30),
				Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(15), true);
		SessionTimeoutSettings.FittedPolicy fitted = settings.fit(override);
		assertThat(fitted.policy()).isEqualTo(new SessionTimeoutPolicy("trusted-device", Duration.ofHours(8),
				Duration.ofHours(1), Duration.ofHours(4), Duration.ofMinutes(15), true));
		assertThat(fitted.changes()).containsExactly("absolute 30d lowered to 8h", "idle 7d lowered to 1h",
				"reauthentication 1d lowered to 4h");
	}

	@Test
	void fitWhenOverrideDisablesClockThatHasLimitThenLimit() {
		SessionTimeoutSettings settings = config().limits("8h", null, null).resolve();
		SessionTimeoutSettings.FittedPolicy fitted = settings.fit(settings.getDefaultPolicy().withAbsolute(null));
		assertThat(fitted.policy().absolute()).isEqualTo(Duration.ofHours(8));
		assertThat(fitted.changes()).containsExactly("absolute disabled lowered to 8h");
	}

	@Test
	void fitWhenOverrideBreaksOrderingThenLoweredToFit() {
		SessionTimeoutSettings settings = config().resolve();
		SessionTimeoutPolicy override = new SessionTimeoutPolicy("short", Duration.ofMinutes(10),
				Duration.ofMinutes(30), Duration.ofMinutes(20), Duration.ofMinutes(15));
		SessionTimeoutSettings.FittedPolicy fitted = settings.fit(override);
		assertThat(fitted.policy()).isEqualTo(new SessionTimeoutPolicy("short", Duration.ofMinutes(10),
				Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10)));
		assertThat(fitted.changes()).containsExactly("idle 30m lowered to 10m", "reauthentication 20m lowered to 10m",
				"privileged age 15m lowered to 10m");
	}

	@Test
	void fitWhenLimitLowersOneClockBelowAnotherThenOtherLoweredToo() {
		SessionTimeoutSettings settings = config().limits(null, null, "1h").resolve();
		SessionTimeoutPolicy override = new SessionTimeoutPolicy("long", Duration.ofHours(12), Duration.ofHours(2),
				Duration.ofHours(6), Duration.ofHours(3));
		SessionTimeoutPolicy fitted = settings.fit(override).policy();
		assertThat(fitted).isEqualTo(new SessionTimeoutPolicy("long", Duration.ofHours(12), Duration.ofHours(1),
				Duration.ofHours(1), Duration.ofHours(1)));
	}

	@Test
	void fitWhenOverrideBreaksEveryRuleThenNeverFails() {
		SessionTimeoutSettings settings = config().preset(Preset.OWASP_HIGH_VALUE).limits("4h", "5m", "4h").resolve();
		SessionTimeoutPolicy override = new SessionTimeoutPolicy("wild", null, Duration.ofDays(400), null,
				Duration.ofDays(500), true);
		assertThatNoException().isThrownBy(() -> settings.fit(override));
		SessionTimeoutSettings.FittedPolicy fitted = settings.fit(override);
		assertThat(fitted.policy()).isEqualTo(new SessionTimeoutPolicy("wild", Duration.ofHours(4),
				Duration.ofMinutes(5), Duration.ofHours(4), Duration.ofHours(4), true));
		assertThat(fitted.changes()).hasSize(4);
	}

	@Test
	void fitWhenPrivilegedAgeZeroThenKept() {
		SessionTimeoutSettings settings = config().limits("8h", "1h", "4h").resolve();
		SessionTimeoutPolicy override = settings.getDefaultPolicy().withPrivilegedMaxAge(Duration.ZERO);
		assertThat(settings.fit(override).policy().privilegedMaxAge()).isZero();
	}

	@Test
	void violationWhenToStringThenPropertyValueRuleAndFix() {
		Violation violation = new Violation("session-timeout.idle", "0", "rule", "fix");
		assertThat(violation).hasToString("session-timeout.idle=0: rule (fix)");
	}

	private static void assertOrderingViolation(Config config, String property, String value, String rule, String fix) {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(config::resolve)
			.satisfies(
					(ex) -> assertThat(ex.getViolations()).containsExactly(new Violation(property, value, rule, fix)));
	}

	private static void assertZeroRejected(Config config, String property) {
		assertThatExceptionOfType(InvalidSessionTimeoutException.class).isThrownBy(config::resolve)
			.satisfies((ex) -> assertThat(ex.getViolations()).singleElement().satisfies((violation) -> {
				assertThat(violation.property()).isEqualTo(property);
				assertThat(violation.value()).isEqualTo("0");
				assertThat(violation.rule()).contains("0 is allowed only for the privileged age");
			}));
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

	private static Config config() {
		return new Config();
	}

	private static PolicyConfig policy(@Nullable String name) {
		return new PolicyConfig(name);
	}

	/**
	 * What a user configures, as text.
	 */
	private static final class Config {

		private @Nullable String absolute;

		private @Nullable String idle;

		private @Nullable String reauthentication;

		private @Nullable String privileged;

		private @Nullable Duration platformIdle;

		private @Nullable Preset preset;

		private @Nullable String presetDeviation;

		private Limits limits = Limits.NONE;

		private Duration storeGrace = SessionTimeoutSettings.DEFAULT_STORE_GRACE;

		private boolean cookiePersistent;

		private final List<PolicyConfig> policies = new ArrayList<>();

		Config absolute(String absolute) {
			this.absolute = absolute;
			return this;
		}

		Config idle(String idle) {
			this.idle = idle;
			return this;
		}

		Config reauthentication(String reauthentication) {
			this.reauthentication = reauthentication;
			return this;
		}

		Config privileged(String privileged) {
			this.privileged = privileged;
			return this;
		}

		Config platformIdle(Duration platformIdle) {
			this.platformIdle = platformIdle;
			return this;
		}

		Config preset(Preset preset) {
			this.preset = preset;
			return this;
		}

		Config presetDeviation(String presetDeviation) {
			this.presetDeviation = presetDeviation;
			return this;
		}

		Config limits(@Nullable String absolute, @Nullable String idle, @Nullable String reauthentication) {
			this.limits = new Limits(parse(absolute), parse(idle), parse(reauthentication));
			return this;
		}

		Config storeGrace(Duration storeGrace) {
			this.storeGrace = storeGrace;
			return this;
		}

		Config cookiePersistent(boolean cookiePersistent) {
			this.cookiePersistent = cookiePersistent;
			return this;
		}

		Config policy(PolicyConfig policy) {
			this.policies.add(policy);
			return this;
		}

		SessionTimeoutSettings resolve() {
			SessionTimeoutSettings.Builder builder = SessionTimeoutSettings.builder()
				.absolute(parse(this.absolute))
				.idle(parse(this.idle))
				.reauthentication(parse(this.reauthentication))
				.privilegedMaxAge(parse(this.privileged))
				.cookiePersistent(this.cookiePersistent)
				.platformIdle(this.platformIdle)
				.preset(this.preset)
				.presetDeviation(this.presetDeviation)
				.limits(this.limits)
				.storeGrace(this.storeGrace);
			for (int i = 0; i < this.policies.size(); i++) {
				builder.policy(this.policies.get(i).configured(i));
			}
			return builder.build();
		}

	}

	/**
	 * What a user configures under {@code session-timeout.policies[i]}, as text.
	 */
	private static final class PolicyConfig {

		private final @Nullable String name;

		private List<String> authorities = List.of();

		private @Nullable Boolean rememberMe;

		private @Nullable String absolute;

		private @Nullable String idle;

		private @Nullable String reauthentication;

		private @Nullable String privileged;

		private @Nullable Boolean cookiePersistent;

		private PolicyConfig(@Nullable String name) {
			this.name = name;
		}

		PolicyConfig authorities(String... authorities) {
			this.authorities = Arrays.asList(authorities);
			return this;
		}

		PolicyConfig rememberMe(boolean rememberMe) {
			this.rememberMe = rememberMe;
			return this;
		}

		PolicyConfig absolute(String absolute) {
			this.absolute = absolute;
			return this;
		}

		PolicyConfig idle(String idle) {
			this.idle = idle;
			return this;
		}

		PolicyConfig reauthentication(String reauthentication) {
			this.reauthentication = reauthentication;
			return this;
		}

		PolicyConfig privileged(String privileged) {
			this.privileged = privileged;
			return this;
		}

		PolicyConfig cookiePersistent(boolean cookiePersistent) {
			this.cookiePersistent = cookiePersistent;
			return this;
		}

		ConfiguredPolicy configured(int index) {
			return new ConfiguredPolicy(index, this.name, this.authorities, this.rememberMe, parse(this.absolute),
					parse(this.idle), parse(this.reauthentication), parse(this.privileged), this.cookiePersistent);
		}

	}

	private static @Nullable Duration parse(@Nullable String text) {
		return (text != null) ? SessionDurations.parse(text) : null;
	}

}
