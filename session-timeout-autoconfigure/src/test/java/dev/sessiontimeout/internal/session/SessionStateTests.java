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

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionState}: the {@code Max-Age} of a persistent session cookie,
 * read at frozen instants around a whole number of seconds to the session's deadline.
 *
 * @author session-timeout
 */
class SessionStateTests {

	private static final Instant CREATED = Instant.parse("2026-12-07T09:00:00.250Z");

	private static final SessionTimeline TIMELINE = new SessionTimeline(CREATED, CREATED, CREATED);

	private static final SessionTimeoutPolicy PERSISTENT = new SessionTimeoutPolicy("traveller", Duration.ofMinutes(90),
			null, null, null, true);

	private static final Instant DEADLINE = CREATED.plus(Duration.ofMinutes(90));

	/**
	 * No session outlives its cookie: the cookie lapses at the session's deadline or less
	 * than a second after it (a whole number of seconds can say no more), never before
	 * it, when the browser would drop a session that is still valid. The server serves
	 * the session up to its deadline only.
	 */
	@Test
	void cookieMaxAgeAroundAWholeSecondToTheDeadlineIsRoundedUp() {
		assertThat(stateAt(CREATED).deadlines().absoluteExpiresAt()).isEqualTo(DEADLINE);
		Instant tenSecondsBefore = DEADLINE.minusSeconds(10);
		assertThat(maxAgeAt(tenSecondsBefore.minusNanos(1))).isEqualTo(11);
		assertThat(maxAgeAt(tenSecondsBefore.minusMillis(1))).isEqualTo(11);
		assertThat(maxAgeAt(tenSecondsBefore)).isEqualTo(10);
		assertThat(maxAgeAt(tenSecondsBefore.plusMillis(1))).isEqualTo(10);
		assertThat(maxAgeAt(tenSecondsBefore.plusNanos(1))).isEqualTo(10);
	}

	@Test
	void cookieMaxAgeWhenLessThanASecondToTheDeadlineThenOneSecond() {
		assertThat(maxAgeAt(DEADLINE.minusSeconds(1))).isEqualTo(1);
		assertThat(maxAgeAt(DEADLINE.minusMillis(999))).isEqualTo(1);
		assertThat(maxAgeAt(DEADLINE.minusNanos(1))).isEqualTo(1);
	}

	@Test
	void cookieMaxAgeWhenOnlyAnIdleTimeoutThenTheTimeToItRoundedUp() {
		SessionTimeoutPolicy idleOnly = new SessionTimeoutPolicy("idle-only", null, Duration.ofMinutes(30), null, null,
				true);
		Instant idleDeadline = CREATED.plus(Duration.ofMinutes(30));
		assertThat(new SessionState(TIMELINE, idleOnly, idleDeadline.minusSeconds(60).minusMillis(1)).cookieMaxAge())
			.isEqualTo(61);
		assertThat(new SessionState(TIMELINE, idleOnly, idleDeadline.minusSeconds(60)).cookieMaxAge()).isEqualTo(60);
	}

	@Test
	void cookieMaxAgeWhenTheCookieIsNotPersistentThenNone() {
		assertThat(new SessionState(TIMELINE, PERSISTENT.withCookiePersistent(false), CREATED).cookieMaxAge()).isNull();
	}

	/**
	 * No status names a re-authentication or a privilege that lasts past the session's
	 * absolute deadline, which nothing moves: a login late in the session's life is
	 * capped at it, just before, at and just after the instants meet.
	 */
	@Test
	void toStatusCapsReauthenticateAtAndPrivilegedUntilAtTheAbsoluteDeadline() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("default", Duration.ofHours(1), null,
				Duration.ofMinutes(15), Duration.ofMinutes(15));
		Instant absolute = CREATED.plus(Duration.ofHours(1));
		Instant meet = absolute.minus(Duration.ofMinutes(15));
		assertCapped(policy, meet.minusNanos(1), absolute.minusNanos(1), absolute);
		assertCapped(policy, meet, absolute, absolute);
		assertCapped(policy, meet.plusNanos(1), absolute, absolute);
		assertCapped(policy, meet.plus(Duration.ofMinutes(10)), absolute, absolute);
	}

	@Test
	void toStatusWithoutAnAbsoluteDeadlineCapsNothing() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("default", null, Duration.ofMinutes(30),
				Duration.ofMinutes(45), Duration.ofMinutes(15));
		Instant authenticatedAt = CREATED.plus(Duration.ofHours(5));
		SessionStatus status = new SessionState(new SessionTimeline(CREATED, authenticatedAt, authenticatedAt), policy,
				authenticatedAt)
			.toStatus("user", true);
		assertThat(status.absoluteExpiresAt()).isNull();
		assertThat(status.reauthenticateAt()).isEqualTo(authenticatedAt.plus(Duration.ofMinutes(45)));
		assertThat(status.privilegedUntil()).isEqualTo(authenticatedAt.plus(Duration.ofMinutes(15)));
	}

	private static void assertCapped(SessionTimeoutPolicy policy, Instant authenticatedAt,
			Instant expectedPrivilegedUntil, Instant absolute) {
		SessionStatus status = new SessionState(new SessionTimeline(CREATED, authenticatedAt, authenticatedAt), policy,
				authenticatedAt)
			.toStatus("user", true);
		assertThat(status.absoluteExpiresAt()).isEqualTo(absolute);
		assertThat(status.expiresAt()).isEqualTo(absolute);
		assertThat(status.privilegedUntil()).as("privilegedUntil of a login at %s", authenticatedAt)
			.isEqualTo(expectedPrivilegedUntil);
		assertThat(status.reauthenticateAt()).as("reauthenticateAt of a login at %s", authenticatedAt)
			.isEqualTo(expectedPrivilegedUntil);
	}

	private static SessionState stateAt(Instant readAt) {
		return new SessionState(TIMELINE, PERSISTENT, readAt);
	}

	private static Integer maxAgeAt(Instant readAt) {
		Integer maxAge = stateAt(readAt).cookieMaxAge();
		assertThat(maxAge).as("Max-Age at %s", readAt).isNotNull();
		return maxAge;
	}

}
