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
package dev.sessiontimeout.internal.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.Assert;

/**
 * Tells passive requests, which are checked like any other but never count as activity
 * (polling, heartbeats): those whose path, within the application, matches one of the
 * passive path patterns, {@code GET}s (and {@code HEAD}s) of the starter's endpoints (the
 * status of a session, the list of a user's sessions; below the dispatcher servlet's path
 * where it has one), and those with the header {@value #HEADER}{@code : passive}. Any
 * other request of an endpoint that counts its activity itself (the status endpoint's
 * {@code POST}, "stay signed in") is passive here too, and {@link #defersActivity defers}
 * its activity to that endpoint, which only a request that the application's security
 * accepted reaches: a {@code POST} that it refuses (for want of the CSRF token, say) is
 * no activity.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class PassiveRequestMatcher {

	/**
	 * The request header that marks a request as passive with the value {@code passive}.
	 */
	public static final String HEADER = "Session-Activity";

	private final PathPatterns passivePaths;

	private final List<String> passiveGetPaths;

	private final List<String> activityAtEndpointPaths;

	/**
	 * Create a new matcher.
	 * @param passivePaths the paths whose requests are passive
	 * @param passiveGetPaths the paths of the starter's endpoints whose {@code GET} is
	 * passive, those disabled left out
	 */
	public PassiveRequestMatcher(PathPatterns passivePaths, List<String> passiveGetPaths) {
		this(passivePaths, passiveGetPaths, List.of());
	}

	/**
	 * Create a new matcher.
	 * @param passivePaths the paths whose requests are passive
	 * @param passiveGetPaths the paths of the starter's endpoints whose {@code GET} is
	 * passive, those disabled left out
	 * @param activityAtEndpointPaths the paths of the starter's endpoints that count the
	 * activity of their other requests themselves (the status endpoint's), those disabled
	 * left out
	 */
	public PassiveRequestMatcher(PathPatterns passivePaths, List<String> passiveGetPaths,
			List<String> activityAtEndpointPaths) {
		Assert.notNull(passivePaths, "'passivePaths' must not be null");
		Assert.notNull(passiveGetPaths, "'passiveGetPaths' must not be null");
		Assert.notNull(activityAtEndpointPaths, "'activityAtEndpointPaths' must not be null");
		this.passivePaths = passivePaths;
		this.passiveGetPaths = List.copyOf(passiveGetPaths);
		this.activityAtEndpointPaths = List.copyOf(activityAtEndpointPaths);
	}

	/**
	 * Return whether the request is passive.
	 * @param request the request
	 * @return {@code true} if the request must not count as activity
	 */
	public boolean isPassive(HttpServletRequest request) {
		if ("passive".equalsIgnoreCase(request.getHeader(HEADER))) {
			return true;
		}
		// A HEAD is a GET without its body, and Spring MVC answers it as the GET
		List<String> passiveGetPaths = this.passiveGetPaths;
		if (!passiveGetPaths.isEmpty() && isGetOrHead(request)
				&& (PathPatterns.isAnyPathWithinContext(request, passiveGetPaths)
						|| isAnyPathWithinServletMapping(request, passiveGetPaths))) {
			return true;
		}
		return this.passivePaths.matches(request) || isActivityAtEndpoint(request);
	}

	/**
	 * Return whether a request that is otherwise active is passive only because the
	 * endpoint it names counts its activity itself, once it is reached: neither marked
	 * passive by its header nor of a passive path.
	 * @param request the request
	 * @return {@code true} if the endpoint records the request's activity
	 */
	public boolean defersActivity(HttpServletRequest request) {
		return isActivityAtEndpoint(request) && !"passive".equalsIgnoreCase(request.getHeader(HEADER))
				&& !this.passivePaths.matches(request);
	}

	private boolean isActivityAtEndpoint(HttpServletRequest request) {
		List<String> paths = this.activityAtEndpointPaths;
		return !paths.isEmpty() && !isGetOrHead(request) && (PathPatterns.isAnyPathWithinContext(request, paths)
				|| isAnyPathWithinServletMapping(request, paths));
	}

	private static boolean isGetOrHead(HttpServletRequest request) {
		String method = request.getMethod();
		return "GET".equals(method) || "HEAD".equals(method);
	}

	/**
	 * Return whether a request names one of the given paths below the path of the servlet
	 * it is mapped to: the starter's endpoints are Spring MVC handlers, which answer
	 * below the dispatcher servlet's own path ({@code spring.mvc.servlet.path}) where it
	 * has one. The request is asked once for all of them.
	 */
	private static boolean isAnyPathWithinServletMapping(HttpServletRequest request, List<String> paths) {
		if (request.getServletPath().isEmpty()) {
			return false;
		}
		String pathInfo = request.getPathInfo();
		for (String path : paths) {
			if (path.equals(pathInfo)) {
				return true;
			}
		}
		return false;
	}

}
