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

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.RequestDispatchFilter;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Answers challenges to authenticate again in every security filter chain, right after
 * the {@code AuthorizationFilter}: the ones the {@code SessionTimeoutFilter} found for
 * the request (re-authentication, privileged paths, also a privileged path that a filter
 * of the application rewrote the request's path to after that filter decided), which so
 * never concern the requests Spring Security handles before (a login, its callback, a
 * logout), and a {@link dev.sessiontimeout.RequiresPrivilegedSession denied privileged
 * operation} that escapes a servlet, before Spring Security's
 * {@code ExceptionTranslationFilter} could answer it with a plain {@code 403}
 * (spring-security#18709). {@link PrivilegedSessionExceptionResolver} does the latter
 * inside Spring MVC, before the application's own exception handlers.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionChallengeFilter extends RequestDispatchFilter {

	private final ServletSessionAnswers answers;

	private final @Nullable ServletSessionClocks clocks;

	/**
	 * Create a new filter.
	 * @param answers answers requests whose user must authenticate again
	 */
	public SessionChallengeFilter(ServletSessionAnswers answers) {
		this(answers, null);
	}

	/**
	 * Create a new filter that also judges a privileged path that a filter of the
	 * application rewrote a request's path to after its session's decision.
	 * @param answers answers requests whose user must authenticate again
	 * @param clocks the session clocks of servlet requests, {@code null} for none
	 */
	public SessionChallengeFilter(ServletSessionAnswers answers, @Nullable ServletSessionClocks clocks) {
		this.answers = answers;
		this.clocks = clocks;
	}

	/**
	 * Return the filter that goes right after Spring Security's filter chain, for a
	 * request's own dispatch that no security filter chain judged: a path that a filter
	 * of the application rewrote to a privileged one no chain covers is judged there, and
	 * a zero-age grant whose claim no chain made is claimed there.
	 * @param answers answers requests whose user must authenticate again
	 * @param clocks the session clocks of servlet requests
	 * @return the filter
	 */
	public static Filter afterSecurityChains(ServletSessionAnswers answers, ServletSessionClocks clocks) {
		return new UncoveredPathChallengeFilter(answers, clocks);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.answers.challengePending(request, response)) {
			return;
		}
		// A path rewritten after the session's decision (a filter of the application
		// between the starter's and Spring Security's) is judged as Spring Security sees
		// it
		ServletSessionClocks clocks = this.clocks;
		if (clocks != null && this.answers.challengeRewrittenPath(request, response, clocks)) {
			return;
		}
		// A privileged path whose grant the decision left to claim once Spring
		// Security let the request through: a refused request does not spend it
		if (clocks != null && !clocks.claimDeferredGrant(request)) {
			this.answers.challenge(request, response, ExpiryReason.PRIVILEGED, Duration.ZERO,
					clocks.getPrivilegedAcrValues());
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (PrivilegedSessionExceptionResolver.answerReauthentication(this.answers, request, response, ex)) {
				return;
			}
			PrivilegedSessionDecision decision = PrivilegedSessionExceptionResolver.decisionOf(ex);
			if (decision == null || response.isCommitted()) {
				throw ex;
			}
			response.resetBuffer();
			this.answers.challenge(request, response, ExpiryReason.PRIVILEGED, decision.getMaxAge(),
					decision.getAcrValues());
		}
	}

}
