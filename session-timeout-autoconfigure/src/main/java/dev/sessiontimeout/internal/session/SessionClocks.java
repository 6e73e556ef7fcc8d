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
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionChallengedEvent;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.policy.SessionDeadlines;
import dev.sessiontimeout.policy.SessionTimeline;
import dev.sessiontimeout.policy.SessionTimeoutPolicy;
import dev.sessiontimeout.policy.SessionTimeoutSettings;

/**
 * The one owner of every session's clocks: it reads a session's state (adopting a session
 * it has not seen), decides whether a request may be served, must authenticate again or
 * finds its session ended, records activity and authentications, raises challenges, ends
 * sessions (telling listeners, remembering why, publishing one event), and aims the
 * store's own expiry. It reads "now" in one place, to the millisecond. The web stacks
 * adapt their requests and sessions to it ({@link SessionAccess}, {@link Request}); it
 * knows no servlet or reactive type.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionClocks {

	private static final Log logger = LogFactory.getLog(SessionClocks.class);

	private static final int RECENTLY_ENDED_CAPACITY = 10_000;

	private final SessionTimeoutSettings settings;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private SessionPrincipalResolver principalResolver = SessionPrincipalResolver.NONE;

	private List<SessionEndListener> sessionEndListeners = List.of();

	private EndedSessions endedSessions = new InMemoryEndedSessions();

	private final Set<String> recentlyEnded = Collections
		.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > RECENTLY_ENDED_CAPACITY;
			}

		}));

	/**
	 * Create a new instance.
	 * @param settings the effective configuration
	 * @param clock the clock of every decision
	 * @param eventPublisher publishes {@link SessionTimeoutEvent}s and
	 * {@link SessionStepUpEvent}s
	 */
	public SessionClocks(SessionTimeoutSettings settings, Clock clock, ApplicationEventPublisher eventPublisher) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.settings = settings;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set what tells whose session it is, for events and logs.
	 * @param principalResolver the principal resolver
	 */
	public void setPrincipalResolver(SessionPrincipalResolver principalResolver) {
		Assert.notNull(principalResolver, "'principalResolver' must not be null");
		this.principalResolver = principalResolver;
	}

	/**
	 * Set the listeners told of every session a clock ends, before it is invalidated.
	 * @param sessionEndListeners the listeners
	 */
	public void setSessionEndListeners(List<SessionEndListener> sessionEndListeners) {
		Assert.notNull(sessionEndListeners, "'sessionEndListeners' must not be null");
		this.sessionEndListeners = List.copyOf(sessionEndListeners);
	}

	/**
	 * Set what remembers why sessions ended, for requests that still carry their ids.
	 * @param endedSessions the ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		Assert.notNull(endedSessions, "'endedSessions' must not be null");
		this.endedSessions = endedSessions;
	}

	/**
	 * Return the effective configuration.
	 * @return the settings
	 */
	public SessionTimeoutSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the current instant of the clock of every decision, to the millisecond.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Return the state of a session without changing it.
	 * @param session the session
	 * @return the state, or {@code null} if the session has no clocks of this starter
	 */
	public @Nullable SessionState state(SessionAccess session) {
		SessionTimeline timeline = SessionAttributes.read(session);
		return (timeline != null) ? new SessionState(timeline, policy(session)) : null;
	}

	/**
	 * Return the policy of a session: the one it was given when its user authenticated,
	 * lowered to the current limits, else the global one.
	 * @param session the session
	 * @return the policy
	 */
	public SessionTimeoutPolicy policy(SessionAccess session) {
		return SessionAttributes.policy(session, this.settings);
	}

	/**
	 * Return the status of a session, as the status endpoint and
	 * {@link dev.sessiontimeout.SessionTimeouts} show it, without changing it.
	 * @param session the session
	 * @return the status, or empty if the session has no clocks of this starter
	 */
	public Optional<SessionStatus> status(SessionAccess session) {
		SessionState state = state(session);
		if (state == null) {
			return Optional.empty();
		}
		SessionDeadlines deadlines = state.deadlines();
		String principal = this.principalResolver.resolve(session);
		return Optional
			.of(new SessionStatus(principal != null, principal, state.policy().name(), state.timeline().createdAt(),
					state.timeline().lastActivityAt(), deadlines.absoluteExpiresAt(), deadlines.idleExpiresAt(),
					deadlines.reauthenticateAt(), deadlines.privilegedUntil(), deadlines.expiresAt()));
	}

	/**
	 * Start the clocks of a session that was just created, with the global policy.
	 * @param session the new session
	 * @return its state
	 */
	public SessionState start(SessionAccess session) {
		Instant now = now();
		SessionTimeline timeline = SessionTimeline.startingAt(now);
		SessionAttributes.write(session, timeline, null);
		SessionState state = new SessionState(timeline, this.settings.getDefaultPolicy());
		aimStoreExpiry(session, state.deadlines(), now);
		return state;
	}

	/**
	 * Decide whether a request may use its session: end the session if a deadline has
	 * passed (or it was revoked), ask its user to authenticate again if the request needs
	 * a more recent authentication, else record the activity, if any. Each time the
	 * store's own expiry is aimed at the session's end plus the store grace.
	 * @param session the session of the request
	 * @param request what the decision needs to know of the request
	 * @return the decision
	 */
	public Decision decide(SessionAccess session, Request request) {
		Instant now = now();
		String sessionId = session.getId();
		try {
			SessionTimeline stored = SessionAttributes.read(session);
			SessionTimeline timeline = (stored != null) ? stored : adopt(session, now);
			SessionTimeoutPolicy policy = policy(session);
			if (session.getAttribute(SessionAttributes.REVOKED_AT) instanceof Long revokedAt) {
				end(session, ExpiryReason.REVOKED, Instant.ofEpochMilli(revokedAt), policy, false, now);
				return Decision.end(ExpiryReason.REVOKED);
			}
			SessionDeadlines deadlines = policy.deadlines(timeline);
			ExpiryReason reason = deadlines.endReason(now);
			if (reason != null) {
				end(session, reason, deadlines.deadlineOf(reason), policy, true, now);
				return Decision.end(reason);
			}
			Decision challenge = challenge(session, request, timeline, policy, now);
			if (challenge != null) {
				aimStoreExpiry(session, deadlines, now);
				return challenge;
			}
			SessionTimeline current = request.isPassive() ? timeline : timeline.withActivityAt(now);
			SessionAttributes.write(session, current, stored);
			SessionState state = new SessionState(current, policy);
			aimStoreExpiry(session, state.deadlines(), now);
			return Decision.serve(state);
		}
		catch (IllegalStateException ex) {
			// Invalidated by a concurrent request since this one looked it up
			return Decision.end(endedReason(sessionId, now));
		}
	}

	/**
	 * Return why a session that the store does not know ended: the reason remembered for
	 * it during its store grace, else {@link ExpiryReason#INVALID}.
	 * @param sessionId the id a request named
	 * @return the reason
	 */
	public ExpiryReason unknownSessionReason(String sessionId) {
		return endedReason(sessionId, now());
	}

	private ExpiryReason endedReason(String sessionId, Instant now) {
		ExpiryReason reason = this.endedSessions.reasonOf(sessionId, now);
		return (reason != null) ? reason : ExpiryReason.INVALID;
	}

	private @Nullable Decision challenge(SessionAccess session, Request request, SessionTimeline timeline,
			SessionTimeoutPolicy policy, Instant now) {
		if (request.isExempt() || !request.isAuthenticated()) {
			return null;
		}
		if (policy.isReauthenticationDue(timeline, now) && request.requiresAuthentication()) {
			return Decision.challenge(ExpiryReason.REAUTHENTICATION, policy.reauthentication());
		}
		Duration privilegedMaxAge = policy.privilegedMaxAge();
		if (request.isPrivilegedPath() && !isPrivileged(session, timeline, privilegedMaxAge, request, now)) {
			return Decision.challenge(ExpiryReason.PRIVILEGED,
					(privilegedMaxAge != null) ? privilegedMaxAge : Duration.ZERO);
		}
		return null;
	}

	/**
	 * Return whether a session may perform a privileged operation that needs an
	 * authentication no older than the given age: its user proved a factor (a remember-me
	 * login does not) recently enough. A maximum age of zero needs an authentication that
	 * no other request has used for such an operation yet, and uses it for this request.
	 * @param session the session
	 * @param maxAge the maximum age of the authentication, {@code null} for none
	 * @param request what the decision needs to know of the request
	 * @return {@code true} if the operation may proceed
	 */
	public boolean isPrivileged(SessionAccess session, @Nullable Duration maxAge, Request request) {
		SessionTimeline timeline = SessionAttributes.read(session);
		return timeline != null && isPrivileged(session, timeline, maxAge, request, now());
	}

	private boolean isPrivileged(SessionAccess session, SessionTimeline timeline, @Nullable Duration maxAge,
			Request request, Instant now) {
		if (!request.mayBePrivileged()) {
			return false;
		}
		if (maxAge == null) {
			return true;
		}
		if (maxAge.isZero()) {
			if (request.hasUsedPrivilegeGrant()) {
				return true;
			}
			Object grant = session.getAttribute(SessionAttributes.PRIVILEGE_GRANT);
			if (grant != null && grant.equals(epochMilli(timeline.authenticatedAt()))) {
				session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
				request.usePrivilegeGrant();
				return true;
			}
			return false;
		}
		return timeline.isAuthenticatedWithin(maxAge, now);
	}

	/**
	 * Record that the user of a session must authenticate again, so that only the same
	 * user, recently enough authenticated, meets the challenge, and announce it once with
	 * a {@link SessionTimeoutEvent}.
	 * @param session the session
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 */
	public void recordChallenge(SessionAccess session, ExpiryReason reason, Duration maxAge) {
		String principal = this.principalResolver.resolve(session);
		if (principal == null) {
			return;
		}
		PendingChallenge pending = PendingChallenge.of(session);
		if (pending != null && pending.reason() == reason && pending.maxAge().equals(maxAge)
				&& pending.principal().equals(principal)) {
			return;
		}
		Instant now = now();
		session.setAttribute(SessionAttributes.CHALLENGE,
				new PendingChallenge(reason, maxAge, now, principal).encode());
		SessionTimeline timeline = SessionAttributes.read(session);
		SessionTimeoutPolicy policy = policy(session);
		Instant authenticatedAt = (timeline != null) ? timeline.authenticatedAt() : null;
		Instant deadline = (timeline == null || authenticatedAt == null) ? null
				: (reason == ExpiryReason.REAUTHENTICATION) ? policy.deadlines(timeline).reauthenticateAt()
						: authenticatedAt.plus(maxAge);
		String sessionIdHash = SessionIds.hash(session.getId());
		logger.info("Session " + sessionIdHash + " of " + principal + " must authenticate again: " + reason
				+ ", at most " + maxAge.toSeconds() + "s ago (policy " + policy.name() + ")");
		this.eventPublisher.publishEvent(new SessionChallengedEvent(this, this.clock, reason, principal, sessionIdHash,
				deadline, policy.name()));
	}

	/**
	 * Return the challenge that an authentication in a session must meet: the pending
	 * one, else re-authentication if it is due.
	 * @param session the session
	 * @param now the current instant
	 * @return the challenge, or {@code null} if the session's user need not authenticate
	 * again
	 */
	public @Nullable PendingChallenge challengeToMeet(SessionAccess session, Instant now) {
		PendingChallenge challenge = PendingChallenge.of(session);
		if (challenge != null) {
			return challenge;
		}
		SessionTimeline timeline = SessionAttributes.read(session);
		String principal = this.principalResolver.resolve(session);
		if (timeline == null || principal == null) {
			return null;
		}
		SessionTimeoutPolicy policy = policy(session);
		if (policy.isReauthenticationDue(timeline, now)) {
			return new PendingChallenge(ExpiryReason.REAUTHENTICATION, policy.reauthentication(), now, principal);
		}
		return null;
	}

	/**
	 * Record a successful (re)authentication in a session: it gives the session the
	 * policy of its user, restarts the clocks that count from authentication, and is
	 * activity. The absolute clock is untouched. A pending challenge is met (the caller
	 * made sure that the same user authenticated recently enough) and announced with a
	 * {@link SessionStepUpEvent}. The authentication may serve one privileged operation
	 * with a maximum age of zero if it took place now, or met such a challenge (an
	 * identity provider's older single sign-on does not).
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it (an OpenID Connect {@code auth_time}), or {@code null} for now
	 * @param policy the policy of the session from now on
	 * @return the session's state
	 */
	public SessionState recordAuthentication(SessionAccess session, @Nullable Instant reportedAuthenticatedAt,
			SessionTimeoutPolicy policy) {
		Instant now = now();
		Instant authenticatedAt = (reportedAuthenticatedAt != null) ? reportedAuthenticatedAt : now;
		SessionTimeline stored = SessionAttributes.read(session);
		SessionTimeline timeline = ((stored != null) ? stored : adopt(session, now))
			.withAuthenticationAt(authenticatedAt, now);
		SessionAttributes.write(session, timeline, stored);
		String encodedPolicy = policy.encode();
		if (!encodedPolicy.equals(session.getAttribute(SessionAttributes.POLICY))) {
			session.setAttribute(SessionAttributes.POLICY, encodedPolicy);
		}
		PendingChallenge pending = PendingChallenge.of(session);
		Long grant = epochMilli(timeline.authenticatedAt());
		if (grant != null
				&& (reportedAuthenticatedAt == null || (pending != null && pending.isMetBy(authenticatedAt, now)))) {
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, grant);
		}
		else {
			session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		}
		if (pending != null) {
			session.removeAttribute(SessionAttributes.CHALLENGE);
			String sessionIdHash = SessionIds.hash(session.getId());
			logger.info("Session " + sessionIdHash + " of " + pending.principal() + " met its challenge: "
					+ pending.reason() + " (policy " + policy.name() + ")");
			this.eventPublisher.publishEvent(new SessionStepUpEvent(this, this.clock, pending.reason(),
					pending.principal(), sessionIdHash, policy.name()));
		}
		SessionState state = new SessionState(timeline, policy);
		aimStoreExpiry(session, state.deadlines(), now);
		return state;
	}

	/**
	 * Return the {@code Max-Age} in seconds that the session cookie gets: the remaining
	 * absolute lifetime (else the idle one) for a policy whose cookie is persistent.
	 * @param state the session's state
	 * @return the maximum age, or {@code null} for a browser-session cookie
	 */
	public @Nullable Integer cookieMaxAge(SessionState state) {
		SessionDeadlines deadlines = state.deadlines();
		Instant end = (deadlines.absoluteExpiresAt() != null) ? deadlines.absoluteExpiresAt() : deadlines.expiresAt();
		if (!state.policy().cookiePersistent() || end == null) {
			return null;
		}
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.between(now(), end).getSeconds()));
	}

	private SessionTimeline adopt(SessionAccess session, Instant now) {
		Instant createdAt = session.getCreationTime().truncatedTo(ChronoUnit.MILLIS);
		return SessionTimeline.startingAt(createdAt.isAfter(now) ? now : createdAt).withActivityAt(now);
	}

	private void aimStoreExpiry(SessionAccess session, SessionDeadlines deadlines, Instant now) {
		Duration lifetime = deadlines.storeLifetime(now, this.settings.getStoreGrace());
		int seconds = (lifetime != null) ? (int) Math.min(Integer.MAX_VALUE, lifetime.getSeconds()) : Integer.MAX_VALUE;
		if (session.getMaxInactiveInterval() != seconds) {
			session.setMaxInactiveInterval(seconds);
		}
	}

	private void end(SessionAccess session, ExpiryReason reason, @Nullable Instant deadline,
			SessionTimeoutPolicy policy, boolean publish, Instant now) {
		String principal = this.principalResolver.resolve(session);
		String sessionId = session.getId();
		String sessionIdHash = SessionIds.hash(sessionId);
		// Remembered before the session goes, by every request that ends it, so that no
		// request finds it gone and forgotten
		Instant until = ((deadline != null) ? deadline : now).plus(this.settings.getStoreGrace());
		if (now.isBefore(until)) {
			this.endedSessions.remember(sessionId, reason, until, now);
		}
		this.sessionEndListeners.forEach((listener) -> listener.sessionEnded(session, reason));
		try {
			session.invalidate();
		}
		catch (IllegalStateException ex) {
			// Already invalidated by a concurrent request
		}
		if (this.recentlyEnded.add(sessionIdHash)) {
			logger.info("Session " + sessionIdHash + " of " + ((principal != null) ? principal : "anonymous")
					+ " ended: " + reason + " at " + deadline + " (policy " + policy.name() + ")");
			if (publish) {
				this.eventPublisher.publishEvent(new SessionEndedEvent(this, this.clock, reason, principal,
						sessionIdHash, deadline, policy.name()));
			}
		}
	}

	private static @Nullable Long epochMilli(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	/**
	 * What a decision needs to know of a request, asked only when needed.
	 */
	public interface Request {

		/**
		 * Return whether the request does not count as activity.
		 * @return {@code true} for a passive request
		 */
		boolean isPassive();

		/**
		 * Return whether the request is never challenged, such as a request of the
		 * expired page.
		 * @return {@code true} if the request is never challenged
		 */
		default boolean isExempt() {
			return false;
		}

		/**
		 * Return whether the session holds an authenticated, non-anonymous user.
		 * @return {@code true} if its user is authenticated
		 */
		boolean isAuthenticated();

		/**
		 * Return whether the session's authentication can grant privileged operations at
		 * all: a user who proved a factor, rather than one remembered by a remember-me
		 * cookie.
		 * @return {@code true} if a recent enough authentication makes it privileged
		 */
		boolean mayBePrivileged();

		/**
		 * Return whether the request needs an authenticated user, as the application's
		 * security rules say.
		 * @return {@code true} if an anonymous user would be refused
		 */
		boolean requiresAuthentication();

		/**
		 * Return whether the request needs a privileged session.
		 * @return {@code true} for a privileged path
		 */
		boolean isPrivilegedPath();

		/**
		 * Return whether an earlier check of this request used the session's privilege
		 * grant (the authentication that a maximum age of zero allows once).
		 * @return {@code true} if the grant was used for this request
		 */
		boolean hasUsedPrivilegeGrant();

		/**
		 * Remember that this request used the session's privilege grant.
		 */
		void usePrivilegeGrant();

	}

	/**
	 * What a request may do with its session.
	 *
	 * @param reason why the session ended or its user must authenticate again,
	 * {@code null} to serve the request
	 * @param maxAge for a challenge, how old the new authentication may be at most
	 * @param state for a request that is served, the session's state
	 */
	public record Decision(@Nullable ExpiryReason reason, @Nullable Duration maxAge, @Nullable SessionState state) {

		static Decision serve(SessionState state) {
			return new Decision(null, null, state);
		}

		static Decision end(ExpiryReason reason) {
			return new Decision(reason, null, null);
		}

		static Decision challenge(ExpiryReason reason, Duration maxAge) {
			return new Decision(reason, maxAge, null);
		}

	}

}
