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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#signedOut} and the decisions on a session whose user
 * signed out of it while it lived on under the same id: a copy of it that holds that user
 * with an authentication no later than the sign-out is one from before, which a request's
 * late save brought back (Spring Session's map), and is ended, reason {@code invalid};
 * the session signed out, and a login in it after the sign-out, are served.
 *
 * @author session-timeout
 */
class SessionClocksSignOutTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant SIGNED_IN_AT = CREATED_AT.plus(Duration.ofMinutes(1));

	private static final Instant SIGNED_OUT_AT = CREATED_AT.plus(Duration.ofMinutes(10));

	private static final Instant NEXT_REQUEST_AT = SIGNED_OUT_AT.plus(Duration.ofMinutes(1));

	private static final SessionTimeoutPolicy USERS = new SessionTimeoutPolicy("users", Duration.ofHours(8),
			Duration.ofMinutes(30), null, Duration.ofMinutes(15));

	private final SessionTimeoutSettings settings = SessionTimeoutSettings.builder().build();

	private final AtomicReference<@Nullable String> user = new AtomicReference<>();

	private final List<String> ended = new ArrayList<>();

	private final MapSessionAccess session = new MapSessionAccess(CREATED_AT);

	private EndedSessions endedSessions = new InMemoryEndedSessions();

	private SessionClocks clocksAt(Instant now) {
		SessionClocks clocks = new SessionClocks(this.settings, Clock.fixed(now, ZoneOffset.UTC), (event) -> {
		});
		clocks.setPrincipalResolver((session) -> this.user.get());
		clocks.setEndedSessions(this.endedSessions);
		clocks.setSessionEndListeners(List.of((session, reason) -> this.ended.add(reason.value())));
		return clocks;
	}

	/**
	 * Sign the user in at the given instant, and out at {@link #SIGNED_OUT_AT}, with the
	 * session kept.
	 */
	private void signInThenOut(Instant signedInAt) {
		clocksAt(CREATED_AT).start(this.session);
		this.user.set("user");
		clocksAt(signedInAt).recordAuthentication(this.session, null, USERS);
		this.user.set(null);
		SessionClocks clocks = clocksAt(SIGNED_OUT_AT);
		clocks.signedOut(this.session.getId(), this.session, null);
	}

	private SessionDecision decideAt(Instant now) {
		return clocksAt(now).decide(this.session, TestRequest.signedIn(USERS));
	}

	@Test
	void decideWhenACopyFromBeforeTheSignOutHoldsItsUserAgainThenEndsItAsInvalid() {
		signInThenOut(SIGNED_IN_AT);
		// A request's late save puts back its copy, signed in, as it was
		this.user.set("user");
		SessionDecision decision = decideAt(NEXT_REQUEST_AT);
		assertThat(decision.reason()).isEqualTo(ExpiryReason.INVALID);
		assertThat(this.session.isInvalid()).isTrue();
		assertThat(this.ended).as("told to the end listeners").containsExactly("invalid");
	}

	@Test
	void decideWhenTheCopyHoldsAnAuthenticationOfTheInstantOfTheSignOutThenEndsIt() {
		signInThenOut(SIGNED_OUT_AT);
		this.user.set("user");
		assertThat(decideAt(NEXT_REQUEST_AT).reason()).isEqualTo(ExpiryReason.INVALID);
	}

	@Test
	void decideWhenTheSessionStaysSignedOutThenServesIt() {
		signInThenOut(SIGNED_IN_AT);
		SessionDecision decision = clocksAt(NEXT_REQUEST_AT).decide(this.session, TestRequest.anonymous());
		assertThat(decision.reason()).isNull();
		assertThat(this.session.isInvalid()).isFalse();
		assertThat(this.ended).isEmpty();
	}

	@Test
	void decideWhenALoginAfterTheSignOutReportsAnAuthenticationJustBeforeItThenEndsIt() {
		assertThat(decideAfterALoginThatReports(SIGNED_OUT_AT.minusMillis(1)).reason()).isEqualTo(ExpiryReason.INVALID);
	}

	@Test
	void decideWhenALoginAfterTheSignOutReportsAnAuthenticationAtItThenEndsIt() {
		assertThat(decideAfterALoginThatReports(SIGNED_OUT_AT).reason()).isEqualTo(ExpiryReason.INVALID);
	}

	@Test
	void decideWhenALoginAfterTheSignOutReportsAnAuthenticationJustAfterItThenServesIt() {
		assertThat(decideAfterALoginThatReports(SIGNED_OUT_AT.plusMillis(1)).reason()).isNull();
		assertThat(this.session.isInvalid()).isFalse();
	}

	/**
	 * A login after the sign-out whose authentication time is unknown is no copy of the
	 * login signed out of, whose time was known: it is a sign-in since, served (and never
	 * privileged, its time unknown), not ended (since 52fa818, which tells the two apart;
	 * where the login signed out of had no known time, one of unknown time is ended,
	 * InMemoryEndedSessionsTests).
	 */
	@Test
	void decideWhenALoginAfterTheSignOutRecordsNoAuthenticationTimeThenServesIt() {
		signInThenOut(SIGNED_IN_AT);
		this.user.set("user");
		SessionClocks clocks = clocksAt(NEXT_REQUEST_AT);
		// An authentication reported beyond the clock skew tolerance: of no known time
		clocks.recordAuthentication(this.session, NEXT_REQUEST_AT.plus(Duration.ofHours(1)), USERS);
		assertThat(clocks.decide(this.session, TestRequest.signedIn(USERS)).reason()).isNull();
		assertThat(this.session.isInvalid()).isFalse();
	}

	/**
	 * An identity provider's single sign-on reports the instant its user authenticated
	 * there (OpenID Connect's {@code auth_time}), which may precede the sign-out from the
	 * application: such a login in the session that was signed out, without a new session
	 * id, counts as a copy from before and is ended once.
	 */
	private SessionDecision decideAfterALoginThatReports(Instant authenticatedAt) {
		signInThenOut(SIGNED_IN_AT);
		this.user.set("user");
		SessionClocks clocks = clocksAt(NEXT_REQUEST_AT);
		clocks.recordAuthentication(this.session, authenticatedAt, USERS);
		return decideAt(NEXT_REQUEST_AT.plusSeconds(1));
	}

	@Test
	void decideWhenAnotherUserSignedInAfterTheSignOutThenServesIt() {
		signInThenOut(SIGNED_IN_AT);
		this.user.set("other");
		SessionClocks clocks = clocksAt(NEXT_REQUEST_AT);
		clocks.recordAuthentication(this.session, SIGNED_IN_AT, USERS);
		assertThat(decideAt(NEXT_REQUEST_AT.plusSeconds(1)).reason()).as("not a copy of the session signed out")
			.isNull();
		assertThat(this.session.isInvalid()).isFalse();
	}

	@Test
	void signedOutWhenTheDecisionGaveNoStateThenRemembersItThirtyDaysAndTheStoreGrace() {
		signInThenOut(SIGNED_IN_AT);
		this.user.set("user");
		// No state given: remembered for 30 days and the store grace
		Instant forgotten = SIGNED_OUT_AT.plus(Duration.ofDays(30)).plus(this.settings.getStoreGrace());
		assertThat(
				((InMemoryEndedSessions) this.endedSessions).signOutOf(this.session.getId(), forgotten.minusMillis(1)))
			.isNotNull();
		assertThat(((InMemoryEndedSessions) this.endedSessions).signOutOf(this.session.getId(), forgotten)).isNull();
	}

	@Test
	void signedOutWhenTheStoreSavesOnlyWhatChangedThenRemembersNothing() {
		List<String> remembered = new ArrayList<>();
		this.endedSessions = new EndedSessions() {

			@Override
			public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
				remembered.add(sessionId);
			}

			@Override
			public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
				return null;
			}

			@Override
			public void signedOut(String sessionId, SignOut signOut, Instant now) {
				remembered.add(sessionId);
			}

		};
		SessionClocks clocks = clocksAt(SIGNED_OUT_AT);
		assertThat(clocks.keepsSignOuts()).isFalse();
		clocks.start(this.session);
		clocks.signedOut(this.session.getId(), this.session, null);
		assertThat(remembered).isEmpty();
	}

}
