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
package dev.sessiontimeout.reactive;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.InvalidateLeastUsedServerMaximumSessionsExceededHandler;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guard: Spring Security's reactive concurrent-session control as its reference shows it,
 * an {@code InMemoryReactiveSessionRegistry} bean declared as
 * {@code ReactiveSessionRegistry} (which the starter decorates),
 * {@code maximumSessions(1)} and the handler that invalidates the least used session in
 * the store of the {@code DefaultWebSessionManager} (Boot's {@code WebSessionManager}
 * bean): a sign-in on a second device ends the first session, and the second is served.
 */
@SpringBootTest(classes = ReactiveWebSessionStoreRegistryIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.idle=30m", "session-timeout.absolute=2h" })
class ReactiveWebSessionStoreRegistryIntegrationTests {

	private static final String SESSION_COOKIE = "SESSION";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
	}

	@Test
	void aSignInOnASecondDeviceEndsTheFirstSession() {
		String user = newUser();
		String laptop = login(user);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(get(laptop));
		this.clock.fixAt(this.start.plusSeconds(1));
		String phone = login(user);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(get(phone));
		assertThat(get(laptop).getStatus().value()).as("the least used session, ended").isNotEqualTo(200);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(get(phone));
	}

	private static String newUser() {
		return "user-" + UUID.randomUUID();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private EntityExchangeResult<String> signIn(String username) {
		EntityExchangeResult<String> result = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", username).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(302);
		return result;
	}

	private String login(String username) {
		EntityExchangeResult<String> result = signIn(username);
		assertThat(location(result)).as("%s", result).doesNotContain("error");
		return cookie(result);
	}

	private static String location(EntityExchangeResult<String> result) {
		return String.valueOf(result.getResponseHeaders().getLocation());
	}

	private static String cookie(EntityExchangeResult<String> result) {
		ResponseCookie cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		return Objects.requireNonNull(cookie, () -> "no session cookie: " + result).getValue();
	}

	private EntityExchangeResult<String> get(String session) {
		return client().get()
			.uri("/api/me")
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		ReactiveSessionRegistry reactiveSessionRegistry() {
			return new InMemoryReactiveSessionRegistry();
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http, WebSessionManager webSessionManager) {
			http.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated());
			http.formLogin((form) -> {
			});
			http.csrf(ServerHttpSecurity.CsrfSpec::disable);
			http.sessionManagement((sessions) -> sessions
				.concurrentSessions((concurrency) -> concurrency.maximumSessions(SessionLimit.of(1))
					.maximumSessionsExceededHandler(new InvalidateLeastUsedServerMaximumSessionsExceededHandler(
							((DefaultWebSessionManager) webSessionManager).getSessionStore()))));
			return http.build();
		}

		/**
		 * Every name signs in with the same password: each test has users of its own.
		 */
		@Bean
		ReactiveUserDetailsService users() {
			return (username) -> Mono
				.just(User.withUsername(username).password("{noop}password").roles("USER").build());
		}

		@RestController
		static class MeController {

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
