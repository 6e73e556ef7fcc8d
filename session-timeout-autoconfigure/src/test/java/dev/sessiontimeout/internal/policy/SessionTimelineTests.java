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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link SessionTimeline}.
 *
 * @author session-timeout
 */
class SessionTimelineTests {

	private static final Instant CREATED = Instant.parse("2026-03-02T09:00:00Z");

	private static final Duration ONE_MS = Duration.ofMillis(1);

	private static final Duration MAX_AGE = Duration.ofMinutes(15);

	@Test
	void trustedAtWhenNoInstantBeyondTheToleranceThenSameTimeline() {
		Instant now = CREATED.minus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		SessionTimeline timeline = new SessionTimeline(CREATED, CREATED, CREATED);
		assertThat(timeline.trustedAt(now)).isSameAs(timeline);
	}

	@Test
	void trustedAtWhenInstantsJustBeyondTheToleranceThenMovedBackToItAndTheAuthenticationUnknown() {
		Instant now = CREATED.minus(SessionTimeline.CLOCK_SKEW_TOLERANCE).minus(ONE_MS);
		Instant latest = CREATED.minus(ONE_MS);
		SessionTimeline timeline = new SessionTimeline(CREATED, CREATED.plus(MAX_AGE), CREATED.plus(ONE_MS));
		assertThat(timeline.trustedAt(now)).isEqualTo(new SessionTimeline(latest, latest, null));
	}

