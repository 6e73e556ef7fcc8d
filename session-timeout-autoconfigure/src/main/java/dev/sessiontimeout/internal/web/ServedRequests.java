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

import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.SessionWatch;

/**
 * What the application gets of a request that the clocks decided to serve: its session
 * without the authentication of a user who must authenticate again, and its response
 * watched, so that a response outliving the decision stops when the session can no longer
 * serve it.
 *
 * @author session-timeout
 */
final class ServedRequests {

	private static final String SESSION_WATCH_ATTRIBUTE = SessionAttributes.PREFIX + "sessionWatch";

	private final ServletSessionClocks clocks;

	ServedRequests(ServletSessionClocks clocks) {
		this.clocks = clocks;
	}

	/**
	 * Return the session of a request that the clocks decided to serve, as the
	 * application sees it: without the authentication of a user who must authenticate
	 * again, so that the request runs as an unauthenticated one, and whatever in it asks
	 * for an authenticated user gets the re-authentication challenge. The login page (the
	 * expired URL's path) still sees the user, so that it can offer to continue as that
	 * user.
	 * @param request the request
	 * @param session its session
	 * @param decision the decision to serve it
	 * @return the session as the application sees it
	 */
	HttpSession sessionToServe(HttpServletRequest request, HttpSession session, SessionDecision decision) {
		SessionState state = decision.state();
		Duration reauthentication = (state != null) ? state.policy().reauthentication() : null;
		if (decision.reason() != null || state == null || reauthentication == null || !state.isReauthenticationDue()) {
			return session;
		}
		return hideAuthentication(request, session, reauthentication, session.getId(), decision);
	}

	/**
	 * Return the session of a request that runs unauthenticated because its user must
	 * authenticate again, as a later dispatch of it sees it (its asynchronous dispatch,
	 * its error dispatch): still without that authentication, for as long as the
	 * request's own dispatch saw it so. That is the very session its own dispatch was
	 * served, if the later dispatch finds the same session, so that what the request
	 * stored meanwhile (a login, authorized clients of its own) shows there as it did;
	 * otherwise the session found, with whatever authentication it holds hidden.
	 * @param request the request, in a later dispatch
	 * @param session its session
	 * @return the session as the application sees it
	 */
	HttpSession sessionToServeAgain(HttpServletRequest request, HttpSession session) {
		ServletSessionClocks.ServedWithoutUser served = ServletSessionClocks.servedWithoutUser(request);
		if (served == null) {
			return session;
		}
		ReauthenticationPendingSession pending = served.session();
		if (pending.getSession() == session) {
			return pending;
		}
		return hideAuthentication(request, session, served.reauthentication(), served.sessionId(), served.decision());
	}

	private HttpSession hideAuthentication(HttpServletRequest request, HttpSession session, Duration reauthentication,
			String sessionId, SessionDecision decision) {
		String attribute = this.clocks.authenticationSupport().authenticationAttribute();
		// The expired page too: it is never refused, and never served with the user
		if (attribute == null || !this.clocks.authenticationSupport().isAuthenticated(session)) {
			return session;
		}
		Object authentication = session.getAttribute(attribute);
		if (authentication == null) {
			return session;
		}
		ReauthenticationPendingSession pending = new ReauthenticationPendingSession(session, attribute, authentication);
		request.setAttribute(ServletSessionClocks.REAUTHENTICATION_PENDING_ATTRIBUTE,
				new ServletSessionClocks.ServedWithoutUser(reauthentication, sessionId, decision, this.clocks,
						pending));
		return pending;
	}

	/**
	 * Watch the response of a request that the clocks decided to serve: it writes nothing
	 * once the session ended or, if the request runs with its user's authentication, that
	 * user must authenticate again, so that a response outliving the decision
	 * (server-sent events, a streamed body, a deferred result) stops. The watch itself is
	 * made only if the request goes asynchronous, from what is known now: the request
	 * runs with its user's authentication if the session holds one and the session it is
	 * served does not hide it (as {@link #sessionToServe} does, with the request
	 * attribute that {@link ServletSessionClocks#reauthenticationPending} reads).
	 * @param response the response, as the application writes it
	 * @param session its session
	 * @param decision the decision to serve it
	 * @param served the session as the application gets it
	 * @param decided the session as the decision read it, which remembers its
	 * authentication, if known
	 * @see SessionWatch
	 * @see #startWatching(HttpServletRequest, WatchedResponse, AsyncContext)
	 */
	void watch(WatchedResponse response, HttpSession session, SessionDecision decision, HttpSession served,
			@Nullable DecidedSession decided) {
		SessionState state = decision.state();
		if (decision.reason() != null || state == null) {
			// Let through although its session ended (the expired page): not watched
			return;
		}
		watch(response, session, state, decision.writtenAuthenticatedAt(),
				served == session && this.clocks.isAuthenticated(session, decided));
	}

