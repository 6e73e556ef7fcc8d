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
package dev.sessiontimeout.internal.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * What the {@link SessionTimeoutFilter} needs to know of the application's authentication
 * to challenge a user to authenticate again, without depending on Spring Security.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface SessionAuthenticationSupport {

	/**
	 * Support for applications without authentication: nobody is ever challenged.
	 */
	SessionAuthenticationSupport NONE = new SessionAuthenticationSupport() {

		@Override
		public boolean isAuthenticated(HttpSession session) {
			return false;
		}

		@Override
		public boolean mayBePrivileged(HttpSession session) {
			return false;
		}

		@Override
		public boolean requiresAuthentication(HttpServletRequest request) {
			return false;
		}

		@Override
		public @Nullable String startAuthentication(HttpServletRequest request, HttpServletResponse response,
				HttpSession session) {
			return null;
		}

		@Override
		public boolean answersChallenges(HttpServletRequest request) {
			return false;
		}

	};

	/**
	 * Return whether the session holds an authenticated, non-anonymous user.
	 * @param session the session
	 * @return {@code true} if its user is authenticated
	 */
	boolean isAuthenticated(HttpSession session);

	/**
	 * Return whether the session holds an authenticated, non-anonymous user, as
	 * {@link #isAuthenticated(HttpSession)} does, given what its
	 * {@link #authenticationAttribute() authentication attribute} holds, read already: a
	 * support that tells it from that value does not read the session again.
	 * @param session the session
	 * @param authentication the value of the session's authentication attribute
	 * @return {@code true} if its user is authenticated
	 */
	default boolean isAuthenticated(HttpSession session, @Nullable Object authentication) {
		return isAuthenticated(session);
	}

	/**
	 * Return whether the session's authentication can grant privileged operations at all:
	 * a user who proved a factor, rather than one remembered by a remember-me cookie.
	 * @param session the session
	 * @return {@code true} if a recent enough authentication makes the session privileged
	 */
	boolean mayBePrivileged(HttpSession session);

	/**
	 * Return whether a session's authentication can grant privileged operations at all,
	 * as {@link #mayBePrivileged(HttpSession)} does, given what its
	 * {@link #authenticationAttribute() authentication attribute} holds: for a session
	 * read from the store rather than a request's (a status, a user's sessions).
	 * @param authentication the value of the session's authentication attribute
	 * @return {@code true} if a recent enough authentication makes the session privileged
	 */
	default boolean mayBePrivilegedBy(@Nullable Object authentication) {
		return false;
	}

	/**
	 * Return whether the request needs an authenticated user, as the application's
	 * security rules say. A step of the login itself, such as the callback from an
	 * identity provider, needs none.
	 * @param request the request
	 * @return {@code true} if an anonymous user would be refused
	 */
	boolean requiresAuthentication(HttpServletRequest request);

	/**
	 * Return whether the security filter chain of the request answers challenges after
	 * its authorization ({@link SessionTimeoutFilter#challengePending}), rather than the
	 * {@link SessionTimeoutFilter} at once.
	 * @param request the request
	 * @return {@code true} if the request's security filter chain answers challenges
	 */
	boolean answersChallenges(HttpServletRequest request);

	/**
	 * Return whether the request is authenticated by something that comes with it, such
	 * as a bearer token, rather than by its session: its privileged operations are
	 * decided by that authentication alone, and its refusals are neither the session's
	 * challenge nor a reason to send a browser into the session's login.
	 * @param request the request, after its authentication
	 * @return {@code true} if the request authenticates itself
	 */
	default boolean isAuthenticatedByRequest(HttpServletRequest request) {
		return false;
	}

	/**
	 * Return whether the request runs as a user other than the one its session holds: an
	 * authentication of its own (HTTP Basic, say) carried another user's session cookie
	 * along. That session is not the request's: its refusals are neither recorded in the
	 * session as a challenge nor a reason to send a browser into the session's login.
	 * @param request the request, after its authentication
	 * @param session the session of the request
	 * @return {@code true} if the request is authenticated as another user than the
	 * session's
	 */
	default boolean isAuthenticatedAsAnotherUser(HttpServletRequest request, HttpSession session) {
		return false;
	}

	/**
	 * Prepare a browser's way through the login flow: keep the request so that it resumes
	 * after the login, and tell where the browser goes to authenticate.
	 * @param request the request that needs a more recent authentication
	 * @param response the response
	 * @param session the session
	 * @return the URL of the login flow, or {@code null} for the expired URL
	 */
	@Nullable String startAuthentication(HttpServletRequest request, HttpServletResponse response, HttpSession session);

	/**
	 * Return the policy that the authentication held by a session gives it, for a session
	 * that holds no readable policy of its own: one that signed in before the starter
	 * ran, or by a login that published no {@code InteractiveAuthenticationSuccessEvent}.
	 * @param request the request
	 * @param session its session
	 * @return the policy, or {@code null} if the session holds no authenticated user
	 */
	default @Nullable SessionTimeoutPolicy policyOf(HttpServletRequest request, HttpSession session) {
		return null;
	}

	/**
	 * Return the authentication of a session's signed-in user, the very object that the
	 * application's requests see.
	 * @param session the session
	 * @return the authentication, or {@code null} if the session holds no authenticated
	 * user
	 */
	default @Nullable Object authenticationOf(HttpSession session) {
		return null;
	}

	/**
	 * Return the authentication of a session's signed-in user, as
	 * {@link #authenticationOf(HttpSession)} does, given what its
	 * {@link #authenticationAttribute() authentication attribute} holds, as read already.
	 * @param session the session
	 * @param authentication what the session's authentication attribute holds
	 * @return the authentication, or {@code null} if the session holds no authenticated
	 * user
	 */
	default @Nullable Object authenticationOf(HttpSession session, @Nullable Object authentication) {
		return authenticationOf(session);
	}

	/**
	 * Return the name of the session attribute that holds the authentication of the
	 * session's user.
	 * @return the name, or {@code null} if the application keeps none in the session
	 */
	default @Nullable String authenticationAttribute() {
		return null;
	}

	/**
	 * Write an answer that the starter gives before the request's security filter chain
	 * could, with the headers that chain adds to every response
	 * ({@code X-Content-Type-Options}, {@code X-Frame-Options}, {@code Cache-Control},
	 * HSTS on HTTPS, and whatever else the application configured).
	 * @param request the request
	 * @param response the response
	 * @param answer writes the answer
	 * @throws IOException on a write failure
	 */
	default void writeAnswer(HttpServletRequest request, HttpServletResponse response, Answer answer)
			throws IOException {
		answer.write(request, response);
	}

	/**
	 * Keep a browser's request, if it is one that can resume, so that the login after its
	 * session ended returns to it.
	 * @param request the request whose session ended or is unknown
	 * @param response the response
	 */
	default void saveRequest(HttpServletRequest request, HttpServletResponse response) {
	}

	/**
	 * An answer to a request.
	 */
	@FunctionalInterface
	interface Answer {

		/**
		 * Write the answer.
		 * @param request the request
		 * @param response the response
		 * @throws IOException on a write failure
		 */
		void write(HttpServletRequest request, HttpServletResponse response) throws IOException;

	}

}
