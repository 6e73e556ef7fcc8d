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
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On WebFlux as on servlet ({@code HttpBasicWithSessionCookieIntegrationTests}): an HTTP
 * Basic request that carries along the session cookie of another user is refused by
 * itself, and its refusal is never recorded in the session of the other user. Privileged
 * age 15m, WebFlux's own session store, one chain with form login and HTTP Basic.
 */
@SpringBootTest(classes = ReactiveHttpBasicWithSessionCookieIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.idle=1h", "session-timeout.absolute=8h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/transfers" })
class ReactiveHttpBasicWithSessionCookieIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	@Autowired
	ReactiveUserSessions userSessions;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
		this.events.clear();
	}

	@Test
	void aRefusedPrivilegedRequestOfAnotherUsersBasicAuthenticationRecordsNoChallengeInTheSessionSentAlong() {
		String alice = signIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		assertThat(get("/transfers", alice, null).getStatus().value()).as("alice is privileged").isEqualTo(200);
		for (String path : new String[] { "/transfers", "/export" }) {
			EntityExchangeResult<String> basic = get(path, alice, "bob");
			assertThat(basic.getStatus().value()).as("%s", basic).isEqualTo(401);
			assertThat(this.events.all()).as("nothing happened to alice's session: %s", path).isEmpty();
		}
		assertThat(get("/transfers", alice, null).getStatus().value()).as("alice is still privileged").isEqualTo(200);
	}

	/**
	 * Another user's HTTP Basic request that carries the cookie of a session that ended
	 * (revoked, past its idle deadline) is never served with that session.
	 */
	@Test
	void anotherUsersBasicRequestIsNeverServedWithARevokedSessionSentAlong() {
		String alice = signIn("alice");
		assertThat(this.userSessions.revokeAll("alice").block()).isPositive();
		EntityExchangeResult<String> basic = get("/session", alice, "bob");
		assertThat(basic.getStatus().value() != 200 || !String.valueOf(basic.getResponseBody()).contains("alice"))
			.as("alice's revoked session is not the application's: %s", basic)
			.isTrue();
	}

	@Test
	void anotherUsersBasicRequestIsNeverServedWithASessionPastItsIdleDeadlineSentAlong() {
		String alice = signIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofHours(1)).plusSeconds(1));
		EntityExchangeResult<String> basic = get("/session", alice, "bob");
		assertThat(basic.getStatus().value() != 200 || !String.valueOf(basic.getResponseBody()).contains("alice"))
			.as("alice's ended session is not the application's: %s", basic)
			.isTrue();
	}

	private String signIn(String username) {
		EntityExchangeResult<String> login = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", username).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		return login.getResponseCookies().getFirst("SESSION").getValue();
	}

	private EntityExchangeResult<String> get(String path, String session, String basicUser) {
		WebTestClient.RequestHeadersSpec<?> request = client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session);
		if (basicUser != null) {
			request = request.headers((headers) -> headers.setBasicAuth(basicUser, "password"));
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class Application {

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated()).formLogin((form) -> {
			}).httpBasic((basic) -> {
			}).csrf(ServerHttpSecurity.CsrfSpec::disable).build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Api {

			private final ReactiveBearerTokenTestApi.Exporter exporter;

			Api(ReactiveBearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = "/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Authentication authentication) {
				return this.exporter.export(authentication.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = "/session", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> session(Authentication authentication, ServerWebExchange exchange) {
				return exchange.getSession()
					.map((session) -> Map.of("name", authentication.getName(), "session",
							String.valueOf(session.getAttributes().get("SPRING_SECURITY_CONTEXT"))));
			}

			@GetMapping(path = "/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfers(Authentication authentication) {
				return Mono.just(Map.of("name", authentication.getName()));
			}

		}

	}

}
