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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
		assertThat(settings.getNotes()).hasSize(2)
			.anySatisfy((note) -> assertThat(note).contains("session-timeout.reauthentication defaults to 1d"))
			.anySatisfy((note) -> assertThat(note).contains("session-timeout.idle defaults to"));
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
		assertThat(settings.getNotes()).singleElement()
			.asString()
			.startsWith("session-timeout.reauthentication defaults to 8h");
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
	void violationWhenToStringThenPropertyValueRuleAndFix() {
		Violation violation = new Violation("session-timeout.idle", "0", "rule", "fix");
		assertThat(violation).hasToString("session-timeout.idle=0: rule (fix)");
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
		SessionTimeoutPolicy policy = settings.getDefaultPolicy();
		assertThat(SessionDurations.format(policy.absolute())).as("absolute").isEqualTo(absolute);
		assertThat(SessionDurations.format(policy.idle())).as("idle").isEqualTo(idle);
		assertThat(SessionDurations.format(policy.reauthentication())).as("reauthentication")
			.isEqualTo(reauthentication);
		assertThat(SessionDurations.format(policy.privilegedMaxAge())).as("privileged").isEqualTo(privileged);
	}

	private static Config config() {
		return new Config();
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

		SessionTimeoutSettings resolve() {
			return SessionTimeoutSettings.resolve(
					ConfiguredClocks.global(parse(this.absolute), parse(this.idle), parse(this.reauthentication),
							parse(this.privileged)),
					this.platformIdle, this.preset, this.presetDeviation, this.limits, this.storeGrace);
		}

		private static @Nullable Duration parse(@Nullable String text) {
			return (text != null) ? SessionDurations.parse(text) : null;
		}

	}

}
