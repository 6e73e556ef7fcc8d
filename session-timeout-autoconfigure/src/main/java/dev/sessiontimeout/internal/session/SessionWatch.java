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
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * Watches the session of a response that outlives the decision to serve it (server-sent
 * events, a streamed body, a deferred result), so that it writes nothing once its session
 * ended or its user must authenticate again. Each {@link #check()} compares the clock
 * with the earliest deadline the watch knows of, without touching the store; when that
 * deadline is reached, and at least every check interval (for a revocation, a logout or
 * another request's activity), it reads the session as its store now holds it. A watch
 * never changes the session; once it has found a reason to stop, or the store failed to
 * answer, it keeps it. It acts on writes: a response that writes nothing is not ended
 * until its next write or its asynchronous timeout.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionClocks#watch
 */
public final class SessionWatch {

	private static final Log logger = LogFactory.getLog(SessionWatch.class);

	private final SessionClocks clocks;

	private final String sessionId;

	private final Supplier<@Nullable SessionAttributeSource> lookup;

	private final SessionTimeoutPolicy policy;

	private final boolean authenticated;

	private final @Nullable Instant authenticatedAt;

	private final Duration checkInterval;

	private Instant checkAt;

	private @Nullable ExpiryReason stopReason;

	private @Nullable RuntimeException failure;

	SessionWatch(SessionClocks clocks, String sessionId, Supplier<@Nullable SessionAttributeSource> lookup,
			SessionState state, @Nullable Instant writtenAuthenticatedAt, boolean authenticated,
			Duration checkInterval) {
		this.clocks = clocks;
		this.sessionId = sessionId;
		this.lookup = lookup;
		this.policy = state.policy();
		this.authenticated = authenticated;
		this.authenticatedAt = writtenAuthenticatedAt;
		this.checkInterval = checkInterval;
		this.checkAt = nextCheck(state.deadlines(), state.readAt());
	}

	/**
	 * Return whether the response may still write: the clock is compared with the
	 * earliest known deadline, and the store read when that is reached or the check
	 * interval has passed.
	 * @return the reason to stop writing, or {@code null} while the response may go on
	 * @throws RuntimeException if the store does not answer, so that nothing more is
	 * written
	 */
	public @Nullable ExpiryReason check() {
		return check(this.clocks.now());
	}

	/**
	 * Return whether the response may still write at an instant read from the clock by
	 * {@link #now()}: for a response whose store answers asynchronously, which asks
	 * {@link #isReadDue(Instant)} and then checks on the same reading of the clock, so
	 * that a read that falls due between two readings is never skipped.
	 * @param now the instant of the check
	 * @return the reason to stop writing, or {@code null} while the response may go on
	 * @throws RuntimeException if the store does not answer, so that nothing more is
	 * written
	 */
	public synchronized @Nullable ExpiryReason check(Instant now) {
		if (this.stopReason != null || this.failure != null) {
			return stopped();
		}
		return now.isBefore(this.checkAt) ? null : look(now);
	}

	/**
	 * Return whether a {@link #check(Instant)} at an instant reads the session from its
	 * store: for a response whose store answers asynchronously, so that the session can
	 * be read ahead of that check, without blocking.
	 * @param now the instant of the check, read from the clock by {@link #now()}
	 * @return {@code true} if the earliest known deadline or the check interval is
	 * reached
	 */
	public synchronized boolean isReadDue(Instant now) {
		return this.stopReason == null && this.failure == null && !now.isBefore(this.checkAt);
	}

	/**
	 * Return the instant of the watch's clock, for {@link #isReadDue(Instant)} and
	 * {@link #check(Instant)}.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clocks.now();
	}

	/**
	 * Return whether the response may still write, reading the session from its store
	 * now: for a deferred result, whose answer is written once.
	 * @return the reason to stop writing, or {@code null} while the response may go on
	 * @throws RuntimeException if the store does not answer
	 */
	public synchronized @Nullable ExpiryReason checkNow() {
		return (this.stopReason != null || this.failure != null) ? stopped() : look(this.clocks.now());
	}

	private ExpiryReason stopped() {
		RuntimeException failure = this.failure;
		if (failure != null) {
			throw failure;
		}
		return Objects.requireNonNull(this.stopReason);
	}

	/**
	 * Return the re-authentication lifetime of the session's policy, for the challenge of
	 * a response stopped because its user must authenticate again.
	 * @return the lifetime, {@link Duration#ZERO} if the policy has none
	 */
	public Duration reauthentication() {
		Duration reauthentication = this.policy.reauthentication();
		return (reauthentication != null) ? reauthentication : Duration.ZERO;
	}

	private @Nullable ExpiryReason look(Instant now) {
		SessionAttributeSource session;
		try {
			session = this.lookup.get();
		}
		catch (RuntimeException ex) {
			// Fail closed, once: the store is not asked again for this response
			this.failure = ex;
			throw ex;
		}
		SessionTimeline written = (session != null) ? SessionAttributes.read(session) : null;
		SessionTimeline timeline = (written != null) ? written.trustedAt(now) : null;
		ExpiryReason reason = (session != null && written != null && timeline != null)
				? reasonToStop(session, timeline, written.authenticatedAt(), now)
				: (session != null) ? ExpiryReason.INVALID : this.clocks.unknownSessionReason(this.sessionId);
		if (reason != null) {
			this.stopReason = reason;
			if (logger.isDebugEnabled()) {
				logger.debug("Stopped a long-lived response of session " + SessionIds.hash(this.sessionId) + ": "
						+ reason.value());
			}
			return reason;
		}
		this.checkAt = nextCheck(SessionDeadlines.of(this.policy, timeline), now);
		return null;
	}

	private @Nullable ExpiryReason reasonToStop(SessionAttributeSource session, SessionTimeline timeline,
			@Nullable Instant writtenAuthenticatedAt, Instant now) {
		if (session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
			return ExpiryReason.REVOKED;
		}
		SessionDeadlines deadlines = SessionDeadlines.of(this.policy, timeline);
		ExpiryReason reason = deadlines.endReason(now);
		if (reason == null && this.authenticated && !Objects.equals(writtenAuthenticatedAt, this.authenticatedAt)) {
			// Its user authenticated again, or another user signed in: not the
			// authentication this response began with
			return ExpiryReason.REAUTHENTICATION;
		}
		if (reason == null && this.authenticated && deadlines.isReauthenticationDue(now)) {
			return ExpiryReason.REAUTHENTICATION;
		}
		if (reason == null && this.authenticated && this.clocks.nameOf(session) == null) {
			// Its user signed out of the session, which a logout that does not
			// invalidate it keeps: the response was its user's
			return ExpiryReason.REAUTHENTICATION;
		}
		return reason;
	}

	private Instant nextCheck(SessionDeadlines deadlines, Instant now) {
		Instant next = now.plus(this.checkInterval);
		next = earlier(next, deadlines.expiresAt());
		return this.authenticated ? earlier(next, deadlines.reauthenticateAt()) : next;
	}

	private static Instant earlier(Instant instant, @Nullable Instant other) {
		return (other != null && other.isBefore(instant)) ? other : instant;
	}

}
