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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * Ends sessions for the {@link SessionClocks}: tells the listeners, remembers why for the
 * requests that still carry the session's id, invalidates the session, and logs and
 * publishes the end once: once per node, and once in all the nodes that share a store
 * that claims announcements ({@link EndedSessions#claimAnnouncement}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class SessionEnds {

	private static final Log logger = LogFactory.getLog(SessionClocks.class);

	private static final int RECENTLY_ENDED_CAPACITY = 10_000;

	private final Duration storeGrace;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private final SessionPrincipals principals;

	private List<SessionEndListener> sessionEndListeners = List.of();

	private EndedSessions endedSessions = new InMemoryEndedSessions();

	private final Set<String> recentlyEnded = Collections
		.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > RECENTLY_ENDED_CAPACITY;
			}

		}));

	SessionEnds(Duration storeGrace, Clock clock, ApplicationEventPublisher eventPublisher,
			SessionPrincipals principals) {
		this.storeGrace = storeGrace;
		this.principals = principals;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	void setSessionEndListeners(List<SessionEndListener> sessionEndListeners) {
		this.sessionEndListeners = List.copyOf(sessionEndListeners);
	}

	void setEndedSessions(EndedSessions endedSessions) {
		this.endedSessions = endedSessions;
	}

	/**
	 * Return why a session that the store does not know ended.
	 * @param sessionId the session's id
	 * @param now the current instant
	 * @return the reason remembered for it, else {@link ExpiryReason#INVALID}
	 */
	ExpiryReason reasonOf(String sessionId, Instant now) {
		ExpiryReason reason = this.endedSessions.reasonOf(sessionId, now);
		return (reason != null) ? reason : ExpiryReason.INVALID;
	}

	/**
	 * Return what is remembered under a record's key, if it still is.
	 * @param key the key
	 * @param now the current instant
	 * @return the entry, or {@code null} if none is (or the store does not tell)
	 */
	EndedSessions.@Nullable Entry entryOf(String key, Instant now) {
		return this.endedSessions.entryOf(key, now);
	}

	/**
	 * Remember that a session's id changed, for stores whose revocations may miss the new
	 * id.
	 * @param previousId the session's id before
	 * @param session the session under its id now
	 * @param until when the session cannot be alive any more
	 * @param now the current instant
	 */
	void renamed(String previousId, SessionAccess session, Instant until, Instant now) {
		this.endedSessions.renamed(previousId, session.getId(), until, now);
	}

	/**
	 * Tell the listeners that a revocation ended a session away from its requests.
	 * @param sessionId the session's id
	 */
	void revoked(String sessionId) {
		this.sessionEndListeners.forEach((listener) -> listener.sessionRevoked(sessionId));
	}

	/**
	 * Tell the listeners that a request changed a session's id.
	 * @param previousId the session's id before
	 * @param sessionId its id now
	 */
	void idChanged(String previousId, String sessionId) {
		this.sessionEndListeners.forEach((listener) -> listener.sessionIdChanged(previousId, sessionId));
	}

	/**
	 * Remember that the application invalidated a session, for stores whose requests may
	 * save a copy of it afterwards; why it ended, if remembered already, stays.
	 * @param sessionId the session's id
	 * @param until when a copy of it cannot be alive any more
	 * @param now the current instant
	 */
	void invalidated(String sessionId, Instant until, Instant now) {
		if (now.isBefore(until)) {
			this.endedSessions.invalidated(sessionId, until, now);
		}
	}

	/**
	 * Return whether what remembers ended sessions remembers sign-outs: where the store
	 * saves whole copies of a session in this node's memory.
	 * @return {@code true} if it does
	 */
	boolean keepsSignOuts() {
		return this.endedSessions.keepsSignOuts();
	}

	/**
	 * Remember that a session's user signed out of it, for stores whose requests may save
	 * a copy of it, signed in, afterwards.
	 * @param sessionId the session's id
	 * @param signOut the sign-out
	 * @param now the current instant
	 */
	void signedOut(String sessionId, EndedSessions.SignOut signOut, Instant now) {
		this.endedSessions.signedOut(sessionId, signOut, now);
	}

	/**
	 * End a session that a request's late save brought back, signed in, after its user
	 * signed out of it (a logout that kept the session under its id), without announcing
	 * it: it holds the user who signed out, with an authentication no later than the
	 * sign-out. A session signed out, or signed in by a login after the sign-out, is left
	 * as it is.
	 * @param sessionId the session's id
	 * @param session the session as the store holds it
	 * @param held its state as stored
	 * @param now the current instant
	 * @return whether it ended it
	 */
	boolean endIfSignedOutCopy(String sessionId, SessionAccess session, StoredState held, Instant now) {
		EndedSessions.SignOut signOut = this.endedSessions.signOutOf(sessionId, now);
		if (signOut == null) {
			return false;
		}
		SessionPrincipalResolver.User user = this.principals.userOf(session);
		SessionTimeline timeline = held.timeline();
		if (user == null || !signOut.precedes(UserFingerprint.of(user.provider(), user.name()),
				(timeline != null) ? timeline.authenticatedAt() : null)) {
			return false;
		}
		logger.debug("Session " + SessionIds.hash(sessionId) + " was saved again, signed in, after its user signed"
				+ " out at " + signOut.at() + "; ending it (" + ExpiryReason.INVALID + ")");
		this.sessionEndListeners.forEach((listener) -> listener.sessionEnded(session, ExpiryReason.INVALID));
		invalidate(session);
		return true;
	}

	/**
	 * End again a session that a request's late save brought back after it ended, without
	 * announcing it a second time.
	 * @param session the session as the store holds it again
	 * @param now the current instant
	 * @return why it ended, or {@code null} if it is not known to have ended
	 */
	@Nullable ExpiryReason endIfRevived(SessionAccess session, Instant now) {
		ExpiryReason reason = this.endedSessions.reasonOfRevived(session.getId(), now);
		if (reason != null) {
			logger.debug("Session " + SessionIds.hash(session.getId()) + " was saved again after it ended (" + reason
					+ "); ending it again");
			this.sessionEndListeners.forEach((listener) -> listener.sessionEnded(session, reason));
			invalidate(session);
		}
		return reason;
	}

	/**
	 * Revoke a session in a request that saves it after: marked revoked, so that its next
	 * request ends it without announcing it again, and announced now.
	 * @param session the session
	 * @param policy its policy
	 * @param now the current instant
	 */
	void revokeInRequest(SessionAccess session, SessionTimeoutPolicy policy, Instant now) {
		session.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
		// Remembered too: a copy that a request which loaded the session before saves
		// after, without the mark (Spring Session's map), is ended all the same
		ended(session, ExpiryReason.REVOKED, now, policy, true, now, false);
	}

	void end(SessionAccess session, ExpiryReason reason, @Nullable Instant deadline, SessionTimeoutPolicy policy,
			boolean publish, Instant now) {
		ended(session, reason, deadline, policy, publish, now, true);
	}

	private void ended(SessionAccess session, ExpiryReason reason, @Nullable Instant deadline,
			SessionTimeoutPolicy policy, boolean publish, Instant now, boolean invalidate) {
		String principal = this.principals.nameOf(session);
		String sessionId = session.getId();
		String sessionIdHash = SessionIds.hash(sessionId);
		// Remembered before the session goes, by every request that ends it, so that no
		// request finds it gone and forgotten
		Instant until = ((deadline != null) ? deadline : now).plus(this.storeGrace);
		if (now.isBefore(until)) {
			this.endedSessions.remember(sessionId, reason, until, now);
		}
		if (invalidate) {
			this.sessionEndListeners.forEach((listener) -> listener.sessionEnded(session, reason));
			invalidate(session);
		}
		if (this.recentlyEnded.add(sessionIdHash)) {
			// Claimed across the nodes that share the store: two of them may end the
			// session at once (requests of it on both), and one announces it
			if (publish && !this.endedSessions.claimAnnouncement(sessionId, until, now)) {
				logger.debug("Session " + sessionIdHash + " ended: " + reason + "; announced by another node");
				return;
			}
			logger.info("Session " + sessionIdHash + " of " + this.principals.describe(principal) + " ended: " + reason
					+ ((deadline != null) ? " at " + deadline : "") + " (policy " + policy.name() + ")");
			if (publish) {
				this.eventPublisher.publishEvent(new SessionEndedEvent(this, this.clock, reason, principal,
						sessionIdHash, deadline, policy.name()));
			}
		}
	}

	private static void invalidate(SessionAccess session) {
		try {
			session.invalidate();
		}
		catch (IllegalStateException ex) {
			// Already invalidated by a concurrent request
		}
	}

}
