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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.PreventLoginServerMaximumSessionsExceededHandler;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedReactiveSessionRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's reactive concurrent-session control with Spring Session's own
 * {@link SpringSessionBackedReactiveSessionRegistry} on the reactive Redis indexed
 * repository, as Spring Session documents it. Sessions the starter ended (revoked, or
 * past a deadline of their clocks) must not count against the limit (docs/security.md,
 * V7.1.2): not with {@code PreventLoginServerMaximumSessionsExceededHandler}, where they
 * would refuse the user's next sign-in, and not with the default
 * {@code InvalidateLeastUsedServerMaximumSessionsExceededHandler}, where a revoked
 * session (whose revocation is its last access) would outlive a live one.
 */
class ReactiveSpringSessionBackedRegistryIntegrationTests {

	private static final String NAMESPACE = "session-timeout-reactive-registry:" + UUID.randomUUID();

	private static final String SESSION_COOKIE = "SESSION";

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	@Test
	void sessionsEndedFromTheSelfServiceEndpointDoNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(node, user);
			String phone = login(node, user);
			EntityExchangeResult<String> ended = request(node, "DELETE", "/session/sessions", laptop);
			assertThat(ended.getStatus().value()).as("%s", ended).isEqualTo(200);
			assertThat(ended.getResponseBody()).isEqualTo("{\"ended\":1}");
			// Not at the revocation's very instant, which would end a login in flight
			node.getBean(MutableClock.class).fixAt(start.plusSeconds(1));
			EntityExchangeResult<String> tablet = signIn(node, user);
			assertThat(location(tablet))
				.as("a sign-in after the phone's session was ended: two sessions at most, one is live")
				.doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", laptop));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", cookie(tablet)));
			// Still answered as revoked by the starter
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(request(node, "GET", "/api/me", phone),
					ExpiryReason.REVOKED);
		}
	}

	/**
	 * With {@code maximumSessions(1)} the least-used handler invalidates every other
	 * session of the user, so a revoked one cannot outlive a live one there; with two, it
	 * invalidates the one least recently used, which a revocation is not.
	 */
	@Test
	void aSignInOverTheLimitEndsNoLiveSessionWhileARevokedOneIsStillInTheStore() {
		try (ConfigurableApplicationContext node = node(false)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(node, user);
			String phone = login(node, user);
			EntityExchangeResult<String> ended = request(node, "DELETE", "/session/sessions", laptop);
			assertThat(ended.getResponseBody()).isEqualTo("{\"ended\":1}");
			node.getBean(MutableClock.class).fixAt(start.plusSeconds(1));
			EntityExchangeResult<String> tablet = signIn(node, user);
			assertThat(location(tablet)).doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", laptop));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", cookie(tablet)));
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(request(node, "GET", "/api/me", phone),
					ExpiryReason.REVOKED);
		}
	}

	@Test
	void aSessionEndedByTheIdleClockAtItsRequestDoesNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(node, user);
			String phone = login(node, user);
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(20)));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", laptop));
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(30)));
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(request(node, "GET", "/api/me", phone),
					ExpiryReason.IDLE);
			assertThat(location(signIn(node, user)))
				.as("a sign-in after the phone's session ended idle: one session is live")
				.doesNotContain("error");
		}
	}

	/**
	 * Sessions past their idle deadline that sent no request since: the store keeps them
	 * for the grace after it, on its own clock.
	 */
	@Test
	void sessionsPastTheirIdleDeadlineWithoutARequestDoNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			login(node, user);
			login(node, user);
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(30)));
			EntityExchangeResult<String> tablet = signIn(node, user);
			assertThat(location(tablet)).as("a sign-in once both sessions ended idle: none is live")
				.doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(request(node, "GET", "/api/me", cookie(tablet)));
		}
	}

	private static String newUser() {
		return "user-" + UUID.randomUUID();
	}

	private static Instant fixClock(ConfigurableApplicationContext node) {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		node.getBean(MutableClock.class).fixAt(start);
		return start;
	}

	private static ConfigurableApplicationContext node(boolean preventsLogin) {
		RedisServers.Endpoint redis = RedisServers.get();
		return new SpringApplicationBuilder(RegistryApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "spring.session.data.redis.namespace=" + NAMESPACE,
					"spring.session.data.redis.repository-type=indexed", "test.prevents-login=" + preventsLogin,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	private static WebTestClient client(ConfigurableApplicationContext node) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort())
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private static EntityExchangeResult<String> signIn(ConfigurableApplicationContext node, String username) {
		EntityExchangeResult<String> result = client(node).post()
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

	private static String login(ConfigurableApplicationContext node, String username) {
		EntityExchangeResult<String> result = signIn(node, username);
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

	private static EntityExchangeResult<String> request(ConfigurableApplicationContext node, String method, String path,
			String session) {
		return client(node).method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RegistryApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		<S extends Session> SpringSessionBackedReactiveSessionRegistry<S> sessionRegistry(
				ReactiveSessionRepository<S> sessionRepository,
				ReactiveFindByIndexNameSessionRepository<S> indexedSessionRepository) {
			return new SpringSessionBackedReactiveSessionRegistry<>(sessionRepository, indexedSessionRepository);
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http, @Value("${test.prevents-login}") boolean preventsLogin) {
			http.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated());
			http.formLogin((form) -> {
			});
			http.csrf(ServerHttpSecurity.CsrfSpec::disable);
			http.sessionManagement((sessions) -> sessions.concurrentSessions((concurrency) -> {
				concurrency.maximumSessions(SessionLimit.of(2));
				if (preventsLogin) {
					concurrency.maximumSessionsExceededHandler(new PreventLoginServerMaximumSessionsExceededHandler());
				}
			}));
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
