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

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.PolicyCodec;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * The one decision path of {@link SessionClocks#decide}: read a session's state (adopting
 * a session without one), end it if it cannot be trusted, was revoked or a deadline has
 * passed, raise a challenge if the request needs a more recent authentication, else
 * record the activity and serve. Each time the store's own expiry is aimed at the
 * session's end plus the store grace.
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class SessionDecisions {

	private final SessionTimeoutSettings settings;

	private final SessionEnds ends;

	private final SessionChallenges challenges;

	private final SessionPolicies policies;

	SessionDecisions(SessionTimeoutSettings settings, SessionEnds ends, SessionChallenges challenges,
			SessionPolicies policies) {
		this.settings = settings;
		this.ends = ends;
		this.challenges = challenges;
		this.policies = policies;
	}

	SessionDecision decide(SessionAccess session, SessionRequest request, Instant now) {
		String sessionId = session.getId();
		try {
			ExpiryReason revived = this.ends.endIfRevived(session, now);
			if (revived != null) {
				return SessionDecision.end(revived);
			}
			StoredState held = StoredState.of(session);
			if (held.unreadable()) {
				// Nothing of it can be trusted: never served
				ExpiryReason reason = (session.getAttribute(SessionAttributes.REVOKED_AT) != null)
						? ExpiryReason.REVOKED : ExpiryReason.INVALID;
				// A revoked one was announced by its revocation, as below
				this.ends.end(session, reason, null, this.policies.of(session), reason != ExpiryReason.REVOKED, now);
				return SessionDecision.end(reason);
			}
			if (this.ends.endIfSignedOutCopy(sessionId, session, held, now)) {
				// A copy, signed in, from before its user signed out of it
				return SessionDecision.end(ExpiryReason.INVALID);
			}
			StoredState ofUser = this.policies.ofCurrentUser(session, held);
			// The clocks of another user's login, now a login of the session's user
			boolean anotherUsersLogin = held.user() != null && !held.user().equals(ofUser.user());
			held = ofUser;
			SessionTimeline stored = held.timeline();
			SessionTimeline timeline;
			if (stored != null) {
				timeline = stored.trustedAt(now);
			}
			else {
				// Written at once: a challenge lets some requests go on, and nothing
				// later in this one may start the clocks again from now. Idle since its
				// last access as the store held it: a session that lost its state is
				// not given a fresh idle clock
				timeline = SessionAttributes.adoptFromLastAccess(session, now);
				held = SessionAttributes.write(session, timeline, null, held);
				stored = timeline;
			}
			SessionTimeoutPolicy policy = this.policies.forDecision(session, request, held, anotherUsersLogin, timeline,
					now);
			Object revoked = session.getAttribute(SessionAttributes.REVOKED_AT);
			if (revoked != null) {
				// A marker whose time cannot be read still revokes, at once
				Long revokedAt = SessionAttributes.epochMilli(revoked);
				Instant at = (revokedAt != null) ? Instant.ofEpochMilli(revokedAt) : now;
				this.ends.end(session, ExpiryReason.REVOKED, at, policy, false, now);
				return SessionDecision.end(ExpiryReason.REVOKED);
			}
			SessionDeadlines deadlines = SessionDeadlines.of(policy, timeline);
			ExpiryReason reason = deadlines.endReason(now);
			if (reason != null) {
				this.ends.end(session, reason, deadlines.deadlineOf(reason), policy, true, now);
				return SessionDecision.end(reason);
			}
			SessionDecision challenge = this.challenges.decide(session, request, timeline, policy, now);
			if (challenge != null) {
				SessionAttributes.expireIn(session, deadlines, now, this.settings.getStoreGrace());
				return challenge;
			}
			SessionTimeline current = request.isPassive() ? timeline
					: timeline.withActivityAtPrecisionOf(now, policy.idle());
			// Deadlines count from the instants as this node trusts them; the instant
			// of the authentication is kept as written: grants and watches compare it
			SessionAttributes.write(session, current.withAuthenticatedAtOf(stored), stored, held);
			SessionState state = new SessionState(current, policy, now,
					(current == timeline) ? deadlines : SessionDeadlines.of(policy, current));
			SessionAttributes.expireIn(session, state.deadlines(), now, this.settings.getStoreGrace());
			return SessionDecision.serve(state, stored);
		}
		catch (IllegalStateException ex) {
			if (SessionAttributes.isValid(session)) {
				throw ex;
			}
			// Invalidated by a concurrent request since this one looked it up
			return SessionDecision.end(this.ends.reasonOf(sessionId, now));
		}
	}

	/**
	 * Give a session whose user signed in with the request that ends now, without a login
	 * these clocks recorded, the policy its next decision would give it, as
	 * {@link #decide} resolves it: indexed under its user, holding the policy of its
	 * authentication, and the store's own expiry aimed by it, not by the global policy by
	 * which the request's decision, made without that user, aimed it. A session that
	 * holds the policy of its user's login, has no user, holds no readable clocks (its
	 * next decision ends or adopts it), or was revoked meanwhile (its next decision ends
	 * it) is left as it is.
	 * @param session the session
	 * @param request what the policy's resolution needs to know of the request
	 * @param now the current instant
	 * @return the session's state as it is now, or {@code null} if it was left as it is
	 */
	@Nullable SessionState followSignIn(SessionAccess session, SessionRequest request, Instant now) {
		StoredState held = StoredState.of(session);
		if (held.unreadable() || held.timeline() == null || !this.policies.resolvesAtNextDecision(session, held)
				|| session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
			// Revoked meanwhile: kept as its revocation aimed it, ended at its next
			// request
			return null;
		}
		StoredState ofUser = this.policies.ofCurrentUser(session, held);
		boolean anotherUsersLogin = held.user() != null && !held.user().equals(ofUser.user());
		SessionTimeline timeline = Objects.requireNonNull(ofUser.timeline()).trustedAt(now);
		SessionTimeoutPolicy policy = this.policies.forDecision(session, request, ofUser, anotherUsersLogin, timeline,
				now);
		SessionState state = new SessionState(timeline, policy, now);
		SessionAttributes.expireIn(session, state.deadlines(), now, this.settings.getStoreGrace());
		return state;
	}

	@Nullable SessionState recordActivity(SessionAccess session, SessionDecision served, Instant now) {
		SessionState state = served.state();
		SessionTimeline found = served.found();
		if (served.reason() != null || state == null || found == null || state.deadlines().endReason(now) != null) {
			// Not served, or ended since the decision: never moved past its end
			return null;
		}
		// As the decision records the activity of a request that is not passive
		SessionTimeline current = state.timeline().withActivityAtPrecisionOf(now, state.policy().idle());
		if (current == state.timeline()) {
			return null;
		}
		return rewrite(session, state, found, current.withAuthenticatedAtOf(found), current, now);
	}

	@Nullable SessionState withdrawActivity(SessionAccess session, SessionDecision served, @Nullable SessionAttributeSource saved,
			Instant now) {
		SessionState state = served.state();
		SessionTimeline found = served.found();
		if (saved == null || state == null || found == null) {
			return null;
		}
		StoredState held;
		try {
			held = StoredState.of(saved);
		}
		catch (IllegalStateException ex) {
			// A session every request shares, invalidated since: nothing to take back
			return null;
		}
		SessionTimeline timeline = held.timeline();
		if (held.unreadable() || timeline == null
				|| !(timeline.equals(found) || timeline.equals(state.timeline().withAuthenticatedAtOf(found)))) {
			// Another request saved the session since: what it saved stands
			return null;
		}
		return withdrawActivity(session, served, now);
	}

	private @Nullable SessionState withdrawActivity(SessionAccess session, SessionDecision served, Instant now) {
		SessionState state = served.state();
		SessionTimeline found = served.found();
		if (served.reason() != null || state == null || found == null) {
			return null;
		}
		return rewrite(session, state, found, found, found.trustedAt(now), now);
	}

	/**
	 * Write another timeline into a served session, unless it was written since its
	 * decision.
	 * @param session the session
	 * @param state the state the decision served
	 * @param found the timeline the decision found
	 * @param write the timeline to write
	 * @param trusted that timeline as this node trusts it
	 * @param now the current instant
	 * @return the state of the session as written, {@code null} if it was written since
	 * its decision (a sign-in: what was written stands) or invalidated since
	 */
	private @Nullable SessionState rewrite(SessionAccess session, SessionState state, SessionTimeline found,
			SessionTimeline write, SessionTimeline trusted, Instant now) {
		try {
			StoredState held = StoredState.of(session);
			SessionTimeline written = held.timeline();
			if (held.unreadable() || !state.timeline().withAuthenticatedAtOf(found).equals(written)) {
				// Written since the decision (a sign-in): what was written stands
				return null;
			}
			SessionAttributes.write(session, write, written, held);
			SessionState rewritten = new SessionState(trusted, state.policy(), now);
			SessionAttributes.expireIn(session, rewritten.deadlines(), now, this.settings.getStoreGrace());
			return rewritten;
		}
		catch (IllegalStateException ex) {
			if (SessionAttributes.isValid(session)) {
				throw ex;
			}
			// Invalidated since: nothing to change
			return null;
		}
	}

	SessionState start(SessionAccess session, Instant now) {
		SessionTimeline timeline = SessionTimeline.startingAt(now);
		SessionAttributes.write(session, timeline, null);
		SessionState state = new SessionState(timeline, this.settings.getDefaultPolicy(), now);
		SessionAttributes.expireIn(session, state.deadlines(), now, this.settings.getStoreGrace());
		return state;
	}

	SessionState recordAuthentication(SessionAccess session, @Nullable Instant reportedAuthenticatedAt,
			boolean authenticated, SessionTimeoutPolicy policy, Instant now) {
		Instant authenticatedAt = (reportedAuthenticatedAt != null) ? reportedAuthenticatedAt : now;
		StoredState held = StoredState.of(session);
		SessionTimeline stored = held.timeline();
		SessionTimeline base = (stored != null) ? stored.trustedAt(now) : SessionAttributes.adopt(session, now);
		// An authentication reported in the future beyond the clock skew (an ID token's
		// auth_time from a provider whose clock runs ahead) proves no recent
		// authentication: the session records no authentication time, so it is never
		// privileged, rather than one of now. Nor does a sign-in that is no
		// authentication of the user (a remember-me login): it starts no clock that
		// counts from an authentication, so with a re-authentication lifetime its user
		// must authenticate again at once
		SessionTimeline timeline = (!authenticated || SessionTimeline.isFromTheFuture(authenticatedAt, now))
				? base.withUnknownAuthenticationAt(now) : base.withAuthenticationAt(authenticatedAt, now);
		SessionState state = new SessionState(timeline, policy, now);
		// Indexed before the policy is written: if the index fails, the session holds no
		// new policy, and its next request indexes it
		this.policies.index(session, state.deadlines(), now);
		// One write: the clocks, the policy, and the user whose login this is, so that a
		// later decision tells another user signed in without a recorded login
		held.asRecordedLogin(timeline, PolicyCodec.encode(policy), this.policies.userOf(session))
			.writeTo(session, held);
		this.challenges.authenticated(session, timeline, reportedAuthenticatedAt != null, authenticatedAt, policy, now);
		SessionAttributes.expireIn(session, state.deadlines(), now, this.settings.getStoreGrace());
		return state;
	}

}
