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
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import dev.sessiontimeout.internal.session.SessionRequest;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Decides {@code session-timeout.privileged.paths} for a request whose own
 * authentication, not its session, tells whether it is privileged: one that comes with
 * each request (a bearer token, whether or not a session cookie comes along), or any
 * other authentication (HTTP Basic, X.509, an API key) of a request whose session holds
 * no user of that name. The session's clocks decide every other request, before Spring
 * Security. A request authenticated by the bearer token it carries is privileged only
 * through a token the starter can read ({@link TokenPrivileges}): one whose
 * authentication holds no token, or no {@code auth_time}, is never privileged, for its
 * factor authorities may be those Spring Security copied from the session sent along.
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
	 * @param roleHierarchy the application's role hierarchy, or {@code null} if it has
	 * none
	 * @param request the request
	 * @param authentication its authentication
	 * @return the decision, or {@code null} if the request's session holds its user (its
	 * clocks decide) or the request is anonymous
	 */
	static TokenPrivileges.@Nullable Decision decide(ServletSessionClocks clocks, List<LoginFlow> flows,
			@Nullable RoleHierarchy roleHierarchy, HttpServletRequest request,
			@Nullable Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		LoginFlow flow = LoginFlow.of(flows, authentication);
		Duration maxAge = TokenPrivileges.privilegedMaxAge(clocks.getClocks().getSettings(), roleHierarchy, flow,
				authentication);
		if (flow != null && flow.authenticatesEachRequest()) {
			return TokenPrivileges.decide(clocks, flow, authentication, maxAge);
		}
		if (isAuthenticatedByBearerToken(request, authentication)) {
			return new TokenPrivileges.Decision(false, (maxAge != null) ? maxAge : Duration.ZERO,
					clocks.getPrivilegedAcrValues());
		}
		if (PrivilegedSessionAuthorizationManager.sessionOf(request, authentication) != null) {
			return null;
		}
		boolean granted = PrivilegedSessionAuthorizationManager.isPrivilegedWithoutSession(clocks.now(), flow,
				authentication, maxAge, flows);
		return new TokenPrivileges.Decision(granted, (maxAge != null) ? maxAge : Duration.ZERO, List.of());
	}

	/**
	 * Return whether a request was authenticated by the bearer token it carries (RFC
	 * 6750: an {@code Authorization} header of the {@code Bearer} scheme, or an
	 * {@code access_token} query parameter), not by its session: its authentication is
	 * not the one its session holds. Such an authentication is privileged only through a
	 * token that its login flow reads, never by its factor authorities: Spring Security
	 * 7.1 copies those of the session sent along, whoever its user is, into it.
	 * @param request the request
	 * @param authentication its authentication
	 * @return {@code true} if a bearer token authenticated the request
	 */
	static boolean isAuthenticatedByBearerToken(HttpServletRequest request, Authentication authentication) {
		if (!SessionRequest.carriesBearerToken(request.getHeader(HttpHeaders.AUTHORIZATION),
				request.getQueryString())) {
			return false;
		}
		HttpSession session = request.getSession(false);
		if (session == null) {
			return true;
		}
		try {
			return !(session.getAttribute(
					HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) instanceof SecurityContext context)
					|| !authentication.equals(context.getAuthentication());
		}
		catch (IllegalStateException ex) {
			// A container session that a concurrent request invalidated
			return true;
		}
	}

}
