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

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Decides {@code session-timeout.privileged.paths} for requests without a session that
 * authenticate themselves, such as those with a bearer token, right after the
 * {@code AuthorizationFilter}: the authentication time of the request's own
 * authentication (a token's {@code auth_time}) must be younger than the privileged age of
 * the policy that its authorities choose, else the request gets the RFC 9470 challenge. A
 * request whose authentication does not tell when its user authenticated is never
 * privileged. Requests with a session are decided by their session's clocks, in the
 * {@code SessionTimeoutFilter}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class BearerPrivilegedPathFilter extends OncePerRequestFilter {

	private final ServletSessionClocks clocks;

	private final ServletSessionAnswers answers;

	private final Supplier<List<LoginFlow>> loginFlows;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks, which know the privileged paths
	 * @param answers answers requests that must authenticate again
	 * @param loginFlows supplies the login flows that tell when a request's user
	 * authenticated
	 */
	public BearerPrivilegedPathFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			Supplier<List<LoginFlow>> loginFlows) {
		this.clocks = clocks;
		this.answers = answers;
		this.loginFlows = loginFlows;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.clocks.isPrivilegedPath(request) && request.getSession(false) == null) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			LoginFlow flow = (authentication != null) ? LoginFlow.of(this.loginFlows.get(), authentication) : null;
			if (flow != null && flow.authenticatesEachRequest()) {
				Duration maxAge = PrivilegedSessionAuthorizationManager
					.policyOf(this.clocks.getClocks().getSettings(), authentication)
					.privilegedMaxAge();
				Instant authenticatedAt = flow.authenticatedAt(authentication);
				boolean privileged = authenticatedAt != null
						&& (maxAge == null || this.clocks.now().isBefore(authenticatedAt.plus(maxAge)));
				if (!privileged) {
					this.answers.challenge(request, response, ExpiryReason.PRIVILEGED,
							(maxAge != null) ? maxAge : Duration.ZERO);
					return;
				}
			}
		}
		chain.doFilter(request, response);
	}

}