	/**
	 * Watch the response of a request from the session it was served or the one created
	 * for it further down, whose clocks just started: the response belongs to that one
	 * now.
	 * @param request the request
	 * @param response the response, as the application writes it
	 * @param session the session
	 * @param state its state
	 * @param writtenAuthenticatedAt when its user authenticated, as the session holds it
	 */
	void watch(HttpServletRequest request, WatchedResponse response, HttpSession session, SessionState state,
			@Nullable Instant writtenAuthenticatedAt) {
		watch(response, session, state, writtenAuthenticatedAt, isAuthenticated(request, session));
	}

	private void watch(WatchedResponse response, HttpSession session, SessionState state,
			@Nullable Instant writtenAuthenticatedAt, boolean authenticated) {
		String sessionId = session.getId();
		response.watchWith(() -> this.clocks.watch(session, sessionId, state, writtenAuthenticatedAt, authenticated));
	}

	/**
	 * Keep a watch on a request that the clocks decided to serve and that went
	 * asynchronous without a watched response, so that its asynchronous dispatch (a
	 * deferred result, say) is checked against its session: called on the way out of its
	 * own dispatch, which the container returns from before it dispatches the request
	 * again.
	 * @param request the request
	 * @param session the session it was served
	 * @param decision the decision to serve it
	 * @see #watchOf(HttpServletRequest)
	 */
	void watchDispatches(HttpServletRequest request, HttpSession session, SessionDecision decision) {
		SessionState state = decision.state();
		if (decision.reason() != null || state == null) {
			return;
		}
		watchDispatches(request, session, state, decision.writtenAuthenticatedAt());
	}

	/**
	 * Keep a watch on a request that went asynchronous without a watched response, from
	 * the session it was served or the one created for it further down.
	 * @param request the request
	 * @param session the session
	 * @param state its state
	 * @param writtenAuthenticatedAt when its user authenticated, as the session holds it
	 */
	void watchDispatches(HttpServletRequest request, HttpSession session, SessionState state,
			@Nullable Instant writtenAuthenticatedAt) {
		boolean authenticated;
		try {
			authenticated = isAuthenticated(request, session);
		}
		catch (IllegalStateException ex) {
			// Ended by the request itself: its dispatch finds it gone
			authenticated = false;
		}
		request.setAttribute(SESSION_WATCH_ATTRIBUTE,
				this.clocks.watch(session, session.getId(), state, writtenAuthenticatedAt, authenticated));
	}

	private boolean isAuthenticated(HttpServletRequest request, HttpSession session) {
		return ServletSessionClocks.reauthenticationPending(request) == null
				&& this.clocks.authenticationSupport().isAuthenticated(session);
	}

	/**
	 * Start watching the response of a request that went asynchronous, and keep the watch
	 * on the request for its asynchronous dispatch.
	 * @param request the request
	 * @param response its response, watched if the clocks decided to serve it
	 * @param asyncContext the request's asynchronous context
	 * @see #watchOf(HttpServletRequest)
	 */
	static void startWatching(HttpServletRequest request, WatchedResponse response, AsyncContext asyncContext) {
		SessionWatch watch = response.startWatching(asyncContext);
		if (watch != null && request.getAttribute(SESSION_WATCH_ATTRIBUTE) != watch) {
			request.setAttribute(SESSION_WATCH_ATTRIBUTE, watch);
		}
	}

	/**
	 * Return the watch over the session of a request's response, once it went
	 * asynchronous.
	 * @param request the request, in any dispatch
	 * @return the watch, or {@code null} if the request's response is not watched or the
	 * request never went asynchronous
	 */
	static @Nullable SessionWatch watchOf(HttpServletRequest request) {
		return (request.getAttribute(SESSION_WATCH_ATTRIBUTE) instanceof SessionWatch watch) ? watch : null;
	}

}
