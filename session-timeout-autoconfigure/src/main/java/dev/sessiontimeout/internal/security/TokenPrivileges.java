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

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * The privileged decision for an authentication that comes with each request, such as a
 * bearer token, for {@code @RequiresPrivilegedSession} and for
 * {@code session-timeout.privileged.paths} alike. Its user authenticated when its
 * {@link LoginFlow} says (a token's {@code auth_time}), which must be younger than the
 * maximum age; with {@code session-timeout.privileged.acr-values}, the authentication
 * context class it names (a token's {@code acr}) must be one of them. An authentication
 * that does not tell when its user authenticated is never privileged, even with the
 * privileged age disabled, and so is one that says its user authenticated in the future
 * (beyond the clock skew the clocks tolerate): a token cannot be fresher than now. A
 * maximum age of zero is never met by a token.
 *
 * @author session-timeout
 */
final class TokenPrivileges {

	private TokenPrivileges() {
	}

	/**
	 * Return the maximum age of a privileged operation that sets none of its own: the
	 * privileged age of the policy that the authorities of the authentication choose,
	 * with those that the role hierarchy makes reachable from them, as for a login, else
	 * the global one; for a bearer token, that of the policy its own authorities choose,
	 * not those that Spring Security added from the authentication the request held
	 * before ({@link BearerTokenLoginFlow#policyOf}).
	 * @param settings the settings
	 * @param roleHierarchy the application's role hierarchy, whose reachable authorities
	 * choose the policy too, or {@code null} if it has none
	 * @param flow the login flow of the authentication, if any
	 * @param authentication the authentication
	 * @return the maximum age, {@code null} if the privileged age is disabled
	 */
	static @Nullable Duration privilegedMaxAge(SessionTimeoutSettings settings, @Nullable RoleHierarchy roleHierarchy,
			@Nullable LoginFlow flow, Authentication authentication) {
		SessionTimeoutPolicy policy = (flow instanceof BearerTokenLoginFlow bearer)
				? bearer.policyOf(settings, authentication, roleHierarchy)
				: PrivilegedSessionAuthorizationManager.policyOf(settings, authentication, roleHierarchy);
		return policy.privilegedMaxAge();
	}

	/**
	 * Decide a privileged operation of a servlet request.
	 * @param clocks the session clocks, which know the time and the authentication
	 * context classes to require
	 * @param flow the login flow of the authentication
	 * @param authentication the authentication
	 * @param maxAge how old the authentication may be at most, {@code null} for any age
	 * @return the decision
	 */
	static Decision decide(ServletSessionClocks clocks, LoginFlow flow, Authentication authentication,
			@Nullable Duration maxAge) {
		return decide(clocks.now(), clocks.getPrivilegedAcrValues(), flow, authentication, maxAge);
	}

	/**
	 * Decide a privileged operation.
	 * @param now the current instant
	 * @param acrValues the authentication context classes to require, empty for any
	 * @param flow the login flow of the authentication
	 * @param authentication the authentication
	 * @param maxAge how old the authentication may be at most, {@code null} for any age
	 * @return the decision
	 */
	static Decision decide(Instant now, List<String> acrValues, LoginFlow flow, Authentication authentication,
			@Nullable Duration maxAge) {
		Instant authenticatedAt = flow.authenticatedAt(authentication);
		boolean recent = authenticatedAt != null
				&& !authenticatedAt.isAfter(now.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE))
				&& (maxAge == null || isBefore(now, authenticatedAt, maxAge));
		String acr = flow.authenticationContextClass(authentication);
		boolean classMatches = acrValues.isEmpty() || (acr != null && acrValues.contains(acr));
		return new Decision(recent && classMatches, (maxAge != null) ? maxAge : Duration.ZERO, acrValues);
	}

	/**
	 * Return whether now is before the end of a maximum age: never for a maximum age of
	 * zero, which a token cannot meet (no operation can tell it used the token first).
	 */
	private static boolean isBefore(Instant now, Instant authenticatedAt, Duration maxAge) {
		if (maxAge.isZero()) {
			return false;
		}
		try {
			return now.isBefore(authenticatedAt.plus(maxAge));
		}
		catch (DateTimeException | ArithmeticException ex) {
			return false;
		}
	}

	/**
	 * A decision.
	 *
	 * @param granted whether the operation may proceed
	 * @param maxAge the maximum age for the challenge
	 * @param acrValues the authentication context classes for the challenge
	 */
	record Decision(boolean granted, Duration maxAge, List<String> acrValues) {

	}

}
