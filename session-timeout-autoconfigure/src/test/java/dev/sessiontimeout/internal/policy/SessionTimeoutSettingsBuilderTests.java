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

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.SessionTimeoutPolicy;

import static dev.sessiontimeout.internal.policy.UserConfig.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link SessionTimeoutSettingsBuilder}.
 *
 * @author session-timeout
 */
class SessionTimeoutSettingsBuilderTests {

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
		SessionTimeoutSettingsBuilder builder = SessionTimeoutSettings.builder();
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

	private static void assertPolicy(SessionTimeoutSettings settings, String absolute, String idle,
			String reauthentication, String privileged) {
		SessionTimeoutPolicy policy = settings.getDefaultPolicy();
		assertThat(SessionDurations.format(policy.absolute())).as("absolute").isEqualTo(absolute);
		assertThat(SessionDurations.format(policy.idle())).as("idle").isEqualTo(idle);
		assertThat(SessionDurations.format(policy.reauthentication())).as("reauthentication")
			.isEqualTo(reauthentication);
		assertThat(SessionDurations.format(policy.privilegedMaxAge())).as("privileged").isEqualTo(privileged);
	}

}
