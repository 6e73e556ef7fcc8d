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
package dev.sessiontimeout.internal.session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.PolicyCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SessionAttributes}.
 *
 * @author session-timeout
 */
class SessionAttributesTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant ACTIVE_AT = CREATED_AT.plus(Duration.ofMinutes(10));

	private static final Instant AUTHENTICATED_AT = CREATED_AT.plus(Duration.ofMinutes(5));

	private static final SessionTimeoutPolicy GLOBAL = new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
			Duration.ofHours(12), Duration.ofMinutes(30), null, Duration.ofMinutes(15));

	private static final SessionTimeoutPolicy TRAVELLERS = new SessionTimeoutPolicy("travellers", Duration.ofHours(8),
			Duration.ofHours(1), null, Duration.ofMinutes(5), true);

	private final MapSessionAccess session = new MapSessionAccess(CREATED_AT);

	private static SessionTimeoutSettings settings(Limits limits) {
		SessionTimeoutSettings settings = mock(SessionTimeoutSettings.class);
		given(settings.getDefaultPolicy()).willReturn(GLOBAL);
		given(settings.getLimits()).willReturn(limits);
		return settings;
	}

	@Test
	void readWhenASerializerGaveTheNumbersBackAsOtherTypesThenSameTimeline() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, (double) CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, BigInteger.valueOf(ACTIVE_AT.toEpochMilli()));
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, new BigDecimal(AUTHENTICATED_AT.toEpochMilli()));
		assertThat(SessionAttributes.read(this.session))
			.isEqualTo(new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT));
	}

	@Test
	void epochMilliWhenIntegralNumberOfAnyTypeThenItsValue() {
		assertThat(SessionAttributes.epochMilli(1_764_000_000_123L)).isEqualTo(1_764_000_000_123L);
		assertThat(SessionAttributes.epochMilli(1.764000000123E12)).isEqualTo(1_764_000_000_123L);
		assertThat(SessionAttributes.epochMilli(1.764000000123E12f)).isNotNull();
		assertThat(SessionAttributes.epochMilli(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void epochMilliWhenNoIntegralNumberThenNull() {
		assertThat(SessionAttributes.epochMilli(null)).isNull();
		assertThat(SessionAttributes.epochMilli("1764000000123")).isNull();
		assertThat(SessionAttributes.epochMilli(1_764_000_000)).as("an Integer: seconds, or not ours").isNull();
		assertThat(SessionAttributes.epochMilli((short) 42)).isNull();
		assertThat(SessionAttributes.epochMilli(1.5)).isNull();
		assertThat(SessionAttributes.epochMilli(Double.NaN)).isNull();
		assertThat(SessionAttributes.epochMilli(Double.POSITIVE_INFINITY)).isNull();
		assertThat(SessionAttributes.epochMilli(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE))).isNull();
	}

	@Test
	void readWhenNothingWrittenThenNull() {
		assertThat(SessionAttributes.read(this.session)).isNull();
	}

	@Test
	void readWhenWrittenThenSameTimeline() {
		SessionTimeline timeline = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		SessionAttributes.write(this.session, timeline, null);
		assertThat(SessionAttributes.read(this.session)).isEqualTo(timeline);
	}

	@Test
	void writeWhenTimelineThenEpochMillisecondsThatEveryStoreCanHold() {
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), null);
		assertThat(this.session.getAttribute(SessionAttributes.CREATED_AT)).isEqualTo(CREATED_AT.toEpochMilli());
		assertThat(this.session.getAttribute(SessionAttributes.LAST_ACTIVITY_AT)).isEqualTo(ACTIVE_AT.toEpochMilli());
		assertThat(this.session.getAttribute(SessionAttributes.AUTHENTICATED_AT))
			.isEqualTo(AUTHENTICATED_AT.toEpochMilli());
	}

	@Test
	void readWhenWrittenWithoutAnAuthenticationThenNone() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		assertThat(this.session.getAttribute(SessionAttributes.AUTHENTICATED_AT)).isNull();
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(CREATED_AT, CREATED_AT, null));
	}

	@Test
	void readWhenInstantsHadNanosecondsThenGivesThemToTheMillisecond() {
		Instant precise = Instant.parse("2026-11-22T10:00:00.123456789Z");
		SessionAttributes.write(this.session, new SessionTimeline(precise, precise, precise), null);
		Instant millis = Instant.parse("2026-11-22T10:00:00.123Z");
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(millis, millis, millis));
	}

	@Test
	void readWhenNoLastActivityThenTheCreation() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(CREATED_AT, CREATED_AT, null));
	}

	@Test
	void readWhenCreationIsNotALongThenNull() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, (int) CREATED_AT.getEpochSecond());
		assertThat(SessionAttributes.read(this.session)).isNull();
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toString());
		assertThat(SessionAttributes.read(this.session)).isNull();
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT);
		assertThat(SessionAttributes.read(this.session)).isNull();
	}

	@Test
	void readWhenOtherInstantsAreNotLongsThenIgnoresThem() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toString());
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT);
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(CREATED_AT, CREATED_AT, null));
	}

	@Test
	void readWhenAttributesOfAStoredSessionThenSameAsFromTheSession() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		attributes.put(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toEpochMilli());
		attributes.put(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT.toEpochMilli());
		assertThat(SessionAttributes.read(attributes::get))
			.isEqualTo(new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT));
	}

	@Test
	void writeWhenNothingStoredThenWritesEveryPart() {
		SessionAccess session = mock(SessionAccess.class);
		SessionAttributes.write(session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), null);
		then(session).should().setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		then(session).should().setAttribute(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toEpochMilli());
		then(session).should().setAttribute(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT.toEpochMilli());
		then(session).shouldHaveNoMoreInteractions();
	}

	@Test
	void writeWhenOnlyTheActivityChangedThenWritesOnlyIt() {
		SessionAccess session = mock(SessionAccess.class);
		SessionTimeline stored = new SessionTimeline(CREATED_AT, AUTHENTICATED_AT, AUTHENTICATED_AT);
		SessionAttributes.write(session, stored.withActivityAt(ACTIVE_AT), stored);
		then(session).should().setAttribute(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toEpochMilli());
		then(session).shouldHaveNoMoreInteractions();
	}

	@Test
	void writeWhenOnlyTheAuthenticationChangedThenWritesOnlyIt() {
		SessionAccess session = mock(SessionAccess.class);
		SessionTimeline stored = new SessionTimeline(CREATED_AT, ACTIVE_AT, null);
		SessionAttributes.write(session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), stored);
		then(session).should().setAttribute(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT.toEpochMilli());
		then(session).shouldHaveNoMoreInteractions();
	}

	@Test
	void writeWhenNothingChangedThenWritesNothing() {
		SessionAccess session = mock(SessionAccess.class);
		SessionTimeline stored = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		SessionAttributes.write(session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), stored);
		then(session).shouldHaveNoInteractions();
	}

	@Test
	void policyWhenNoneStoredThenTheGlobalPolicy() {
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isSameAs(GLOBAL);
	}

	@Test
	void policyWhenStoredThenTheStoredPolicy() {
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
	}

	@Test
	void policyWhenStoredAboveTheCurrentLimitsThenLoweredToThem() {
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		Limits limits = new Limits(Duration.ofHours(2), Duration.ofMinutes(30), Duration.ofMinutes(45));
		assertThat(SessionAttributes.policy(this.session, settings(limits)))
			.isEqualTo(new SessionTimeoutPolicy("travellers", Duration.ofHours(2), Duration.ofMinutes(30),
					Duration.ofMinutes(45), Duration.ofMinutes(5), true));
	}

	@Test
	void policyWhenTheNodeConfiguresThePolicyShorterThenEachClockTakesTheShorterValue() {
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		SessionTimeoutSettings settings = settings(Limits.NONE);
		given(settings.configuredPolicy("travellers")).willReturn(new SessionTimeoutPolicy("travellers",
				Duration.ofHours(12), Duration.ofMinutes(20), Duration.ofHours(4), Duration.ofMinutes(10), false));
		assertThat(SessionAttributes.policy(this.session, settings)).isEqualTo(new SessionTimeoutPolicy("travellers",
				Duration.ofHours(8), Duration.ofMinutes(20), Duration.ofHours(4), Duration.ofMinutes(5), true));
	}

	@Test
	void policyWhenTheNodeConfiguresThePolicyLongerThenTheStoredPolicy() {
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		SessionTimeoutSettings settings = settings(Limits.NONE);
		given(settings.configuredPolicy("travellers")).willReturn(new SessionTimeoutPolicy("travellers",
				Duration.ofHours(24), Duration.ofHours(2), null, Duration.ofMinutes(30), false));
		assertThat(SessionAttributes.policy(this.session, settings)).isEqualTo(TRAVELLERS);
	}

	@Test
	void policyWhenStoredAtTheCurrentLimitsThenUnchanged() {
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		Limits limits = new Limits(Duration.ofHours(8), Duration.ofHours(1), null);
		assertThat(SessionAttributes.policy(this.session, settings(limits))).isEqualTo(TRAVELLERS);
	}

	@Test
	void policyWhenStoredValueIsNotAnEncodedPolicyThenTheGlobalPolicy() {
		this.session.setAttribute(SessionAttributes.POLICY, "travellers");
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isSameAs(GLOBAL);
		this.session.setAttribute(SessionAttributes.POLICY, TRAVELLERS);
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isSameAs(GLOBAL);
	}

	@Test
	void policyWhenAttributesOfAStoredSessionThenSameAsFromTheSession() {
		Map<String, Object> attributes = Map.of(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		assertThat(SessionAttributes.policy(attributes::get, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
	}

}
