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

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * What a request may do with its session, as the {@link SessionClocks} decide.
 *
 * @param reason why the session ended or its user must authenticate again, {@code null}
 * to serve the request
 * @param maxAge for a challenge, how old the new authentication may be at most
 * @param state for a request that is served, the session's state
 * @param found for a request that is served, the session's timeline as the decision found
 * it in the session (not moved back for clock skew, unlike the state's timeline)
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionDecision(@Nullable ExpiryReason reason, @Nullable Duration maxAge, @Nullable SessionState state,
		@Nullable SessionTimeline found) {

	/**
	 * Create a decision that serves no request: the session ended, or its user must
	 * authenticate again.
	 * @param reason why the session ended or its user must authenticate again
	 * @param maxAge for a challenge, how old the new authentication may be at most
	 */
	public SessionDecision(ExpiryReason reason, @Nullable Duration maxAge) {
		this(reason, maxAge, null, null);
	}

	static SessionDecision serve(SessionState state, SessionTimeline found) {
		return new SessionDecision(null, null, state, found);
	}

	/**
	 * Return, for a request that is served, when its user authenticated as the session
	 * holds it after the decision (not moved back for clock skew, unlike the state's
	 * timeline).
	 * @return the instant, or {@code null} if unknown
	 */
	public @Nullable Instant writtenAuthenticatedAt() {
		SessionTimeline found = this.found;
		return (found != null) ? found.authenticatedAt() : null;
	}

	static SessionDecision end(ExpiryReason reason) {
		return new SessionDecision(reason, null);
	}

	static SessionDecision challenge(ExpiryReason reason, Duration maxAge) {
		return new SessionDecision(reason, maxAge);
	}

}
