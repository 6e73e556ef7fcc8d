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
package dev.sessiontimeout.internal.reactive;

import reactor.core.publisher.Mono;

import dev.sessiontimeout.internal.session.PrivilegeGrants;

/**
 * Uses the grant an authentication gives for one privileged operation with a maximum age
 * of zero, once, in the store that keeps the sessions, without blocking: each request
 * works on its own copy of a Spring Session session, so two parallel requests (also on
 * two nodes) would both find the grant there; the store decides which one uses it. The
 * reactive counterpart of {@link PrivilegeGrants}.
 *
 * @author session-timeout
 * @see dev.sessiontimeout.internal.session.SessionRequest#claimsPrivilegeGrantLater
 */
@FunctionalInterface
public interface ReactivePrivilegeGrants {

	/**
	 * Use the grant of a session that a request found in its copy of the session.
	 * @param sessionId the id of the session
	 * @param grant the grant, as the request's copy holds it: text with the nonce of its
	 * authentication
	 * ({@link dev.sessiontimeout.internal.session.SessionAttributes#usableGrant(Object)})
	 * @return {@code true} for exactly one request per grant, {@code false} for any
	 * other; an error if the store did not answer
	 */
	Mono<Boolean> use(String sessionId, String grant);

}
