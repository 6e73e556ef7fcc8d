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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP Basic request that carries along the session cookie of another user, into a
 * chain that keeps its users in the session (form login and HTTP Basic): the request is
 * decided by its own authentication, and its refusal is never recorded in the session of
 * the other user. Privileged age 15m.
 */
@SpringBootTest(classes = HttpBasicWithSessionCookieIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.idle=1h",
				"session-timeout.absolute=8h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfers" })
class HttpBasicWithSessionCookieIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final String BASIC_BOB = "Basic "
			+ Base64.getEncoder().encodeToString("bob:password".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	@Autowired
	UserSessions userSessions;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
		this.events.clear();
	}

	@Test
	void aRefusedPrivilegedMethodOfAnotherUsersBasicRequestRecordsNoChallengeInTheSessionSentAlong() {
		TestBrowser alice = signedIn("alice");
		// The clock is the session's; HTTP Basic stamps its factor on the system clock
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		Response basic = alice.get("/api/export-now", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(basic.status()).as("bob never meets a maximum age of zero by HTTP Basic: %s", basic).isEqualTo(401);
		assertThat(this.events.all()).as("nothing happened to alice's session").isEmpty();
		Response page = alice.get("/api/export-now", TestBrowser.HTML, "Authorization", BASIC_BOB);
		Response withoutSession = new TestBrowser(this.port).get("/api/export-now", TestBrowser.HTML, "Authorization",
				BASIC_BOB);
		assertThat(page.status()).as("answered as without a session: %s", page).isEqualTo(withoutSession.status());
		assertThat(page.location()).as("answered as without a session: %s", page).isEqualTo(withoutSession.location());
		assertThat(this.events.all()).as("nothing happened to alice's session").isEmpty();
	}

	@Test
	void aRefusedPrivilegedPathOfAnotherUsersBasicRequestRecordsNoChallengeInTheSessionSentAlong() {
		TestBrowser alice = signedIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		assertThat(alice.get("/api/transfers", TestBrowser.JSON).status()).as("alice is privileged").isEqualTo(200);
		// Well past the age, however long the requests before took on the system clock
		this.clock.fixAt(this.start.plus(PRIVILEGED_AGE).plus(Duration.ofMinutes(2)));
		Response basic = alice.get("/api/transfers", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(basic.status()).as("bob's factor is as old as the clock says: %s", basic).isEqualTo(401);
		assertThat(this.events.all()).as("nothing happened to alice's session").isEmpty();
	}

	@Test
	void aPrivilegedPathDecidesAnotherUsersBasicRequestByItsOwnFactorNotByTheSessionSentAlong() {
		this.clock.fixAt(this.start.minus(Duration.ofMinutes(20)));
		TestBrowser alice = signedIn("alice");
		// The system clock, which stamps the factor: a factor from the future proves
		// nothing
		this.clock.fixAt(Instant.now());
		Response basic = alice.get("/api/transfers", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(basic.status()).as("bob just proved his password; alice's sign-in is 20 minutes old: %s", basic)
			.isEqualTo(200);
		assertThat(basic.body()).contains("bob");
		assertThat(this.events.all()).as("nothing happened to alice's session").isEmpty();
		Response own = alice.get("/api/transfers", TestBrowser.JSON);
		assertThat(own.status()).as("alice's own request is still challenged: %s", own).isEqualTo(401);
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipal()).isEqualTo("alice"));
	}

	/**
	 * Another user's HTTP Basic request that carries the cookie of a session that ended
	 * (revoked, past its idle deadline) is never served with that session: the
	 * application sees no session, or the request is refused.
	 */
	@Test
	void anotherUsersBasicRequestIsNeverServedWithARevokedSessionSentAlong() {
		TestBrowser alice = signedIn("alice");
		assertThat(this.userSessions.revokeAll("alice")).isPositive();
		Response basic = alice.get("/api/session", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(basic.status() != 200 || basic.body().contains("\"session\":\"none\""))
			.as("alice's revoked session is not the application's: %s", basic)
			.isTrue();
	}

	@Test
	void anotherUsersBasicRequestIsNeverServedWithASessionPastItsIdleDeadlineSentAlong() {
		TestBrowser alice = signedIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofHours(1)).plusSeconds(1));
		Response basic = alice.get("/api/session", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(basic.status() != 200 || basic.body().contains("\"session\":\"none\""))
			.as("alice's ended session is not the application's: %s", basic)
			.isTrue();
	}

	private TestBrowser signedIn(String username) {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.login(username, "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return browser;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BearerTokenTestApi.class)
	static class Application {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.httpBasic(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@RestController
		static class Api {

			private final BearerTokenTestApi.Exporter exporter;

			Api(BearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = "/api/export-now",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			Map<String, Object> exportNow(Authentication authentication) {
				return Map.of("name", authentication.getName(), "result", this.exporter.exportEveryTime());
			}

			@GetMapping(path = "/api/session", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> session(Authentication authentication, HttpServletRequest request) {
				HttpSession session = request.getSession(false);
				Object context = (session != null) ? session.getAttribute("SPRING_SECURITY_CONTEXT") : null;
				return Map.of("name", authentication.getName(), "session",
						(session != null) ? String.valueOf(context) : "none");
			}

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
