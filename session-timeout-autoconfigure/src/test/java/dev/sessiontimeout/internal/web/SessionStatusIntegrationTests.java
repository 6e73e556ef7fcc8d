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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link SessionStatusController} over real HTTP, on container sessions, with a
 * shiftable clock.
 */
class SessionStatusIntegrationTests {

	private static final String EXCLUDED = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
			+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	private static final JsonMapper json = JsonMapper.builder().build();

	abstract static class StatusTests {

		@LocalServerPort
		int port;

		@Autowired
		MutableClock clock;

		TestBrowser browser;

		Instant start;

		@BeforeEach
		void signIn() {
			this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			this.clock.fixAt(this.start);
			this.browser = new TestBrowser(this.port);
			assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> status(Response response) {
			assertThat(response.status()).as("%s", response).isEqualTo(200);
			assertThat(response.contentType()).startsWith("application/json");
			return json.readValue(response.body(), Map.class);
		}

		String at(Duration elapsed) {
			return this.start.plus(elapsed).toString();
		}

	}

	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.absolute=2h", "session-timeout.idle=30m" })
	class DefaultClocks extends StatusTests {

		@Test
		void getAnswersEveryDeadlineOfTheSession() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsExactly(entry("authenticated", true), entry("principal", "user"),
					entry("policy", "default"), entry("createdAt", at(Duration.ZERO)),
					entry("lastActivityAt", at(Duration.ZERO)), entry("absoluteExpiresAt", at(Duration.ofHours(2))),
					entry("idleExpiresAt", at(Duration.ofMinutes(30))), entry("reauthenticateAt", null),
					entry("privilegedUntil", at(Duration.ofMinutes(15))),
					entry("expiresAt", at(Duration.ofMinutes(30))), entry("now", at(Duration.ofMinutes(5))));
		}

