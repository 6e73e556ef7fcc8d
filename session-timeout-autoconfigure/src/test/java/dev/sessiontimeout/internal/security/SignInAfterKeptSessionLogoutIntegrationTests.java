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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet application whose logout keeps the session and that then signs the same user
 * in again itself (it saves a security context, with no login the starter sees): the
 * session's authentication time and one-use privilege grant belong to the login before
 * the logout, and the new sign-in must not be served on them.
 */
@SpringBootTest(classes = SignInAfterKeptSessionLogoutIntegrationTests.SignInAgainApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class SignInAfterKeptSessionLogoutIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	private Instant start;

	private TestBrowser browser;

	@BeforeEach
	void startBrowsing() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void aSignInTheApplicationMakesAfterALogoutThatKeptTheSessionIsNotPrivilegedOnTheLoginBefore() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		assertThat(this.browser.post("/logout", Map.of(), TestBrowser.HTML).location()).endsWith("/login?logout");
		Response signIn = this.browser.post("/sign-in-again", Map.of(), TestBrowser.JSON);
		assertThat(signIn.status()).as("%s", signIn).isEqualTo(200);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("alice");
		Response path = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertThat(path.status()).as("privileged path on the login before the logout: %s", path).isEqualTo(401);
		Response method = this.browser.get("/api/export", TestBrowser.JSON);
		assertThat(method.status()).as("privileged method on the login before the logout: %s", method).isEqualTo(401);
	}

	@Test
	void aSignInTheApplicationMakesAfterALogoutThatKeptTheSessionGetsNoGrantOfTheLoginBefore() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		assertThat(this.browser.post("/logout", Map.of(), TestBrowser.HTML).location()).endsWith("/login?logout");
		Response signIn = this.browser.post("/sign-in-again", Map.of(), TestBrowser.JSON);
		assertThat(signIn.status()).as("%s", signIn).isEqualTo(200);
		Response once = this.browser.get("/api/once", TestBrowser.JSON);
		assertThat(once.status()).as("one-use grant of the login before the logout: %s", once).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SignInAgainApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/sign-in-again")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.logout((logout) -> logout.invalidateHttpSession(false).permitAll());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@Service
		static class Exports {

			@RequiresPrivilegedSession(maxAge = "10m")
			String export() {
				return "exported";
			}

			@RequiresPrivilegedSession(maxAge = "0")
			String once() {
				return "once";
			}

		}

		@RestController
		static class AccountController {

			private final Exports exports;

			AccountController(Exports exports) {
				this.exports = exports;
			}

			@PostMapping(path = "/sign-in-again", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> signInAgain(HttpServletRequest request, HttpServletResponse response) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null,
						AuthorityUtils.createAuthorityList("ROLE_USER")));
				SecurityContextHolder.setContext(context);
				new HttpSessionSecurityContextRepository().saveContext(context, request, response);
				return Map.of("result", "alice");
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfer(Authentication authentication) {
				return Map.of("name", authentication.getName(), "result", "transferred 10");
			}

			@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> export() {
				return Map.of("result", this.exports.export());
			}

			@GetMapping(path = "/api/once", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> once() {
				return Map.of("result", this.exports.once());
			}

		}

	}

}
