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
package dev.sessiontimeout.autoconfigure;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.servlet.ServletException;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Requests through the filter of an auto-configured context whose
 * {@code sessionTimeoutClock} stands still at {@link #FIXED}.
 *
 * @author session-timeout
 */
final class FixedClockRequests {

	/**
	 * The instant of the clock of {@link FixedClockConfiguration}.
	 */
	static final Instant FIXED = Instant.parse("2020-01-01T09:00:00Z");

	private FixedClockRequests() {
	}

	/**
	 * Return a session created at the given instant, last active at {@link #FIXED}.
	 * @param createdAt when the session was created
	 * @return the session
	 */
	static MockHttpSession sessionCreatedAt(Instant createdAt) {
		MockHttpSession session = new MockHttpSession();
		SessionAttributes.write(HttpSessionAccess.of(session), new SessionTimeline(createdAt, FIXED, null), null);
		return session;
	}

	/**
	 * Send a {@code GET /account} with the session through the context's filter.
	 * @param context the context
	 * @param session the session
	 * @return the response
	 * @throws ServletException on a filter failure
	 * @throws IOException on a write failure
	 */
	static MockHttpServletResponse filter(AssertableWebApplicationContext context, MockHttpSession session)
			throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account");
		request.setSession(session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		context.getBean(SessionTimeoutFilter.class).doFilter(request, response, new MockFilterChain());
		return response;
	}

	/**
	 * The {@code sessionTimeoutClock}, standing still at {@link #FIXED}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FixedClockConfiguration {

		@Bean
		Clock sessionTimeoutClock() {
			return Clock.fixed(FIXED, ZoneOffset.UTC);
		}

	}

}