		@Test
		void getIsPassiveSoTheIdleDeadlineStays() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			status(this.browser.get("/session/status", TestBrowser.JSON));
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(29)));
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ZERO))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(30)));
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
			Response ended = this.browser.get("/session/status", TestBrowser.JSON);
			assertThat(ended.status()).isEqualTo(401);
			assertThat(ended.body()).contains("\"reason\":\"idle\"");
		}

		@Test
		void headIsAnsweredAndAsPassiveAsGet() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			Response head = this.browser.head("/session/status", TestBrowser.JSON);
			assertThat(head.status()).as("%s", head).isEqualTo(200);
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ZERO))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(30)));
		}

		@Test
		void postStaysSignedInByMovingTheIdleDeadline() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			Map<String, Object> status = status(this.browser.post("/session/status", Map.of(), TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ofMinutes(20)))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(50)))
				.containsEntry("absoluteExpiresAt", at(Duration.ofHours(2)));
		}

		@Test
		void postMarkedPassiveDoesNotCountAsActivity() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			Map<String, Object> status = status(
					this.browser.post("/session/status", Map.of(), TestBrowser.JSON, "Session-Activity", "passive"));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ZERO))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(30)));
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
			Response ended = this.browser.get("/session/status", TestBrowser.JSON);
			assertThat(ended.status()).as("%s", ended).isEqualTo(401);
			assertThat(ended.body()).contains("\"reason\":\"idle\"");
		}

		@Test
		void theSessionTimeoutsBeanReadsTheSessionsClocksAsTheEndpointDoesWithoutCountingAsActivity() {
			assertThat(new TestBrowser(this.port).get("/test/signed-in-until", TestBrowser.JSON).body())
				.isEqualTo("{\"status\":\"none\"}");
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			Response read = this.browser.get("/test/signed-in-until", TestBrowser.JSON, "Session-Activity", "passive");
			assertThat(status(read)).containsOnly(entry("principal", "user"),
					entry("lastActivityAt", at(Duration.ZERO)), entry("expiresAt", at(Duration.ofMinutes(30))));
			assertThat(status(this.browser.get("/session/status", TestBrowser.JSON))).containsEntry("lastActivityAt",
					at(Duration.ZERO));
		}

		@Test
		void withoutASessionAnswersAProblem() {
			Response response = new TestBrowser(this.port).get("/session/status", TestBrowser.JSON);
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.body()).contains("\"reason\":\"invalid\"");
			assertThat(response.setCookies()).isEmpty();
			assertThat(response.header("Cache-Control")).contains("no-store");
			Response head = new TestBrowser(this.port).head("/session/status", TestBrowser.JSON);
			assertThat(head.setCookies()).isEmpty();
			Response post = new TestBrowser(this.port).post("/session/status", Map.of(), TestBrowser.JSON);
			assertThat(post.status()).isEqualTo(401);
			assertThat(post.setCookies()).isEmpty();
		}

	}

	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.absolute=-1", "session-timeout.idle=20m",
			"session-timeout.reauthentication=1h", "session-timeout.privileged.max-age=-1" })
	class OtherClocksEnabledOrDisabled extends StatusTests {

		@Test
		void disabledClocksAnswerNull() {
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("absoluteExpiresAt", null)
				.containsEntry("privilegedUntil", null)
				.containsEntry("reauthenticateAt", at(Duration.ofHours(1)))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(20)))
				.containsEntry("expiresAt", at(Duration.ofMinutes(20)));
		}

	}

	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.absolute=2h", "session-timeout.idle=-1" })
	class IdleDisabled extends StatusTests {

		@Test
		void theAbsoluteDeadlineIsTheEnd() {
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("idleExpiresAt", null)
				.containsEntry("absoluteExpiresAt", at(Duration.ofHours(2)))
				.containsEntry("expiresAt", at(Duration.ofHours(2)))
				.containsEntry("privilegedUntil", at(Duration.ofMinutes(15)));
		}

	}

	/**
	 * A login late in the session's life: {@code reauthenticateAt} and
	 * {@code privilegedUntil}, counted from it, are capped at the absolute deadline,
	 * which nothing moves, just before, at and just after the instants meet; the actuator
	 * endpoint shows the same instants.
	 */
	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.absolute=1h", "session-timeout.idle=-1",
			"session-timeout.reauthentication=15m", "session-timeout.privileged.max-age=15m",
			"management.endpoints.web.exposure.include=sessiontimeouts" })
	class LateLogin extends StatusTests {

		private static final Duration MEET = Duration.ofMinutes(45);

		@Test
		void justBeforeTheInstantsMeetNothingIsCapped() {
			assertDeadlinesAfterALoginAt(MEET.minusMillis(1), at(Duration.ofHours(1).minusMillis(1)));
		}

		@Test
		void whenTheInstantsMeetBothAreTheAbsoluteDeadline() {
			assertDeadlinesAfterALoginAt(MEET, at(Duration.ofHours(1)));
		}

		@Test
		void justAfterTheInstantsMeetBothAreCappedAtTheAbsoluteDeadline() {
			assertDeadlinesAfterALoginAt(MEET.plusMillis(1), at(Duration.ofHours(1)));
		}

		@Test
		void longAfterTheInstantsMeetBothAreCappedAtTheAbsoluteDeadline() {
			assertDeadlinesAfterALoginAt(MEET.plusMinutes(10), at(Duration.ofHours(1)));
		}

		private void assertDeadlinesAfterALoginAt(Duration loginAt, String expected) {
			this.clock.fixAt(this.start.plus(loginAt));
			assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
			Map<String, Object> status = status(this.browser.get("/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("createdAt", at(Duration.ZERO))
				.containsEntry("absoluteExpiresAt", at(Duration.ofHours(1)))
				.containsEntry("expiresAt", at(Duration.ofHours(1)))
				.containsEntry("reauthenticateAt", expected)
				.containsEntry("privilegedUntil", expected);
			Response listing = this.browser.get("/actuator/sessiontimeouts/user", TestBrowser.JSON);
			assertThat(listing.status()).as("%s", listing).isEqualTo(200);
			assertThat(listing.body()).contains("\"absoluteExpiresAt\":\"" + at(Duration.ofHours(1)) + "\"",
					"\"reauthenticateAt\":\"" + expected + "\"", "\"privilegedUntil\":\"" + expected + "\"");
		}

	}

	/**
	 * Spring MVC's dispatcher servlet mapped under a path of its own: the status
	 * endpoint, a Spring MVC controller, answers under it, and its {@code GET} is passive
	 * there.
	 */
	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "spring.mvc.servlet.path=/app" })
	class UnderAServletPath extends StatusTests {

		@Override
		@BeforeEach
		void signIn() {
			this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			this.clock.fixAt(this.start);
			this.browser = new TestBrowser(this.port);
			Response login = this.browser.post("/app/test/programmatic-login", Map.of("username", "user"),
					TestBrowser.JSON);
			assertThat(login.status()).as("%s", login).isEqualTo(200);
		}

		@Test
		void getIsPassiveUnderTheServletPath() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			status(this.browser.get("/app/session/status", TestBrowser.JSON));
			Map<String, Object> status = status(this.browser.get("/app/session/status", TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ZERO))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(30)));
		}

		@Test
		void postStaysSignedInUnderTheServletPath() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			Map<String, Object> status = status(this.browser.post("/app/session/status", Map.of(), TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ofMinutes(20)))
				.containsEntry("idleExpiresAt", at(Duration.ofMinutes(50)));
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(49)));
			assertThat(status(this.browser.get("/app/session/status", TestBrowser.JSON)))
				.containsEntry("lastActivityAt", at(Duration.ofMinutes(20)));
		}

	}

	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.status.path=/api/session" })
	class CustomPath extends StatusTests {

		@Test
		void statusAnswersPassivelyAtTheConfiguredPath() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
			Map<String, Object> status = status(this.browser.get("/api/session", TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ZERO));
			assertThat(this.browser.get("/session/status", TestBrowser.JSON).status()).isNotEqualTo(200);
		}

		@Test
		void postAtTheConfiguredPathStaysSignedIn() {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			Map<String, Object> status = status(this.browser.post("/api/session", Map.of(), TestBrowser.JSON));
			assertThat(status).containsEntry("lastActivityAt", at(Duration.ofMinutes(20)));
		}

	}

}
