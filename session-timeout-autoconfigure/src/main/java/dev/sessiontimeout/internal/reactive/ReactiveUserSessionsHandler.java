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

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAnswers;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver.User;
import dev.sessiontimeout.internal.users.UserSession;

/**
 * The self-service endpoint on WebFlux, as on servlet, where users see and end their own
 * sessions. {@code GET} lists the caller's live sessions, each named by an opaque handle
 * rather than its id, and is passive; {@code DELETE} of the path ends all but the
 * caller's current session, and {@code DELETE} of the path and a handle ends that one
 * session. Both are subject to the application's CSRF protection. Only the exchange's own
 * user is ever looked up (its principal, else the user signed in in its session), so no
 * handle, guessed or seen elsewhere, reaches another user's session, nor does the session
 * of another user that a request carries along. Without a signed-in user it answers a
 * {@code 401} problem with reason {@code invalid}; where the application's store cannot
 * find sessions by user (a {@code WebSessionManager} of its own), a {@code 501} problem
 * that says why.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class ReactiveUserSessionsHandler {

	private final ReactiveStoreUserSessions userSessions;

	private final SessionClocks clocks;

	private final boolean showAddress;

	/**
	 * Create a new handler.
	 * @param userSessions the sessions of each user
	 * @param clocks the session clocks
	 * @param showAddress whether to list the address each session signed in from
	 */
	public ReactiveUserSessionsHandler(ReactiveStoreUserSessions userSessions, SessionClocks clocks,
			boolean showAddress) {
		this.userSessions = userSessions;
		this.clocks = clocks;
		this.showAddress = showAddress;
	}

	/**
	 * Return the routes of the endpoint.
	 * @param path the endpoint's path
	 * @return the routes
	 */
	public RouterFunction<ServerResponse> routes(String path) {
		return RouterFunctions.route(RequestPredicates.GET(path), (request) -> signedIn(request, this::list))
			.andRoute(RequestPredicates.DELETE(path), (request) -> signedIn(request, this::endOthers))
			.andRoute(RequestPredicates.DELETE(path + "/{handle}"), (request) -> signedIn(request, this::end));
	}

	/**
	 * List the caller's live sessions, the current one first, then the most recently
	 * active.
	 */
	private Mono<ServerResponse> list(ServerRequest request, SignedIn caller) {
		WebSession current = caller.session();
		String currentId = (current != null) ? current.getId() : null;
		return this.userSessions.find(caller.username())
			.filter((session) -> session.isLive(this.clocks.now())
					&& Objects.equals(session.provider(), caller.provider()))
			.sort(UserSession.listingOrder(currentId))
			.map((session) -> session.describe(Objects.equals(session.sessionId(), currentId), this.showAddress))
			.collectList()
			.flatMap((sessions) -> ServerResponse.ok()
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("sessions", sessions)));
	}

	/**
	 * End every session of the caller but the current one.
	 */
	private Mono<ServerResponse> endOthers(ServerRequest request, SignedIn caller) {
		return this.userSessions.revokeOthers(request.exchange())
			.flatMap((ended) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("ended", ended)));
	}

	/**
	 * End one session of the caller, the current one included.
	 */
	private Mono<ServerResponse> end(ServerRequest request, SignedIn caller) {
		return this.userSessions.revoke(caller.username(), caller.provider(), request.pathVariable("handle"))
			.flatMap((revoked) -> revoked ? ServerResponse.noContent().build()
					: ServerResponse.status(HttpStatus.NOT_FOUND)
						.contentType(MediaType.APPLICATION_PROBLEM_JSON)
						.bodyValue(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
								"You have no live session with this id.")));
	}

	/**
	 * Answer a request of a signed-in user, else a {@code 401} problem with reason
	 * {@code invalid}. The caller is the request's own user, as {@code revokeOthers}
	 * takes it (the exchange's principal, else the user signed in in its session), and
	 * its session is the caller's only if it holds no other user: a request of one user
	 * (a bearer token, HTTP Basic) may carry the session of another along.
	 */
	private Mono<ServerResponse> signedIn(ServerRequest request,
			BiFunction<ServerRequest, SignedIn, Mono<ServerResponse>> answer) {
		return request.session().flatMap((seen) -> {
			WebSession session = ObservedWebSession.unwrap(request.exchange(), seen);
			if (ObservedWebSession.isUserHidden(request.exchange(), seen)) {
				// A user who must authenticate again neither sees nor ends any session
				return unauthorized(request, ExpiryReason.REAUTHENTICATION);
			}
			return this.userSessions.signedInUser(request.exchange(), session)
				.map(Optional::of)
				.onErrorResume(IllegalStateException.class, (ex) -> Mono.just(Optional.empty()))
				.flatMap((caller) -> caller.isPresent() ? answer(request, caller.get(), session, answer)
						: unauthorized(request, ExpiryReason.INVALID));
		});
	}

	private Mono<ServerResponse> answer(ServerRequest request, User caller, WebSession session,
			BiFunction<ServerRequest, SignedIn, Mono<ServerResponse>> answer) {
		String unsupported = this.userSessions.unsupportedReason();
		if (unsupported != null) {
			return ServerResponse.status(HttpStatus.NOT_IMPLEMENTED)
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.bodyValue(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_IMPLEMENTED, unsupported));
		}
		WebSession own = this.userSessions.holdsOtherUser(session, caller) ? null : session;
		// The caller's provider: a user of the same name from another is another user
		return answer.apply(request, new SignedIn(caller.name(), own, caller.provider()));
	}

	private static Mono<ServerResponse> unauthorized(ServerRequest request, ExpiryReason reason) {
		return ServerResponse.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(SessionAnswers.problem(request.path(), reason));
	}

	/**
	 * The caller of a request, with its session if the session is the caller's.
	 */
	private record SignedIn(String username, @Nullable WebSession session, @Nullable String provider) {

	}

}
