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

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.GenericFilterBean;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Does, right after Spring Security's filter chain, for a request's own dispatch that no
 * security filter chain of the starter's judged (a path that {@code web.ignoring()} or
 * every chain's {@code securityMatcher} leaves out), what {@link SessionChallengeFilter}
 * does in such a chain: a filter of the application between the
 * {@code SessionTimeoutFilter} and Spring Security's may have rewritten an ordinary path
 * to a privileged one since the session's decision, which only such a chain would judge
 * again, or a zero-age privileged path's decision may have left the claim of its grant to
 * a chain that never saw the request (its rewritten path is covered by none). It answers
 * a challenge left to such a chain, judges the rewritten path as the decision judges a
 * request of it, and claims a grant that no chain claimed. What a chain judged or claimed
 * is not judged or claimed again: each of these is marked on the request once, and taken
 * off by whichever filter did it. A store that does not answer the claim fails the
 * request, which the {@code SessionTimeoutFilter} answers as the store's outage.
 * Registered wherever Spring Security's servlet support is: a challenge left to a chain
 * may be pending without privileged paths too (re-authentication); without them a request
 * costs one read of a request attribute. Not where Spring Security's filter chain is
 * ordered {@code Integer.MAX_VALUE}: nothing can be ordered after it.
 *
 * @author session-timeout
 * @see SessionChallengeFilter#afterSecurityChains
 */
final class UncoveredPathChallengeFilter extends GenericFilterBean {

	private final ServletSessionAnswers answers;

	private final ServletSessionClocks clocks;

	UncoveredPathChallengeFilter(ServletSessionAnswers answers, ServletSessionClocks clocks) {
		Assert.notNull(answers, "'answers' must not be null");
		Assert.notNull(clocks, "'clocks' must not be null");
		this.answers = answers;
		this.clocks = clocks;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answered
				&& http.getDispatcherType() == DispatcherType.REQUEST && challenged(http, answered)) {
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Answer what no security filter chain answered of a request: a challenge left to a
	 * chain, a privileged path that a filter of the application rewrote the request's
	 * path to, the claim of a zero-age grant left to a chain.
	 * @return {@code true} if the request was answered with a challenge
	 */
	private boolean challenged(HttpServletRequest request, HttpServletResponse response) throws IOException {
		return challenged(this.answers, this.clocks, request, response);
	}

	/**
	 * Answer what no security filter chain answered of a request: a challenge left to a
	 * chain, and with privileged paths a privileged path that a filter of the application
	 * rewrote the request's path to and the claim of a zero-age grant left to a chain.
	 * @param answers answers requests whose user must authenticate again
	 * @param clocks the session clocks of servlet requests
	 * @param request the request
	 * @param response the response
	 * @return {@code true} if the request was answered with a challenge
	 * @throws IOException on a write failure
	 */
	static boolean challenged(ServletSessionAnswers answers, ServletSessionClocks clocks, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		if (answers.challengePending(request, response)) {
			return true;
		}
		if (!clocks.hasPrivilegedPaths()) {
			// No path is privileged: no decision kept a path or deferred a grant
			return false;
		}
		if (answers.challengeRewrittenPath(request, response, clocks)) {
			return true;
		}
		if (!clocks.claimDeferredGrant(request)) {
			answers.challenge(request, response, ExpiryReason.PRIVILEGED, Duration.ZERO,
					clocks.getPrivilegedAcrValues());
			return true;
		}
		return false;
	}

}
