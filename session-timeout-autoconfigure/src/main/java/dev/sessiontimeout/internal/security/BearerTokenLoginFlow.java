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
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;

/**
 * The authentications of Spring Security's resource server, by a JWT access token or an
 * introspected opaque one: the user authenticated at the token's {@code auth_time} claim
 * (RFC 9470), not when the token arrived, which is when Spring Security stamps its bearer
 * factor. A token without {@code auth_time} does not tell when its user authenticated, so
 * it is never privileged. The claim is read in epoch seconds, as RFC 9470 has it, or as
 * an ISO-8601 instant, as Spring Authorization Server's introspection endpoint writes an
 * {@link Instant} that a token customizer put there. Its {@code acr} claim names the
 * authentication context class.
 * <p>
 * An application's own authentication converter may turn a token into an authentication
 * of another type: one that carries Spring Security's {@code FACTOR_BEARER} factor, or
 * holds the token as its principal or credentials, is a bearer token all the same, its
 * claims read from its principal or credentials if either is the token (a {@code Jwt}, an
 * {@link OAuth2AuthenticatedPrincipal}); without them it does not tell when its user
 * authenticated (the bearer factor's issue time is the request's, not the login's), so it
 * is never privileged.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class BearerTokenLoginFlow implements LoginFlow {

	/**
	 * The claim of the time the user authenticated.
	 */
	public static final String AUTH_TIME = "auth_time";

	/**
	 * The claim of the authentication context class.
	 */
	public static final String ACR = "acr";

	@Override
	public boolean supports(Authentication authentication) {
		return authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> || hasBearerFactor(authentication)
				|| holdsToken(authentication);
	}

	/**
	 * Return whether an authentication of the application's own type holds an access
	 * token as its principal or credentials (a {@code Jwt}, an opaque token's
	 * introspected principal), as a converter of its own may make one without Spring
	 * Security's {@code FACTOR_BEARER} factor: it came with the request all the same.
	 */
	private static boolean holdsToken(Authentication authentication) {
		Object principal = authentication.getPrincipal();
		return principal instanceof AbstractOAuth2Token
				|| principal instanceof OAuth2IntrospectionAuthenticatedPrincipal
				|| authentication.getCredentials() instanceof AbstractOAuth2Token;
	}

	/**
	 * Return the claims or attributes of a token that an authentication carries.
	 * @param authentication the authentication
	 * @return the claims, empty if it carries none
	 */
	private static Map<String, Object> claims(Authentication authentication) {
		if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			return token.getTokenAttributes();
		}
		Map<String, Object> claims = claimsOf(authentication.getPrincipal());
		if (claims == null) {
			claims = claimsOf(authentication.getCredentials());
		}
		return (claims != null) ? claims : Map.of();
	}

	private static @Nullable Map<String, Object> claimsOf(@Nullable Object value) {
		if (value instanceof ClaimAccessor accessor) {
			return accessor.getClaims();
		}
		if (value instanceof OAuth2AuthenticatedPrincipal principal) {
			return principal.getAttributes();
		}
		return null;
	}

	private static boolean hasBearerFactor(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (FactorGrantedAuthority.BEARER_AUTHORITY.equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	@Override
	public @Nullable Instant authenticatedAt(Authentication authentication) {
		if (!supports(authentication)) {
			return null;
		}
		Object authTime = claims(authentication).get(AUTH_TIME);
		if (authTime instanceof Instant instant) {
			return instant;
		}
		if (authTime instanceof Number seconds) {
			double value = seconds.doubleValue();
			// Beyond a year 9999 instant, not a time a user authenticated at
			return (value >= 0 && value < 253402300800d) ? Instant.ofEpochSecond(seconds.longValue()) : null;
		}
		if (authTime instanceof String text) {
			return parse(text);
		}
		return null;
	}

	private static @Nullable Instant parse(String authTime) {
		if (authTime.matches("\\d{1,12}")) {
			return Instant.ofEpochSecond(Long.parseLong(authTime));
		}
		try {
			return Instant.parse(authTime);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@Override
	public @Nullable String authenticationContextClass(Authentication authentication) {
		if (supports(authentication) && claims(authentication).get(ACR) instanceof String acr) {
			return acr;
		}
		return null;
	}

	@Override
	public boolean knowsAuthenticationTime(Authentication authentication) {
		return authenticatedAt(authentication) != null;
	}

	@Override
	public boolean authenticatesEachRequest() {
		return true;
	}

	@Override
	public @Nullable String loginUrl(Authentication authentication) {
		return null;
	}

}
