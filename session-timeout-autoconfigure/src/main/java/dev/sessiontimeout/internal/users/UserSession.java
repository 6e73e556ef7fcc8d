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
package dev.sessiontimeout.internal.users;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.web.DeviceSummary;
import dev.sessiontimeout.internal.web.SessionDescriptions;

/**
 * One session of a user, as the session store holds it.
 *
 * @param sessionId the session's id, never shown
 * @param policy the name of the session's policy
 * @param status the state of its clocks, {@code null} if they cannot be read
 * @param authenticatedAt when its user last authenticated, {@code null} if unknown
 * @param revokedAt when it was revoked, {@code null} if it was not; the time it was read
 * if its marker's time cannot be read, which revokes it all the same
 * @param device a summary of the browser and the system its user signed in with, "Unknown
 * device" if none was recorded
 * @param address the address its user signed in from, if recorded
 * @param provider the identity provider its user signed in with (an OAuth 2.0 client
 * registration), {@code null} for a user the application signed in itself; for a session
 * that user switched to another user in, that of the user's own authentication
 * @param policyKnown whether its deadlines are those its next request counts with:
 * {@code false} for a session of a signed-in user that holds no policy of that user's
 * login (one the starter did not record), whose next request resolves it from its
 * authentication
 * @author session-timeout
 * @since 0.1.0
 */
public record UserSession(String sessionId, String policy, @Nullable SessionStatus status,
		@Nullable Instant authenticatedAt, @Nullable Instant revokedAt, String device, @Nullable String address,
		@Nullable String provider, boolean policyKnown) {

	/**
	 * Return the handle that names the session where its id must not be shown: the hash
	 * that logs and events use.
	 * @return the handle
	 */
	public String handle() {
		return SessionIds.hash(this.sessionId);
	}

	/**
	 * Return whether the session is live: readable, not revoked, and not past one of its
	 * deadlines; a session whose policy is not known before its next request is live
	 * until that request's decision says otherwise.
	 * @param now the current instant
	 * @return {@code true} if the session is live
	 */
	public boolean isLive(Instant now) {
		SessionStatus status = this.status;
		if (status == null || this.revokedAt != null) {
			return false;
		}
		if (!this.policyKnown) {
			return true;
		}
		Instant expiresAt = status.expiresAt();
		return expiresAt == null || now.isBefore(expiresAt);
	}

	/**
	 * Return whether the session ended though the store still holds it: revoked (also by
	 * a marker whose time cannot be read), or past one of its deadlines. A session whose
	 * clocks cannot be read is not, nor is one whose policy is not known before its next
	 * request: that request's decision resolves it, as the deadlines it counts with, from
	 * its authentication (a session that may be live counts as live).
	 * @param now the current instant
	 * @return {@code true} if the session ended
	 */
	public boolean isEnded(Instant now) {
		if (this.revokedAt != null) {
			return true;
		}
		if (!this.policyKnown) {
			return false;
		}
		SessionStatus status = this.status;
		Instant expiresAt = (status != null) ? status.expiresAt() : null;
		return expiresAt != null && !now.isBefore(expiresAt);
	}

	/**
	 * Return the order in which the self-service endpoint lists a user's live sessions:
	 * the current one first, then the most recently active.
	 * @param currentId the id of the caller's session, {@code null} if none
	 * @return the order
	 */
	public static Comparator<UserSession> listingOrder(@Nullable String currentId) {
		return Comparator.comparing((UserSession session) -> !session.sessionId().equals(currentId))
			.thenComparing((session) -> Objects.requireNonNull(session.status()).lastActivityAt(),
					Comparator.reverseOrder());
	}

	/**
	 * Describe this live session as the self-service endpoint lists it.
	 * @param current whether it is the caller's session
	 * @param withAddress whether to show the address its user signed in from
	 * @return the description, as JSON members
	 */
	public Map<String, @Nullable Object> describe(boolean current, boolean withAddress) {
		SessionStatus status = Objects.requireNonNull(this.status);
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("id", handle());
		description.put("current", current);
		description.put("createdAt", SessionDescriptions.text(status.createdAt()));
		description.put("lastActivityAt", SessionDescriptions.text(status.lastActivityAt()));
		description.put("expiresAt", SessionDescriptions.text(status.expiresAt()));
		description.put("policy", status.policy());
		description.put("device", this.device);
		if (withAddress) {
			description.put("ip", this.address);
		}
		return description;
	}

	/**
	 * Describe a session of a user as the store holds it.
	 * @param sessionId the session's id
	 * @param session its attributes
	 * @param username the user whose session it is: signed in as that user, or by that
	 * user who then switched to another, whose identity provider it is described with
	 * @param clocks the session clocks
	 * @return the description
	 */
	public static UserSession of(String sessionId, SessionAttributeSource session, String username,
			SessionClocks clocks) {
		SessionState state = clocks.state(session);
		Object revocation = session.getAttribute(SessionAttributes.REVOKED_AT);
		Long revokedAt = SessionAttributes.epochMilli(revocation);
		if (revocation != null && revokedAt == null) {
			// A marker whose time cannot be read still revokes, at once, as every
			// request's decision reads it
			revokedAt = clocks.now().toEpochMilli();
		}
		@Nullable SessionStatus status = null;
		@Nullable String provider = null;
		boolean policyKnown = true;
		try {
			status = (state != null) ? clocks.status(session).orElse(null) : null;
			provider = clocks.providerOf(session, username);
			policyKnown = clocks.knowsPolicy(session);
		}
		catch (RuntimeException ex) {
			// Its user cannot be read (an attribute that no longer deserializes, which a
			// store such as JDBC reads only when asked for it): never served, so not
			// live, and it fails no listing of the user's other sessions
			status = null;
		}
		return new UserSession(sessionId, clocks.policy(session).name(), status,
				(state != null) ? state.timeline().authenticatedAt() : null,
				(revokedAt != null) ? Instant.ofEpochMilli(revokedAt) : null,
				DeviceSummary.describe(SessionAttributes.device(session)), SessionAttributes.address(session), provider,
				policyKnown);
	}

}
