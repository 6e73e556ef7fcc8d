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

import dev.sessiontimeout.internal.policy.ClockValue.Source;
import dev.sessiontimeout.internal.policy.SettingViolation.Rule;
import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Setting}, {@link PolicyRef} and {@link SettingViolation}: what the
 * policy code reports, in its own terms.
 *
 * @author session-timeout
 */
class SettingTests {

	private static final PolicyRef ADMINISTRATORS = PolicyRef.of(0, "administrators");

	@Test
	void policyRefWhenGlobalThenDefaultNameAndNoIndex() {
		assertThat(PolicyRef.GLOBAL.isGlobal()).isTrue();
		assertThat(PolicyRef.GLOBAL.isNamedPolicy()).isFalse();
		assertThat(PolicyRef.GLOBAL.index()).isEqualTo(-1);
		assertThat(PolicyRef.GLOBAL.name()).isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
		assertThat(PolicyRef.GLOBAL).hasToString("the global values");
	}

	@Test
	void policyRefWhenConfiguredPolicyThenNameStrippedAndEmptyWhenMissing() {
		assertThat(PolicyRef.of(2, " administrators ")).isEqualTo(new PolicyRef(2, "administrators"));
		assertThat(PolicyRef.of(2, " administrators ").isNamedPolicy()).isTrue();
		assertThat(PolicyRef.of(3, null)).isEqualTo(new PolicyRef(3, ""));
		assertThat(PolicyRef.of(3, "  ").isNamedPolicy()).isFalse();
		assertThat(PolicyRef.of(3, null).isGlobal()).isFalse();
		assertThat(PolicyRef.of(2, "administrators")).hasToString("policy 2 'administrators'");
		assertThat(PolicyRef.of(3, null)).hasToString("policy 3");
	}

	@Test
	void policyRefWhenNegativeIndexThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> PolicyRef.of(-1, "administrators"))
			.withMessageContaining("'index'");
		assertThatIllegalArgumentException().isThrownBy(() -> new PolicyRef(-2, "x")).withMessageContaining("'index'");
	}

	@Test
	void factoriesWhenCalledThenKindPolicyClockAndEntry() {
		assertThat(Setting.clock(ADMINISTRATORS, SessionClock.IDLE))
			.isEqualTo(new Setting(Setting.Kind.CLOCK, ADMINISTRATORS, SessionClock.IDLE, -1));
		assertThat(Setting.limit(SessionClock.ABSOLUTE))
			.isEqualTo(new Setting(Setting.Kind.LIMIT, PolicyRef.GLOBAL, SessionClock.ABSOLUTE, -1));
		assertThat(Setting.authority(ADMINISTRATORS, 3))
			.isEqualTo(new Setting(Setting.Kind.AUTHORITIES, ADMINISTRATORS, null, 3));
		assertThat(Setting.authorities(ADMINISTRATORS).entry()).isEqualTo(-1);
		assertThat(Setting.storeGrace().policy()).isEqualTo(PolicyRef.GLOBAL);
		assertThat(Setting.cookiePersistent(ADMINISTRATORS).kind()).isEqualTo(Setting.Kind.COOKIE_PERSISTENT);
	}

	@Test
	void settingWhenClockMissingOrNeedlessThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Setting(Setting.Kind.CLOCK, PolicyRef.GLOBAL, null, -1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Setting(Setting.Kind.STORE_GRACE, PolicyRef.GLOBAL, SessionClock.IDLE, -1));
	}

	@Test
	void limitWhenPrivilegedAgeThenRejectedForItHasNone() {
		assertThat(SessionClock.PRIVILEGED.hasLimit()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Setting.limit(SessionClock.PRIVILEGED))
			.withMessageContaining("privileged age has no limit");
	}

	@Test
	void settingWhenGlobalOnlyForAPolicyOrPolicyOnlyGloballyThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Setting(Setting.Kind.STORE_GRACE, ADMINISTRATORS, null, -1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Setting(Setting.Kind.LIMIT, ADMINISTRATORS, SessionClock.IDLE, -1));
		assertThatIllegalArgumentException().isThrownBy(() -> Setting.name(PolicyRef.GLOBAL));
		assertThatIllegalArgumentException().isThrownBy(() -> Setting.rememberMe(PolicyRef.GLOBAL));
	}

	@Test
	void settingWhenEntryOfAnythingButAuthoritiesOrNegativeThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Setting(Setting.Kind.NAME, ADMINISTRATORS, null, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> Setting.authority(ADMINISTRATORS, -1));
	}

	@Test
	void requiredClockWhenNoClockThenFails() {
		assertThat(Setting.limit(SessionClock.IDLE).requiredClock()).isEqualTo(SessionClock.IDLE);
		assertThatIllegalStateException().isThrownBy(() -> Setting.storeGrace().requiredClock());
	}

	@Test
	void toStringWhenSettingThenToldInPolicyTermsWithoutPropertyNames() {
		assertThat(Setting.clock(PolicyRef.GLOBAL, SessionClock.PRIVILEGED))
			.hasToString("privileged age of the global values");
		assertThat(Setting.limit(SessionClock.IDLE)).hasToString("idle limit of the global values");
		assertThat(Setting.authority(ADMINISTRATORS, 1)).hasToString("authority 1 of policy 0 'administrators'");
		assertThat(Setting.presetDeviation()).hasToString("preset deviation of the global values");
	}

	@Test
	void violationWhenRuleComparesWithAnotherValueThenBoundRequiredElseRefused() {
		ClockValue absolute = new ClockValue(Setting.clock(PolicyRef.GLOBAL, SessionClock.ABSOLUTE),
				Duration.ofHours(1), Duration.ofHours(1), Source.SET, null, null, null, null);
		Setting idle = Setting.clock(PolicyRef.GLOBAL, SessionClock.IDLE);
		assertThat(new SettingViolation(idle, "2h", Rule.LONGER_THAN_CLOCK, absolute).requiredBound())
			.isSameAs(absolute);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SettingViolation(idle, "2h", Rule.LONGER_THAN_CLOCK, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SettingViolation(idle, "-2h", Rule.NEGATIVE_DURATION, absolute));
		assertThatIllegalStateException()
			.isThrownBy(() -> new SettingViolation(idle, "-2h", Rule.NEGATIVE_DURATION, null).requiredBound());
	}

	@Test
	void clockValueWhenSettingIsNotAClockThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClockValue(Setting.storeGrace(), null, null, Source.SET, null, null, null, null));
	}

}
