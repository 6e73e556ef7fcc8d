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
package dev.sessiontimeout.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.web.PassiveRequestMatcher;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PassiveRememberMeFilter}.
 *
 * @author session-timeout
 */
class PassiveRememberMeFilterTests {

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final PassiveRememberMeFilter filter = new PassiveRememberMeFilter(clocks(), "remember-me", this.holder);

	private static ServletSessionClocks clocks() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.build();
		SessionClocks clocks = new SessionClocks(settings, Clock.systemUTC(), (event) -> {
		});
		return new ServletSessionClocks(clocks, "/login?expired={reason}", new PassiveRequestMatcher(
				PathPatterns.parse(List.of("/api/poll")), List.of("/session/status"), List.of("/session/status")));
	}

	@AfterEach
	void clearContext() {
		this.holder.clearContext();
	}

	@Test
	void doFilterWhenPassiveWithoutUserThenHidesTheRememberMeCookieOnly() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/poll");
		ServletRequest passed = filter(request);
		assertThat(passed).isNotSameAs(request);
		assertThat(((HttpServletRequest) passed).getCookies()).extracting(Cookie::getName).containsExactly("theme");
	}

	@Test
	void doFilterWhenStatusGetWithoutUserThenHidesTheRememberMeCookie() throws Exception {
		MockHttpServletRequest request = request("GET", "/session/status");
		request.setCookies(new Cookie("remember-me", "token"));
		assertThat(((HttpServletRequest) filter(request)).getCookies()).isNull();
	}

	@Test
	void doFilterWhenErrorDispatchOfAHiddenRequestThenHidesTheCookieAgain() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/poll");
		filter(request);
		request.setDispatcherType(DispatcherType.ERROR);
		request.setRequestURI("/error");
		assertThat(filter(request)).isNotSameAs(request);
	}

	@Test
	void doFilterWhenErrorDispatchOfAnActiveRequestThenPassesItOn() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/me");
		filter(request);
		request.setDispatcherType(DispatcherType.ERROR);
		request.setRequestURI("/error");
		assertThat(filter(request)).isSameAs(request);
	}

	@Test
	void doFilterWhenActiveThenPassesItOn() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/me");
		assertThat(filter(request)).isSameAs(request);
	}

	@Test
	void doFilterWhenStatusPostThenPassesItOn() throws Exception {
		// "Stay signed in": activity, counted at the endpoint
		MockHttpServletRequest request = request("POST", "/session/status");
		assertThat(filter(request)).isSameAs(request);
	}

	@Test
	void doFilterWhenPassiveHeaderThenHidesTheCookie() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/orders/count");
		request.addHeader(PassiveRequestMatcher.HEADER, "passive");
		assertThat(filter(request)).isNotSameAs(request);
	}

	@Test
	void doFilterWhenPassiveWithUserThenPassesItOn() throws Exception {
		this.holder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "password", "ROLE_USER"));
		MockHttpServletRequest request = request("GET", "/api/poll");
		assertThat(filter(request)).isSameAs(request);
	}

	@Test
	void doFilterWhenPassiveWithoutTheCookieThenPassesItOn() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/poll");
		request.setCookies(new Cookie("theme", "dark"));
		assertThat(filter(request)).isSameAs(request);
	}

	private ServletRequest filter(MockHttpServletRequest request) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		return chain.getRequest();
	}

	private static MockHttpServletRequest request(String method, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		request.setCookies(new Cookie("theme", "dark"), new Cookie("remember-me", "token"));
		return request;
	}

}
