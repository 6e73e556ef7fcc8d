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

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;

/**
 * What an authentication proves, for the privileged decision of both web stacks: kept
 * apart from {@link SecuritySessionAuthenticationSupport}, whose servlet API a WebFlux
 * application does not have on its class path.
 *
 * @author session-timeout
 */
final class AuthenticationFactors {

	private static final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	/**
	 * The most switches of user back to an authentication that proved its factor: a
	 * switch chain is short, and a longer one (a cycle, edited by hand) is never
	 * privileged.
	 */
	private static final int MAX_SWITCHES = 8;

	private AuthenticationFactors() {
	}

	/**
	 * Return whether an authentication tells when its user authenticated: one of a login
	 * flow that does not (a plain OAuth 2.0 login, an ID token without {@code auth_time})
	 * is never privileged, for its time is unknown, not now. A switched authentication
	 * (Spring Security's {@code SwitchUserFilter} or {@code SwitchUserWebFilter}) tells
	 * it only if the authentication it was switched from does, and so on back.
	 * @param flows the login flows
	 * @param authentication the authentication
	 * @return {@code true} if its login flow, and that of every authentication it was
	 * switched from, tells when its user authenticated
	 */
	static boolean knowsAuthenticationTime(List<LoginFlow> flows, Authentication authentication) {
		Authentication current = authentication;
		for (int depth = 0; current != null; depth++) {
			LoginFlow flow = LoginFlow.of(flows, current);
			if (depth == MAX_SWITCHES || (flow != null && !flow.knowsAuthenticationTime(current))) {
				return false;
			}
			current = switchedFrom(current);
		}
		return true;
	}

	/**
	 * Return whether an authentication proved a factor: it is authenticated, and neither
	 * anonymous nor remembered by a remember-me cookie. A switched authentication (Spring
	 * Security's {@code SwitchUserFilter} or {@code SwitchUserWebFilter}), which proved
	 * no factor of its own, proved one only as the authentication it was switched from
	 * did, and so on back: an administrator remembered by a cookie who switches to a
	 * customer is remembered still.
	 * @param authentication the authentication
	 * @return {@code true} if a recent enough authentication makes it privileged
	 */
	static boolean provedAFactor(@Nullable Authentication authentication) {
		Authentication current = authentication;
		for (int depth = 0; current != null; depth++) {
			if (depth == MAX_SWITCHES || !current.isAuthenticated() || trustResolver.isAnonymous(current)
					|| trustResolver.isRememberMe(current)) {
				return false;
			}
			current = switchedFrom(current);
		}
		return authentication != null;
	}

	/**
	 * Return the authentication that a switch of user (Spring Security's
	 * {@code SwitchUserFilter} or {@code SwitchUserWebFilter}) made an authentication
	 * from: the source of its {@link SwitchUserGrantedAuthority}.
	 * @param authentication the authentication
	 * @return the source, or {@code null} if no switch made it
	 */
	static @Nullable Authentication switchedFrom(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof SwitchUserGrantedAuthority switchUser) {
				return switchUser.getSource();
			}
		}
		return null;
	}

}
