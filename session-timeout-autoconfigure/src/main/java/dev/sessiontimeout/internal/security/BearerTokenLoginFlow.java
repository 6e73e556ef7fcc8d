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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

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
 * <p>
 * Without a session, a token gets the policy that its own authorities choose. Spring
 * Security 7.1 adds to a token's authentication the authorities of the authentication
 * that the request held before (the user of a session cookie sent along, whoever that
 * is); those are told apart as the very objects of that authentication, which
 * {@link #authenticationBeforeToken(Authentication)} is told of, and never choose the
 * token's policy: of the policies that the token's authorities may choose with or without
 * any of them, the one with the shortest privileged age applies.
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

	private final CarriedAuthorities carriedAuthorities = new CarriedAuthorities();

	/**
	 * Remember the authentication that a request holds right before its bearer token is
	 * authenticated, such as the user of its session: Spring Security adds its
	 * authorities to the token's authentication, where they must not choose the token's
	 * policy.
	 * @param authentication the authentication
	 */
	public void authenticationBeforeToken(Authentication authentication) {
		this.carriedAuthorities.add(authentication);
	}

	/**
	 * Return whether an authority is one of an authentication that a request held right
	 * before its bearer token was authenticated (the very object), which Spring Security
	 * may have copied into the token's authentication: a factor of the session sent
	 * along, say, which tells nothing of when the token's user authenticated.
	 * @param authority the authority
	 * @return {@code true} if it may have been carried into a token's authentication
	 */
	boolean isCarried(GrantedAuthority authority) {
		return this.carriedAuthorities.contains(authority);
	}

	/**
	 * Return the configured policy that the own authorities of a token's authentication
	 * choose, with those that the application's role hierarchy makes reachable from them:
	 * where some of its authorities may have been added from the authentication the
	 * request held before, the policy with the shortest privileged age of those that the
	 * token's other authorities choose with or without any one of them, so that they
	 * never make a token's privileged age longer than its own.
	 * @param settings the settings
	 * @param authentication the token's authentication
	 * @param roleHierarchy the application's role hierarchy, or {@code null} if it has
	 * none
	 * @return the policy
	 */
	SessionTimeoutPolicy policyOf(SessionTimeoutSettings settings, Authentication authentication,
			@Nullable RoleHierarchy roleHierarchy) {
		List<GrantedAuthority> own = new ArrayList<>();
		List<GrantedAuthority> carried = new ArrayList<>();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			(this.carriedAuthorities.contains(authority) ? carried : own).add(authority);
		}
		SessionTimeoutPolicy policy = settings
			.policyFor(AuthenticationPolicies.reachableAuthorities(own, roleHierarchy), false);
		for (GrantedAuthority authority : carried) {
			List<GrantedAuthority> with = new ArrayList<>(own);
			with.add(authority);
			SessionTimeoutPolicy candidate = settings
				.policyFor(AuthenticationPolicies.reachableAuthorities(with, roleHierarchy), false);
			if (isShorter(candidate.privilegedMaxAge(), policy.privilegedMaxAge())) {
				policy = candidate;
			}
		}
		return policy;
	}

	/**
	 * Return whether a privileged age is shorter than another, a disabled one
	 * ({@code null}) being the longest.
	 */
	private static boolean isShorter(@Nullable Duration age, @Nullable Duration than) {
		return age != null && (than == null || age.compareTo(than) < 0);
	}

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
