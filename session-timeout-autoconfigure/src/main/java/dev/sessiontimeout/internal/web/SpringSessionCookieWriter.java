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

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.CookieSerializer.CookieValue;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Writes Spring Session's session cookie through the application's
 * {@link CookieSerializer}, so that it keeps its name, encoding and attributes; requests
 * without Spring Session fall back to the container's cookie. It refreshes (or drops)
 * only the cookie that the request carried its session's id in: without a unique cookie
 * serializer, or for a session the request names in a header, nothing is written. Spring
 * Session writes the cookie itself when the session is new or its id changed: then this
 * writer leaves it to Spring Session, whose serializer
 * {@link SessionCookieSerializerInterceptor} makes give it the {@code Max-Age}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SpringSessionCookieWriter implements SessionCookieWriter {

	private final Supplier<@Nullable CookieSerializer> serializer;

	private final SessionCookieWriter fallback;

	/**
	 * Create a new writer.
	 * @param serializer supplies the application's cookie serializer, if it has one
	 * @param fallback writes the cookie of requests that Spring Session does not handle
	 */
	public SpringSessionCookieWriter(Supplier<@Nullable CookieSerializer> serializer, SessionCookieWriter fallback) {
		this.serializer = serializer;
		this.fallback = fallback;
	}

	@Override
	public void write(HttpServletRequest request, HttpServletResponse response, HttpSession session, int maxAge) {
		if (request.getAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR) == null) {
			this.fallback.write(request, response, session, maxAge);
			return;
		}
		CookieSerializer serializer = this.serializer.get();
		if (serializer != null && request.isRequestedSessionIdValid()
				&& session.getId().equals(request.getRequestedSessionId())
				&& serializer.readCookieValues(request).contains(session.getId())) {
			CookieValue cookie = new CookieValue(request, response, session.getId());
			cookie.setCookieMaxAge(maxAge);
			serializer.writeCookieValue(cookie);
		}
	}

	@Override
	public void expire(HttpServletRequest request, HttpServletResponse response) {
		if (request.getAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR) == null) {
			this.fallback.expire(request, response);
			return;
		}
		CookieSerializer serializer = this.serializer.get();
		String requested = request.getRequestedSessionId();
		if (serializer != null && requested != null && serializer.readCookieValues(request).contains(requested)) {
			serializer.writeCookieValue(new CookieValue(request, response, ""));
		}
	}

}
