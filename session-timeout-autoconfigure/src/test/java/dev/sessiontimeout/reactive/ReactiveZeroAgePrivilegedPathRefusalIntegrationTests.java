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

import org.jspecify.annotations.Nullable;
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
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux twin of the servlet ZeroAgePrivilegedPathRefusalIntegrationTests: a
 * privileged path with a maximum age of zero, whose exchange Spring Security refuses
 * after the starter decided it (a missing CSRF token): the refused exchange must not
 * spend the one-use grant of the login, which the next, valid, one needs.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveZeroAgePrivilegedPathRefusalIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/api/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveZeroAgePrivilegedPathRefusalIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	WebTestClient client;

	@BeforeEach
	void freshClient() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@Test
	void anExchangeThatTheCsrfFilterRefusesDoesNotSpendTheGrantOfAMaxAgeOfZero() {
		EntityExchangeResult<String> login = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).hasToString("/");
		String session = cookie(login, null);
		EntityExchangeResult<String> csrf = this.client.get()
			.uri("/api/csrf")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(csrf.getStatus().value()).as("%s", csrf).isEqualTo(200);
		// As a browser: the session cookie that the response sets, if any
		session = cookie(csrf, session);
		String token = csrf.getResponseBody().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
		EntityExchangeResult<String> forged = transfer(session, null);
		assertThat(forged.getStatus().value()).as("without its CSRF token: %s", forged).isEqualTo(403);
		session = cookie(forged, session);
		EntityExchangeResult<String> transfer = transfer(session, token);
		assertThat(transfer.getStatus().value()).as("with its CSRF token, after the refused one: %s", transfer)
			.isEqualTo(200);
		session = cookie(transfer, session);
		EntityExchangeResult<String> again = transfer(session, token);
		assertThat(again.getStatus().value()).as("the grant is used once: %s", again).isEqualTo(401);
	}

	private static String cookie(EntityExchangeResult<String> result, @Nullable String session) {
		ResponseCookie cookie = result.getResponseCookies().getFirst("SESSION");
		String value = (cookie != null && !cookie.getValue().isEmpty()) ? cookie.getValue() : session;
		assertThat(value).as("a session cookie: %s", result).isNotNull();
		return value;
	}

	private EntityExchangeResult<String> transfer(String session, @Nullable String token) {
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri("/api/transfer")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session);
		if (token != null) {
			request = request.header("X-CSRF-TOKEN", token);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CsrfApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated())
				.formLogin((form) -> form.loginPage("/login"))
				.csrf((csrf) -> csrf
					.requireCsrfProtectionMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/api/**")))
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class TransferController {

			@GetMapping(path = "/api/csrf", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> csrf(ServerWebExchange exchange) {
				Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
				return (token != null) ? token.map((found) -> Map.of("token", found.getToken()))
						: Mono.just(Map.of("token", "none"));
			}

			@PostMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfer() {
				return Mono.just(Map.of("result", "transferred 10"));
			}

		}

	}

}
