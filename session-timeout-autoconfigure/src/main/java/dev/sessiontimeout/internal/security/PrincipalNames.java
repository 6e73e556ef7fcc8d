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

import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The name of a principal as Spring Security's
 * {@code AbstractAuthenticationToken.getName()} gives it, which Spring Session's
 * registries look the sessions up by.
 *
 * @author session-timeout
 */
final class PrincipalNames {

	private PrincipalNames() {
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
