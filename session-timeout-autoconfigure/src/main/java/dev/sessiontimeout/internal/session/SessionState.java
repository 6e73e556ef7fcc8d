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

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * A session's clocks: its timeline and policy, and the deadlines they make.
 *
 * @param timeline when the session was created, last active and authenticated
 * @param policy the session's policy
 * @param readAt the instant of the clock of every decision when the state was read
 * @param deadlines the deadlines that the timeline and the policy make: those of
 * {@code SessionDeadlines.of(policy, timeline)}, which the three-argument constructor
 * computes
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionState(SessionTimeline timeline, SessionTimeoutPolicy policy, Instant readAt,
		SessionDeadlines deadlines) {

	/**
	 * Create the state of a session, with the deadlines its timeline and policy make.
	 * @param timeline when the session was created, last active and authenticated
	 * @param policy the session's policy
	 * @param readAt the instant of the clock of every decision when the state was read
	 */
	public SessionState(SessionTimeline timeline, SessionTimeoutPolicy policy, Instant readAt) {
		this(timeline, policy, readAt, SessionDeadlines.of(policy, timeline));
	}

	/**
	 * Return the {@code Max-Age} in seconds that the session cookie gets: the remaining
	 * absolute lifetime (else the idle one) at {@link #readAt()}, rounded up to whole
	 * seconds, for a policy whose cookie is persistent. Rounded up, the cookie lapses at
	 * the session's deadline or less than a second after it, never before (the browser
	 * would drop a session that is still valid); the server serves the session up to its
	 * deadline only.
	 * @return the maximum age, at least a second, or {@code null} for a browser-session
	 * cookie
	 */
	public @Nullable Integer cookieMaxAge() {
		SessionDeadlines deadlines = deadlines();
		Instant end = (deadlines.absoluteExpiresAt() != null) ? deadlines.absoluteExpiresAt() : deadlines.expiresAt();
		if (!this.policy.cookiePersistent() || end == null) {
			return null;
		}
		Duration left = Duration.between(this.readAt, end);
		long seconds = left.getSeconds() + ((left.getNano() > 0) ? 1 : 0);
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
	}

	/**
	 * Return whether the session's user must authenticate again at {@link #readAt()}.
	 * @return {@code true} if the re-authentication lifetime has passed, or the session
	 * does not know when its user authenticated while the lifetime runs
	 */
	public boolean isReauthenticationDue() {
		return this.timeline.isReauthenticationDue(this.policy.reauthentication(), this.readAt);
	}

	/**
	 * Return the session's status at {@link #readAt()}. Its {@code reauthenticateAt} and
	 * {@code privilegedUntil} are never later than its {@code absoluteExpiresAt}.
	 * @param principal the name of the session's user, {@code null} for an anonymous
	 * session
	 * @param mayBePrivileged whether the session's authentication can make it privileged
	 * at all, as the decision of a privileged operation finds: one that proved no factor
	 * (a remember-me login) or does not tell when its user authenticated has no
	 * {@code privilegedUntil}
	 * @return the status
	 */
	public SessionStatus toStatus(@Nullable String principal, boolean mayBePrivileged) {
		SessionDeadlines deadlines = deadlines();
		Instant absolute = deadlines.absoluteExpiresAt();
		return new SessionStatus(principal != null, principal, this.policy.name(), this.timeline.createdAt(),
				this.timeline.lastActivityAt(), absolute, deadlines.idleExpiresAt(),
				capped(deadlines.reauthenticateAt(), absolute),
				mayBePrivileged ? capped(deadlines.privilegedUntil(), absolute) : null, deadlines.expiresAt());
	}

	/**
	 * Cap an instant that counts from the last authentication at the absolute deadline,
	 * which nothing moves: neither a re-authentication nor a privilege lasts past the
	 * session. Not at the idle deadline, which activity moves on.
	 */
	private static @Nullable Instant capped(@Nullable Instant instant, @Nullable Instant absolute) {
		return (instant != null && absolute != null && instant.isAfter(absolute)) ? absolute : instant;
	}

}