	@Test
	void trustedAtWhenTheAuthenticationIsBeyondTheToleranceThenUnknownAtEveryLaterInstantUntilWithinIt() {
		Instant authenticatedAt = CREATED.plus(Duration.ofDays(1));
		SessionTimeline timeline = new SessionTimeline(CREATED, CREATED, authenticatedAt);
		for (Instant now = CREATED; now.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE)
			.isBefore(authenticatedAt); now = now.plus(Duration.ofHours(1))) {
			assertThat(timeline.trustedAt(now)).as("%s", now).isEqualTo(new SessionTimeline(CREATED, CREATED, null));
			assertThat(timeline.trustedAt(now).isAuthenticatedWithin(MAX_AGE, now)).isFalse();
		}
		assertThat(timeline.trustedAt(authenticatedAt.minus(SessionTimeline.CLOCK_SKEW_TOLERANCE))).isSameAs(timeline);
	}

	@Test
	void trustedAtWhenOnlyLaterInstantsBeyondTheToleranceThenOnlyTheyMove() {
		Instant now = CREATED.plus(MAX_AGE).minus(SessionTimeline.CLOCK_SKEW_TOLERANCE).minus(ONE_MS);
		SessionTimeline timeline = new SessionTimeline(CREATED, CREATED.plus(MAX_AGE), null);
		assertThat(timeline.trustedAt(now))
			.isEqualTo(new SessionTimeline(CREATED, CREATED.plus(MAX_AGE).minus(ONE_MS), null));
	}

	@Test
	void startingAtWhenCreatedThenActiveAndNotAuthenticated() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED);
		assertThat(timeline).isEqualTo(new SessionTimeline(CREATED, CREATED, null));
	}

	@Test
	void constructorWhenCreatedAtOrLastActivityNullThenRejected() {
		assertThatNullPointerException().isThrownBy(() -> new SessionTimeline(null, CREATED, null))
			.withMessageContaining("createdAt");
		assertThatNullPointerException().isThrownBy(() -> new SessionTimeline(CREATED, null, null))
			.withMessageContaining("lastActivityAt");
	}

	@Test
	void withAuthenticationAtWhenObservedNowThenAuthenticationAndActivity() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline).isEqualTo(new SessionTimeline(CREATED, at("1h"), at("1h")));
	}

	@Test
	void withAuthenticationAtWhenReportedInThePastThenThatInstantAndActivityNow() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("50m"), at("1h"));
		assertThat(timeline.createdAt()).isEqualTo(CREATED);
		assertThat(timeline.authenticatedAt()).isEqualTo(at("50m"));
		assertThat(timeline.lastActivityAt()).isEqualTo(at("1h"));
	}

	@Test
	void withAuthenticationAtWhenReportedInTheFutureThenCountsAsNow() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED)
			.withAuthenticationAt(at("1h").plusSeconds(30), at("1h"));
		assertThat(timeline.authenticatedAt()).isEqualTo(at("1h"));
		assertThat(timeline.lastActivityAt()).isEqualTo(at("1h"));
	}

	@Test
	void withAuthenticationAtWhenReportedAtNowThenNow() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"), at("1h"));
		assertThat(timeline).isEqualTo(new SessionTimeline(CREATED, at("1h"), at("1h")));
	}

	@Test
	void withAuthenticationAtWhenReportedBeforeSessionCreationThenKept() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED)
			.withAuthenticationAt(CREATED.minusSeconds(60), at("1m"));
		assertThat(timeline.authenticatedAt()).isEqualTo(CREATED.minusSeconds(60));
		assertThat(timeline.createdAt()).isEqualTo(CREATED);
	}

	@Test
	void withActivityAtWhenAuthenticatedThenAuthenticationKept() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED)
			.withAuthenticationAt(at("1h"))
			.withActivityAt(at("2h"));
		assertThat(timeline).isEqualTo(new SessionTimeline(CREATED, at("2h"), at("1h")));
	}

	@Test
	void isAuthenticatedWithinWhenNeverAuthenticatedThenFalse() {
		assertThat(SessionTimeline.startingAt(CREATED).isAuthenticatedWithin(MAX_AGE, CREATED)).isFalse();
	}

	@Test
	void isAuthenticatedWithinWhenJustBeforeMaxAgeThenTrue() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h15m").minus(ONE_MS))).isTrue();
	}

	@Test
	void isAuthenticatedWithinWhenMaxAgeReachedThenFalse() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h15m"))).isFalse();
	}

	@Test
	void isAuthenticatedWithinWhenJustAfterMaxAgeThenFalse() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h15m").plus(ONE_MS))).isFalse();
	}

	@Test
	void isAuthenticatedWithinWhenAuthenticatedThisInstantThenTrue() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h"))).isTrue();
	}

	@Test
	void isAuthenticatedWithinWhenMaxAgeZeroThenNeverRecentEnough() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("1h"));
		assertThat(timeline.isAuthenticatedWithin(Duration.ZERO, at("1h"))).isFalse();
	}

	@Test
	void isAuthenticatedWithinWhenAuthenticationTimeFromProviderThenCountedFromIt() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED).withAuthenticationAt(at("50m"), at("1h"));
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h5m").minus(ONE_MS))).isTrue();
		assertThat(timeline.isAuthenticatedWithin(MAX_AGE, at("1h5m"))).isFalse();
	}

	@Test
	void withActivityAtWhenWithinThePrecisionThenUnchangedAndAtItMoved() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED);
		Duration precision = Duration.ofSeconds(18);
		assertThat(timeline.withActivityAt(CREATED.plus(precision).minusMillis(1), precision)).isSameAs(timeline);
		assertThat(timeline.withActivityAt(CREATED.plus(precision), precision).lastActivityAt())
			.isEqualTo(CREATED.plus(precision));
		assertThat(timeline.withActivityAt(CREATED.plus(precision).plusMillis(1), precision).lastActivityAt())
			.isEqualTo(CREATED.plus(precision).plusMillis(1));
	}

	@Test
	void withActivityAtWhenThePrecisionIsZeroThenEveryInstantMovesIt() {
		SessionTimeline timeline = SessionTimeline.startingAt(CREATED);
		assertThat(timeline.withActivityAt(CREATED.plusMillis(1), Duration.ZERO).lastActivityAt())
			.isEqualTo(CREATED.plusMillis(1));
	}

	@Test
	void withActivityAtWhenTheRecordedActivityIsAheadOfThisNodeThenUnchanged() {
		SessionTimeline timeline = new SessionTimeline(CREATED, CREATED.plusSeconds(4), null);
		assertThat(timeline.withActivityAt(CREATED, Duration.ZERO.plusMillis(1))).isSameAs(timeline);
	}

	@Test
	void activityPrecisionIsAHundredthOfTheIdleTimeoutAtMostAMinute() {
		assertThat(SessionTimeline.activityPrecision(Duration.ofMinutes(30))).isEqualTo(Duration.ofSeconds(18));
		assertThat(SessionTimeline.activityPrecision(Duration.ofMinutes(100))).isEqualTo(Duration.ofMinutes(1));
		assertThat(SessionTimeline.activityPrecision(Duration.ofHours(8))).isEqualTo(Duration.ofMinutes(1));
		assertThat(SessionTimeline.activityPrecision(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
		assertThat(SessionTimeline.activityPrecision(Duration.ofMillis(99))).isEqualTo(Duration.ZERO);
		assertThat(SessionTimeline.activityPrecision(null)).isEqualTo(Duration.ofMinutes(1));
	}

	private static Instant at(String sinceCreation) {
		return CREATED.plus(SessionDurations.parse(sinceCreation));
	}

	@Test
	void withActivityAtPrecisionOfThenAsWithActivityAtToTheIdlePrecision() {
		Instant last = CREATED.plusNanos(123_456_789);
		SessionTimeline timeline = new SessionTimeline(CREATED, last, CREATED);
		Duration[] idles = { null, Duration.ofMillis(1), Duration.ofMillis(150), Duration.ofSeconds(1),
				Duration.ofMinutes(30), Duration.ofMinutes(100).minusMillis(1), Duration.ofMinutes(100),
				Duration.ofDays(3650) };
		long[] offsetsNanos = { -2_000_000_000L, -1, 0, 1, 999_999, 1_000_000, 9_999_999, 10_000_000, 17_999_999_999L,
				18_000_000_000L, 59_999_999_999L, 60_000_000_000L, 60_000_000_001L, 86_400_000_000_000L };
		for (Duration idle : idles) {
			for (long offset : offsetsNanos) {
				Instant now = last.plusNanos(offset);
				SessionTimeline expected = timeline.withActivityAt(now, SessionTimeline.activityPrecision(idle));
				assertThat(timeline.withActivityAtPrecisionOf(now, idle)).as("%s %s", idle, offset).isEqualTo(expected);
			}
		}
	}

	@Test
	void trustedAtAroundTheToleranceToTheNanosecondThenAsComparedWithItsInstant() {
		Instant now = CREATED.plusNanos(500_000_000);
		Instant latest = now.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		for (long offset : new long[] { -1_000_000_001L, -500_000_001L, -1, 0, 1, 499_999_999L, 500_000_000L,
				1_000_000_000L }) {
			Instant at = latest.plusNanos(offset);
			SessionTimeline timeline = new SessionTimeline(CREATED, at, null);
			SessionTimeline trusted = timeline.trustedAt(now);
			if (at.isAfter(latest)) {
				assertThat(trusted).as("%s", offset).isEqualTo(new SessionTimeline(CREATED, latest, null));
			}
			else {
				assertThat(trusted).as("%s", offset).isSameAs(timeline);
			}
		}
	}

}
