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
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The instants the session clocks count from, all read from the same
 * {@link java.time.Clock}.
 *
 * @param createdAt when the session was created; nothing moves it
 * @param lastActivityAt when the session last saw activity
 * @param authenticatedAt when its user last authenticated, {@code null} before any
 * authentication
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionTimeline(Instant createdAt, Instant lastActivityAt, @Nullable Instant authenticatedAt) {

	/**
	 * How far ahead of this node's clock an instant that another node wrote is trusted:
	 * nodes whose clocks differ by more cannot stretch a deadline by more than this.
	 */
	public static final Duration CLOCK_SKEW_TOLERANCE = Duration.ofSeconds(5);

	/**
	 * The coarsest precision to which activity is recorded, whatever the idle clock.
	 */
	public static final Duration MAX_ACTIVITY_PRECISION = Duration.ofMinutes(1);

	/**
	 * The idle timeout from which activity is recorded to the coarsest precision.
	 */
	private static final Duration IDLE_OF_MAX_ACTIVITY_PRECISION = MAX_ACTIVITY_PRECISION.multipliedBy(100);

	public SessionTimeline {
		Objects.requireNonNull(createdAt, "'createdAt' must not be null");
		Objects.requireNonNull(lastActivityAt, "'lastActivityAt' must not be null");
	}

	/**
	 * Return the timeline of a session created at the given instant.
	 * @param now the creation instant
	 * @return a new timeline
	 */
	public static SessionTimeline startingAt(Instant now) {
		return new SessionTimeline(now, now, null);
	}

	/**
	 * Return the timeline of a session that existed before the starter saw it: it counts
	 * from the session's creation (never from the future), with activity now.
	 * @param createdAt when the store created the session
	 * @param now the current instant
	 * @return a new timeline
	 */
	public static SessionTimeline adopting(Instant createdAt, Instant now) {
		return startingAt(createdAt.isAfter(now) ? now : createdAt).withActivityAt(now);
	}

	/**
	 * Return this timeline as this node trusts it: no instant later than the given
	 * current instant plus the {@link #CLOCK_SKEW_TOLERANCE}, so that a node whose clock
	 * runs ahead cannot stretch the deadlines of the others. A later creation or activity
	 * is moved back to that limit (and the decision writes it back, so it stays there); a
	 * later authentication is unknown: its instant is kept as written (privilege grants
	 * compare it), so moving it back would move it along with the clock on every request,
	 * and the re-authentication deadline and privileged age would never come.
	 * @param now the current instant of this node
	 * @return this timeline, or one whose later instants are moved back to that limit,
	 * without an authentication if that was later
	 */
	public SessionTimeline trustedAt(Instant now) {
		// Compared without the limit's own instant: nothing to allocate for a timeline
		// this node trusts as it is, as on nearly every request
		long latestSecond = now.getEpochSecond() + CLOCK_SKEW_TOLERANCE.getSeconds();
		int latestNano = now.getNano();
		if (!isAfter(this.createdAt, latestSecond, latestNano)
				&& !isAfter(this.lastActivityAt, latestSecond, latestNano)
				&& (this.authenticatedAt == null || !isAfter(this.authenticatedAt, latestSecond, latestNano))) {
			return this;
		}
		Instant latest = now.plus(CLOCK_SKEW_TOLERANCE);
		return new SessionTimeline(notAfter(this.createdAt, latest), notAfter(this.lastActivityAt, latest),
				(this.authenticatedAt != null && !this.authenticatedAt.isAfter(latest)) ? this.authenticatedAt : null);
	}

	/**
	 * Return whether an instant is after the instant of the given epoch second and
	 * nanosecond of that second, as {@link Instant#isAfter(Instant)} tells.
	 */
	private static boolean isAfter(Instant instant, long epochSecond, int nano) {
		long second = instant.getEpochSecond();
		return second > epochSecond || (second == epochSecond && instant.getNano() > nano);
	}

	private static Instant notAfter(Instant instant, Instant latest) {
		return instant.isAfter(latest) ? latest : instant;
	}

	/**
	 * Return this timeline with the authentication instant of another one.
	 * @param other the timeline whose authentication instant to take
	 * @return a new timeline, or this one if the instants are the same
	 */
	public SessionTimeline withAuthenticatedAtOf(SessionTimeline other) {
		return Objects.equals(this.authenticatedAt, other.authenticatedAt) ? this
				: new SessionTimeline(this.createdAt, this.lastActivityAt, other.authenticatedAt);
	}

	/**
	 * Return this timeline with activity at the given instant, recorded to the given
	 * precision: activity within it of the activity recorded last leaves this timeline as
	 * it is, so that a session's state is not written again for every request. The idle
	 * deadline then comes up to the precision early, never late.
	 * @param now the instant of the activity
	 * @param precision the precision, see {@link #activityPrecision(Duration)}
	 * @return this timeline, or a new one
	 */
	public SessionTimeline withActivityAt(Instant now, Duration precision) {
		return now.isBefore(this.lastActivityAt.plus(precision)) ? this : withActivityAt(now);
	}

	/**
	 * Return this timeline with activity at the given instant, recorded to the
	 * {@link #activityPrecision(Duration) precision} of the given idle timeout, as
	 * {@link #withActivityAt(Instant, Duration)} does, compared without instants or
	 * durations of its own.
	 * @param now the instant of the activity
	 * @param idle the idle timeout, {@code null} if none
	 * @return this timeline, or a new one
	 */
	public SessionTimeline withActivityAtPrecisionOf(Instant now, @Nullable Duration idle) {
		long precision = (idle == null || idle.compareTo(IDLE_OF_MAX_ACTIVITY_PRECISION) >= 0)
				? MAX_ACTIVITY_PRECISION.toMillis() : idle.toMillis() / 100;
		// now < lastActivityAt + precision, as whole seconds and nanoseconds
		long seconds = now.getEpochSecond() - this.lastActivityAt.getEpochSecond();
		long nanos = (long) now.getNano() - this.lastActivityAt.getNano();
		if (nanos < 0) {
			seconds--;
			nanos += 1_000_000_000L;
		}
		long precisionSeconds = Math.floorDiv(precision, 1000L);
		long precisionNanos = Math.floorMod(precision, 1000L) * 1_000_000L;
		boolean within = seconds < precisionSeconds || (seconds == precisionSeconds && nanos < precisionNanos);
		return within ? this : withActivityAt(now);
	}

	/**
	 * Return the precision to which activity is recorded for an idle clock: a hundredth
	 * of it, at most {@link #MAX_ACTIVITY_PRECISION}, and that when the idle clock is not
	 * enabled. An idle timeout of 30 minutes is kept to 18 seconds.
	 * @param idle the idle timeout, {@code null} if the clock is not enabled
	 * @return the precision
	 */
	public static Duration activityPrecision(@Nullable Duration idle) {
		if (idle == null || idle.compareTo(IDLE_OF_MAX_ACTIVITY_PRECISION) >= 0) {
			return MAX_ACTIVITY_PRECISION;
		}
		return Duration.ofMillis(idle.toMillis() / 100);
	}

	/**
	 * Return this timeline with activity at the given instant.
	 * @param now the instant of the activity
	 * @return a new timeline
	 */
	public SessionTimeline withActivityAt(Instant now) {
		return new SessionTimeline(this.createdAt, now, this.authenticatedAt);
	}

	/**
	 * Return this timeline with a successful authentication at the given instant, which
	 * is also activity.
	 * @param now the instant of the authentication
	 * @return a new timeline
	 */
	public SessionTimeline withAuthenticationAt(Instant now) {
		return new SessionTimeline(this.createdAt, now, now);
	}

	/**
	 * Return this timeline with a successful authentication observed at {@code now} that
	 * took place at {@code authenticatedAt}, as an OpenID Connect provider may report.
	 * The observation is activity; an authentication reported in the future counts as now
	 * (callers record one beyond the {@link #CLOCK_SKEW_TOLERANCE} as unknown, see
	 * {@link #isFromTheFuture}).
	 * @param authenticatedAt when the user authenticated
	 * @param now when the authentication was observed
	 * @return a new timeline
	 */
	public SessionTimeline withAuthenticationAt(Instant authenticatedAt, Instant now) {
		return new SessionTimeline(this.createdAt, now, authenticatedAt.isAfter(now) ? now : authenticatedAt);
	}

	/**
	 * Return this timeline with a successful authentication observed at {@code now} whose
	 * time is unknown: the observation is activity, and no authentication time is
	 * recorded, so the session is never privileged and, with a re-authentication
	 * lifetime, its user must authenticate again.
	 * @param now when the authentication was observed
	 * @return a new timeline
	 */
	public SessionTimeline withUnknownAuthenticationAt(Instant now) {
		return new SessionTimeline(this.createdAt, now, null);
	}

	/**
	 * Return whether an authentication time lies in the future beyond the
	 * {@link #CLOCK_SKEW_TOLERANCE}: it proves no recent authentication, for the clock
	 * that reported it cannot be trusted.
	 * @param authenticatedAt when the user authenticated, as reported
	 * @param now the current instant
	 * @return {@code true} if the authentication time is later than now plus the
	 * tolerance
	 */
	public static boolean isFromTheFuture(Instant authenticatedAt, Instant now) {
		return authenticatedAt.isAfter(now.plus(CLOCK_SKEW_TOLERANCE));
	}

	/**
	 * Return whether the last authentication is younger than the given age at
	 * {@code now}: an authentication at 10:00:00 with a maximum age of 15 minutes is
	 * recent enough until 10:14:59.999.
	 * @param maxAge the maximum age
	 * @param now the current instant
	 * @return {@code true} if there was an authentication and it is recent enough
	 */
	public boolean isAuthenticatedWithin(Duration maxAge, Instant now) {
		return this.authenticatedAt != null && now.isBefore(this.authenticatedAt.plus(maxAge));
	}

	/**
	 * Return whether the user of an authenticated session must authenticate again: the
	 * re-authentication clock runs and its deadline is reached, or the session never
	 * recorded when its user authenticated.
	 * @param reauthentication the re-authentication lifetime, {@code null} when disabled
	 * @param now the current instant
	 * @return {@code true} if the user must authenticate again
	 */
	public boolean isReauthenticationDue(@Nullable Duration reauthentication, Instant now) {
		return reauthentication != null && !isAuthenticatedWithin(reauthentication, now);
	}

}
