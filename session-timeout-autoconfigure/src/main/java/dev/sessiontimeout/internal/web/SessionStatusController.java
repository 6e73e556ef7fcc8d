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
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStatus;

/**
 * The session status endpoint: every deadline of the caller's session as JSON.
 * {@code GET} is passive (the {@link SessionTimeoutFilter} does not count it as
 * activity); {@code POST} is activity, "stay signed in", subject to the application's
 * CSRF protection: recorded here, so that a {@code POST} that the application's security
 * refuses (for want of the CSRF token) is none. Without a valid session it answers a
 * {@code 401} problem with reason {@code invalid}; an ended session never gets here.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@RestController
public class SessionStatusController {

	/**
	 * The property that holds the endpoint's path.
	 */
	public static final String PATH_PROPERTY = "session-timeout.status.path";

	/**
	 * The endpoint's default path.
	 */
	public static final String DEFAULT_PATH = "/session/status";

	private final ServletSessionClocks clocks;

	private final SessionTimeoutResponder responder;

	/**
	 * Create a new controller.
	 * @param clocks the session clocks of servlet requests
	 * @param responder writes the problem for a request without a session
	 */
	public SessionStatusController(ServletSessionClocks clocks, SessionTimeoutResponder responder) {
		this.clocks = clocks;
		this.responder = responder;
	}

	/**
	 * Answer the status of the caller's session.
	 * @param request the request
	 * @param response the response
	 * @return the status, or {@code null} when a problem was written instead
	 * @throws IOException on a write failure
	 */
	@RequestMapping(path = "${" + PATH_PROPERTY + ":" + DEFAULT_PATH + "}",
			method = { RequestMethod.GET, RequestMethod.POST }, produces = MediaType.APPLICATION_JSON_VALUE)
	public @Nullable Map<String, @Nullable Object> status(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		// A POST ("stay signed in") counts as activity here, once the application's
		// security accepted it, not before
		this.clocks.recordActivityAtEndpoint(request, response);
		SessionStatus status = this.clocks.status(request).orElse(null);
		if (status == null) {
			this.responder.writeProblem(request, response, ExpiryReason.INVALID);
			return null;
		}
		response.setHeader("Cache-Control", "no-store");
		return SessionDescriptions.status(status, this.clocks.now());
	}

}
