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

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Does, in Spring MVC right before the handler, what the filter after Spring Security's
 * filter chain ({@link SessionChallengeFilter#afterSecurityChains}) does: a filter of the
 * application ordered after that one (a registration's default order, the lowest
 * precedence) may have rewritten an ordinary path to a privileged one, which neither a
 * security filter chain nor that filter saw. What either judged or claimed is not judged
 * or claimed again: each is taken off the request by whichever did it. Registered as a
 * {@code MappedInterceptor} bean, it runs for every handler mapping of the
 * {@code DispatcherServlet}: Spring MVC's, an actuator endpoint's, an application's own.
 * A handler outside the {@code DispatcherServlet} (a servlet of its own) that such a late
 * filter rewrites the path to is not judged.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class UncoveredPathChallengeInterceptor implements HandlerInterceptor {

	private final ServletSessionAnswers answers;

	private final ServletSessionClocks clocks;

	/**
	 * Create a new interceptor.
	 * @param answers answers requests whose user must authenticate again
	 * @param clocks the session clocks of servlet requests
	 */
	public UncoveredPathChallengeInterceptor(ServletSessionAnswers answers, ServletSessionClocks clocks) {
		Assert.notNull(answers, "'answers' must not be null");
		Assert.notNull(clocks, "'clocks' must not be null");
		this.answers = answers;
		this.clocks = clocks;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		// Registered whether or not paths are privileged: without any, nothing to judge
		return !this.clocks.hasPrivilegedPaths() || request.getDispatcherType() != DispatcherType.REQUEST
				|| !UncoveredPathChallengeFilter.challenged(this.answers, this.clocks, request, response);
	}

}
