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
package dev.sessiontimeout.internal.reactive;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.session.PendingChallenge;

/**
 * What the WebFlux session clocks need to know of the application's security: which
 * session attribute holds the signed-in user, what that user is, what a newly stored one
 * means (a login, or a login refused because it does not meet the session's pending
 * challenge), and how a browser's request is saved for after its login. Without Spring
 * Security, no session holds a user.
 *
 * @author session-timeout
 */
public interface ReactiveSessionAuthentication {

	/**
	 * No security: no session holds an authenticated user.
	 */
	ReactiveSessionAuthentication NONE = new ReactiveSessionAuthentication() {

		@Override
		public @Nullable String attribute() {
			return null;
		}

		@Override
		public boolean isAuthenticated(@Nullable Object stored) {
			return false;
		}

		@Override
		public @Nullable String nameOf(@Nullable Object stored) {
			return null;
		}

		@Override
		public boolean mayBePrivileged(@Nullable Object stored) {
			return false;
		}

		@Override
		public @Nullable SessionTimeoutPolicy policyOf(@Nullable Object stored) {
			return null;
		}

		@Override
		public @Nullable Login login(@Nullable Object previous, Object stored, @Nullable PendingChallenge challenge,
				Instant now) {
			return null;
		}

	};

	/**
	 * Return the name of the session attribute that holds the signed-in user.
	 * @return the name, or {@code null} if no attribute does
	 */
	@Nullable String attribute();

	/**
	 * Return the user a session holds: the value of its {@link #attribute() attribute}.
	 * @param session the session, as the store keeps it
	 * @return the value, or {@code null} if it holds none
	 */
	default @Nullable Object userOf(WebSession session) {
		String attribute = attribute();
		return (attribute != null) ? session.getAttribute(attribute) : null;
	}

	/**
	 * Return whether a value of the {@link #attribute() attribute} is an authenticated,
	 * non-anonymous user.
	 * @param stored the value, or {@code null}
	 * @return {@code true} for an authenticated user
	 */
	boolean isAuthenticated(@Nullable Object stored);

	/**
	 * Return the name of the stored user.
	 * @param stored the value, or {@code null}
	 * @return the name, or {@code null} if the value is no authenticated user
	 */
	@Nullable String nameOf(@Nullable Object stored);

	/**
	 * Return whether a recent enough authentication of the stored user makes its session
	 * privileged: the time of the login is known.
	 * @param stored the value, or {@code null}
	 * @return {@code true} if the session may be privileged
	 */
	boolean mayBePrivileged(@Nullable Object stored);

	/**
	 * Return the policy that the stored user's authentication chooses, for a session that
	 * holds no readable policy of its own.
	 * @param stored the value, or {@code null}
	 * @return the policy, or {@code null} if the value is no authenticated user
	 */
	@Nullable SessionTimeoutPolicy policyOf(@Nullable Object stored);

	/**
	 * Return the policy of the session of a stored user, as the application's policy
	 * overrides adjust the one its authentication chooses: at its login, or for a session
	 * that holds no readable policy of its own.
	 * @param stored the value
	 * @param policy the policy its authentication chooses
	 * @param exchange the exchange of the login, or the first one that found the session
	 * without a policy of its own
	 * @param sessionIdHash the hash of the session's id, for the log
	 * @return the policy; an error if an override failed, returned nothing, or returned a
	 * policy whose name cannot be written into log lines
	 */
	default Mono<SessionTimeoutPolicy> adjust(Object stored, SessionTimeoutPolicy policy, ServerWebExchange exchange,
			String sessionIdHash) {
		return Mono.just(policy);
	}

	/**
	 * Return whether the application adjusts policies with overrides of its own.
	 * @return {@code true} if {@link #adjust} may return another policy than it is given
	 */
	default boolean adjustsPolicies() {
		return false;
	}

	/**
	 * Return the login that storing a value in place of another is: a new authenticated
	 * user, or the same user authenticated again. A login that does not meet the
	 * session's pending challenge (another user, or an authentication too old) is refused
	 * with the security stack's authentication failure, before it is stored.
	 * @param previous the value the session held, or {@code null}
	 * @param stored the value being stored
	 * @param challenge the challenge the session's user must meet, or {@code null}
	 * @param now the current instant
	 * @return the login, or {@code null} if the value is no new login
	 */
	@Nullable Login login(@Nullable Object previous, Object stored, @Nullable PendingChallenge challenge, Instant now);

	/**
	 * Return whether challenges are answered inside the security filter chain, once its
	 * login, callback and logout requests had their turn: the request then runs without
	 * its user until a {@link ReactiveSessionChallengeWebFilter} answers it.
	 * @return {@code true} if challenges are answered there
	 */
	default boolean answersChallenges() {
		return false;
	}

