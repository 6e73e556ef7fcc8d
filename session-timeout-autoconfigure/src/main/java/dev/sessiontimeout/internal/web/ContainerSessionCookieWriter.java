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

import java.nio.charset.StandardCharsets;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.util.StringUtils;
import org.springframework.web.util.UriUtils;

/**
 * Writes the servlet container's session cookie ({@code JSESSIONID} unless configured
 * otherwise) with every attribute the container gives its own, plus a {@code Max-Age}. It
 * is always {@code HttpOnly}, as containers make it by default.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ContainerSessionCookieWriter implements SessionCookieWriter {

	private static final String DEFAULT_NAME = "JSESSIONID";

	private static final String MAX_AGE = "Max-Age";

	@Override
	public void write(HttpServletRequest request, HttpServletResponse response, HttpSession session, int maxAge) {
		write(request, response, session.getId(), maxAge);
	}

	@Override
	public void expire(HttpServletRequest request, HttpServletResponse response) {
		if (request.isRequestedSessionIdFromCookie()) {
			write(request, response, "", 0);
		}
	}

	/**
	 * Write the session cookie as the container writes its own, and only where it writes
	 * one (its effective session tracking modes include cookies): every attribute of the
	 * {@link SessionCookieConfig} (Domain, Path, Secure, HttpOnly, Partitioned and any
	 * other), added through {@link HttpServletResponse#addCookie} so that the container's
	 * cookie processor adds what it adds to the session cookie (Spring Boot's
	 * {@code SameSite}, for one).
	 */
	private void write(HttpServletRequest request, HttpServletResponse response, String value, int maxAge) {
		if (!request.getServletContext().getEffectiveSessionTrackingModes().contains(SessionTrackingMode.COOKIE)) {
			// The container tracks its sessions otherwise (server.servlet.session
			// .tracking-modes=url or ssl): it writes no session cookie, nor does this
			return;
		}
		SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
		Cookie cookie = new Cookie(StringUtils.hasText(config.getName()) ? config.getName() : DEFAULT_NAME, value);
		config.getAttributes().forEach((name, attribute) -> {
			if (!MAX_AGE.equalsIgnoreCase(name)) {
				cookie.setAttribute(name, attribute);
			}
		});
		if (!StringUtils.hasText(cookie.getPath())) {
			// The context's own path, encoded, as the container scopes its cookie: not
			// the request's spelling of it (%61pp for /app)
			String contextPath = request.getServletContext().getContextPath();
			cookie.setPath(StringUtils.hasLength(contextPath) ? UriUtils.encodePath(contextPath, StandardCharsets.UTF_8)
					: "/");
		}
		cookie.setSecure(config.isSecure() || request.isSecure());
		// As Tomcat makes its own (useHttpOnly), whatever the configuration says
		cookie.setHttpOnly(true);
		cookie.setMaxAge(maxAge);
		response.addCookie(cookie);
	}

}
