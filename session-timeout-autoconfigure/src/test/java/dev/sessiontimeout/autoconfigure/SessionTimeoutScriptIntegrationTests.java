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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the countdown banner's browser script over real HTTP: public
 * whatever the security rules, and never touching a session.
 *
 * @author session-timeout
 */
class SessionTimeoutScriptIntegrationTests {

	private static final String EXCLUDED = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
			+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	private static final String SCRIPT = "/session-timeout/session-timeout.js";

	private static final String ACCEPT_SCRIPT = "*/*";

	@Nested
	@SpringBootTest(classes = DenyAllApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = EXCLUDED)
	class EverythingElseDenied {

		@LocalServerPort
		int port;

		@Test
		void scriptIsServedWhileSpringSecurityDeniesEveryOtherRequest() {
			TestBrowser browser = new TestBrowser(this.port);
			assertThat(browser.get("/session/status", TestBrowser.JSON).status()).isEqualTo(403);
			Response script = browser.get(SCRIPT, ACCEPT_SCRIPT);
			assertThat(script.status()).isEqualTo(200);
			assertThat(script.contentType()).isEqualTo("text/javascript;charset=UTF-8");
			assertThat(script.body()).contains("window.customElements.define(TAG, SessionTimeoutBanner)");
			assertThat(script.header("ETag")).isNotBlank();
			assertThat(script.header("Cache-Control")).isEqualTo("max-age=3600, public");
			assertThat(script.setCookies()).as("no session").isEmpty();
		}

		@Test
		void scriptIsNotModifiedForTheSameETag() {
			TestBrowser browser = new TestBrowser(this.port);
			String etag = browser.get(SCRIPT, ACCEPT_SCRIPT).header("ETag");
			Response again = browser.get(SCRIPT, ACCEPT_SCRIPT, "If-None-Match", etag);
			assertThat(again.status()).isEqualTo(304);
			assertThat(again.body()).isEmpty();
		}

		@Test
		void scriptIsServedToACookieOfAnUnknownSession() {
			TestBrowser browser = new TestBrowser(this.port);
			browser.setCookie("JSESSIONID", "E1B4A5C5AA4E6DBD7B1A8B6F6C1D1E55");
			Response script = browser.get(SCRIPT, ACCEPT_SCRIPT);
			assertThat(script.status()).isEqualTo(200);
			assertThat(script.setCookies()).isEmpty();
		}

		@Test
		void otherMethodsAreNotAllowed() {
			Response post = new TestBrowser(this.port).post(SCRIPT, Map.of(), ACCEPT_SCRIPT);
			assertThat(post.status()).isEqualTo(405);
			assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
		}

	}

	@Nested
	@SpringBootTest(classes = DenyAllApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "server.servlet.context-path=/shop" })
	class WithinAContextPath {

		@LocalServerPort
		int port;

		@Test
		void scriptIsServedWithinTheContextPathOnly() {
			TestBrowser browser = new TestBrowser(this.port);
			assertThat(browser.get("/shop" + SCRIPT, ACCEPT_SCRIPT).status()).isEqualTo(200);
			assertThat(browser.get(SCRIPT, ACCEPT_SCRIPT).status()).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(classes = DenyAllApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.script.enabled=false" })
	class ScriptDisabled {

		@LocalServerPort
		int port;

		@Test
		void scriptIsLeftToTheApplicationsSecurityRules() {
			assertThat(new TestBrowser(this.port).get(SCRIPT, ACCEPT_SCRIPT).status()).isEqualTo(403);
		}

	}

	@Nested
	@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@TestPropertySource(properties = { EXCLUDED, "session-timeout.idle=30m" })
	class SignedIn {

		@LocalServerPort
		int port;

		@Autowired
		MutableClock clock;

		@Test
		void loadingTheScriptIsNoActivity() {
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			this.clock.fixAt(start);
			TestBrowser browser = new TestBrowser(this.port);
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			String session = browser.cookie("JSESSIONID");
			this.clock.fixAt(start.plus(Duration.ofMinutes(20)));
			Response script = browser.get(SCRIPT, ACCEPT_SCRIPT);
			assertThat(script.status()).isEqualTo(200);
			assertThat(script.setCookies()).isEmpty();
			Response status = browser.get("/session/status", TestBrowser.JSON);
			assertThat(status.body()).contains("\"lastActivityAt\":\"" + start + "\"",
					"\"idleExpiresAt\":\"" + start.plus(Duration.ofMinutes(30)) + "\"");
			assertThat(browser.cookie("JSESSIONID")).isEqualTo(session);
		}

		@Test
		void loadingTheScriptAfterTheSessionEndedStillServesIt() {
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			this.clock.fixAt(start);
			TestBrowser browser = new TestBrowser(this.port);
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			this.clock.fixAt(start.plus(Duration.ofMinutes(30)));
			assertThat(browser.get(SCRIPT, ACCEPT_SCRIPT).status()).isEqualTo(200);
			Response status = browser.get("/session/status", TestBrowser.JSON);
			assertThat(status.status()).isEqualTo(401);
			assertThat(status.body()).as("the script did not end the session").contains("\"reason\":\"idle\"");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DenyAllApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().denyAll());
			return http.build();
		}

	}

}
