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

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The sessions of each user as the operations of the actuator endpoint see them, on
 * servlet and WebFlux alike: every session the store still holds, and the revocation of
 * all of them.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface UserSessionLookup {

	/**
	 * Return why sessions cannot be looked up by user, or {@code null} if they can.
	 * @return the reason, for example that the store keeps no principal index
	 */
	@Nullable String unsupportedReason();

	/**
	 * Return every session of a user that the store still holds, the revoked ones and
	 * those past a deadline included.
	 * @param username the user's name
	 * @return the sessions
	 */
	List<UserSession> find(String username);

	/**
	 * Revoke every session of a user.
	 * @param username the user's name
	 * @return the hashes of the revoked sessions' ids
	 */
	List<String> revoke(String username);

}
