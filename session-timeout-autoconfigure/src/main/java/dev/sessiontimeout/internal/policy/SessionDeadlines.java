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

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * The deadlines of one session: the single place where the clocks are compared with
 * "now". A deadline is reached <em>at</em> its instant: a session whose idle deadline is
 * 10:30:00 is still valid at 10:29:59.999 and has ended at 10:30:00. A {@code null}
 * deadline belongs to a disabled clock, or to a clock that counts from an authentication
 * that has not happened.
 *
 * @param absoluteExpiresAt when the session reaches its absolute lifetime
 * @param idleExpiresAt when the session ends without further activity
 * @param reauthenticateAt when the user must authenticate again
 * @param privilegedUntil until when privileged operations are allowed without a step-up
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionDeadlines(@Nullable Instant absoluteExpiresAt, @Nullable Instant idleExpiresAt,
		@Nullable Instant reauthenticateAt, @Nullable Instant privilegedUntil) {

	private static final Duration STORE_MARGIN = Duration.ofSeconds(1);

	public static SessionDeadlines of(SessionTimeoutPolicy policy, SessionTimeline timeline) {
		Instant authenticatedAt = timeline.authenticatedAt();
		return new SessionDeadlines(plus(timeline.createdAt(), policy.absolute()),
				plus(timeline.lastActivityAt(), policy.idle()), plus(authenticatedAt, policy.reauthentication()),
				plus(authenticatedAt, policy.privilegedMaxAge()));
	}

	private static @Nullable Instant plus(@Nullable Instant instant, @Nullable Duration duration) {
		return (instant != null && duration != null) ? instant.plus(duration) : null;
	}

	/**
	 * Return the earliest instant at which the session ends, {@code null} if neither the
	 * absolute nor the idle clock is enabled.
	 * @return the earliest end of the session
	 */
	public @Nullable Instant expiresAt() {
		return earliest(this.absoluteExpiresAt, this.idleExpiresAt);
	}

	/**
	 * Return why the session has ended at the given instant: the clock whose deadline
	 * came first among those reached, the absolute clock on a tie.
	 * @param now the current instant
	 * @return {@link ExpiryReason#ABSOLUTE}, {@link ExpiryReason#IDLE}, or {@code null}
	 * while the session is valid
	 */
	public @Nullable ExpiryReason endReason(Instant now) {
		boolean absolute = isReached(this.absoluteExpiresAt, now);
		boolean idle = isReached(this.idleExpiresAt, now);
		if (absolute && idle) {
			return this.idleExpiresAt.isBefore(this.absoluteExpiresAt) ? ExpiryReason.IDLE : ExpiryReason.ABSOLUTE;
		}
		return absolute ? ExpiryReason.ABSOLUTE : (idle ? ExpiryReason.IDLE : null);
	}

	/**
	 * Return whether the user must authenticate again at the given instant.
	 * @param now the current instant
	 * @return {@code true} once the re-authentication deadline is reached
	 */
	public boolean isReauthenticationDue(Instant now) {
		return isReached(this.reauthenticateAt, now);
	}

	/**
	 * Return the deadline behind the given reason.
	 * @param reason the reason
	 * @return the deadline, or {@code null} if that clock has none
	 */
	public @Nullable Instant deadlineOf(ExpiryReason reason) {
		return switch (reason) {
			case ABSOLUTE -> this.absoluteExpiresAt;
			case IDLE -> this.idleExpiresAt;
			case REAUTHENTICATION -> this.reauthenticateAt;
			case PRIVILEGED -> this.privilegedUntil;
			case REVOKED, INVALID -> null;
		};
	}

	/**
	 * Return how much longer, from {@code now}, a store may keep the session: up to
	 * {@link #expiresAt()} plus the grace, less a safety margin of one second for stores
	 * that count from the end of the request rather than its start, truncated to whole
	 * seconds (the precision of every session store); but never less than up to
	 * {@link #expiresAt()} itself, rounded up to whole seconds, and one more, so that no
	 * store drops the session before its deadline, also one that counts from the
	 * session's last access, which Spring Session's stores stamp as they load it, just
	 * before the decision (so a store may keep it up to two seconds past its deadline
	 * whatever the grace: it is never served, the clocks end it at its deadline); and
	 * never less than one second, because zero or less means "never expires" to servlet
	 * containers.
	 * @param now the current instant
	 * @param grace how long the store keeps an ended session so that the next request can
	 * tell why it ended
	 * @return the store lifetime, or {@code null} if the session has no end
	 */
	public @Nullable Duration storeLifetime(Instant now, Duration grace) {
		long seconds = storeLifetimeSeconds(now, grace);
		return (seconds > 0) ? Duration.ofSeconds(seconds) : null;
	}

	/**
	 * Return how much longer, from {@code now}, a store may keep the session, as
	 * {@link #storeLifetime(Instant, Duration)} does, in whole seconds.
	 * @param now the current instant
	 * @param grace how long the store keeps an ended session so that the next request can
	 * tell why it ended
	 * @return the store lifetime in seconds, at least one, or {@code 0} if the session
	 * has no end
	 */
	public long storeLifetimeSeconds(Instant now, Duration grace) {
		Instant expiresAt = expiresAt();
		if (expiresAt == null) {
			return 0;
		}
		// The whole seconds from now to expiresAt + grace - margin, rounded down, as
		// Duration.between(now, ...).getSeconds() gives them, without the instants
		long seconds = expiresAt.getEpochSecond() + grace.getSeconds() - STORE_MARGIN.getSeconds()
				- now.getEpochSecond();
		long nanos = (long) expiresAt.getNano() + grace.getNano() - STORE_MARGIN.getNano() - now.getNano();
		seconds += Math.floorDiv(nanos, 1_000_000_000L);
		// Never before expiresAt, counted from up to a second before now (a store that
		// counts from the session's load): the whole seconds from now to it, rounded
		// up, and one more
		long untilEnd = expiresAt.getEpochSecond() - now.getEpochSecond()
				+ ((expiresAt.getNano() > now.getNano()) ? 1 : 0) + 1;
		seconds = Math.max(seconds, untilEnd);
		return Math.max(1, seconds);
	}

	private static boolean isReached(@Nullable Instant deadline, Instant now) {
		return deadline != null && !now.isBefore(deadline);
	}

	private static @Nullable Instant earliest(@Nullable Instant first, @Nullable Instant second) {
		if (first == null) {
			return second;
		}
		return (second != null && second.isBefore(first)) ? second : first;
	}

}
