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
package dev.sessiontimeout;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The sessions of each user in the session store, to list and to revoke them: all of a
 * user's sessions when the account is compromised, all but the current one after a
 * password change. A revoked session ends with reason {@link ExpiryReason#REVOKED} on
 * every node at its next request, and the store drops it after the store grace. It works
 * on every store: where the store keeps no index of sessions by user (Spring Session's
 * map and Redis default repositories) the starter keeps one, written at login, and it
 * searches the container's live sessions. Revoking a user also removes the user's
 * remember-me tokens from every {@code PersistentTokenRepository} bean, so that the user
 * is not signed straight back in. The auto-configuration provides the bean when Spring
 * Session ({@code spring-session-core}) is on the classpath.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface UserSessions {

	/**
	 * Return the live sessions of a user: those that were neither revoked nor are past
	 * one of their deadlines.
	 * @param username the user's name
	 * @return the status of each session
	 * @throws IllegalStateException if the store cannot find sessions by user
	 */
	List<SessionStatus> list(String username);

	/**
	 * Revoke every session of a user.
	 * @param username the user's name
	 * @return how many sessions were revoked
	 * @throws IllegalStateException if the store cannot find sessions by user
	 */
	int revokeAll(String username);

	/**
	 * Revoke every session of the request's user but the request's own, as after a
	 * password change. The request's user is the user of its security context, named as
	 * the user's sessions are filed ({@code Authentication.getName()}), else its remote
	 * user, else the user signed in in its session; a session that holds another user is
	 * not the request's own.
	 * @param request a request of a signed-in user
	 * @return how many sessions were revoked
	 * @throws IllegalStateException if the request has no signed-in user (Spring Security
	 * runs it for an anonymous one included), or if the store cannot find sessions by
	 * user
	 */
	int revokeOthers(HttpServletRequest request);

}