	/**
	 * Return whether a failure of a request is the security stack's refusal of access,
	 * which a request that runs without its user meets where authentication is needed.
	 * @param failure the failure
	 * @return {@code true} for a refusal of access
	 */
	default boolean isDenial(Throwable failure) {
		return false;
	}

	/**
	 * Return whether the current request was authenticated by other means than its
	 * session (HTTP Basic, a bearer token): a refusal of such a request is the
	 * application's own answer, not a challenge of the session's user, as on servlet.
	 * Read from the request's security context.
	 * @return {@code true} if the request runs with an authentication of its own
	 */
	default Mono<Boolean> isAuthenticatedOtherwise() {
		return Mono.just(false);
	}

	/**
	 * Return whether the current request is authenticated by something that comes with
	 * it, such as a bearer token, rather than by a session: its privileged operations are
	 * decided by that authentication alone, and its refusals are neither a challenge of
	 * the session sent along nor a reason to send a browser into that session's login.
	 * Read from the request's security context.
	 * @return {@code true} if the request authenticates itself
	 */
	default Mono<Boolean> isAuthenticatedByRequest() {
		return Mono.just(false);
	}

	/**
	 * Return whether the current request runs as a user other than the one its session
	 * holds: an authentication of its own (HTTP Basic, say) carried another user's
	 * session cookie along. That session is not the request's: its refusals are neither
	 * recorded in the session as a challenge nor a reason to send a browser into the
	 * session's login. Read from the request's security context.
	 * @param sessionUser the name of the session's user, {@code null} for none
	 * @return {@code true} if the request is authenticated as another user
	 */
	default Mono<Boolean> isAuthenticatedAsAnotherUser(@Nullable String sessionUser) {
		return Mono.just(false);
	}

	/**
	 * Return the refusal of a privileged operation that failed a request.
	 * @param failure the failure
	 * @return the refusal, or {@code null} if the failure is no such refusal
	 */
	default @Nullable PrivilegedDecision privilegedRefusalOf(Throwable failure) {
		return null;
	}

	/**
	 * Return the authentication context classes one of which the authentication of a
	 * privileged operation must name, which a challenge to perform one names.
	 * @return the classes, empty for any
	 */
	default List<String> privilegedAcrValues() {
		return List.of();
	}

	/**
	 * Decide a privileged path for a request whose authentication is not its session's
	 * user: one that comes with each request, such as a bearer token, decides by itself,
	 * with or without a session, and one by a bearer token the starter cannot read is
	 * refused, even with its own user's session; any other (HTTP Basic, an API key) by
	 * the time its newest factor was proven, as on servlet.
	 * @param exchange the exchange
	 * @param sessionUser the name of the user of the request's session, or {@code null}
	 * @return the decision, or empty if the request is not authenticated, or is
	 * authenticated as its session's user, whose session decides
	 */
	default Mono<PrivilegedDecision> requestPrivileges(ServerWebExchange exchange, @Nullable String sessionUser) {
		return Mono.empty();
	}

	/**
	 * Return where a browser goes to authenticate the stored user again, such as the
	 * authorization endpoint of the identity provider it signed in with.
	 * @param stored the value, or {@code null}
	 * @return the URL, a path within the application or absolute, or {@code null} for the
	 * expired URL
	 */
	default @Nullable String loginUrl(@Nullable Object stored) {
		return null;
	}

	/**
	 * Write an answer that the starter gives before the request's security filter chain
	 * runs (a session that ended, an unknown one, a store that does not answer), with the
	 * headers that chain adds to every response ({@code X-Content-Type-Options},
	 * {@code X-Frame-Options}, HSTS on HTTPS, and whatever else the application
	 * configured), as on servlet. Without Spring Security, the answer alone.
	 * @param exchange the exchange
	 * @param answer writes the answer
	 * @return the completion of the answer
	 */
	default Mono<Void> writeAnswer(ServerWebExchange exchange, Supplier<Mono<Void>> answer) {
		return Mono.defer(answer);
	}

	/**
	 * Save a browser's request for after its login.
	 * @param exchange the exchange
	 * @return the completion of the save
	 */
	default Mono<Void> saveRequest(ServerWebExchange exchange) {
		return Mono.empty();
	}

	/**
	 * A login to record in the session.
	 *
	 * @param reportedAuthenticatedAt when the user authenticated, as the login reports it
	 * (an OpenID Connect {@code auth_time}), or {@code null} for now
	 * @param policy the policy of the session from now on
	 */
	record Login(@Nullable Instant reportedAuthenticatedAt, SessionTimeoutPolicy policy) {
	}

}
