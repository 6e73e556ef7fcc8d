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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutPolicy}: its {@code with…} methods and its text form.
 *
 * @author session-timeout
 */
class SessionTimeoutPolicyTests {

	private static final SessionTimeoutPolicy POLICY = new SessionTimeoutPolicy("administrators", Duration.ofHours(1),
			Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(5), true);

	@Test
	void encodeWhenEveryClockEnabledThenIsoDurationsFlagAndName() {
		assertThat(PolicyCodec.encode(POLICY)).isEqualTo("PT1H,PT10M,PT30M,PT5M,1,administrators");
	}

	@Test
	void encodeWhenClocksDisabledThenDash() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("kiosk", null, null, null, null);
		assertThat(PolicyCodec.encode(policy)).isEqualTo("-,-,-,-,0,kiosk");
	}

	@Test
	void decodeWhenEncodedThenSamePolicy() {
		assertThat(PolicyCodec.decode(PolicyCodec.encode(POLICY))).isEqualTo(POLICY);
	}

	@Test
	void decodeWhenClocksDisabledThenStillDisabled() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("kiosk", null, Duration.ofMinutes(30), null, null);
		SessionTimeoutPolicy decoded = PolicyCodec.decode(PolicyCodec.encode(policy));
		assertThat(decoded).isEqualTo(policy);
		assertThat(decoded.absolute()).isNull();
		assertThat(decoded.reauthentication()).isNull();
		assertThat(decoded.privilegedMaxAge()).isNull();
		assertThat(decoded.cookiePersistent()).isFalse();
	}

	@Test
	void decodeWhenPrivilegedAgeZeroThenZeroNotDisabled() {
		SessionTimeoutPolicy policy = POLICY.withPrivilegedMaxAge(Duration.ZERO);
		assertThat(PolicyCodec.encode(policy)).isEqualTo("PT1H,PT10M,PT30M,PT0S,1,administrators");
		assertThat(PolicyCodec.decode(PolicyCodec.encode(policy)).privilegedMaxAge()).isZero();
	}

	@Test
	void decodeWhenNameHasCommasThenWholeName() {
		SessionTimeoutPolicy policy = POLICY.withName("admins, operators,,support,");
		assertThat(PolicyCodec.decode(PolicyCodec.encode(policy))).isEqualTo(policy);
	}

	@Test
	void decodeWhenSubMillisecondClocksThenExact() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("fast", Duration.ofMinutes(1), Duration.ofNanos(500_000),
				null, Duration.ZERO);
		assertThat(PolicyCodec.decode(PolicyCodec.encode(policy))).isEqualTo(policy);
	}

	@Test
	void decodeWhenNameEmptyThenEmptyName() {
		assertThat(PolicyCodec.decode("-,-,-,-,0,")).isEqualTo(new SessionTimeoutPolicy("", null, null, null, null));
	}

	@Test
	void decodeWhenMillisecondsThenExact() {
		SessionTimeoutPolicy policy = POLICY.withAbsolute(Duration.ofMillis(3_600_001));
		assertThat(PolicyCodec.decode(PolicyCodec.encode(policy))).isEqualTo(policy);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "default", "3600000,600000,1800000,300000,1", "3600000,600000,1800000,300000,true,a",
			"3600000,600000,1800000,300000,2,a", "1h,600000,1800000,300000,0,a", "3600000,,1800000,300000,0,a",
			"0,600000,1800000,300000,0,a", "3600000,-5,1800000,300000,0,a", "3600000,600000,0,300000,0,a",
			"3600000,600000,1800000,-2,0,a", "99999999999999999999,600000,1800000,300000,0,a" })
	void decodeWhenNotAnEncodedPolicyThenNull(String text) {
		assertThat(PolicyCodec.decode(text)).isNull();
	}

	@Test
	void withMethodsWhenCalledThenChangeOnlyTheirValue() {
		assertThat(POLICY.withAbsolute(Duration.ofHours(2))).isEqualTo(new SessionTimeoutPolicy("administrators",
				Duration.ofHours(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(5), true));
		assertThat(POLICY.withIdle(null)).isEqualTo(new SessionTimeoutPolicy("administrators", Duration.ofHours(1),
				null, Duration.ofMinutes(30), Duration.ofMinutes(5), true));
		assertThat(POLICY.withReauthentication(Duration.ofMinutes(20)))
			.isEqualTo(new SessionTimeoutPolicy("administrators", Duration.ofHours(1), Duration.ofMinutes(10),
					Duration.ofMinutes(20), Duration.ofMinutes(5), true));
		assertThat(POLICY.withPrivilegedMaxAge(Duration.ZERO)).isEqualTo(new SessionTimeoutPolicy("administrators",
				Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ZERO, true));
		assertThat(POLICY.withCookiePersistent(false)).isEqualTo(new SessionTimeoutPolicy("administrators",
				Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(5), false));
	}

	@Test
	void constructorWhenCookiePersistenceNotGivenThenBrowserSessionCookie() {
		assertThat(new SessionTimeoutPolicy("p", null, null, null, null).cookiePersistent()).isFalse();
	}

}
