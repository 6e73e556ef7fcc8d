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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session with {@link HeaderHttpSessionIdResolver} ({@code X-Auth-Token}): the
 * clocks, the answers and the status endpoint as with a cookie. Map store, idle 30m,
 * privileged age 5m on {@code /api/transfer}, persistent cookies on.
 */
@SpringBootTest(classes = HeaderSessionIdIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=5m", "session-timeout.privileged.paths=/api/transfer",
				"session-timeout.cookie.persistent=true",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class HeaderSessionIdIntegrationTests extends AbstractLiveApplicationTests {

	private static final String TOKEN = "X-Auth-Token";

	private String login() {
		Response login = this.browser.post("/login", Map.of("username", "user", "password", "password"),
				TestBrowser.JSON);
		String token = login.header(TOKEN);
		assertThat(token).as("the session token of the login: %s %s", login, login.headers()).isNotBlank();
		assertThat(login.setCookies()).as("no cookie: %s", login).isEmpty();
		return token;
	}

	private Response get(String path, String token) {
		return this.browser.get(path, TestBrowser.JSON, TOKEN, token);
	}

	private Instant shiftBy(Duration duration) {
		Instant instant = this.clock.instant().plus(duration);
		this.clock.fixAt(instant);
		return instant;
	}

	@Test
	void aSessionIdentifiedByAHeaderEndsIdleAndTellsWhy() {
		String token = login();
		Response served = get("/api/me", token);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.setCookies()).as("no cookie: %s", served).isEmpty();
		shiftBy(Duration.ofMinutes(20));
		Response status = get("/session/status", token);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		assertThat(status.setCookies()).as("no cookie: %s", status).isEmpty();
		shiftBy(Duration.ofMinutes(10));
		Response ended = get("/api/me", token);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertThat(ended.body()).as("%s", ended).contains("\"reason\":\"idle\"");
		Response again = get("/api/me", token);
		assertThat(again.status()).as("%s", again).isEqualTo(401);
		assertThat(again.body()).as("%s", again).contains("\"reason\":\"idle\"");
		Response poll = get("/session/status", token);
		assertThat(poll.status()).as("%s", poll).isEqualTo(401);
		assertThat(poll.body()).as("%s", poll).contains("\"reason\":\"idle\"");
	}

	@Test
	void aStepUpOfASessionIdentifiedByAHeaderGivesTheNewIdAndEndsTheOldOne() {
		String token = login();
		shiftBy(Duration.ofMinutes(6));
		Response challenged = get("/api/transfer", token);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).as("%s", challenged).contains("\"reason\":\"privileged\"");
		Response stepUp = this.browser.post("/login", Map.of("username", "user", "password", "password"),
				TestBrowser.JSON, TOKEN, token);
		String renamed = stepUp.header(TOKEN);
		assertThat(renamed).as("the new id: %s %s", stepUp, stepUp.headers()).isNotBlank().isNotEqualTo(token);
		Response transfer = get("/api/transfer", renamed);
		assertThat(transfer.status()).as("%s", transfer).isEqualTo(200);
		Response old = get("/api/me", token);
		assertThat(old.status()).as("%s", old).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class Application {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		HeaderHttpSessionIdResolver httpSessionIdResolver() {
			return HeaderHttpSessionIdResolver.xAuthToken();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/session/status").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@RestController
		static class Api {

			@GetMapping(path = { "/api/me", "/api/transfer" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
