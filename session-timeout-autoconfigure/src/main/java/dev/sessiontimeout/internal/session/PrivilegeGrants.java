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

/**
 * Uses the grant an authentication gives for one privileged operation with a maximum age
 * of zero, once: each request works on its own copy of a Spring Session session, so two
 * parallel requests would both find the grant there; the store decides which one uses it.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionAttributes#PRIVILEGE_GRANT
 */
@FunctionalInterface
public interface PrivilegeGrants {

	/**
	 * Use the grant of a session that a request found in its copy of the session.
	 * @param sessionId the id of the session
	 * @param grant the grant, as the request's copy holds it
	 * @return {@code true} for exactly one request per grant
	 */
	boolean use(String sessionId, long grant);

	/**
	 * Use the grant of a session that a request found in its copy of the session, whose
	 * clocks record that the session was created at the given instant: a change of the
	 * session's id keeps it, so grants that the node remembers itself tell by it the
	 * session under any id. Uses the grant by the session's id unless overridden.
	 * @param sessionId the id of the session
	 * @param createdAt the creation instant that the session's clocks record
	 * @param grant the grant, as the request's copy holds it
	 * @return {@code true} for exactly one request per grant
	 */
	default boolean use(String sessionId, Instant createdAt, long grant) {
		return use(sessionId, grant);
	}

	/**
	 * Use the grant of a session that a request found in its copy of the session, as text
	 * with the nonce of its authentication
	 * ({@link SessionAttributes#usableGrant(Object)}): stores that mark a grant used
	 * where copies of the session cannot reach mark that text, which no other
	 * authentication's grant holds. Uses the grant by the epoch milliseconds it holds
	 * unless overridden.
	 * @param sessionId the id of the session
	 * @param createdAt the creation instant that the session's clocks record
	 * @param grant the grant, as the request's copy holds it
	 * @return {@code true} for exactly one request per grant
	 */
	default boolean use(String sessionId, Instant createdAt, String grant) {
		Long value = SessionAttributes.grantOf(grant);
		return value != null && use(sessionId, createdAt, value.longValue());
	}

	/**
	 * Note that an authentication gave a session a new grant, which no request has used
	 * yet, also where an earlier authentication of the session gave one of the same value
	 * (both in the same millisecond). Does nothing unless overridden.
	 * @param sessionId the id of the session
	 * @param createdAt the creation instant that the session's clocks record
	 * @param grant the grant
	 */
	default void issued(String sessionId, Instant createdAt, long grant) {
	}

}
