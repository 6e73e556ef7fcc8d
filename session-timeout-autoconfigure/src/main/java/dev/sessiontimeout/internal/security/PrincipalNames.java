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

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The name of a principal as Spring Security's
 * {@code AbstractAuthenticationToken.getName()} gives it, which Spring Session's
 * registries look the sessions up by, and of a request's signed-in user.
 *
 * @author session-timeout
 */
final class PrincipalNames {

	private static final AuthenticationTrustResolver TRUST_RESOLVER = new AuthenticationTrustResolverImpl();

	private PrincipalNames() {
	}

	/**
	 * Return the name that the sessions of a request's own user are filed under, as
	 * Spring Session's principal index ({@code PrincipalNameIndexResolver}) and the
	 * starter's own take it from the security context: the authentication's
	 * {@link Authentication#getName() name}, which may differ from what a request's
	 * {@code getRemoteUser()} tells.
	 * @param principal the request's principal, an {@link Authentication} under Spring
	 * Security
	 * @return the name
	 * @throws IllegalStateException if the principal is an anonymous or an
	 * unauthenticated authentication: the request has no signed-in user
	 */
	static String signedInNameOf(Principal principal) {
		if (principal instanceof Authentication authentication
				&& (TRUST_RESOLVER.isAnonymous(authentication) || !authentication.isAuthenticated())) {
			throw new IllegalStateException(
					"The request has no signed-in user whose other sessions to revoke: its user is anonymous");
		}
		return principal.getName();
	}

	/**
	 * Return the name of a principal.
	 * @param principal the principal
	 * @return its name
	 */
	static String nameOf(Object principal) {
		if (principal instanceof UserDetails userDetails) {
			return userDetails.getUsername();
		}
		if (principal instanceof AuthenticatedPrincipal authenticatedPrincipal) {
			return authenticatedPrincipal.getName();
		}
		if (principal instanceof Principal named) {
			return named.getName();
		}
		return principal.toString();
	}

}
