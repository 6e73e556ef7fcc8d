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
 * {@code SessionRegistry}). Events and logs carry only the id's hash.
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

}
