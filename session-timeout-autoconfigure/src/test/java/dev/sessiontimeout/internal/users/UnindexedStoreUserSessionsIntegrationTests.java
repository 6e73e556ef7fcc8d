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
package dev.sessiontimeout.internal.users;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
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
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-service endpoint of a user's sessions in an application whose Spring Session
 * store of its own cannot find sessions by user (no principal index, and none that the
 * starter keeps): a signed-in user is told so with a {@code 501} problem, as the
 * operations endpoint does, and a request without a signed-in session still gets the
 * {@code 401} first.
 */
@SpringBootTest(classes = UnindexedStoreUserSessionsIntegrationTests.UnindexedStoreApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=2h", "session-timeout.idle=30m" })
class UnindexedStoreUserSessionsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	TestBrowser browser;

	@BeforeEach
	void signIn() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void aSignedInUserIsToldWhyTheirSessionsCannotBeFound() {
		Response login = this.browser.login("user", "password");
		assertThat(login.location()).as("%s", login).doesNotContain("error");
		for (Response answer : new Response[] { this.browser.get("/session/sessions", TestBrowser.JSON),
				this.browser.delete("/session/sessions"), this.browser.delete("/session/sessions/0000000000000000") }) {
			assertThat(answer.status()).as("%s", answer).isEqualTo(501);
			assertThat(answer.contentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(answer.body()).contains("principal index", "OwnSessionRepository");
		}
		Response page = this.browser.get("/orders", TestBrowser.HTML);
		assertThat(page.status()).as("still signed in: %s", page).isEqualTo(200);
	}

	@Test
	void aRequestWithoutASignedInSessionIsRefusedFirst() {
		Response answer = this.browser.get("/session/sessions", TestBrowser.JSON);
		assertThat(answer.status()).as("%s", answer).isEqualTo(401);
		assertThat(answer.body()).contains("\"reason\":\"invalid\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class UnindexedStoreApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		OwnSessionRepository sessionRepository() {
			return new OwnSessionRepository();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/session/sessions/**")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			String orders(Authentication authentication) {
				return "<html><body>Orders of " + authentication.getName() + "</body></html>";
			}

		}

	}

	/**
	 * A store of the application's own, without a principal index: it keeps its sessions
	 * in a map, but is none of the repositories the starter keeps an index for.
	 */
	static class OwnSessionRepository implements SessionRepository<MapSession> {

		private final MapSessionRepository sessions = new MapSessionRepository(new ConcurrentHashMap<>());

		@Override
		public MapSession createSession() {
			return this.sessions.createSession();
		}

		@Override
		public void save(MapSession session) {
			this.sessions.save(session);
		}

		@Override
		public @Nullable MapSession findById(String id) {
			return this.sessions.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.sessions.deleteById(id);
		}

	}

}
