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

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.internal.session.SessionPrincipalResolver.User;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;

/**
 * The user of a WebFlux exchange as its security context tells it, named as the sessions
 * of that user are filed, with the identity provider it signed in with: the caller whose
 * sessions revokeOthers and the self-service endpoint act on.
 *
 * @author session-timeout
 */
public final class SecurityContextUsers {

	private SecurityContextUsers() {
	}

	/**
	 * Return the user of an exchange: the authentication of its security context, else
	 * its principal, named as the user's sessions are filed, with the identity provider
	 * that the starter reads from a session of that authentication
	 * ({@link SecurityContextPrincipalResolver#providerOf}: the OAuth 2.0 client
	 * registration of an {@code oauth2Login()}, else none), so that a user of the same
	 * name from another provider is another user.
	 * @param exchange the exchange
	 * @return the user; empty if the exchange tells none; an
	 * {@link IllegalStateException} if it tells an anonymous one
	 */
	public static Mono<User> userOf(ServerWebExchange exchange) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.<Principal>map((authentication) -> authentication)
			.switchIfEmpty(exchange.getPrincipal())
			.map((principal) -> new User(PrincipalNames.signedInNameOf(principal),
					(principal instanceof Authentication authentication)
							? SecurityContextPrincipalResolver.providerOf(authentication) : null));
	}

}
