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

import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.StoreFailures;

/**
 * A request's claim of its session's privilege grant, which the synchronous decision left
 * to it: made in the store without blocking, after that decision, which counted the
 * request as not privileged. Only the store's yes grants: a store that does not answer
 * refuses, and marks the request so that its refusal is answered as the store's outage.
 *
 * @param sessionId the id of the session
 * @param grant the grant, as the request's copy of the session holds it
 * @author session-timeout
 */
record PrivilegeGrantClaim(String sessionId, String grant) {

	private static final String UNANSWERED = SessionAttributes.PREFIX + "privilegeGrantClaimUnanswered";

	/**
	 * Claim the grant in the store; once it said yes, the request has used the grant, for
	 * all of its checks.
	 * @param exchange the exchange of the request
	 * @param grants the store's grants
	 * @return whether the request got the grant; an error if the store did not answer
	 */
	Mono<Boolean> claim(ServerWebExchange exchange, ReactivePrivilegeGrants grants) {
		return grants.use(this.sessionId, this.grant).defaultIfEmpty(false).doOnNext((used) -> {
			if (used) {
				ReactivePrivilegedOperations.usePrivilegeGrant(exchange);
			}
		}).doOnError(StoreFailures::isUnavailable, (ex) -> exchange.getAttributes().put(UNANSWERED, ex));
	}

	/**
	 * Return whether a failure of a request is that the store did not answer the claim of
	 * its session's privilege grant.
	 * @param exchange the exchange of the request
	 * @param ex the failure
	 * @return {@code true} if the store did not answer the claim
	 */
	static boolean isUnanswered(ServerWebExchange exchange, Throwable ex) {
		return exchange.getAttribute(UNANSWERED) != null && StoreFailures.isUnavailable(ex);
	}

}
