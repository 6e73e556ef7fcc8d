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

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;

import dev.sessiontimeout.internal.web.RequestDispatchFilter;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Answers with the re-authentication challenge when a URL rule denies a request that runs
 * unauthenticated because its user must authenticate again: it sits right before Spring
 * Security's {@code AuthorizationFilter}, so it sees the rule's denial before the
 * {@code ExceptionTranslationFilter} would hand it to the application's entry point
 * without the reason. This covers rules the {@code SessionTimeoutFilter} cannot evaluate
 * ahead (on headers, parameters or the client's address); method security and code that
 * reads the {@code SecurityContext} are answered by {@link SessionChallengeFilter} and
 * {@link PrivilegedSessionExceptionResolver}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReauthenticationDenialFilter extends RequestDispatchFilter {

	private final ServletSessionAnswers answers;

	/**
	 * Create a new filter.
	 * @param answers answers requests whose user must authenticate again
	 */
	public ReauthenticationDenialFilter(ServletSessionAnswers answers) {
		Assert.notNull(answers, "'answers' must not be null");
		this.answers = answers;
	}

	/**
	 * Pass on every request that runs with its user's authentication: only a request that
	 * the clocks decided to run unauthenticated (before any Security filter chain) can be
	 * denied for it.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return ServletSessionClocks.reauthenticationPending(request) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (!PrivilegedSessionExceptionResolver.answerReauthentication(this.answers, request, response, ex)) {
				throw ex;
			}
		}
	}

}
