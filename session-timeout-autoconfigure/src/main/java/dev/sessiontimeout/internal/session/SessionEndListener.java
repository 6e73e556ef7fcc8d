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

import dev.sessiontimeout.ExpiryReason;

/**
 * Told, in-process and before the session is invalidated, that a session clock ended a
 * session, for components keyed by the raw session id (such as Spring Security's
 * {@code SessionRegistry}). Events and logs carry only the id's hash. Also told, on the
 * node that runs it, of every session a revocation ends, and of every change of a
 * session's id that a request of it makes.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface SessionEndListener {

	/**
	 * Called when a session ends.
	 * @param session the session, still valid
	 * @param reason why it ends
	 */
	void sessionEnded(SessionAccess session, ExpiryReason reason);

	/**
	 * Called when a revocation ends a session away from its requests: marked revoked in
	 * the store (or deleted from it), the session is never served again, and its next
	 * request, if any, ends it ({@link #sessionEnded} is called then too). Also called
	 * for a session of the user found revoked already (by another node, say).
	 * @param sessionId the session's id
	 */
	default void sessionRevoked(String sessionId) {
	}

	/**
	 * Called when a request of a session changed its id (a login's session-fixation
	 * protection, a step-up, the application's own {@code changeSessionId()}); the store
	 * no longer holds the session under its previous id.
	 * @param previousId the session's id before
	 * @param sessionId its id now
	 */
	default void sessionIdChanged(String previousId, String sessionId) {
	}

}
