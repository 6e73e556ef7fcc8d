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
package dev.sessiontimeout.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.session.web.http.CookieSerializer;

/**
 * Gives the session cookie that Spring Session writes (for a new session, or after its id
 * changed at login) the {@code Max-Age} that the {@link SessionTimeoutFilter} chose for
 * the request, and otherwise leaves it to the application's serializer.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class MaxAgeCookieSerializer implements CookieSerializer {

	private final CookieSerializer delegate;

	/**
	 * Create a new serializer.
	 * @param delegate the application's serializer
	 */
	public MaxAgeCookieSerializer(CookieSerializer delegate) {
		this.delegate = delegate;
	}

	@Override
	public void writeCookieValue(CookieValue cookieValue) {
		if (cookieValue.getCookieValue() != null && !cookieValue.getCookieValue().isEmpty()
				&& cookieValue.getCookieMaxAge() < 0 && cookieValue.getRequest()
					.getAttribute(SessionTimeoutFilter.COOKIE_MAX_AGE_ATTRIBUTE) instanceof Integer maxAge) {
			cookieValue.setCookieMaxAge(maxAge);
		}
		this.delegate.writeCookieValue(cookieValue);
	}

	@Override
	public List<String> readCookieValues(HttpServletRequest request) {
		return this.delegate.readCookieValues(request);
	}

	/**
	 * Return the application's serializer.
	 * @return the delegate
	 */
	public CookieSerializer getDelegate() {
		return this.delegate;
	}

}
