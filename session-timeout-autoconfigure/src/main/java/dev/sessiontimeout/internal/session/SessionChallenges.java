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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionChallengedEvent;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * The challenges to authenticate again of the {@link SessionClocks}: whether a session is
 * privileged enough, which challenge its user must meet, and what an authentication
 * meets. A challenge is recorded in the session so that only the same user, recently
 * enough authenticated, meets it; a maximum age of zero allows one privileged operation
 * per authentication.
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class SessionChallenges {

	private static final Log logger = LogFactory.getLog(SessionClocks.class);

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private final SessionPrincipals principals;

	private PrivilegeGrants privilegeGrants = new InMemoryPrivilegeGrants();

	private PrivilegedOperations privilegedOperations = new PrivilegedOperations();

	SessionChallenges(Clock clock, ApplicationEventPublisher eventPublisher, SessionPrincipals principals) {
		this.clock = clock;
		this.principals = principals;
		this.eventPublisher = eventPublisher;
	}

	void setPrivilegeGrants(PrivilegeGrants privilegeGrants) {
		this.privilegeGrants = privilegeGrants;
	}

	void setPrivilegedOperations(PrivilegedOperations privilegedOperations) {
		this.privilegedOperations = privilegedOperations;
	}

	/**
	 * Decide whether a request must authenticate again before it is served: when the
	 * re-authentication is due and the request needs an authenticated user, or when the
	 * request's path needs a privileged session that the session is not.
	 */
	@Nullable SessionDecision decide(SessionAccess session, SessionRequest request, SessionTimeline timeline,
			SessionTimeoutPolicy policy, Instant now) {
		SessionDecision reauthentication = decideReauthentication(request, timeline, policy, now);
		if (reauthentication != null || request.isExempt() || !request.isAuthenticated()) {
			return reauthentication;
		}
		return decidePrivilegedPath(session, request, timeline, policy, now);
	}

	/**
	 * Decide whether a request must authenticate again because its user's
	 * re-authentication is due and the request needs an authenticated user: the rule of
	 * {@link #decide}, also for the rest of a request in which the session's user just
	 * signed in without authenticating (a remember-me login).
	 */
	@Nullable SessionDecision decideReauthentication(SessionRequest request, SessionTimeline timeline,
			SessionTimeoutPolicy policy, Instant now) {
		if (request.isExempt() || !request.isAuthenticated()) {
			return null;
		}
		if (timeline.isReauthenticationDue(policy.reauthentication(), now) && request.requiresAuthentication()) {
			return SessionDecision.challenge(ExpiryReason.REAUTHENTICATION, policy.reauthentication());
		}
		return null;
	}

	/**
	 * Decide, for a request that {@link #decide} served, the rule of privileged paths
	 * again: for its path as it is now, which a filter of the application rewrote since
	 * (the path that the application's security and handler see), with the session's
	 * timeline and policy as the decision found them.
	 */
	@Nullable SessionDecision decidePrivilegedPathAgain(SessionAccess session, SessionRequest request, SessionTimeline timeline,
			SessionTimeoutPolicy policy, Instant now) {
		if (request.isExempt() || !request.isAuthenticated()) {
			return null;
		}
		return decidePrivilegedPath(session, request, timeline, policy, now);
	}

	/**
	 * Decide whether a request of an authenticated user must authenticate again because
	 * its path needs a privileged session that the session is not.
	 */
	private @Nullable SessionDecision decidePrivilegedPath(SessionAccess session, SessionRequest request,
			SessionTimeline timeline, SessionTimeoutPolicy policy, Instant now) {
		Duration privilegedMaxAge = policy.privilegedMaxAge();
		if (request.isPrivilegedPath() && !isPrivilegedPathServed(session, timeline, privilegedMaxAge, request, now)) {
			return SessionDecision.challenge(ExpiryReason.PRIVILEGED,
					(privilegedMaxAge != null) ? privilegedMaxAge : Duration.ZERO);
		}
		return null;
	}

	/**
	 * Return whether a privileged path is served by the session: a request that carries a
	 * bearer token is decided by its token once authenticated, so it never spends the
	 * session's privilege grant of a maximum age of zero; should no token authenticate
	 * it, the session's challenge stands.
	 */
	private boolean isPrivilegedPathServed(SessionAccess session, SessionTimeline timeline, @Nullable Duration maxAge,
			SessionRequest request, Instant now) {
		if (maxAge != null && maxAge.isZero() && !request.hasUsedPrivilegeGrant()) {
			if (request.carriesBearerToken()) {
				return false;
			}
			if (request.mayBePrivileged() && holdsGrant(session) && request.defersPrivilegeGrantClaim()) {
				// Claimed once the security filter chain lets the request through
				return true;
			}
		}
		return isPrivileged(session, timeline, maxAge, request, now);
	}

	/**
	 * Return whether a session holds the privilege grant of its user's last
	 * authentication, unused as far as its copy tells.
	 */
	private static boolean holdsGrant(SessionAccess session) {
		Long value = SessionAttributes.grantOf(session.getAttribute(SessionAttributes.PRIVILEGE_GRANT));
		SessionTimeline written = SessionAttributes.read(session);
		return value != null && written != null && value.equals(epochMilli(written.authenticatedAt()));
	}

	/**
	 * Return whether a session may perform a privileged operation that needs an
	 * authentication no older than the given age: its user proved a factor (a remember-me
	 * login does not) recently enough. A maximum age of zero needs an authentication that
	 * no other request has used for such an operation yet, and uses it for this request:
	 * the {@link PrivilegeGrants} decide which of parallel requests does, or the store,
	 * asked without blocking by a request that
	 * {@link SessionRequest#claimsPrivilegeGrantLater claims the grant later}.
	 */
	boolean isPrivileged(SessionAccess session, SessionTimeline timeline, @Nullable Duration maxAge,
			SessionRequest request, Instant now) {
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
			String grant = SessionAttributes.usableGrant(session.getAttribute(SessionAttributes.PRIVILEGE_GRANT));
			Long value = SessionAttributes.grantOf(grant);
			SessionTimeline written = SessionAttributes.read(session);
			if (grant != null && value != null && written != null
					&& value.equals(epochMilli(written.authenticatedAt()))) {
				if (request.claimsPrivilegeGrantLater(session.getId(), grant)) {
					session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
					// Not privileged until the store says so
					return false;
				}
				// A claim that fails (the store does not answer) leaves the copy as it
				// was: the grant is spent only if the store ran the claim
				boolean used = this.privilegeGrants.use(session.getId(), written.createdAt(), grant);
				session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
				if (used) {
					request.usePrivilegeGrant();
					return true;
				}
			}
			return false;
		}
		return timeline.isAuthenticatedWithin(maxAge, now);
	}

	/**
	 * Record that the user of a session must authenticate again, and announce it once
	 * with a {@link SessionChallengedEvent}.
	 */
	void record(SessionAccess session, ExpiryReason reason, Duration maxAge, SessionTimeoutPolicy policy, Instant now) {
		String principal = this.principals.nameOf(session);
		if (principal == null) {
			return;
		}
		PendingChallenge pending = PendingChallenge.of(session);
		if (pending != null && pending.reason() == reason && pending.maxAge().equals(maxAge)
				&& pending.principal().equals(principal)) {
			return;
		}
		new PendingChallenge(reason, maxAge, now, principal, this.principals.providerOf(session)).writeTo(session);
		SessionTimeline timeline = SessionAttributes.read(session, now);
		Instant authenticatedAt = (timeline != null) ? timeline.authenticatedAt() : null;
		Instant deadline = (timeline == null || authenticatedAt == null) ? null
				: (reason == ExpiryReason.REAUTHENTICATION) ? SessionDeadlines.of(policy, timeline).reauthenticateAt()
						: authenticatedAt.plus(maxAge);
		String sessionIdHash = SessionIds.hash(session.getId());
		logger.info(
				"Session " + sessionIdHash + " of " + this.principals.describe(principal) + " must authenticate again: "
						+ reason + ", at most " + maxAge.toSeconds() + "s ago (policy " + policy.name() + ")");
		this.eventPublisher.publishEvent(new SessionChallengedEvent(this, this.clock, reason, principal, sessionIdHash,
				deadline, policy.name()));
	}

	/**
	 * Return the challenge that an authentication in a session must meet: the pending
	 * one, else re-authentication if it is due. A session that no longer holds the user
	 * whom the pending challenge is for (that user signed out, and the application's
	 * logout kept the session) has no challenge of that user to meet.
	 */
	@Nullable PendingChallenge toMeet(SessionAccess session, SessionTimeoutPolicy policy, Instant now) {
		PendingChallenge challenge = pendingFor(session);
		if (challenge != null) {
			return challenge;
		}
		SessionTimeline timeline = SessionAttributes.read(session, now);
		String principal = this.principals.nameOf(session);
		if (timeline == null || principal == null) {
			return null;
		}
		if (timeline.isReauthenticationDue(policy.reauthentication(), now)) {
			return new PendingChallenge(ExpiryReason.REAUTHENTICATION, policy.reauthentication(), now, principal,
					this.principals.providerOf(session));
		}
		return null;
	}

	/**
	 * Record what an authentication that just took place meets: a pending challenge (the
	 * caller made sure that the same user authenticated recently enough), announced with
	 * a {@link SessionStepUpEvent}; and one privileged operation with a maximum age of
	 * zero if the authentication took place now, or met the pending challenge and took
	 * place after it was raised. An identity provider's older single sign-on does not,
	 * also when it is recent enough to meet a challenge with a maximum age above zero.
	 */
	void authenticated(SessionAccess session, SessionTimeline timeline, boolean reported, Instant authenticatedAt,
			SessionTimeoutPolicy policy, Instant now) {
		PendingChallenge pending = pendingFor(session);
		if (pending == null && session.getAttribute(SessionAttributes.CHALLENGE) != null) {
			// That of a user who signed out: the new user met nothing of it
			PendingChallenge.removeFrom(session);
		}
		Long grant = epochMilli(timeline.authenticatedAt());
		if (grant != null && (!reported
				|| (pending != null && pending.isMetBy(authenticatedAt, now) && pending.isAnsweredBy(authenticatedAt)))
				&& needsGrants(policy)) {
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, SessionAttributes.newGrant(grant));
			this.privilegeGrants.issued(session.getId(), timeline.createdAt(), grant);
		}
		else if (session.getAttribute(SessionAttributes.PRIVILEGE_GRANT) != null) {
			session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		}
		if (pending != null && timeline.authenticatedAt() != null) {
			// A sign-in that records no authentication time (a remember-me login)
			// meets nothing
			PendingChallenge.removeFrom(session);
			String sessionIdHash = SessionIds.hash(session.getId());
			logger.info("Session " + sessionIdHash + " of " + this.principals.describe(pending.principal())
					+ " met its challenge: " + pending.reason() + " (policy " + policy.name() + ")");
			this.eventPublisher.publishEvent(new SessionStepUpEvent(this, this.clock, pending.reason(),
					pending.principal(), sessionIdHash, policy.name()));
		}
	}

	/**
	 * Return the pending challenge of a session if it is for the user the session holds
	 * now: the same name at the same identity provider.
	 */
	private @Nullable PendingChallenge pendingFor(SessionAccess session) {
		PendingChallenge challenge = PendingChallenge.of(session);
		if (challenge == null) {
			return null;
		}
		String principal = this.principals.nameOf(session);
		return (principal != null && challenge.isFor(principal, this.principals.providerOf(session))) ? challenge
				: null;
	}

	/**
	 * Return whether a session of a policy may need a privilege grant: its privileged age
	 * is zero, or an operation asks for zero itself.
	 */
	private boolean needsGrants(SessionTimeoutPolicy policy) {
		Duration privilegedMaxAge = policy.privilegedMaxAge();
		return (privilegedMaxAge != null && privilegedMaxAge.isZero()) || this.privilegedOperations.zeroAgeExist();
	}

	private static @Nullable Long epochMilli(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

}
