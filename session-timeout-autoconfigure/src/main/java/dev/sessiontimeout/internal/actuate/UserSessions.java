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
package dev.sessiontimeout.internal.actuate;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The sessions of one user in the session store, for the {@link SessionTimeoutsEndpoint}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface UserSessions {

	/**
	 * Return why sessions cannot be looked up by user, or {@code null} if they can.
	 * @return the reason, for example that the store keeps no principal index
	 */
	@Nullable String unsupportedReason();

	/**
	 * Return the sessions of a user, each with every deadline.
	 * @param username the user name
	 * @return one map per session
	 */
	List<Map<String, @Nullable Object>> find(String username);

	/**
	 * Revoke every session of a user: each node ends it at its next request, with reason
	 * {@code revoked}, and the store drops it after the store grace.
	 * @param username the user name
	 * @return the hashes of the revoked sessions' ids
	 */
	List<String> revoke(String username);

}
