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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Writes the session cookie of a request's session with a {@code Max-Age}, for policies
 * whose cookie outlives the browser session.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see ContainerSessionCookieWriter
 * @see SpringSessionCookieWriter
 */
@FunctionalInterface
public interface SessionCookieWriter {

	/**
	 * Write the session cookie.
	 * @param request the request
	 * @param response the response, not yet committed
	 * @param session the session whose id the cookie carries
	 * @param maxAge the {@code Max-Age} of the cookie in seconds, negative for a
	 * browser-session cookie
	 */
	void write(HttpServletRequest request, HttpServletResponse response, HttpSession session, int maxAge);

	/**
	 * Tell the client to drop the session cookie of the request, whose session ended or
	 * is unknown.
	 * @param request the request
	 * @param response the response, not yet committed
	 */
	default void expire(HttpServletRequest request, HttpServletResponse response) {
	}

}
