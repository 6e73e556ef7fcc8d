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

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.sessiontimeout.internal.web.RequestDispatchFilter;

/**
 * Tells the {@link BearerTokenLoginFlow} of the authentication that a request holds right
 * before Spring Security's {@code BearerTokenAuthenticationFilter}, such as the user of
 * the session it sent along: that filter adds its authorities to the authentication of a
 * bearer token, whoever its user is, and they must not choose the token's policy and so
 * its privileged age.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class BearerTokenCarriedAuthoritiesFilter extends RequestDispatchFilter {

	/**
	 * The name of Spring Security's filter that authenticates bearer tokens, which this
	 * one goes right before.
	 */
	public static final String BEARER_TOKEN_AUTHENTICATION_FILTER = "org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter";

	private final Supplier<List<LoginFlow>> loginFlows;

	/**
	 * Create a new filter.
	 * @param loginFlows supplies the login flows, among them the
	 * {@link BearerTokenLoginFlow}
	 */
	public BearerTokenCarriedAuthoritiesFilter(Supplier<List<LoginFlow>> loginFlows) {
		this.loginFlows = loginFlows;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication before = SecurityContextHolder.getContext().getAuthentication();
		if (before != null && before.isAuthenticated() && !(before instanceof AnonymousAuthenticationToken)) {
			for (LoginFlow flow : this.loginFlows.get()) {
				if (flow instanceof BearerTokenLoginFlow bearer) {
					bearer.authenticationBeforeToken(before);
				}
			}
		}
		chain.doFilter(request, response);
	}

}
