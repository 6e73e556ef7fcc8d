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
package dev.sessiontimeout.internal.users;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver.User;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * The self-service endpoint where users see and end their own sessions. {@code GET} lists
 * the caller's live sessions, each named by an opaque handle rather than its id, and is
 * passive; {@code DELETE} of the path ends all but the caller's current session, and
 * {@code DELETE} of the path and a handle ends that one session. Both are subject to the
 * application's CSRF protection. Only the request's own user is ever looked up (the user
 * of its security context, else the user signed in in its session), so no handle, guessed
 * or seen elsewhere, reaches another user's session, nor does the session of another user
 * that a request carries along. Without a signed-in user it answers a {@code 401} problem
 * with reason {@code invalid}; where the application's store cannot find sessions by
 * user, a {@code 501} problem that says why.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@RestController
public class UserSessionsController {

	/**
	 * The property that holds the endpoint's path.
	 */
	public static final String PATH_PROPERTY = "session-timeout.sessions.path";

	/**
	 * The endpoint's default path.
	 */
	public static final String DEFAULT_PATH = "/session/sessions";

	private static final String PATH = "${" + PATH_PROPERTY + ":" + DEFAULT_PATH + "}";

	private final SpringSessionUserSessions userSessions;

	private final ServletSessionClocks clocks;

	private final SessionTimeoutResponder responder;

	private final boolean showAddress;

	/**
	 * Create a new controller.
	 * @param userSessions the sessions of each user
	 * @param clocks the session clocks of servlet requests
	 * @param responder writes the problem for a request without a signed-in session
	 * @param showAddress whether to list the address each session signed in from
	 */
	public UserSessionsController(SpringSessionUserSessions userSessions, ServletSessionClocks clocks,
			SessionTimeoutResponder responder, boolean showAddress) {
		this.userSessions = userSessions;
		this.clocks = clocks;
		this.responder = responder;
		this.showAddress = showAddress;
	}

	/**
	 * List the caller's live sessions, the current one first, then the most recently
	 * active.
	 * @param request the request
	 * @param response the response
	 * @return the sessions, a {@code 501} problem where the store cannot find sessions by
	 * user, or {@code null} when a problem was written instead
	 * @throws IOException on a write failure
	 */
	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	public @Nullable ResponseEntity<?> list(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		User caller = signedInUser(request, response);
		if (caller == null) {
			return null;
		}
		String username = caller.name();
		response.setHeader("Cache-Control", "no-store");
		ResponseEntity<?> unsupported = unsupported();
		if (unsupported != null) {
			return unsupported;
		}
		HttpSession current = this.userSessions.ownSession(request, caller);
		String currentId = (current != null) ? current.getId() : null;
		// The caller's provider: a user of the same name from another is another user
		String provider = caller.provider();
		Instant now = this.clocks.now();
		List<Map<String, @Nullable Object>> sessions = new ArrayList<>();
		this.userSessions.find(username)
			.stream()
			.filter((session) -> session.isLive(now) && Objects.equals(session.provider(), provider))
			.sorted(UserSession.listingOrder(currentId))
			.forEach((session) -> sessions
				.add(session.describe(session.sessionId().equals(currentId), this.showAddress)));
		return ResponseEntity.ok(Map.of("sessions", sessions));
	}

	/**
	 * End every session of the caller but the current one.
	 * @param request the request
	 * @param response the response
	 * @return how many sessions were ended, a {@code 501} problem where the store cannot
	 * find sessions by user, or {@code null} when a problem was written instead
	 * @throws IOException on a write failure
	 */
	@DeleteMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	public @Nullable ResponseEntity<?> endOthers(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (signedInUser(request, response) == null) {
			return null;
		}
		ResponseEntity<?> unsupported = unsupported();
		if (unsupported != null) {
			return unsupported;
		}
		return ResponseEntity.ok(Map.of("ended", this.userSessions.revokeOthers(request)));
	}

	/**
	 * End one session of the caller, the current one included.
	 * @param handle the session's handle, as listed
	 * @param request the request
	 * @param response the response
	 * @return {@code 204} once the session is ended, a {@code 404} problem if the caller
	 * has no live session with that handle, or {@code null} when a problem was written
	 * instead
	 * @throws IOException on a write failure
	 */
	@DeleteMapping(path = PATH + "/{handle}")
	public @Nullable ResponseEntity<?> end(@PathVariable String handle, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		User caller = signedInUser(request, response);
		if (caller == null) {
			return null;
		}
		ResponseEntity<?> unsupported = unsupported();
		if (unsupported != null) {
			return unsupported;
		}
		if (this.userSessions.revoke(caller.name(), caller.provider(), handle)) {
			return ResponseEntity.noContent().build();
		}
		return ResponseEntity
			.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "You have no live session with this id."))
			.build();
	}

	/**
	 * Return a {@code 501} problem that says why, if the application's store cannot find
	 * sessions by user.
	 */
	private @Nullable ResponseEntity<?> unsupported() {
		String reason = this.userSessions.unsupportedReason();
		if (reason == null) {
			return null;
		}
		return ResponseEntity.status(HttpStatus.NOT_IMPLEMENTED)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_IMPLEMENTED, reason));
	}

	/**
	 * Return the request's own user, as {@code revokeOthers} takes it, with its identity
	 * provider: the user of the request's security context, not the user of a session
	 * that a request of another (a bearer token, HTTP Basic) carries along; else the user
	 * signed in in the request's session.
	 */
	private @Nullable User signedInUser(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (ServletSessionClocks.reauthenticationPending(request) != null) {
			// A user who must authenticate again neither sees nor ends any session
			this.responder.writeProblem(request, response, ExpiryReason.REAUTHENTICATION);
			return null;
		}
		User user;
		try {
			user = this.userSessions.signedInUser(request, request.getSession(false));
		}
		catch (IllegalStateException ex) {
			user = null;
		}
		if (user == null) {
			this.responder.writeProblem(request, response, ExpiryReason.INVALID);
		}
		return user;
	}

}
