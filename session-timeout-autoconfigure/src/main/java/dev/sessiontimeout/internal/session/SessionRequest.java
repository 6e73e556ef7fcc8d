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
package dev.sessiontimeout.internal.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * What a decision of the {@link SessionClocks} needs to know of a request, asked only
 * when needed.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface SessionRequest {

	/**
	 * Return whether the request does not count as activity.
	 * @return {@code true} for a passive request
	 */
	boolean isPassive();

	/**
	 * Return whether the request is never challenged, such as a request of the expired
	 * page.
	 * @return {@code true} if the request is never challenged
	 */
	default boolean isExempt() {
		return false;
	}

	/**
	 * Return whether the session holds an authenticated, non-anonymous user.
	 * @return {@code true} if its user is authenticated
	 */
	boolean isAuthenticated();

	/**
	 * Return whether the session's authentication can grant privileged operations at all:
	 * a user who proved a factor, rather than one remembered by a remember-me cookie.
	 * @return {@code true} if a recent enough authentication makes it privileged
	 */
	boolean mayBePrivileged();

	/**
	 * Return whether the request needs an authenticated user, as the application's
	 * security rules say.
	 * @return {@code true} if an anonymous user would be refused
	 */
	boolean requiresAuthentication();

	/**
	 * Return whether the request needs a privileged session.
	 * @return {@code true} for a privileged path
	 */
	boolean isPrivilegedPath();

	/**
	 * Return whether the request carries a bearer token (RFC 6750: an
	 * {@code Authorization} header of the {@code Bearer} scheme, or an
	 * {@code access_token} query parameter), which decides its privileged operations once
	 * the application authenticates it: the session it sends along does not spend the one
	 * privileged operation that a maximum age of zero allows its login on it.
	 * @return {@code true} if the request carries a bearer token
	 */
	default boolean carriesBearerToken() {
		return false;
	}

	/**
	 * Return whether a request with the given {@code Authorization} header and query
	 * string carries a bearer token (RFC 6750): a header of the {@code Bearer} scheme, or
	 * an {@code access_token} query parameter, whose name is compared decoded, as the
	 * server decodes it for Spring Security's bearer token resolvers.
	 * @param authorization the value of the {@code Authorization} header, if any
	 * @param rawQuery the query string as sent, if any
	 * @return {@code true} if the request carries a bearer token
	 */
	static boolean carriesBearerToken(@Nullable String authorization, @Nullable String rawQuery) {
		return (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
				|| hasAccessTokenParameter(rawQuery);
	}

	private static boolean hasAccessTokenParameter(@Nullable String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return false;
		}
		for (String parameter : rawQuery.split("&")) {
			int equals = parameter.indexOf('=');
			String name = (equals != -1) ? parameter.substring(0, equals) : parameter;
			if (name.equals("access_token") || (name.indexOf('%') != -1 && decoded(name).equals("access_token"))) {
				return true;
			}
		}
		return false;
	}

	private static String decoded(String name) {
		try {
			return URLDecoder.decode(name, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return name;
		}
	}

	/**
	 * Return whether an earlier check of this request used the session's privilege grant
	 * (the authentication that a maximum age of zero allows once).
	 * @return {@code true} if the grant was used for this request
	 */
	boolean hasUsedPrivilegeGrant();

	/**
	 * Remember that this request used the session's privilege grant.
	 */
	void usePrivilegeGrant();

	/**
	 * Take over the use of the session's privilege grant, for a caller that must not
	 * block: the decision counts the request as not privileged, and the caller claims the
	 * grant from the store without blocking and, once the store said yes, marks the
	 * request as having {@link #usePrivilegeGrant() used it} and decides it again.
	 * @param sessionId the id of the session
	 * @param grant the grant, as the request's copy of the session holds it
	 * @return {@code true} if the caller claims the grant, {@code false} to let the
	 * {@link PrivilegeGrants} of the clocks decide now
	 */
	default boolean claimsPrivilegeGrantLater(String sessionId, String grant) {
		return false;
	}

	/**
	 * Leave the claim of the session's privilege grant that a privileged path with a
	 * maximum age of zero needs to the request's security filter chain, once its own
	 * checks (CSRF, authorization) let the request through: a request that they refuse
	 * does not spend the grant. The decision serves the path and leaves the grant in the
	 * session; the chain claims it, and challenges the request if the grant is gone.
	 * @return {@code true} if the chain claims the grant, {@code false} to claim it now
	 */
	default boolean defersPrivilegeGrantClaim() {
		return false;
	}

	/**
	 * Return the policy that the authentication of the request's session gives it, for a
	 * session that holds no readable policy of its own.
	 * @return the policy, or {@code null} if the session holds no authenticated user
	 */
	default @Nullable SessionTimeoutPolicy authenticatedPolicy() {
		return null;
	}

}
