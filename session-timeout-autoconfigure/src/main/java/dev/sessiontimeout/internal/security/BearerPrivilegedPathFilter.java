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
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.RequestDispatchFilter;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Decides {@code session-timeout.privileged.paths} right after the
 * {@code AuthorizationFilter} for requests whose own authentication, not their session,
 * tells whether they are privileged ({@link PathPrivileges}): a bearer token by its
 * {@code auth_time} (and {@code acr}, if required), any other authentication without a
 * session of its user by the time its login flow or newest factor reports, each younger
 * than the privileged age of the policy its authorities choose, else the request gets the
 * RFC 9470 challenge. A request whose session holds its user was decided by the session's
 * clocks in the {@code SessionTimeoutFilter}; a bearer-token request with a session
 * cookie is decided by both: its session must not have ended, and its token must be
 * privileged.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class BearerPrivilegedPathFilter extends RequestDispatchFilter {

	private final ServletSessionClocks clocks;

	private final ServletSessionAnswers answers;

	private final Supplier<List<LoginFlow>> loginFlows;

	private final Supplier<@Nullable RoleHierarchy> roleHierarchy;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks, which know the privileged paths
	 * @param answers answers requests that must authenticate again
	 * @param loginFlows supplies the login flows that tell when a request's user
	 * authenticated
	 */
	public BearerPrivilegedPathFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			Supplier<List<LoginFlow>> loginFlows) {
		this(clocks, answers, loginFlows, () -> null);
	}

	/**
	 * Create a new filter.
	 * @param clocks the session clocks, which know the privileged paths
	 * @param answers answers requests that must authenticate again
	 * @param loginFlows supplies the login flows that tell when a request's user
	 * authenticated
	 * @param roleHierarchy supplies the application's role hierarchy, with whose
	 * reachable authorities a request's own authentication chooses its policy, or
	 * {@code null} if it has none
	 */
	public BearerPrivilegedPathFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			Supplier<List<LoginFlow>> loginFlows, Supplier<@Nullable RoleHierarchy> roleHierarchy) {
		this.clocks = clocks;
		this.answers = answers;
		this.loginFlows = loginFlows;
		this.roleHierarchy = roleHierarchy;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.clocks.isPrivilegedPath(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		TokenPrivileges.Decision decision = PathPrivileges.decide(this.clocks, this.loginFlows.get(),
				this.roleHierarchy.get(), request, SecurityContextHolder.getContext().getAuthentication());
		if (decision != null && !decision.granted()) {
			this.answers.challenge(request, response, ExpiryReason.PRIVILEGED, decision.maxAge(), decision.acrValues());
			return;
		}
		chain.doFilter(request, response);
	}

}
