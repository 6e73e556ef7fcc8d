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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.PolicyCodec;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for how {@link SessionClocks} treats the state a session holds: unreadable,
 * missing, or in both formats at once.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionClocksStateTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final SessionTimeoutPolicy ADMINISTRATORS = new SessionTimeoutPolicy("administrators",
			Duration.ofHours(1), Duration.ofMinutes(10), null, Duration.ofMinutes(5));

	private static final SessionTimeoutPolicy AUDITORS = new SessionTimeoutPolicy("auditors", Duration.ofHours(2),
			Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(15));

	private final SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
		.absolute(Duration.ofHours(2))
		.idle(Duration.ofMinutes(30))
		.build();

	private final List<Object> events = new ArrayList<>();

	private final MapSessionAccess session = new MapSessionAccess(CREATED_AT);

	private SessionClocks clocksAt(Instant now) {
		return new SessionClocks(this.settings, Clock.fixed(now, ZoneOffset.UTC), this.events::add);
	}

	@Test
	void decideWhenTheStateIsUnreadableThenEndsTheSessionAsInvalid() {
		for (Object unreadable : List.of("2;" + CREATED_AT.toEpochMilli() + ";" + CREATED_AT.toEpochMilli() + ";x;",
				"3;1;2;3;", "garbage", 42L)) {
			MapSessionAccess session = new MapSessionAccess(CREATED_AT);
			session.setAttribute(SessionAttributes.STATE, unreadable);
			SessionDecision decision = clocksAt(CREATED_AT.plus(Duration.ofMinutes(30))).decide(session,
					TestRequest.signedIn(ADMINISTRATORS));
			assertThat(decision.reason()).as("%s", unreadable).isEqualTo(ExpiryReason.INVALID);
			assertThat(session.isInvalid()).isTrue();
		}
		assertThat(this.events).hasSize(4)
			.allSatisfy((event) -> assertThat(((SessionEndedEvent) event).getReason()).isEqualTo(ExpiryReason.INVALID));
	}

	/**
	 * Version 0.1.0 wrote its clocks as epoch milliseconds ({@code Long}). Any other
	 * value under one of its names is not its clocks: the session was adopted from the
	 * store's creation time with its activity "now" (its readable last activity, 45
	 * minutes ago, past the 10 minutes of idle, ignored) and served.
	 */
	@Test
	void decideWhenAnAttributeOfVersion010IsUnreadableThenEndsTheSessionAsInvalid() {
		long createdAt = CREATED_AT.toEpochMilli();
		long activeAt = CREATED_AT.plus(Duration.ofMinutes(5)).toEpochMilli();
		List<String> names = List.of(SessionAttributes.CREATED_AT, SessionAttributes.LAST_ACTIVITY_AT,
				SessionAttributes.AUTHENTICATED_AT);
		List<Object> unreadables = List.of("garbage", 42, String.valueOf(createdAt), CREATED_AT, 1.5e300);
		int ended = 0;
		for (String name : names) {
			for (Object unreadable : unreadables) {
				for (boolean withCurrentState : List.of(false, true)) {
					MapSessionAccess session = new MapSessionAccess(CREATED_AT);
					if (withCurrentState) {
						SessionAttributes.write(session, SessionTimeline.startingAt(CREATED_AT), null);
					}
					session.setAttribute(SessionAttributes.CREATED_AT, createdAt);
					session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, activeAt);
					session.setAttribute(SessionAttributes.AUTHENTICATED_AT, createdAt);
					session.setAttribute(name, unreadable);
					SessionDecision decision = clocksAt(CREATED_AT.plus(Duration.ofMinutes(8))).decide(session,
							TestRequest.signedIn(ADMINISTRATORS));
					assertThat(decision.reason()).as("%s=%s, current state too: %s", name, unreadable, withCurrentState)
						.isEqualTo(ExpiryReason.INVALID);
					assertThat(session.isInvalid()).isTrue();
					ended++;
				}
			}
		}
		assertThat(this.events).hasSize(ended)
			.allSatisfy((event) -> assertThat(((SessionEndedEvent) event).getReason()).isEqualTo(ExpiryReason.INVALID));
		MapSessionAccess readable = new MapSessionAccess(CREATED_AT);
		readable.setAttribute(SessionAttributes.CREATED_AT, createdAt);
		readable.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, activeAt);
		readable.setAttribute(SessionAttributes.AUTHENTICATED_AT, createdAt);
		assertThat(
				clocksAt(CREATED_AT.plus(Duration.ofMinutes(8))).decide(readable, TestRequest.signedIn(ADMINISTRATORS))
					.reason())
			.as("the same clocks, readable, within the idle timeout")
			.isNull();
	}

	/**
	 * An authentication instant further ahead of this node's clock than the clock-skew
	 * tolerance (written by a node whose clock runs a day ahead, or by anyone who can
	 * write the store) was trusted as "now plus the tolerance" on every request: the
	 * re-authentication deadline and the privileged age moved along with the clock and
	 * never came while the written instant stayed ahead.
	 */
	@Test
	void decideWhenTheAuthenticationIsFurtherAheadThanTheToleranceThenItIsUnknownNeverPrivilegedAndReauthenticationIsDue() {
		Instant aheadAt = CREATED_AT.plus(Duration.ofDays(1));
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, CREATED_AT, aheadAt), null);
		SessionAttributes.writePolicy(this.session, AUDITORS);
		Instant now = CREATED_AT.plus(Duration.ofMinutes(1));
		assertThat(clocksAt(now).isPrivileged(this.session, Duration.ofMinutes(15), TestRequest.signedIn(AUDITORS)))
			.as("an authentication in the future is no recent one")
			.isFalse();
		assertThat(clocksAt(now).state(this.session).deadlines().reauthenticateAt()).isNull();
		SessionDecision decision = clocksAt(now).decide(this.session, TestRequest.signedIn(AUDITORS));
		assertThat(decision.reason()).as("an unknown authentication time").isEqualTo(ExpiryReason.REAUTHENTICATION);
		SessionTimeline written = SessionAttributes.read(this.session);
		assertThat(written).isNotNull();
		assertThat(written.authenticatedAt()).as("kept as written: grants compare it").isEqualTo(aheadAt);
	}

	/**
	 * An authentication ahead of this node's clock by no more than the tolerance is
	 * trusted as written.
	 */
	@Test
	void decideWhenTheAuthenticationIsAheadWithinTheToleranceThenTrustedAsWritten() {
		Instant aheadAt = CREATED_AT.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, CREATED_AT, aheadAt), null);
		SessionAttributes.writePolicy(this.session, AUDITORS);
		assertThat(
				clocksAt(CREATED_AT).isPrivileged(this.session, Duration.ofMinutes(15), TestRequest.signedIn(AUDITORS)))
			.isTrue();
		SessionDecision decision = clocksAt(CREATED_AT).decide(this.session, TestRequest.signedIn(AUDITORS));
		assertThat(decision.reason()).isNull();
		assertThat(decision.state().deadlines().reauthenticateAt()).isEqualTo(aheadAt.plus(Duration.ofMinutes(45)));
	}

	@Test
	void decideWhenAChallengeMeetsASessionWithoutStateThenItsClocksCountFromItsCreation() {
		Instant now = CREATED_AT.plus(Duration.ofMinutes(110));
		SessionDecision decision = clocksAt(now).decide(this.session, TestRequest.signedIn(AUDITORS));
		assertThat(decision.reason()).as("an unknown authentication time").isEqualTo(ExpiryReason.REAUTHENTICATION);
		assertThat(SessionAttributes.read(this.session)).isEqualTo(SessionTimeline.adopting(CREATED_AT, now));
		assertThat(SessionAttributes.hasState(this.session)).as("nothing starts the clocks again").isTrue();
		assertThat(clocksAt(CREATED_AT.plus(Duration.ofHours(2))).decide(this.session, TestRequest.signedIn(AUDITORS))
			.reason()).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void decideWhenANodeOfVersion010WroteAfterTheMoveThenTheStricterOfBothApplies() {
		Instant loginAt = CREATED_AT;
		SessionAttributes.write(this.session, new SessionTimeline(CREATED_AT, loginAt, loginAt), null);
		SessionAttributes.writePolicy(this.session, this.settings.getDefaultPolicy());
		Instant oldNodeAt = CREATED_AT.plus(Duration.ofMinutes(20));
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		this.session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, oldNodeAt.toEpochMilli());
		this.session.setAttribute(SessionAttributes.AUTHENTICATED_AT, oldNodeAt.toEpochMilli());
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(ADMINISTRATORS));
		SessionTimeoutPolicy policy = SessionAttributes.policy(this.session, this.settings);
		assertThat(policy.absolute()).isEqualTo(Duration.ofHours(1));
		assertThat(policy.idle()).isEqualTo(Duration.ofMinutes(10));
		assertThat(SessionAttributes.read(this.session)).isEqualTo(new SessionTimeline(CREATED_AT, loginAt, loginAt));
		SessionDecision decision = clocksAt(CREATED_AT.plus(Duration.ofMinutes(25))).decide(this.session,
				TestRequest.signedIn(ADMINISTRATORS));
		assertThat(decision.reason()).as("idle 10m from the earlier activity").isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void decideWhenBothFormatsAreHeldAndThePassiveRequestChangesNoInstantThenTheStateIsStillMovedToOneAttribute() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
		SessionDecision decision = clocksAt(CREATED_AT.plus(Duration.ofMinutes(5))).decide(this.session,
				TestRequest.anonymous().asPassive());
		assertThat(decision.reason()).isNull();
		assertThat(SessionAttributes.read(this.session)).isEqualTo(SessionTimeline.startingAt(CREATED_AT));
		assertThat(this.session.attributeNames()).containsExactly(SessionAttributes.STATE);
	}

	@Test
	void decideWhenServedThenTheDecisionCarriesTheAuthenticationInstantTheSessionHolds() {
		Instant now = CREATED_AT.plus(Duration.ofMinutes(5));
		Instant ahead = now.plus(Duration.ofMinutes(3));
		Map<String, Consumer<MapSessionAccess>> states = new LinkedHashMap<>();
		states.put("no state (adopted)", (session) -> {
		});
		states.put("authenticated", (session) -> SessionAttributes.write(session,
				new SessionTimeline(CREATED_AT, CREATED_AT, CREATED_AT.plusSeconds(30)), null));
		states.put("authenticated on a node whose clock runs ahead",
				(session) -> SessionAttributes.write(session, new SessionTimeline(CREATED_AT, ahead, ahead), null));
		states.put("both formats", (session) -> {
			SessionAttributes.write(session, new SessionTimeline(CREATED_AT, CREATED_AT, CREATED_AT.plusSeconds(90)),
					null);
			session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
			session.setAttribute(SessionAttributes.AUTHENTICATED_AT, CREATED_AT.plusSeconds(60).toEpochMilli());
		});
		states.put("format of version 0.1.0 only", (session) -> {
			session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.toEpochMilli());
			session.setAttribute(SessionAttributes.AUTHENTICATED_AT, CREATED_AT.plusSeconds(60).toEpochMilli());
		});
		states.forEach((name, state) -> {
			for (TestRequest request : List.of(TestRequest.anonymous(), TestRequest.signedIn(ADMINISTRATORS),
					TestRequest.signedIn(ADMINISTRATORS).asPassive())) {
				MapSessionAccess session = new MapSessionAccess(CREATED_AT);
				state.accept(session);
				SessionDecision decision = clocksAt(now).decide(session, request);
				assertThat(decision.reason()).as("%s, %s", name, request).isNull();
				assertThat(decision.writtenAuthenticatedAt()).as("%s, %s", name, request)
					.isEqualTo(SessionAttributes.read(session).authenticatedAt());
			}
		});
	}

	@Test
	void decideWhenBothFormatsAreHeldThenTheNextWriteKeepsOnlyTheStricterState() {
		SessionAttributes.write(this.session, SessionTimeline.startingAt(CREATED_AT), null);
		this.session.setAttribute(SessionAttributes.CREATED_AT, CREATED_AT.minusSeconds(60).toEpochMilli());
		this.session.setAttribute(SessionAttributes.POLICY, PolicyCodec.encode(ADMINISTRATORS));
		SessionDecision decision = clocksAt(CREATED_AT.plus(Duration.ofMinutes(5))).decide(this.session,
				TestRequest.signedIn(ADMINISTRATORS));
		assertThat(decision.reason()).isNull();
		assertThat(this.session.attributeNames()).containsExactly(SessionAttributes.STATE);
		assertThat(SessionAttributes.read(this.session).createdAt()).isEqualTo(CREATED_AT.minusSeconds(60));
		assertThat(SessionAttributes.policy(this.session, this.settings).idle()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void recordAuthenticationThenIndexesTheSessionForItsUserUntilItsAbsoluteDeadlineAndGrace() {
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setUserSessionIndex(index);
		clocks.setPrincipalResolver((session) -> "auditor");
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		Instant until = CREATED_AT.plus(Duration.ofHours(2))
			.plus(SessionTimeoutSettings.DEFAULT_STORE_GRACE)
			.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		assertThat(index.sessions("auditor", until.minusMillis(1))).containsOnlyKeys(this.session.getId());
		assertThat(index.sessions("auditor", until)).isEmpty();
	}

	/**
	 * A login wrote the one attribute of state three times: the clocks, the policy, then
	 * the fingerprint of its user.
	 */
	@Test
	void recordAuthenticationThenWritesTheStateOnceWithTheClocksThePolicyAndTheUser() {
		AtomicReference<String> user = new AtomicReference<>("auditor");
		List<Object> written = new ArrayList<>();
		SessionAccess counted = new SessionAccess() {

			@Override
			public @Nullable Object getAttribute(String name) {
				return SessionClocksStateTests.this.session.getAttribute(name);
			}

			@Override
			public String getId() {
				return SessionClocksStateTests.this.session.getId();
			}

			@Override
			public Instant getCreationTime() {
				return SessionClocksStateTests.this.session.getCreationTime();
			}

			@Override
			public void setAttribute(String name, Object value) {
				if (name.equals(SessionAttributes.STATE)) {
					written.add(value);
				}
				SessionClocksStateTests.this.session.setAttribute(name, value);
			}

			@Override
			public void removeAttribute(String name) {
				SessionClocksStateTests.this.session.removeAttribute(name);
			}

			@Override
			public int getMaxInactiveInterval() {
				return SessionClocksStateTests.this.session.getMaxInactiveInterval();
			}

			@Override
			public void setMaxInactiveInterval(int seconds) {
				SessionClocksStateTests.this.session.setMaxInactiveInterval(seconds);
			}

			@Override
			public void invalidate() {
				SessionClocksStateTests.this.session.invalidate();
			}

		};
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		Instant signedInAt = CREATED_AT.plus(Duration.ofMinutes(1));
		SessionClocks later = clocksAt(signedInAt);
		later.setPrincipalResolver((session) -> user.get());
		later.recordAuthentication(counted, null, AUDITORS);
		assertThat(written).as("one write per login").hasSize(1);
		StoredState state = StoredState.of(this.session);
		assertThat(state.timeline()).isEqualTo(new SessionTimeline(CREATED_AT, signedInAt, signedInAt));
		assertThat(state.policy()).isEqualTo(PolicyCodec.encode(AUDITORS));
		assertThat(state.user()).isEqualTo(UserFingerprint.of(null, "auditor"));
		written.clear();
		user.set("admin");
		later.recordAuthentication(counted, null, ADMINISTRATORS);
		assertThat(written).as("another user's login").hasSize(1);
		state = StoredState.of(this.session);
		assertThat(state.policy()).isEqualTo(PolicyCodec.encode(ADMINISTRATORS));
		assertThat(state.user()).isEqualTo(UserFingerprint.of(null, "admin"));
	}

	/**
	 * A user that the application signs into a session that holds another user's login (a
	 * sign-up that saves its security context, without an authentication the starter
	 * records) inherited that login's authentication time and policy: privileged for the
	 * previous user's privileged age.
	 */
	@Test
	void decideWhenAnotherUserThanTheOneWhoseLoginTheStateRecordedIsSignedInThenItIsALoginThatRecordedNoTime() {
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();
		AtomicReference<String> user = new AtomicReference<>("auditor");
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		Instant now = CREATED_AT.plus(Duration.ofMinutes(1));
		SessionClocks later = clocksAt(now);
		later.setUserSessionIndex(index);
		later.setPrincipalResolver((session) -> user.get());
		assertThat(later.isPrivileged(this.session, Duration.ofMinutes(15), TestRequest.signedIn(AUDITORS))).isTrue();
		user.set("newcomer");
		SessionDecision decision = later.decide(this.session, TestRequest.signedIn(ADMINISTRATORS));
		assertThat(decision.reason()).isNull();
		SessionState state = decision.state();
		assertThat(state).isNotNull();
		assertThat(state.policy().name()).as("the policy of the newcomer's authentication").isEqualTo("administrators");
		assertThat(state.timeline().authenticatedAt()).as("a login that recorded no time").isNull();
		assertThat(state.timeline().createdAt()).isEqualTo(CREATED_AT);
		assertThat(later.isPrivileged(this.session, Duration.ofMinutes(5), TestRequest.signedIn(ADMINISTRATORS)))
			.isFalse();
		assertThat(later.policy(this.session).name()).isEqualTo("administrators");
		assertThat(index.sessions("newcomer", now)).containsOnlyKeys(this.session.getId());
		assertThat(
				later.decide(this.session, TestRequest.signedIn(ADMINISTRATORS)).state().timeline().authenticatedAt())
			.as("the newcomer's from now on")
			.isNull();
	}

	/**
	 * A user that the application signs into an anonymous session (no login the clocks
	 * record) gets the policy of that user's authentication as the request that signed
	 * the user in ends, not at the session's next request: indexed, holding it, and the
	 * store's expiry aimed by it (idle 2h), not by the global policy (idle 30m), which
	 * would drop the session before a next request that its policy serves. A session
	 * without a user, or that holds its user's policy, is left as it is.
	 */
	@Test
	void followSignInWhenAUserIsSignedInWithoutALoginThenTheSessionFollowsThePolicyOfItsAuthenticationAtOnce() {
		SessionTimeoutPolicy longer = new SessionTimeoutPolicy("longer", Duration.ofHours(8), Duration.ofHours(2), null,
				null);
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();
		AtomicReference<@Nullable String> user = new AtomicReference<>();
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		Instant now = CREATED_AT.plus(Duration.ofMinutes(10));
		SessionClocks later = clocksAt(now);
		later.setUserSessionIndex(index);
		later.setPrincipalResolver((session) -> user.get());
		assertThat(later.followSignIn(this.session, TestRequest.anonymous())).as("no user").isNull();
		assertThat(this.session.getMaxInactiveInterval()).as("idle 30m, the grace, less a second").isEqualTo(1859);
		user.set("newcomer");
		SessionState state = later.followSignIn(this.session, TestRequest.signedIn(longer));
		assertThat(state).isNotNull();
		assertThat(state.policy().name()).isEqualTo("longer");
		assertThat(later.policy(this.session).name()).isEqualTo("longer");
		assertThat(later.knowsPolicy(this.session)).isTrue();
		// Idle 2h from the last activity, at the creation, the grace, less a second
		assertThat(this.session.getMaxInactiveInterval()).isEqualTo(110 * 60 + 59);
		assertThat(index.sessions("newcomer", now)).containsOnlyKeys(this.session.getId());
		assertThat(later.followSignIn(this.session, TestRequest.signedIn(ADMINISTRATORS))).as("holds its policy")
			.isNull();
		assertThat(later.policy(this.session).name()).isEqualTo("longer");
	}

	/**
	 * A session revoked while the request that signs its user in ran (a back-channel
	 * logout, a {@code revokeAll}) is kept by the store as its revocation aimed it: the
	 * next decision ends it, and the policy of the new user does not keep it longer.
	 */
	@Test
	void followSignInWhenTheSessionWasRevokedMeanwhileThenItsStoreExpiryIsLeftAsTheRevocationAimedIt() {
		AtomicReference<@Nullable String> user = new AtomicReference<>();
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		this.session.setAttribute(SessionAttributes.REVOKED_AT, CREATED_AT.toEpochMilli());
		this.session.setMaxInactiveInterval(60);
		user.set("newcomer");
		assertThat(clocks.followSignIn(this.session, TestRequest.signedIn(ADMINISTRATORS))).isNull();
		assertThat(this.session.getMaxInactiveInterval()).as("as the revocation aimed it").isEqualTo(60);
	}

	/**
	 * The login of another user than the one whose login the state recorded, which the
	 * application signed in itself, is followed as the next decision would follow it: a
	 * login that recorded no time, under the policy of its authentication (idle 10m),
	 * which the store's expiry follows too, and which the next decision keeps.
	 */
	@Test
	void followSignInWhenAnotherUserThanTheOneWhoseLoginTheStateRecordedIsSignedInThenItIsALoginThatRecordedNoTime() {
		AtomicReference<String> user = new AtomicReference<>("auditor");
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		assertThat(clocks.followSignIn(this.session, TestRequest.signedIn(ADMINISTRATORS)))
			.as("the auditor's recorded login")
			.isNull();
		user.set("newcomer");
		SessionState state = clocks.followSignIn(this.session, TestRequest.signedIn(ADMINISTRATORS));
		assertThat(state).isNotNull();
		assertThat(state.policy().name()).isEqualTo("administrators");
		assertThat(state.timeline().authenticatedAt()).as("a login that recorded no time").isNull();
		assertThat(this.session.getMaxInactiveInterval()).as("idle 10m, the grace, less a second").isEqualTo(659);
		assertThat(clocks.isPrivileged(this.session, Duration.ofMinutes(5), TestRequest.signedIn(ADMINISTRATORS)))
			.isFalse();
		SessionDecision decision = clocks.decide(this.session, TestRequest.signedIn(AUDITORS));
		assertThat(decision.state()).isNotNull();
		assertThat(decision.state().policy().name()).as("the next decision's").isEqualTo("administrators");
	}

	/**
	 * A user that the application signs into a session in place of a challenged one (a
	 * sign-up) left that user's pending challenge in the session: the previous user, back
	 * in the session (signed in by the application again, or logging in), still had to
	 * meet it, and a login of an identity provider's single sign-on from after the
	 * challenge met it: announced as a step-up, and given the one operation of a maximum
	 * age of zero that such a login never gets.
	 */
	@Test
	void decideWhenAnotherUserIsSignedInThenThePreviousUsersPendingChallengeIsMetByNothingLater() {
		SessionTimeoutPolicy oneUse = new SessionTimeoutPolicy("one-use", Duration.ofHours(2), Duration.ofMinutes(30),
				null, Duration.ZERO);
		AtomicReference<String> user = new AtomicReference<>("auditor");
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, oneUse);
		Instant challengedAt = CREATED_AT.plus(Duration.ofMinutes(1));
		SessionClocks challenging = clocksAt(challengedAt);
		challenging.setPrincipalResolver((session) -> user.get());
		challenging.recordChallenge(this.session, ExpiryReason.PRIVILEGED, Duration.ZERO);
		assertThat(challenging.challengeToMeet(this.session, challengedAt)).isNotNull();
		user.set("newcomer");
		Instant now = CREATED_AT.plus(Duration.ofMinutes(3));
		SessionClocks later = clocksAt(now);
		later.setPrincipalResolver((session) -> user.get());
		assertThat(later.decide(this.session, TestRequest.signedIn(oneUse)).reason()).isNull();
		user.set("auditor");
		assertThat(later.challengeToMeet(this.session, now)).as("a challenge of a login that the newcomer's ended")
			.isNull();
		// The auditor logs in with an identity provider's single sign-on from before this
		// login, after the challenge
		later.recordAuthentication(this.session, challengedAt.plus(Duration.ofMinutes(1)), oneUse);
		assertThat(this.events).as("no step-up").noneMatch(SessionStepUpEvent.class::isInstance);
		assertThat(later.isPrivileged(this.session, Duration.ZERO, TestRequest.signedIn(oneUse)))
			.as("an older single sign-on gets no operation of a maximum age of zero")
			.isFalse();
	}

	/**
	 * The decision that turns another user's login into one of the session's user logged
	 * two warnings: that one, and that the session held no policy.
	 */
	@Test
	void decideWhenAnotherUserThanTheOneWhoseLoginTheStateRecordedIsSignedInThenOneWarningSaysSo(
			CapturedOutput output) {
		AtomicReference<String> user = new AtomicReference<>("auditor");
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		MapSessionAccess withoutPolicy = new MapSessionAccess(CREATED_AT);
		clocks.start(withoutPolicy);
		clocks.recordAuthentication(withoutPolicy, null, AUDITORS);
		user.set("newcomer");
		assertThat(clocks.decide(this.session, TestRequest.signedIn(ADMINISTRATORS)).reason()).isNull();
		assertThat(clocks.decide(this.session, TestRequest.signedIn(ADMINISTRATORS)).reason()).isNull();
		assertThat(logLines(output, this.session)).singleElement(InstanceOfAssertFactories.STRING)
			.contains("WARN", " of newcomer held the clocks of another user's login",
					"without an InteractiveAuthenticationSuccessEvent", "counts as a login that recorded no time",
					"follows policy administrators of its authentication");
		// A request whose authentication gives no policy
		assertThat(clocks.decide(withoutPolicy, new TestRequest(true, null, false)).reason()).isNull();
		assertThat(logLines(output, withoutPolicy)).singleElement(InstanceOfAssertFactories.STRING)
			.contains("WARN", " of newcomer held the clocks of another user's login",
					"counts as a login that recorded no time");
	}

	private static List<String> logLines(CapturedOutput output, SessionAccess session) {
		String subject = "Session " + SessionIds.hash(session.getId()) + " ";
		return output.getOut().lines().filter((line) -> line.contains(subject)).toList();
	}

	/**
	 * A session without a readable policy of its user took the global policy's privileged
	 * age: with the global one disabled, every privileged operation was granted.
	 */
	@Test
	void privilegedMaxAgeWhenASessionHoldsNoPolicyOfItsUserThenNeverALooserOneThanTheGlobalOne() {
		SessionTimeoutSettings open = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.privilegedMaxAge(dev.sessiontimeout.internal.policy.SessionDurations.DISABLED)
			.build();
		assertThat(open.getDefaultPolicy().privilegedMaxAge()).isNull();
		AtomicReference<String> user = new AtomicReference<>("auditor");
		SessionClocks clocks = new SessionClocks(open, Clock.fixed(CREATED_AT, ZoneOffset.UTC), this.events::add);
		clocks.setPrincipalResolver((session) -> user.get());
		clocks.start(this.session);
		assertThat(clocks.privilegedMaxAge(this.session)).as("no policy").isEqualTo(Duration.ZERO);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		assertThat(clocks.privilegedMaxAge(this.session)).isEqualTo(Duration.ofMinutes(15));
		user.set("newcomer");
		assertThat(clocks.privilegedMaxAge(this.session)).as("another user's policy").isEqualTo(Duration.ZERO);
		MapSessionAccess garbled = new MapSessionAccess(CREATED_AT);
		SessionAttributes.write(garbled, SessionTimeline.startingAt(CREATED_AT), null);
		garbled.setAttribute(SessionAttributes.STATE, garbled.getAttribute(SessionAttributes.STATE) + "garbled");
		assertThat(clocks.privilegedMaxAge(garbled)).as("an unreadable policy").isEqualTo(Duration.ZERO);
		assertThat(clocksAt(CREATED_AT).privilegedMaxAge(garbled)).as("the global one where enabled")
			.isEqualTo(this.settings.getDefaultPolicy().privilegedMaxAge());
	}

	@Test
	void decideWhenTheUserWhoseLoginTheStateRecordedSwitchedToAnotherThenTheSessionKeepsItsClocks() {
		AtomicReference<String> user = new AtomicReference<>("admin");
		List<String> switchedFrom = new ArrayList<>();
		SessionPrincipalResolver resolver = new SessionPrincipalResolver() {

			@Override
			public String resolve(SessionAttributeSource session) {
				return user.get();
			}

			@Override
			public List<String> switchedFrom(SessionAttributeSource session) {
				return switchedFrom;
			}

		};
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver(resolver);
		clocks.start(this.session);
		clocks.recordAuthentication(this.session, null, AUDITORS);
		user.set("customer");
		switchedFrom.add("admin");
		SessionClocks later = clocksAt(CREATED_AT.plus(Duration.ofMinutes(1)));
		later.setPrincipalResolver(resolver);
		SessionDecision decision = later.decide(this.session, TestRequest.signedIn(ADMINISTRATORS));
		assertThat(decision.reason()).isNull();
		assertThat(decision.state().policy().name()).isEqualTo("auditors");
		assertThat(decision.state().timeline().authenticatedAt()).isEqualTo(CREATED_AT);
	}

	@Test
	void decideWhenASignedInSessionHoldsNoPolicyThenIndexesItForItsUserOnce() {
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();
		Instant now = CREATED_AT.plus(Duration.ofMinutes(10));
		SessionClocks clocks = clocksAt(now);
		clocks.setUserSessionIndex(index);
		clocks.setPrincipalResolver((session) -> "admin");
		clocks.start(this.session);
		assertThat(clocks.decide(this.session, TestRequest.signedIn(ADMINISTRATORS)).reason()).isNull();
		Instant until = now.plus(Duration.ofHours(1))
			.plus(SessionTimeoutSettings.DEFAULT_STORE_GRACE)
			.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		assertThat(index.sessions("admin", until.minusMillis(1))).containsEntry(this.session.getId(), now);
		assertThat(index.sessions("admin", until)).isEmpty();
		index.remove("admin", List.of(this.session.getId()), now);
		clocks.decide(this.session, TestRequest.signedIn(ADMINISTRATORS));
		assertThat(index.sessions("admin", now)).as("indexed once, with the policy").isEmpty();
	}

	@Test
	void recordAuthenticationWhenTheIndexFailsThenTheSessionKeepsNoPolicySoItsNextRequestIndexesIt() {
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();
		SessionClocks clocks = clocksAt(CREATED_AT);
		clocks.setPrincipalResolver((session) -> "auditor");
		clocks.setUserSessionIndex(new UserSessionIndex() {

			@Override
			public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
				throw new IllegalStateException("The index does not answer");
			}

			@Override
			public Map<String, Instant> sessions(String username, Instant now) {
				return Map.of();
			}

			@Override
			public void remove(String username, Collection<String> sessionIds, Instant now) {
			}

		});
		clocks.start(this.session);
		assertThatIllegalStateException().isThrownBy(() -> clocks.recordAuthentication(this.session, null, AUDITORS));
		assertThat(StoredState.of(this.session).policy()).isNull();
		clocks.setUserSessionIndex(index);
		assertThat(clocks.decide(this.session, TestRequest.signedIn(AUDITORS)).reason())
			.as("the authentication time stayed unknown")
			.isEqualTo(ExpiryReason.REAUTHENTICATION);
		assertThat(index.sessions("auditor", CREATED_AT)).containsOnlyKeys(this.session.getId());
	}

}
