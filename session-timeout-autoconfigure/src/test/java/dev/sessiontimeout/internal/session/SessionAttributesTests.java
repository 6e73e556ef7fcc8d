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
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettingsBuilder;
import dev.sessiontimeout.internal.policy.PolicyCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
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

	private static final SessionTimeoutPolicy TRAVELLERS = new SessionTimeoutPolicy("travellers", Duration.ofHours(8),
			Duration.ofHours(1), null, Duration.ofMinutes(5), true);

	private final MapSessionAccess session = new MapSessionAccess(CREATED_AT);

	private static SessionTimeoutSettings settings(Limits limits, ConfiguredPolicy... policies) {
		SessionTimeoutSettingsBuilder builder = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.privilegedMaxAge(Duration.ofMinutes(15))
			.limits(limits);
		for (ConfiguredPolicy policy : policies) {
			builder.policy(policy);
		}
		return builder.build();
	}

	private static ConfiguredPolicy travellers(Duration absolute, Duration idle, @Nullable Duration reauthentication,
			Duration privilegedMaxAge) {
		return new ConfiguredPolicy(0, "travellers", List.of("ROLE_TRAVELLER"), null, absolute, idle, reauthentication,
				privilegedMaxAge, false);
	}

	private static String text(Instant createdAt, Instant activeAt, @Nullable Instant authenticatedAt,
			@Nullable String policy) {
		return "3;" + createdAt.toEpochMilli() + ";" + activeAt.toEpochMilli() + ";"
				+ ((authenticatedAt != null) ? authenticatedAt.toEpochMilli() : "") + ";;;"
				+ ((policy != null) ? policy : "");
	}

	@Test
	void readWhenNothingWrittenThenNull() {
		assertThat(SessionAttributes.read(this.session)).isNull();
		assertThat(SessionAttributes.hasState(this.session)).isFalse();
	}

	@Test
	void readWhenWrittenThenSameTimeline() {
		SessionTimeline timeline = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		SessionAttributes.write(this.session, timeline, null);
		assertThat(SessionAttributes.read(this.session)).isEqualTo(timeline);
		assertThat(SessionAttributes.hasState(this.session)).isTrue();
	}

	@Test
	void writeWhenTimelineThenOneTextAttributeThatEveryStoreCanHold() {
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), null);
		assertThat(this.session.attributeNames()).containsExactly(SessionAttributes.STATE);
		assertThat(this.session.getAttribute(SessionAttributes.STATE))
			.isEqualTo(text(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT, null));
	}

	@Test
	void writeWhenATypicalSessionThenFarFewerBytesThanTheFormatOfVersion010() {
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), null);
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		String state = (String) this.session.getAttribute(SessionAttributes.STATE);
		assertThat(SessionAttributes.STATE.length() + state.length()).isLessThan(100);
	}

	@Test
	void readWhenWrittenWithoutAnAuthenticationThenNone() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
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
	void readWhenEachRequestGetsANewCopyOfTheTextThenTheSameTimeline() {
		SessionTimeline timeline = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		SessionAttributes.write(this.session, timeline, null);
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		String text = (String) this.session.getAttribute(SessionAttributes.STATE);
		for (int i = 0; i < 3; i++) {
			// As a store deserializes it for every request
			this.session.setAttribute(SessionAttributes.STATE, new String(text.toCharArray()));
			assertThat(SessionAttributes.read(this.session)).isEqualTo(timeline);
			assertThat(StoredState.of(this.session).policy()).isEqualTo(PolicyCodec.encode(TRAVELLERS));
		}
	}

	@Test
	void readWhenManySessionsInTurnThenEachItsOwnTimeline() {
		// More texts than the states read are kept for: some share a slot
		int sessions = 2000;
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < sessions; i++) {
				int n = (round == 0) ? i : sessions - 1 - i;
				Instant createdAt = CREATED_AT.plusMillis(n * 7919L);
				Instant activeAt = createdAt.plusMillis(n * 104729L);
				MapSessionAccess session = new MapSessionAccess(createdAt);
				SessionTimeline timeline = new SessionTimeline(createdAt, activeAt, (n % 2 == 0) ? createdAt : null);
				SessionAttributes.write(session, timeline, null);
				assertThat(SessionAttributes.read(session)).as("session %d", n).isEqualTo(timeline);
			}
		}
	}

	@Test
	void readWhenTheStateIsNotTextOfThisFormatThenUnreadableAndNothingIsTrusted() {
		for (Object garbage : List.of(42L, "", "2", "1;1;2;3;", "2;x;2;3;", "2;1;;3;", "2;1;2;3", "3;1;2;3;",
				"3;1;2;3;4;", "4;1;2;3;;;", "3;x;2;3;;;", "2;1;2;3;4;5", "2;99999999999999999999;2;;")) {
			this.session.setAttribute(SessionAttributes.STATE, garbage);
			this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
			SessionTimeline read = SessionAttributes.read(this.session);
			if (garbage.equals("2;1;2;3;4;5")) {
				assertThat(read).as("a policy may hold ';'").isNotNull();
			}
			else {
				assertThat(read).as("%s", garbage).isNull();
				assertThat(SessionAttributes.isUnreadable(this.session)).as("%s", garbage).isTrue();
				assertThat(SessionAttributes.hasState(this.session)).as("%s", garbage).isTrue();
			}
		}
	}

	@Test
	void hasStateWhenTextsAroundTheStateWithoutClocksThenWhatTheWholeStateTells() {
		for (String text : List.of("2;;;;", "2;;;", "20;;;;", ";;;;", "2;;;x;", "2;;;;;", "2;;;;a;b", "2;1;;;",
				"2;;1;;", "3;;;;;;", "3;;;;a;b;c", "3;;;;", "3;;;;;", "3;;;;4.7;;", "3;1;;;;;", "3;;;x;;;")) {
			for (boolean version010 : List.of(false, true)) {
				MapSessionAccess session = new MapSessionAccess(CREATED_AT);
				session.setAttribute(SessionAttributes.STATE, text);
				if (version010) {
					session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
				}
				StoredState read = StoredState.of(session);
				assertThat(SessionAttributes.hasState(session)).as("%s, version 0.1.0: %s", text, version010)
					.isEqualTo(read.timeline() != null || read.unreadable());
			}
		}
	}

	@Test
	void hasStateWhenAStateWithoutClocksAndClocksOfVersion010ThenTrue() {
		this.session.setAttribute(SessionAttributes.STATE, "2;;;;PT1H,PT10M,-,PT5M,0,administrators");
		assertThat(SessionAttributes.hasState(this.session)).isFalse();
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		assertThat(SessionAttributes.hasState(this.session)).isTrue();
	}

	@Test
	void isUnreadableWhenNoStateOrAReadableOneThenFalse() {
		assertThat(SessionAttributes.isUnreadable(this.session)).isFalse();
		this.session.setAttribute(SessionAttributes.STATE, "2;;;;");
		assertThat(SessionAttributes.isUnreadable(this.session)).isFalse();
		assertThat(SessionAttributes.hasState(this.session)).isFalse();
	}

	@Test
	void isUnreadableWhenAnAttributeOfVersion010IsNotEpochMillisecondsThenTrue() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, "garbled, of version 0.1.0");
		assertThat(SessionAttributes.isUnreadable(this.session)).isTrue();
		assertThat(SessionAttributes.hasState(this.session)).isTrue();
		this.session.setAttribute(SessionAttributes.STATE, "2;;;;");
		assertThat(SessionAttributes.isUnreadable(this.session)).as("beside a readable state").isTrue();
	}

	@Test
	void writeWhenNothingChangedThenWritesNothing() {
		SessionAccess session = mock(SessionAccess.class);
		SessionTimeline stored = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		given(session.getAttribute(SessionAttributes.STATE))
			.willReturn(text(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT, null));
		SessionAttributes.write(session, new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT), stored);
		then(session).should(never()).setAttribute(anyString(), any());
		then(session).should(never()).removeAttribute(anyString());
	}

	@Test
	void writeWhenTheActivityChangedThenRewritesTheStateKeepingThePolicy() {
		SessionTimeline stored = new SessionTimeline(CREATED_AT, AUTHENTICATED_AT, AUTHENTICATED_AT);
		SessionAttributes.write(this.session, stored, null);
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionAttributes.write(this.session, stored.withActivityAt(ACTIVE_AT), stored);
		assertThat(this.session.getAttribute(SessionAttributes.STATE))
			.isEqualTo(text(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT, PolicyCodec.encode(TRAVELLERS)));
	}

	@Test
	void writePolicyWhenNoTimelineYetThenTheTimelineWrittenNextKeepsIt() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		assertThat(SessionAttributes.read(this.session)).isNull();
		assertThat(StoredState.of(this.session).policy()).isNotNull();
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
		assertThat(SessionAttributes.read(this.session)).isEqualTo(SessionTimeline.startingAt(CREATED_AT));
	}

	@Test
	void readWhenTheFormatOfVersion010ThenSameTimelineAndPolicy() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("dev.sessiontimeout.createdAt", CREATED_AT.toEpochMilli());
		attributes.put("dev.sessiontimeout.lastActivityAt", ACTIVE_AT.toEpochMilli());
		attributes.put("dev.sessiontimeout.authenticatedAt", AUTHENTICATED_AT.toEpochMilli());
		attributes.put("dev.sessiontimeout.policy", "PT8H,PT1H,-,PT5M,1,travellers");
		assertThat(SessionAttributes.read(attributes::get))
			.isEqualTo(new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT));
		assertThat(SessionAttributes.policy(attributes::get, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
	}

	@Test
	void writeWhenTheFormatOfVersion010ThenMovesToTheCurrentFormat() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, AUTHENTICATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(TRAVELLERS));
		this.session.setAttribute("other", "kept");
		SessionTimeline stored = SessionAttributes.read(this.session);
		SessionAttributes.write(this.session, stored, stored);
		assertThat(this.session.attributeNames()).containsExactlyInAnyOrder("other", SessionAttributes.STATE);
		assertThat(this.session.getAttribute(SessionAttributes.STATE))
			.isEqualTo(text(CREATED_AT, AUTHENTICATED_AT, AUTHENTICATED_AT, PolicyCodec.encode(TRAVELLERS)));
	}

	@Test
	void readWhenASerializerGaveTheNumbersOfVersion010BackAsOtherTypesThenSameTimeline() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, (double) CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, BigInteger.valueOf(ACTIVE_AT.toEpochMilli()));
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, new BigDecimal(AUTHENTICATED_AT.toEpochMilli()));
		assertThat(SessionAttributes.read(this.session))
			.isEqualTo(new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT));
	}

	@Test
	void readWhenNoLastActivityInTheFormatOfVersion010ThenTheCreation() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(CREATED_AT, CREATED_AT, null));
	}

	@Test
	void readWhenCreationInTheFormatOfVersion010IsNotALongThenNull() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, (int) CREATED_AT.getEpochSecond());
		assertThat(SessionAttributes.read(this.session)).isNull();
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toString());
		assertThat(SessionAttributes.read(this.session)).isNull();
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT);
		assertThat(SessionAttributes.read(this.session)).isNull();
	}

	@Test
	void readWhenOtherInstantsInTheFormatOfVersion010AreNotLongsThenUnreadable() {
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toString());
		assertThat(SessionAttributes.read(this.session)).isNull();
		assertThat(SessionAttributes.isUnreadable(this.session)).isTrue();
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, ACTIVE_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, AUTHENTICATED_AT);
		assertThat(SessionAttributes.read(this.session)).isNull();
		assertThat(SessionAttributes.isUnreadable(this.session)).isTrue();
	}

	@Test
	void grantOfWhenTextOrALongOfVersion010ThenItsValue() {
		assertThat(SessionAttributes.grantOf("1764000000123")).isEqualTo(1_764_000_000_123L);
		assertThat(SessionAttributes.grantOf(1_764_000_000_123L)).isEqualTo(1_764_000_000_123L);
		assertThat(SessionAttributes.grantOf("1764000000123x")).isNull();
		assertThat(SessionAttributes.grantOf("")).isNull();
		assertThat(SessionAttributes.grantOf(null)).isNull();
		assertThat(SessionAttributes.grantOf(Boolean.TRUE)).isNull();
	}

	@Test
	void newGrantWhenTwoOfTheSameInstantThenEachHasANonceOfItsOwn() {
		String grant = SessionAttributes.newGrant(1_764_000_000_123L);
		String other = SessionAttributes.newGrant(1_764_000_000_123L);
		assertThat(grant).matches("1764000000123@[A-Za-z0-9_-]{8}").isNotEqualTo(other);
		assertThat(SessionAttributes.grantOf(grant)).isEqualTo(1_764_000_000_123L);
		assertThat(SessionAttributes.usableGrant(grant)).isEqualTo(grant);
	}

	@Test
	void usableGrantWhenWithoutANonceOrUnreadableThenNull() {
		assertThat(SessionAttributes.usableGrant("1764000000123")).isNull();
		assertThat(SessionAttributes.usableGrant(1_764_000_000_123L)).isNull();
		assertThat(SessionAttributes.usableGrant("1764000000123@abcdefg")).isNull();
		assertThat(SessionAttributes.usableGrant("1764000000123@abcdefghi")).isNull();
		assertThat(SessionAttributes.usableGrant("1764000000123@abcd efg")).isNull();
		assertThat(SessionAttributes.usableGrant("@abcdefgh")).isNull();
		assertThat(SessionAttributes.usableGrant("-1764000000123@abcdefgh")).isNull();
		assertThat(SessionAttributes.usableGrant("1764000000123@abcdéfgh")).isNull();
		assertThat(SessionAttributes.usableGrant(null)).isNull();
		assertThat(SessionAttributes.usableGrant("1764000000123@abcd-f_h")).isEqualTo("1764000000123@abcd-f_h");
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
	void policyWhenNoneStoredThenTheGlobalPolicy() {
		SessionTimeoutSettings settings = settings(Limits.NONE);
		assertThat(SessionAttributes.policy(this.session, settings)).isSameAs(settings.getDefaultPolicy());
	}

	@Test
	void policyWhenStoredThenTheStoredPolicy() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		assertThat(SessionAttributes.policy(this.session, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
	}

	@Test
	void policyWhenStoredAboveTheCurrentLimitsThenLoweredToThem() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		Limits limits = new Limits(Duration.ofHours(2), Duration.ofMinutes(30), Duration.ofMinutes(45));
		assertThat(SessionAttributes.policy(this.session, settings(limits)))
			.isEqualTo(new SessionTimeoutPolicy("travellers", Duration.ofHours(2), Duration.ofMinutes(30),
					Duration.ofMinutes(45), Duration.ofMinutes(5), true));
	}

	@Test
	void policyWhenTheNodeConfiguresThePolicyShorterThenEachClockTakesTheShorterValue() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionTimeoutSettings settings = settings(Limits.NONE,
				travellers(Duration.ofHours(12), Duration.ofMinutes(20), Duration.ofHours(4), Duration.ofMinutes(10)));
		assertThat(SessionAttributes.policy(this.session, settings)).isEqualTo(new SessionTimeoutPolicy("travellers",
				Duration.ofHours(8), Duration.ofMinutes(20), Duration.ofHours(4), Duration.ofMinutes(5), true));
	}

	@Test
	void policyWhenTheNodeConfiguresThePolicyLongerThenTheStoredPolicy() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionTimeoutSettings settings = settings(Limits.NONE,
				travellers(Duration.ofHours(24), Duration.ofHours(2), null, Duration.ofMinutes(30)));
		assertThat(SessionAttributes.policy(this.session, settings)).isEqualTo(TRAVELLERS);
	}

	@Test
	void policyWhenStoredAtTheCurrentLimitsThenUnchanged() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		Limits limits = new Limits(Duration.ofHours(8), Duration.ofHours(1), null);
		assertThat(SessionAttributes.policy(this.session, settings(limits))).isEqualTo(TRAVELLERS);
	}

	/**
	 * A stored policy's name is written as it is into log lines, events, metrics and the
	 * status endpoint: one that no configuration or override could give (a line break,
	 * written into the store by hand) forged log lines and metric tags.
	 */
	@Test
	void policyWhenTheStoredNameCannotNameAPolicyThenNotReadAsOne() {
		SessionTimeoutSettings settings = settings(Limits.NONE);
		for (String name : List.of("admins\n2026-12-05 INFO forged", "", "a b", "admins,x", "é")) {
			this.session.setAttribute(SessionAttributes.STATE, "3;;;;;;PT1H,PT10M,-,PT5M,0," + name);
			assertThat(SessionAttributes.policy(this.session, settings)).as("%s", name)
				.isSameAs(settings.getDefaultPolicy());
		}
		this.session.setAttribute(SessionAttributes.STATE, "3;;;;;;PT1H,PT10M,-,PT5M,0,unknown-to.this_node");
		assertThat(SessionAttributes.policy(this.session, settings).name()).isEqualTo("unknown-to.this_node");
		// What follows the policy is the fingerprint of the user whose login it is
		this.session.setAttribute(SessionAttributes.STATE, "3;;;;;;PT1H,PT10M,-,PT5M,0,admins;x");
		assertThat(SessionAttributes.policy(this.session, settings).name()).isEqualTo("admins");
		assertThat(StoredState.of(this.session).user()).isEqualTo("x");
	}

	@Test
	void policyWhenStoredValueIsNotAnEncodedPolicyThenTheGlobalPolicy() {
		SessionTimeoutSettings settings = settings(Limits.NONE);
		this.session.setAttribute(SessionAttributes.STATE, "2;;;;travellers");
		assertThat(SessionAttributes.policy(this.session, settings)).isSameAs(settings.getDefaultPolicy());
		assertThat(StoredState.of(this.session).policy()).isNotNull();
		this.session.setAttribute(SessionAttributes.STATE, TRAVELLERS);
		assertThat(SessionAttributes.policy(this.session, settings)).isSameAs(settings.getDefaultPolicy());
	}

	@Test
	void policyWhenReadTwiceThenDecodedOnce() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionTimeoutSettings settings = settings(Limits.NONE);
		assertThat(SessionAttributes.policy(this.session, settings))
			.isSameAs(SessionAttributes.policy(this.session, settings));
	}

	@Test
	void policyWhenAttributesOfAStoredSessionThenSameAsFromTheSession() {
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		Map<String, Object> attributes = Map.of(SessionAttributes.STATE,
				this.session.getAttribute(SessionAttributes.STATE));
		assertThat(SessionAttributes.policy(attributes::get, settings(Limits.NONE))).isEqualTo(TRAVELLERS);
	}

	@Test
	void readWhenTheTextOfFormat2ThenItsClocksAndPolicyWithoutTheSignInsDetails() {
		this.session.setAttribute(SessionAttributes.STATE, "2;" + CREATED_AT.toEpochMilli() + ";"
				+ ACTIVE_AT.toEpochMilli() + ";" + AUTHENTICATED_AT.toEpochMilli() + ";PT1H,PT10M,-,PT5M,0,travellers");
		assertThat(SessionAttributes.read(this.session))
			.isEqualTo(new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT));
		assertThat(StoredState.of(this.session).policy()).isEqualTo("PT1H,PT10M,-,PT5M,0,travellers");
		assertThat(SessionAttributes.device(this.session)).isNull();
		assertThat(SessionAttributes.address(this.session)).isNull();
	}

	@Test
	void recordSignInWhenClocksAndPolicyHeldThenTheSameOneAttributeHoldsTheDetailsToo() {
		SessionTimeline timeline = new SessionTimeline(CREATED_AT, ACTIVE_AT, AUTHENTICATED_AT);
		SessionAttributes.write(this.session, timeline, null);
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionAttributes.recordSignIn(this.session, "4.7", "2001:db8::1");
		assertThat(this.session.attributeNames()).containsExactly(SessionAttributes.STATE);
		assertThat(this.session.getAttribute(SessionAttributes.STATE))
			.isEqualTo("3;" + CREATED_AT.toEpochMilli() + ";" + ACTIVE_AT.toEpochMilli() + ";"
					+ AUTHENTICATED_AT.toEpochMilli() + ";4.7;2001:db8::1;" + PolicyCodec.encode(TRAVELLERS));
		assertThat(SessionAttributes.read(this.session)).isEqualTo(timeline);
		assertThat(SessionAttributes.device(this.session)).isEqualTo("4.7");
		assertThat(SessionAttributes.address(this.session)).isEqualTo("2001:db8::1");
		SessionAttributes.write(this.session, timeline.withActivityAt(ACTIVE_AT.plusSeconds(60), Duration.ZERO),
				timeline);
		assertThat(SessionAttributes.device(this.session)).as("kept as the clocks move").isEqualTo("4.7");
		assertThat(SessionAttributes.address(this.session)).isEqualTo("2001:db8::1");
		assertThat(StoredState.of(this.session).policy()).isEqualTo(PolicyCodec.encode(TRAVELLERS));
	}

	@Test
	void recordSignInWhenOnlyTheDeviceThenNoAddress() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		SessionAttributes.recordSignIn(this.session, "1.9", null);
		assertThat(SessionAttributes.device(this.session)).isEqualTo("1.9");
		assertThat(SessionAttributes.address(this.session)).isNull();
		assertThat(SessionAttributes.read(this.session)).isEqualTo(SessionTimeline.startingAt(CREATED_AT));
	}

	@Test
	void recordSignInWhenAValueHoldsTheSeparatorThenNotRecordedAndTheStateStaysReadable() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		SessionAttributes.writePolicy(this.session, TRAVELLERS);
		SessionAttributes.recordSignIn(this.session, "1;2", "10.0.0.1;x");
		assertThat(SessionAttributes.device(this.session)).isNull();
		assertThat(SessionAttributes.address(this.session)).isNull();
		assertThat(SessionAttributes.read(this.session)).isEqualTo(SessionTimeline.startingAt(CREATED_AT));
		assertThat(StoredState.of(this.session).policy()).isEqualTo(PolicyCodec.encode(TRAVELLERS));
	}

	@Test
	void recordSignInWhenTheStateIsUnreadableThenLeavesItUnreadable() {
		this.session.setAttribute(SessionAttributes.STATE, "2;x;2;3;");
		SessionAttributes.recordSignIn(this.session, "4.7", null);
		assertThat(this.session.getAttribute(SessionAttributes.STATE)).isEqualTo("2;x;2;3;");
		assertThat(SessionAttributes.isUnreadable(this.session)).isTrue();
	}

	@Test
	void deviceAndAddressWhenAttributesOfTheirOwnFromBeforeFormat3ThenReadAndMovedAtTheNextSignIn() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		this.session.setAttribute(SessionAttributes.DEVICE, "2.3");
		this.session.setAttribute(SessionAttributes.ADDRESS, "192.0.2.7");
		assertThat(SessionAttributes.device(this.session)).isEqualTo("2.3");
		assertThat(SessionAttributes.address(this.session)).isEqualTo("192.0.2.7");
		SessionAttributes.recordSignIn(this.session, "4.7", null);
		assertThat(this.session.attributeNames()).containsExactly(SessionAttributes.STATE);
		assertThat(SessionAttributes.device(this.session)).isEqualTo("4.7");
		assertThat(SessionAttributes.address(this.session)).isNull();
	}

}
