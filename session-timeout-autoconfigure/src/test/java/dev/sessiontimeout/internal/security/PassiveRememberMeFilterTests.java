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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
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
import dev.sessiontimeout.internal.session.UserRevocations;
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

	private final ServletSessionClocks clocks = clocks();

	private final PassiveRememberMeFilter filter = new PassiveRememberMeFilter(this.clocks, "remember-me", this.holder);

	/**
	 * Where the remember-me services' cookie is not known.
	 */
	private final PassiveRememberMeFilter datingOnly = new PassiveRememberMeFilter(this.clocks, null, this.holder);

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

	@Test
	void doFilterWhenActiveWithoutUserThenNotesTheBeginningForTheRestOfTheChainOnly() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/me");
		assertThat(noted(this.filter, request)).as("noted as remember-me checks the cookie").isNotNull();
		assertThat(noted()).as("noted after the chain returned").isNull();
	}

	@Test
	void doFilterWhenActiveWithUserThenNotesNothing() throws Exception {
		this.holder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "password", "ROLE_USER"));
		assertThat(noted(this.filter, request("GET", "/api/me"))).isNull();
	}

	@Test
	void doFilterWhenActiveWithoutTheCookieThenNotesNothing() throws Exception {
		MockHttpServletRequest request = request("GET", "/api/me");
		request.setCookies(new Cookie("theme", "dark"));
		assertThat(noted(this.filter, request)).isNull();
	}

	@Test
	void doFilterWhenPassiveWithoutUserThenNotesNothing() throws Exception {
		// Its cookie hidden: remember-me cannot sign it in
		assertThat(noted(this.filter, request("GET", "/api/poll"))).isNull();
	}

	@Test
	void doFilterWhenNotedAlreadyThenNotesAgainAndGivesTheEarlierBackAfter() throws Exception {
		UserRevocations.Begun outer = this.clocks.begin();
		try {
			assertThat(outer).isNull();
			UserRevocations.Begun earlier = noted();
			assertThat(earlier).isNotNull();
			MockHttpServletRequest request = request("GET", "/api/me");
			request.setDispatcherType(DispatcherType.FORWARD);
			assertThat(noted(this.filter, request)).isNotNull().isNotSameAs(earlier);
			assertThat(noted()).as("noted after the forward").isSameAs(earlier);
		}
		finally {
			this.clocks.ended(outer);
		}
		assertThat(noted()).isNull();
	}

	@Test
	void doFilterWhenTheCookieIsNotKnownThenNotesARequestWithoutUserAndHidesNothing() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/poll");
		List<ServletRequest> passed = new ArrayList<>();
		assertThat(noted(this.datingOnly, request, passed)).isNotNull();
		assertThat(passed).containsExactly(request);
		assertThat(noted()).isNull();
	}

	@Test
	void doFilterWhenTheCookieIsNotKnownAndTheRequestHasItsUserThenNotesNothing() throws Exception {
		this.holder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "password", "ROLE_USER"));
		assertThat(noted(this.datingOnly, request("GET", "/api/me"))).isNull();
	}

	/**
	 * Return what the clocks had noted as the request reached the rest of the chain.
	 */
	private UserRevocations.@Nullable Begun noted(PassiveRememberMeFilter filter, MockHttpServletRequest request)
			throws Exception {
		return noted(filter, request, new ArrayList<>());
	}

	private UserRevocations.@Nullable Begun noted(PassiveRememberMeFilter filter, MockHttpServletRequest request,
			List<ServletRequest> passed) throws Exception {
		List<Optional<UserRevocations.Begun>> noted = new ArrayList<>();
		filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			passed.add(req);
			noted.add(Optional.ofNullable(noted()));
		});
		assertThat(noted).as("the rest of the chain").hasSize(1);
		return noted.get(0).orElse(null);
	}

	/**
	 * Return what the clocks note now, noting it again.
	 */
	private UserRevocations.@Nullable Begun noted() {
		UserRevocations.Begun noted = this.clocks.begin();
		this.clocks.ended(noted);
		return noted;
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
