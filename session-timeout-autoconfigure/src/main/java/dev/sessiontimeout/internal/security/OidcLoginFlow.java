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
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import dev.sessiontimeout.internal.web.PathPatterns;

/**
 * The login flow of {@code oauth2Login()}: an OpenID Connect user authenticated at the ID
 * token's {@code auth_time} (Spring Security 7.1 adds no factor for it), and a browser
 * authenticates again through the authorization endpoint of the same client registration,
 * where {@link OidcStepUpAuthorizationRequestCustomizer} asks for {@code prompt=login}
 * and {@code max_age}. The authorization request and the callback of the login are never
 * challenged themselves.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class OidcLoginFlow implements LoginFlow {

	private final String authorizationRequestBaseUri;

	private final PathPatterns loginPaths;

	private boolean callbackTimeAsAuthenticationTime;

	/**
	 * Create a flow for the default authorization request base URI,
	 * {@value OAuth2AuthorizationRequestRedirectFilter#DEFAULT_AUTHORIZATION_REQUEST_BASE_URI}.
	 */
	public OidcLoginFlow() {
		this(OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
	}

	/**
	 * Create a flow whose callback is the default
	 * {@value OAuth2LoginAuthenticationFilter#DEFAULT_FILTER_PROCESSES_URI}.
	 * @param authorizationRequestBaseUri the base URI of authorization requests, followed
	 * by the registration id
	 */
	public OidcLoginFlow(String authorizationRequestBaseUri) {
		this(authorizationRequestBaseUri, OAuth2LoginAuthenticationFilter.DEFAULT_FILTER_PROCESSES_URI);
	}

	/**
	 * Create a flow.
	 * @param authorizationRequestBaseUri the base URI of authorization requests, followed
	 * by the registration id
	 * @param loginProcessingUrl the path pattern of the callback, such as
	 * {@code /login/oauth2/code/*}
	 */
	public OidcLoginFlow(String authorizationRequestBaseUri, String loginProcessingUrl) {
		this.authorizationRequestBaseUri = authorizationRequestBaseUri;
		this.loginPaths = PathPatterns.parse(List.of(authorizationRequestBaseUri + "/*", loginProcessingUrl));
	}

	/**
	 * Set whether the time of the callback counts as the authentication time of a login
	 * that does not tell when its user authenticated: a plain OAuth 2.0 login, or an ID
	 * token without {@code auth_time}. Off by default, because the provider may have
	 * signed the user in silently, from a session of its own of any age: such a login is
	 * then never privileged and never meets a challenge to authenticate again.
	 * @param callbackTimeAsAuthenticationTime whether to trust the callback time
	 */
	public void setCallbackTimeAsAuthenticationTime(boolean callbackTimeAsAuthenticationTime) {
		this.callbackTimeAsAuthenticationTime = callbackTimeAsAuthenticationTime;
	}

	@Override
	public boolean supports(Authentication authentication) {
		return authentication instanceof OAuth2AuthenticationToken;
	}

	@Override
	public @Nullable Instant authenticatedAt(Authentication authentication) {
		return (authentication.getPrincipal() instanceof OidcUser user) ? user.getAuthenticatedAt() : null;
	}

	@Override
	public boolean knowsAuthenticationTime(Authentication authentication) {
		return (authentication.getPrincipal() instanceof OidcUser user && user.getAuthenticatedAt() != null)
				|| this.callbackTimeAsAuthenticationTime;
	}

	/**
	 * Return whether an authentication is the user of a refreshed ID token of the
	 * previous one, as Spring Security's
	 * {@code RefreshOidcUserReactiveOAuth2AuthorizationSuccessHandler} stores it in a
	 * WebFlux session when it refreshes the access token: the same client registration,
	 * issuer, subject and {@code auth_time}, and the nonce of the login or none. A login
	 * never carries the nonce of an earlier one, for each authorization request sends a
	 * new one that the ID token must repeat; a login whose provider ignored
	 * {@code prompt=login} and answered with the old {@code auth_time} is so still a
	 * login.
	 * @param previous the authentication the session held
	 * @param authentication the authentication stored in its place
	 * @return {@code true} if the authentication is a refresh of the previous one
	 */
	@Override
	public boolean isRenewalOf(Authentication previous, Authentication authentication) {
		if (!(previous instanceof OAuth2AuthenticationToken before
				&& authentication instanceof OAuth2AuthenticationToken after
				&& before.getPrincipal() instanceof OidcUser beforeUser
				&& after.getPrincipal() instanceof OidcUser afterUser)) {
			return false;
		}
		OidcIdToken login = beforeUser.getIdToken();
		OidcIdToken refreshed = afterUser.getIdToken();
		if (login == null || refreshed == null || login.getNonce() == null) {
			return false;
		}
		return before.getAuthorizedClientRegistrationId().equals(after.getAuthorizedClientRegistrationId())
				&& Objects.equals(login.getIssuer(), refreshed.getIssuer())
				&& Objects.equals(login.getSubject(), refreshed.getSubject())
				&& Objects.equals(login.getAuthenticatedAt(), refreshed.getAuthenticatedAt())
				&& (refreshed.getNonce() == null || refreshed.getNonce().equals(login.getNonce()));
	}

	/**
	 * Return whether an authentication is of the same user as a previous one: for an
	 * OpenID Connect user, the same issuer and subject ({@code iss} and {@code sub}, the
	 * only claims that identify the user, OpenID Connect Core 5.7), whatever the
	 * {@code user-name-attribute} names it by.
	 * @param previous the authentication the session held
	 * @param authentication the new authentication
	 * @return {@code false} if either is an OpenID Connect user and they differ in issuer
	 * or subject
	 */
	@Override
	public boolean isSameUser(Authentication previous, Authentication authentication) {
		Object before = previous.getPrincipal();
		Object after = authentication.getPrincipal();
		if (!(before instanceof OidcUser) && !(after instanceof OidcUser)) {
			return true;
		}
		if (!(before instanceof OidcUser beforeUser && after instanceof OidcUser afterUser)) {
			return false;
		}
		String subject = afterUser.getSubject();
		return subject != null && subject.equals(beforeUser.getSubject())
				&& Objects.equals(String.valueOf(beforeUser.getIssuer()), String.valueOf(afterUser.getIssuer()));
	}

	@Override
	public boolean isLoginRequest(HttpServletRequest request) {
		return this.loginPaths.matches(request);
	}

	@Override
	public String loginUrl(Authentication authentication) {
		return this.authorizationRequestBaseUri + "/"
				+ ((OAuth2AuthenticationToken) authentication).getAuthorizedClientRegistrationId();
	}

}
