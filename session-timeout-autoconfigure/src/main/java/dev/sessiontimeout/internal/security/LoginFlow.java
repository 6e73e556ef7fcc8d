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

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * What one way of logging in tells about its authentications: when the user really
 * authenticated, and where a browser starts to authenticate again. Without a flow for an
 * authentication, it took place when it was observed and a browser goes to
 * {@code session-timeout.expired-url}.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see OidcLoginFlow
 */
public interface LoginFlow {

	/**
	 * Return whether this flow produced the authentication.
	 * @param authentication the authentication
	 * @return {@code true} if the flow knows the authentication
	 */
	boolean supports(Authentication authentication);

	/**
	 * Return when the user authenticated, if the authentication says, for example the
	 * {@code auth_time} of an OpenID Connect ID token.
	 * @param authentication the authentication
	 * @return when the user authenticated, or {@code null} for the time it was observed
	 */
	@Nullable Instant authenticatedAt(Authentication authentication);

	/**
	 * Return whether the authentication tells when its user authenticated, or took place
	 * now. A plain OAuth 2.0 login and an OpenID Connect ID token without
	 * {@code auth_time} do not: such a session is never privileged and cannot meet a
	 * challenge.
	 * @param authentication the authentication
	 * @return {@code true} if the authentication time is known
	 */
	default boolean knowsAuthenticationTime(Authentication authentication) {
		return true;
	}

	/**
	 * Return the authentication context class the authentication names, such as the
	 * {@code acr} claim of an access token.
	 * @param authentication the authentication
	 * @return the authentication context class, or {@code null} if it names none
	 */
	default @Nullable String authenticationContextClass(Authentication authentication) {
		return null;
	}

	/**
	 * Return whether the authentications of this flow come with each request, as bearer
	 * tokens do, rather than once for a session: a privileged path then decides on the
	 * request's own authentication.
	 * @return {@code true} if each request authenticates itself
	 */
	default boolean authenticatesEachRequest() {
		return false;
	}

	/**
	 * Return whether an authentication stored in a session in place of another is a
	 * renewal of it rather than a login: the same user's authentication, renewed without
	 * the user, such as the user of an OpenID Connect ID token refreshed with the access
	 * token. A renewal is neither recorded nor checked against the session's challenge.
	 * @param previous the authentication the session held
	 * @param authentication the authentication stored in its place
	 * @return {@code true} if the authentication renews the previous one
	 */
	default boolean isRenewalOf(Authentication previous, Authentication authentication) {
		return false;
	}

	/**
	 * Return whether an authentication is of the same user as a previous one of the same
	 * name at the same identity provider, as this flow identifies its users: an OpenID
	 * Connect user by the issuer and subject of the ID token, whatever claim names it (a
	 * {@code user-name-attribute} such as {@code email} may be shared by subjects). Only
	 * the same user meets the challenge of a session.
	 * @param previous the authentication the session held
	 * @param authentication the new authentication
	 * @return {@code true} unless the flow tells the two users apart
	 */
	default boolean isSameUser(Authentication previous, Authentication authentication) {
		return true;
	}

	/**
	 * Return where a browser goes to authenticate again.
	 * @param authentication the current authentication
	 * @return the URL, a path within the application or absolute, or {@code null} for the
	 * expired URL
	 */
	@Nullable String loginUrl(Authentication authentication);

	/**
	 * Return whether a request is a step of this flow's login itself, such as the
	 * redirect to an identity provider or the callback from it. A session whose user must
	 * authenticate again is not challenged on such a request, else the login could never
	 * complete.
	 * @param request the request
	 * @return {@code true} if the request belongs to the login
	 */
	default boolean isLoginRequest(HttpServletRequest request) {
		return false;
	}

	/**
	 * Return the flow that supports an authentication.
	 * @param flows the flows
	 * @param authentication the authentication
	 * @return the flow, or {@code null} if none does
	 */
	static @Nullable LoginFlow of(Iterable<LoginFlow> flows, Authentication authentication) {
		for (LoginFlow flow : flows) {
			if (flow.supports(authentication)) {
				return flow;
			}
		}
		return null;
	}

	/**
	 * Return whether an authentication is of the same user as the one a session held, as
	 * the flows of both identify users: neither flow may tell the two apart.
	 * @param flows the flows
	 * @param previous the authentication the session held
	 * @param authentication the new authentication
	 * @return {@code true} unless the flow of either authentication tells the two users
	 * apart
	 * @see #isSameUser(Authentication, Authentication)
	 */
	static boolean isSameUser(Iterable<LoginFlow> flows, Authentication previous, Authentication authentication) {
		LoginFlow flow = of(flows, authentication);
		LoginFlow previousFlow = of(flows, previous);
		return (flow == null || flow.isSameUser(previous, authentication))
				&& (previousFlow == null || previousFlow.isSameUser(previous, authentication));
	}

}
