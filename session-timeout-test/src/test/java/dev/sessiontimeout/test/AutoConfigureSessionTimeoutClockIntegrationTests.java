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
package dev.sessiontimeout.test;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

/**
 * Integration tests for {@link AutoConfigureSessionTimeoutClock} in a
 * {@code @SpringBootTest} of an application with the starter and form login: the movable
 * clock drives the starter's decisions.
 */
@SpringBootTest(properties = { "session-timeout.idle=10m", "spring.security.user.name=user",
		"spring.security.user.password=password" })
@AutoConfigureMockMvc
@AutoConfigureSessionTimeoutClock
class AutoConfigureSessionTimeoutClockIntegrationTests {

	private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MovableClock clock;

	@Autowired
	ApplicationContext context;

	@BeforeEach
	void startAtNoon() {
		this.clock.set(NOON);
	}

	@Test
	void movableClockIsTheSessionTimeoutClockBean() {
		assertThat(this.context.getBean("sessionTimeoutClock")).isSameAs(this.clock);
	}

	@Test
	void statusEndpointTellsTheTimeOfTheMovableClock() {
		MockHttpSession session = signIn();
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(status(session)).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.now", (now) -> now.assertThat().isEqualTo("2026-03-01T12:03:00Z"))
			.hasPathSatisfying("$.idleExpiresAt", (idle) -> idle.assertThat().isEqualTo("2026-03-01T12:10:00Z"));
	}

	@Test
	void sessionEndsWithReasonIdleWhenTheClockReachesTheIdleDeadline() {
		MockHttpSession session = signIn();
		this.clock.advance(Duration.ofMinutes(10).minusMillis(1));
		assertThat(status(session)).hasStatusOk();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(status(session)).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("idle");
	}

	@Test
	void activityBeforeTheIdleDeadlineKeepsTheSessionAlive() {
		MockHttpSession session = signIn();
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(this.mvc.post().uri("/session/status").session(session).with(csrf())).hasStatusOk();
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(status(session)).hasStatusOk();
	}

	private MockHttpSession signIn() {
		MvcTestResult login = this.mvc.perform(formLogin().user("user").password("password"));
		assertThat(login).hasStatus3xxRedirection().hasRedirectedUrl("/");
		return (MockHttpSession) login.getRequest().getSession();
	}

	private MvcTestResult status(MockHttpSession session) {
		return this.mvc.get().uri("/session/status").session(session).accept(MediaType.APPLICATION_JSON).exchange();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
