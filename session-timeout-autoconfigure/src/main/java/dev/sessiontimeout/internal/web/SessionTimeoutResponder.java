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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAnswers;

/**
 * Answers a request whose session has ended: a browser navigation is redirected to the
 * expired URL with the reason, anything else gets a {@code 401} RFC 9457 problem with a
 * {@code reason} member.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutResponder {

	/**
	 * The placeholder in the expired URL that is replaced by the reason.
	 */
	public static final String REASON_PLACEHOLDER = SessionAnswers.REASON_PLACEHOLDER;

	private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	private final String expiredUrl;

	/**
	 * Create a new responder.
	 * @param expiredUrl where browsers are sent, with an optional
	 * {@value #REASON_PLACEHOLDER} placeholder; a path starting with {@code /} is
	 * relative to the context path
	 */
	public SessionTimeoutResponder(String expiredUrl) {
		this.expiredUrl = expiredUrl;
	}

	/**
	 * Return the expired URL.
	 * @return the expired URL, with its placeholder
	 */
	public String getExpiredUrl() {
		return this.expiredUrl;
	}

	/**
	 * Answer a request whose session ended.
	 * @param request the request
	 * @param response the response
	 * @param reason why the session ended
	 * @throws IOException on a write failure
	 */
	public void respond(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason)
			throws IOException {
		noStore(response);
		if (isBrowserNavigation(request)) {
			String location = SessionAnswers.expiredLocation(this.expiredUrl, reason);
			response.sendRedirect(location.startsWith("/") ? request.getContextPath() + location : location);
			return;
		}
		writeProblem(request, response, reason);
	}

	/**
	 * Answer a request whose user must authenticate again, the session being kept: a
	 * browser navigation is redirected into the login flow, anything else gets a
	 * {@code 401} RFC 9457 problem with a {@code reason} member and an RFC 9470
	 * {@code WWW-Authenticate} challenge that names the required maximum age.
	 * @param request the request
	 * @param response the response
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param loginUrl where a browser goes to authenticate, {@code null} for the expired
	 * URL
	 * @throws IOException on a write failure
	 */
	public void challenge(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason,
			Duration maxAge, @Nullable String loginUrl) throws IOException {
		challenge(request, response, reason, maxAge, List.of(), loginUrl);
	}

	/**
	 * Answer a request whose user must authenticate again, naming the authentication
	 * context classes the new authentication must have in the challenge to a client that
	 * is not a browser.
	 * @param request the request
	 * @param response the response
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes it must have, empty for any
	 * @param loginUrl where a browser goes to authenticate, {@code null} for the expired
	 * URL
	 * @throws IOException on a write failure
	 * @see #challenge(HttpServletRequest, HttpServletResponse, ExpiryReason, Duration,
	 * String)
	 */
	public void challenge(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason,
			Duration maxAge, List<String> acrValues, @Nullable String loginUrl) throws IOException {
		if (isBrowserNavigation(request)) {
			noStore(response);
			String location = (loginUrl != null) ? loginUrl : SessionAnswers.expiredLocation(this.expiredUrl, reason);
			response.sendRedirect(location.startsWith("/") ? request.getContextPath() + location : location);
			return;
		}
		challengeClient(request, response, reason, maxAge, acrValues);
	}

	/**
	 * Answer a request whose own authentication (a bearer token) is not recent enough
	 * with the RFC 9470 challenge and the problem body, whatever it accepts: a token
	 * cannot be renewed by sending a browser to a login page.
	 * @param request the request
	 * @param response the response
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes it must have, empty for any
	 * @throws IOException on a write failure
	 */
	public void challengeClient(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason,
			Duration maxAge, List<String> acrValues) throws IOException {
		noStore(response);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, wwwAuthenticate(reason, maxAge, acrValues));
		writeProblem(request, response, reason);
	}

	/**
	 * Return an RFC 9470 step-up challenge.
	 * @param reason why a more recent authentication is needed
	 * @param maxAge how old the new authentication may be at most
	 * @return the value of the {@code WWW-Authenticate} header
	 */
	public static String wwwAuthenticate(ExpiryReason reason, Duration maxAge) {
		return wwwAuthenticate(reason, maxAge, List.of());
	}

	/**
	 * Return an RFC 9470 step-up challenge that names the authentication context classes
	 * the new authentication must have.
	 * @param reason why a more recent authentication is needed
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes, empty for any; each a
	 * {@code session-timeout.privileged.acr-values} entry, checked at startup to need no
	 * escaping
	 * @return the value of the {@code WWW-Authenticate} header
	 */
	public static String wwwAuthenticate(ExpiryReason reason, Duration maxAge, List<String> acrValues) {
		return SessionAnswers.wwwAuthenticate(reason, maxAge, acrValues);
	}

	/**
	 * Answer with a {@code 401} RFC 9457 problem whose {@code reason} member tells why,
	 * whatever kind of client asks.
	 * @param request the request
	 * @param response the response
	 * @param reason why the session ended or is missing
	 * @throws IOException on a write failure
	 */
	public void writeProblem(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason)
			throws IOException {
		noStore(response);
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType(PROBLEM_JSON.toString());
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(problem(request, reason));
		response.flushBuffer();
	}

	/**
	 * Return whether the request is a browser navigation, rather than an API call or a
	 * script's request: {@code Sec-Fetch-Mode: navigate} where browsers send it, else an
	 * {@code Accept} header that names {@code text/html}.
	 * @param request the request
	 * @return {@code true} for a browser navigation
	 */
	public boolean isBrowserNavigation(HttpServletRequest request) {
		return SessionAnswers.isBrowserNavigation(request.getHeader("Sec-Fetch-Mode"),
				request.getHeader("X-Requested-With"), request.getHeader(HttpHeaders.ACCEPT));
	}

	/**
	 * Answer a request whose session store does not answer: a {@code 503} RFC 9457
	 * problem that is never cached, for browsers too, since nothing about the session is
	 * known.
	 * @param request the request
	 * @param response the response
	 * @throws IOException on a write failure
	 */
	public void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		noStore(response);
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setContentType(PROBLEM_JSON.toString());
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(SessionAnswers.unavailableProblem(request.getRequestURI()));
		response.flushBuffer();
	}

	private String problem(HttpServletRequest request, ExpiryReason reason) {
		return SessionAnswers.problem(request.getRequestURI(), reason);
	}

	/**
	 * Forbid caching the answer ({@link SessionAnswers#NO_STORE_HEADERS}).
	 */
	private static void noStore(HttpServletResponse response) {
		SessionAnswers.NO_STORE_HEADERS.forEach(response::setHeader);
	}

}
