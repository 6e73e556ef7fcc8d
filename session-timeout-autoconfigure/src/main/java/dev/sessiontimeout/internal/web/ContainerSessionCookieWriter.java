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

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.StringUtils;

/**
 * Writes the servlet container's session cookie ({@code JSESSIONID} unless configured
 * otherwise) as the container's {@link SessionCookieConfig} describes it, plus a
 * {@code Max-Age}. It is always {@code HttpOnly}, as containers make it by default.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ContainerSessionCookieWriter implements SessionCookieWriter {

	private static final String DEFAULT_NAME = "JSESSIONID";

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

	private void write(HttpServletRequest request, HttpServletResponse response, String value, int maxAge) {
		SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
		String name = StringUtils.hasText(config.getName()) ? config.getName() : DEFAULT_NAME;
		String path = StringUtils.hasText(config.getPath()) ? config.getPath()
				: (StringUtils.hasLength(request.getContextPath()) ? request.getContextPath() : "/");
		ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value)
			.maxAge(maxAge)
			.path(path)
			.secure(config.isSecure() || request.isSecure())
			.httpOnly(true);
		if (StringUtils.hasText(config.getDomain())) {
			cookie.domain(config.getDomain());
		}
		String sameSite = config.getAttribute("SameSite");
		if (StringUtils.hasText(sameSite)) {
			cookie.sameSite(sameSite);
		}
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.build().toString());
	}

}
