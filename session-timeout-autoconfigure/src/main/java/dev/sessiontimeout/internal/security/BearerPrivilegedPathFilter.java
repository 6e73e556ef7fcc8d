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
 * the policy that its authorities choose, and name one of the required authentication
 * context classes if there are any, else the request gets the RFC 9470 challenge. A
 * request whose authentication does not tell when its user authenticated is never
 * privileged. The token decides even if the request also has a session, whose own clocks
 * the {@code SessionTimeoutFilter} asked before: both must allow the request.
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
		if (this.clocks.isPrivilegedPath(request)) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			LoginFlow flow = (authentication != null) ? LoginFlow.of(this.loginFlows.get(), authentication) : null;
			if (flow != null && flow.authenticatesEachRequest()) {
				TokenPrivileges.Decision decision = TokenPrivileges.decide(this.clocks, flow, authentication,
						TokenPrivileges.privilegedMaxAge(this.clocks, authentication));
				if (!decision.granted()) {
					this.answers.challenge(request, response, ExpiryReason.PRIVILEGED, decision.maxAge(),
							decision.acrValues());
					return;
				}
			}
		}
		chain.doFilter(request, response);
	}

}
