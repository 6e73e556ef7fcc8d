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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet application whose logout keeps the session
 * ({@code logout.invalidateHttpSession(false)}): a challenge to the user who signed out
 * is for no one any more, as on WebFlux, whose logout keeps the session too. The next
 * user signs in with the session, and that sign-in is no step-up of the user who left.
 */
@SpringBootTest(classes = SignOutWithoutInvalidationIntegrationTests.KeptSessionApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.reauthentication=45m", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class SignOutWithoutInvalidationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	private Instant start;

	private TestBrowser browser;

	@BeforeEach
	void startBrowsing() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.events.clear();
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void aChallengedUserWhoSignsOutLeavesTheSessionToTheNextUser() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(16)));
		Response stale = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertThat(stale.status()).as("%s", stale).isEqualTo(401);
		assertThat(stale.body()).contains("\"reason\":\"privileged\"");
		Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		assertThat(logout.location()).endsWith("/login?logout");
		Response bob = this.browser.login("bob", "password");
		assertThat(bob.location()).as("bob signs in").doesNotContain("error");
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(me.body()).contains("\"name\":\"bob\"");
		assertThat(this.browser.get("/api/transfer", TestBrowser.JSON).status()).as("bob just signed in")
			.isEqualTo(200);
		assertThat(this.events.stepUps()).as("bob's sign-in is no step-up of alice's").isEmpty();
	}

	@Test
	void aUserWhoseReauthenticationIsDueAndWhoSignsOutLeavesTheSessionToTheNextUser() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(45)));
		Response due = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(due.status()).as("%s", due).isEqualTo(401);
		assertThat(due.body()).contains("\"reason\":\"" + ExpiryReason.REAUTHENTICATION.value() + "\"");
		assertThat(this.browser.post("/logout", Map.of(), TestBrowser.HTML).location()).endsWith("/login?logout");
		assertThat(this.browser.login("bob", "password").location()).as("bob signs in").doesNotContain("error");
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(me.body()).contains("\"name\":\"bob\"");
		assertThat(this.events.stepUps()).as("bob's sign-in is no step-up of alice's").isEmpty();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class KeptSessionApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((
					requests) -> requests.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.logout((logout) -> logout.invalidateHttpSession(false));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class AccountController {

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfer(Authentication authentication) {
				return Map.of("name", authentication.getName(), "result", "transferred 10");
			}

		}

	}

}
