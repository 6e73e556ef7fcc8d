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

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.internal.session.SessionRequest;

/**
 * A WebFlux request as the clocks ask about it, whose one use of its session's privilege
 * grant, if a decision needs it, is claimed in the store without blocking, after the
 * synchronous decision.
 *
 * @author session-timeout
 */
abstract class ExchangeSessionRequest implements SessionRequest {

	final ServerWebExchange exchange;

	private final @Nullable ReactivePrivilegeGrants privilegeGrants;

	private @Nullable PrivilegeGrantClaim claim;

	/**
	 * Create a request.
	 * @param exchange the exchange
	 * @param privilegeGrants the grants in the store that decides their use, or
	 * {@code null} if the clocks' own decide it
	 */
	ExchangeSessionRequest(ServerWebExchange exchange, @Nullable ReactivePrivilegeGrants privilegeGrants) {
		this.exchange = exchange;
		this.privilegeGrants = privilegeGrants;
	}

	@Override
	public boolean hasUsedPrivilegeGrant() {
		return ReactivePrivilegedOperations.hasUsedPrivilegeGrant(this.exchange);
	}

	@Override
	public void usePrivilegeGrant() {
		ReactivePrivilegedOperations.usePrivilegeGrant(this.exchange);
	}

	@Override
	public boolean claimsPrivilegeGrantLater(String sessionId, String grant) {
		if (this.privilegeGrants == null) {
			return false;
		}
		this.claim = new PrivilegeGrantClaim(sessionId, grant);
		return true;
	}

	/**
	 * Claim the grant that the last decision left to this request, in the store.
	 * @return whether the request got the grant, an error if the store did not answer;
	 * {@code null} if the decision left no claim
	 */
	final @Nullable Mono<Boolean> claimLeftGrant() {
		PrivilegeGrantClaim claim = this.claim;
		ReactivePrivilegeGrants grants = this.privilegeGrants;
		return (claim != null && grants != null) ? claim.claim(this.exchange, grants) : null;
	}

}
