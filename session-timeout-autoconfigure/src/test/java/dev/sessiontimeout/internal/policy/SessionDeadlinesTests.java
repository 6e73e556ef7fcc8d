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
import java.time.Instant;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionDeadlines}.
 *
 * @author session-timeout
 */
class SessionDeadlinesTests {

	private static final Instant CREATED = Instant.parse("2026-03-02T09:00:00Z");

	private static final Duration ONE_MS = Duration.ofMillis(1);

	private static final Duration STORE_MARGIN = Duration.ofSeconds(1);

	private static final SessionTimeoutPolicy POLICY = new SessionTimeoutPolicy("test", Duration.ofHours(12),
			Duration.ofMinutes(30), Duration.ofHours(8), Duration.ofMinutes(15));

	@Test
	void deadlinesWhenAnonymousThenCountedFromCreationAndLastActivity() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withActivityAt(at("1h"));
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY, timeline);
		assertThat(deadlines.absoluteExpiresAt()).isEqualTo(at("12h"));
		assertThat(deadlines.idleExpiresAt()).isEqualTo(at("1h30m"));
		assertThat(deadlines.expiresAt()).isEqualTo(at("1h30m"));
	}

	@Test
	void deadlinesWhenNotAuthenticatedThenNoReauthenticationNorPrivilegedDeadline() {
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY, SessionTimeline.startingAt(CREATED));
		assertThat(deadlines.reauthenticateAt()).isNull();
		assertThat(deadlines.privilegedUntil()).isNull();
		assertThat(deadlines.deadlineOf(ExpiryReason.REAUTHENTICATION)).isNull();
		assertThat(deadlines.deadlineOf(ExpiryReason.PRIVILEGED)).isNull();
	}

	@Test
	void deadlinesWhenAuthenticatedThenReauthenticationAndPrivilegedCountedFromAuthentication() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("2h"));
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY, timeline);
		assertThat(deadlines.reauthenticateAt()).isEqualTo(at("10h"));
		assertThat(deadlines.privilegedUntil()).isEqualTo(at("2h15m"));
		assertThat(deadlines.idleExpiresAt()).isEqualTo(at("2h30m"));
		assertThat(deadlines.absoluteExpiresAt()).isEqualTo(at("12h"));
	}

	@Test
	void deadlinesWhenActivityAfterAuthenticationThenOnlyIdleMoves() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED)
			.withAuthenticationAt(at("2h"))
			.withActivityAt(at("3h"));
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY, timeline);
		assertThat(deadlines.idleExpiresAt()).isEqualTo(at("3h30m"));
		assertThat(deadlines.reauthenticateAt()).isEqualTo(at("10h"));
		assertThat(deadlines.privilegedUntil()).isEqualTo(at("2h15m"));
		assertThat(deadlines.absoluteExpiresAt()).isEqualTo(at("12h"));
	}

	@Test
	void deadlinesWhenPrivilegedMaxAgeZeroThenPrivilegedUntilAuthentication() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", Duration.ofHours(12), Duration.ofMinutes(30),
				null, Duration.ZERO);
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h")));
		assertThat(deadlines.privilegedUntil()).isEqualTo(at("1h"));
	}

	@Test
	void deadlinesWhenAllClocksDisabledThenNoDeadlines() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", null, null, null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h")));
		assertThat(deadlines.absoluteExpiresAt()).isNull();
		assertThat(deadlines.idleExpiresAt()).isNull();
		assertThat(deadlines.reauthenticateAt()).isNull();
		assertThat(deadlines.privilegedUntil()).isNull();
		assertThat(deadlines.expiresAt()).isNull();
		assertThat(deadlines.endReason(at("3650d"))).isNull();
	}

	@Test
	void expiresAtWhenAbsoluteDisabledThenIdleDeadline() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", null, Duration.ofMinutes(30), null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy, SessionTimeline.startingAt(CREATED));
		assertThat(deadlines.absoluteExpiresAt()).isNull();
		assertThat(deadlines.expiresAt()).isEqualTo(at("30m"));
	}

	@Test
	void expiresAtWhenIdleDisabledThenAbsoluteDeadline() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", Duration.ofHours(12), null, null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withActivityAt(at("11h")));
		assertThat(deadlines.idleExpiresAt()).isNull();
		assertThat(deadlines.expiresAt()).isEqualTo(at("12h"));
	}

	@Test
	void expiresAtWhenAbsoluteComesFirstThenAbsoluteDeadline() {
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY,
				SessionTimeline.startingAt(CREATED).withActivityAt(at("11h45m")));
		assertThat(deadlines.expiresAt()).isEqualTo(at("12h"));
	}

	@Test
	void endReasonWhenJustBeforeAbsoluteThenNull() {
		SessionDeadlines deadlines = activeAt("11h45m");
		assertThat(deadlines.endReason(at("12h").minus(ONE_MS))).isNull();
	}

	@Test
	void endReasonWhenAbsoluteReachedThenAbsolute() {
		SessionDeadlines deadlines = activeAt("11h45m");
		assertThat(deadlines.endReason(at("12h"))).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void endReasonWhenJustAfterAbsoluteThenAbsolute() {
		SessionDeadlines deadlines = activeAt("11h45m");
		assertThat(deadlines.endReason(at("12h").plus(ONE_MS))).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void endReasonWhenJustBeforeIdleThenNull() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.endReason(at("1h30m").minus(ONE_MS))).isNull();
	}

	@Test
	void endReasonWhenIdleReachedThenIdle() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.endReason(at("1h30m"))).isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void endReasonWhenJustAfterIdleThenIdle() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.endReason(at("1h30m").plus(ONE_MS))).isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void endReasonWhenBothPastAndAbsoluteEarlierThenAbsolute() {
		SessionDeadlines deadlines = activeAt("11h45m");
		assertThat(deadlines.idleExpiresAt()).isAfter(deadlines.absoluteExpiresAt());
		assertThat(deadlines.endReason(at("13h"))).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void endReasonWhenBothPastAndIdleEarlierThenIdle() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.endReason(at("13h"))).isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void endReasonWhenBothDeadlinesAtSameInstantThenAbsolute() {
		SessionDeadlines deadlines = activeAt("11h30m");
		assertThat(deadlines.idleExpiresAt()).isEqualTo(deadlines.absoluteExpiresAt());
		assertThat(deadlines.endReason(at("12h").minus(ONE_MS))).isNull();
		assertThat(deadlines.endReason(at("12h"))).isEqualTo(ExpiryReason.ABSOLUTE);
		assertThat(deadlines.endReason(at("13h"))).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void endReasonWhenReauthenticationAndPrivilegedPassedThenSessionKept() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", Duration.ofHours(12), null, Duration.ofHours(1),
				Duration.ofMinutes(15));
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(CREATED));
		assertThat(deadlines.endReason(at("2h"))).isNull();
	}

	@Test
	void endReasonWhenAbsoluteDisabledThenOnlyIdleEnds() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", null, Duration.ofMinutes(30), null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withActivityAt(at("99d")));
		assertThat(deadlines.endReason(at("99d30m").minus(ONE_MS))).isNull();
		assertThat(deadlines.endReason(at("99d30m"))).isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void endReasonWhenIdleDisabledThenOnlyAbsoluteEnds() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", Duration.ofHours(12), null, null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy, SessionTimeline.startingAt(CREATED));
		assertThat(deadlines.endReason(at("12h").minus(ONE_MS))).isNull();
		assertThat(deadlines.endReason(at("12h"))).isEqualTo(ExpiryReason.ABSOLUTE);
	}

	@Test
	void deadlineOfWhenReasonThenMatchingDeadline() {
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h")));
		assertThat(deadlines.deadlineOf(ExpiryReason.ABSOLUTE)).isEqualTo(at("12h"));
		assertThat(deadlines.deadlineOf(ExpiryReason.IDLE)).isEqualTo(at("1h30m"));
		assertThat(deadlines.deadlineOf(ExpiryReason.REAUTHENTICATION)).isEqualTo(at("9h"));
		assertThat(deadlines.deadlineOf(ExpiryReason.PRIVILEGED)).isEqualTo(at("1h15m"));
		assertThat(deadlines.deadlineOf(ExpiryReason.REVOKED)).isNull();
		assertThat(deadlines.deadlineOf(ExpiryReason.INVALID)).isNull();
	}

	@Test
	void storeLifetimeWhenIdleFirstThenIdleDeadlinePlusGraceLessMargin() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h"), Duration.ofMinutes(1)))
			.isEqualTo(Duration.ofMinutes(31).minus(STORE_MARGIN));
	}

	@Test
	void storeLifetimeWhenAbsoluteFirstThenAbsoluteDeadlinePlusGraceLessMargin() {
		SessionDeadlines deadlines = activeAt("11h45m");
		assertThat(deadlines.storeLifetime(at("11h45m"), Duration.ofMinutes(1)))
			.isEqualTo(Duration.ofMinutes(16).minus(STORE_MARGIN));
	}

	@Test
	void storeLifetimeWhenGraceLongerThenLifetimeLongerByTheDifference() {
		SessionDeadlines deadlines = activeAt("1h");
		Duration oneMinuteGrace = deadlines.storeLifetime(at("1h"), Duration.ofMinutes(1));
		Duration fiveMinutesGrace = deadlines.storeLifetime(at("1h"), Duration.ofMinutes(5));
		assertThat(fiveMinutesGrace.minus(oneMinuteGrace)).isEqualTo(Duration.ofMinutes(4));
	}

	@Test
	void storeLifetimeWhenGraceShorterThanMarginThenUpToDeadlineAndASecond() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h"), Duration.ofMillis(500)))
			.isEqualTo(Duration.ofMinutes(30).plusSeconds(1));
	}

	@Test
	void storeLifetimeWhenGraceZeroThenUpToDeadlineAndASecond() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h"), Duration.ZERO)).isEqualTo(Duration.ofMinutes(30).plusSeconds(1));
	}

	@Test
	void storeLifetimeWhenFractionOfSecondThenFlooredToWholeSeconds() {
		SessionDeadlines deadlines = activeAt("1h");
		Instant now = at("1h").plusMillis(500);
		assertThat(deadlines.storeLifetime(now, Duration.ofMinutes(1)))
			.isEqualTo(Duration.ofMinutes(31).minus(STORE_MARGIN).minusSeconds(1));
	}

	@Test
	void storeLifetimeWhenFractionOfSecondAndNoGraceThenRoundedUpToTheDeadlineAndASecond() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h").plus(ONE_MS), Duration.ZERO))
			.isEqualTo(Duration.ofMinutes(30).plusSeconds(1));
	}

	@Test
	void storeLifetimeWhenAGraceOfUpToTwoSecondsThenTheStoreKeepsTheSessionUpToItsDeadline() {
		// Idle deadline at 1h30m; a request at a fraction of a second
		SessionDeadlines deadlines = activeAt("1h");
		Instant now = at("1h").plusMillis(500);
		SoftAssertions.assertSoftly((softly) -> {
			for (Duration grace : new Duration[] { Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1),
					Duration.ofMillis(1500) }) {
				Instant droppedAt = now.plus(deadlines.storeLifetime(now, grace));
				softly.assertThat(droppedAt)
					.as("dropped by the store with a grace of %s", grace)
					.isAfterOrEqualTo(at("1h30m"));
			}
		});
	}

	/**
	 * Spring Session's stores (the map, JDBC, Redis' indexed repository) count a
	 * session's lifetime from its last access, which they stamp as they load it: just
	 * before the decision that sets the lifetime, a millisecond here.
	 */
	@Test
	void storeLifetimeWhenTheStoreCountsFromTheSessionsLoadJustBeforeTheDecisionThenItKeepsTheSessionUpToItsDeadline() {
		// Idle deadline at 1h30m, a whole number of seconds after the request
		SessionDeadlines deadlines = activeAt("1h");
		Instant now = at("1h");
		Instant loaded = now.minus(ONE_MS);
		SoftAssertions.assertSoftly((softly) -> {
			for (Duration grace : new Duration[] { Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1),
					Duration.ofMillis(1500), Duration.ofSeconds(2) }) {
				Instant droppedAt = loaded.plus(deadlines.storeLifetime(now, grace));
				softly.assertThat(droppedAt)
					.as("dropped by the store with a grace of %s", grace)
					.isAfterOrEqualTo(at("1h30m"));
			}
		});
	}

	/**
	 * A deadline a fraction of a second off the whole seconds from the decision (one that
	 * the request did not move, as activity within its precision does not), with the
	 * store counting from the session's load a millisecond before the decision.
	 */
	@Test
	void storeLifetimeWhenTheDeadlineIsAFractionOfASecondOffAndTheStoreCountsFromTheSessionsLoadThenItKeepsTheSessionUpToItsDeadline() {
		SessionDeadlines deadlines = activeAt("1h");
		SoftAssertions.assertSoftly((softly) -> {
			for (Duration beforeDeadline : new Duration[] { Duration.ofNanos(10_999_500_000L),
					Duration.ofMillis(10_500), Duration.ofNanos(999_500_000L) }) {
				Instant now = at("1h30m").minus(beforeDeadline);
				Instant loaded = now.minus(ONE_MS);
				for (Duration grace : new Duration[] { Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1),
						Duration.ofMillis(1500) }) {
					Instant droppedAt = loaded.plus(deadlines.storeLifetime(now, grace));
					softly.assertThat(droppedAt)
						.as("dropped by the store with a grace of %s, %s before the deadline", grace, beforeDeadline)
						.isAfterOrEqualTo(at("1h30m"));
				}
			}
		});
	}

	@Test
	void storeLifetimeWhenLessThanOneSecondLeftThenTwoSeconds() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h30m").minus(ONE_MS), Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void storeLifetimeWhenDeadlineReachedThenOneSecond() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h30m"), Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void storeLifetimeWhenDeadlineAndGracePassedThenOneSecond() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("5h"), Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void storeLifetimeWhenDeadlinePassedButWithinGraceThenRestOfGrace() {
		SessionDeadlines deadlines = activeAt("1h");
		assertThat(deadlines.storeLifetime(at("1h30m").plusSeconds(20), Duration.ofMinutes(1)))
			.isEqualTo(Duration.ofSeconds(40).minus(STORE_MARGIN));
	}

	@Test
	void storeLifetimeWhenNeitherAbsoluteNorIdleThenNull() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", null, null, Duration.ofHours(1),
				Duration.ofMinutes(15));
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(CREATED));
		assertThat(deadlines.storeLifetime(CREATED, Duration.ofMinutes(1))).isNull();
	}

	@Test
	void storeLifetimeWhenOnlyAbsoluteThenAbsoluteDeadlinePlusGrace() {
		SessionTimeoutPolicy policy = new SessionTimeoutPolicy("test", Duration.ofHours(12), null, null, null);
		SessionDeadlines deadlines = SessionDeadlines.of(policy,
				SessionTimeline.startingAt(CREATED).withActivityAt(at("2h")));
		assertThat(deadlines.storeLifetime(at("2h"), Duration.ofMinutes(1)))
			.isEqualTo(Duration.ofHours(10).plusMinutes(1).minus(STORE_MARGIN));
	}

	@Test
	void isReauthenticationDueWhenJustBeforeDeadlineThenFalse() {
		assertThat(authenticatedAt("2h").isReauthenticationDue(at("10h").minus(ONE_MS))).isFalse();
	}

	@Test
	void isReauthenticationDueWhenDeadlineReachedThenTrue() {
		assertThat(authenticatedAt("2h").isReauthenticationDue(at("10h"))).isTrue();
	}

	@Test
	void isReauthenticationDueWhenJustAfterDeadlineThenTrue() {
		assertThat(authenticatedAt("2h").isReauthenticationDue(at("10h").plus(ONE_MS))).isTrue();
	}

	@Test
	void isReauthenticationDueWhenNeverAuthenticatedThenFalse() {
		assertThat(activeAt("1h").isReauthenticationDue(at("3650d"))).isFalse();
	}

	@Test
	void isReauthenticationDueWhenClockDisabledThenFalse() {
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY.withReauthentication(null),
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("2h")));
		assertThat(deadlines.reauthenticateAt()).isNull();
		assertThat(deadlines.isReauthenticationDue(at("3650d"))).isFalse();
	}

	@Test
	void isReauthenticationDueWhenAuthenticatedAgainThenCountedFromTheNewAuthentication() {
		SessionDeadlines deadlines = SessionDeadlines.of(POLICY,
				SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("2h")).withAuthenticationAt(at("9h")));
		assertThat(deadlines.isReauthenticationDue(at("10h"))).isFalse();
		assertThat(deadlines.isReauthenticationDue(at("17h"))).isTrue();
	}

	@Test
	void storeLifetimeToTheNanosecondThenAsTheWholeSecondsBetweenTheInstants() {
		Duration[] graces = { Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(999), Duration.ofSeconds(1),
				Duration.ofSeconds(1, 1), Duration.ofMinutes(1).plusNanos(999_999_999) };
		long[] offsetsNanos = { -5_000_000_000L, -1, 0, 1, 999_999_999, 1_000_000_000, 1_500_000_001L,
				3_600_000_000_001L };
		SessionDeadlines deadlines = new SessionDeadlines(null, CREATED.plusNanos(250_000_000), null, null);
		for (Duration grace : graces) {
			for (long offset : offsetsNanos) {
				Instant now = CREATED.plusNanos(offset);
				long seconds = Duration.between(now, deadlines.idleExpiresAt().plus(grace).minusSeconds(1))
					.getSeconds();
				Duration untilEnd = Duration.between(now, deadlines.idleExpiresAt());
				// Rounded up, and a second more for a store that counts from the load
				long untilEndSeconds = untilEnd.getSeconds() + ((untilEnd.getNano() > 0) ? 1 : 0) + 1;
				assertThat(deadlines.storeLifetime(now, grace)).as("%s %s", grace, offset)
					.isEqualTo(Duration.ofSeconds(Math.max(1, Math.max(seconds, untilEndSeconds))));
			}
		}
	}

	private static SessionDeadlines authenticatedAt(String sinceCreation) {
		return SessionDeadlines.of(POLICY, SessionTimeline.startingAt(CREATED).withAuthenticationAt(at(sinceCreation)));
	}

	private static SessionDeadlines activeAt(String sinceCreation) {
		return SessionDeadlines.of(POLICY, SessionTimeline.startingAt(CREATED).withActivityAt(at(sinceCreation)));
	}

	private static Instant at(String sinceCreation) {
		return CREATED.plus(SessionDurations.parse(sinceCreation));
	}

}
