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
package dev.sessiontimeout.internal.security;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * The user of a WebFlux exchange as its security context tells it, named as the sessions
 * of that user are filed: the caller whose sessions revokeOthers and the self-service
 * endpoint act on.
 *
 * @author session-timeout
 */
public final class SecurityContextUsers {

	private SecurityContextUsers() {
	}

	/**
	 * Return the name that the sessions of an exchange's own user are filed under: the
	 * name of the authentication of the exchange's security context, else of its
	 * principal.
	 * @param exchange the exchange
	 * @return the name; empty if the exchange tells no user; an
	 * {@link IllegalStateException} if it tells an anonymous one
	 */
	public static Mono<String> nameOf(ServerWebExchange exchange) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.<Principal>map((authentication) -> authentication)
			.switchIfEmpty(exchange.getPrincipal())
			.map(PrincipalNames::signedInNameOf);
	}

}
