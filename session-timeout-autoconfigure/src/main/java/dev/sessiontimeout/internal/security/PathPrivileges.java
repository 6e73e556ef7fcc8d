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

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Decides {@code session-timeout.privileged.paths} for a request whose own
 * authentication, not its session, tells whether it is privileged: one that comes with
 * each request (a bearer token, whether or not a session cookie comes along), or any
 * other authentication (HTTP Basic, X.509, an API key) of a request whose session holds
 * no user of that name. The session's clocks decide every other request, before Spring
 * Security.
 *
 * @author session-timeout
 */
final class PathPrivileges {

	private PathPrivileges() {
	}

	/**
	 * Decide a privileged path for a request's own authentication.
	 * @param clocks the session clocks
	 * @param flows the login flows
	 * @param request the request
	 * @param authentication its authentication
	 * @return the decision, or {@code null} if the request's session holds its user (its
	 * clocks decide) or the request is anonymous
	 */
	static TokenPrivileges.@Nullable Decision decide(ServletSessionClocks clocks, List<LoginFlow> flows,
			HttpServletRequest request, @Nullable Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		LoginFlow flow = LoginFlow.of(flows, authentication);
		Duration maxAge = TokenPrivileges.privilegedMaxAge(clocks.getClocks().getSettings(), flow, authentication);
		if (flow != null && flow.authenticatesEachRequest()) {
			return TokenPrivileges.decide(clocks, flow, authentication, maxAge);
		}
		if (PrivilegedSessionAuthorizationManager.sessionOf(request, authentication) != null) {
			return null;
		}
		boolean granted = PrivilegedSessionAuthorizationManager.isPrivilegedWithoutSession(clocks, flow, authentication,
				maxAge);
		return new TokenPrivileges.Decision(granted, (maxAge != null) ? maxAge : Duration.ZERO, List.of());
	}

}
