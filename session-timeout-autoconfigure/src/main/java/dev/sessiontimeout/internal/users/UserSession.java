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

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.internal.session.SessionIds;

/**
 * One session of a user, as the session store holds it.
 *
 * @param sessionId the session's id, never shown
 * @param policy the name of the session's policy
 * @param status the state of its clocks, {@code null} if they cannot be read
 * @param authenticatedAt when its user last authenticated, {@code null} if unknown
 * @param revokedAt when it was revoked, {@code null} if it was not
 * @param device a summary of the browser and the system its user signed in with, "Unknown
 * device" if none was recorded
 * @param address the address its user signed in from, if recorded
 * @param provider the identity provider its user signed in with (an OAuth 2.0 client
 * registration), {@code null} for a user the application signed in itself
 * @author session-timeout
 * @since 0.1.0
 */
public record UserSession(String sessionId, String policy, @Nullable SessionStatus status,
		@Nullable Instant authenticatedAt, @Nullable Instant revokedAt, String device, @Nullable String address,
		@Nullable String provider) {

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
	 * deadlines.
	 * @param now the current instant
	 * @return {@code true} if the session is live
	 */
	public boolean isLive(Instant now) {
		SessionStatus status = this.status;
		if (status == null || this.revokedAt != null) {
			return false;
		}
		Instant expiresAt = status.expiresAt();
		return expiresAt == null || now.isBefore(expiresAt);
	}

}
