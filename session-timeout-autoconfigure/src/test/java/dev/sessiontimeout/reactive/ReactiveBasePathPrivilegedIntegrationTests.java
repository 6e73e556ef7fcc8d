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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

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
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Privileged and passive paths under {@code spring.webflux.base-path}: a privileged path
 * is challenged also when written percent-encoded (which the handler mapping and Spring
 * Security match as the plain path); with a matrix parameter Spring Security's firewall
 * rejects it; the passive path is passive. WebFlux's own store; base path {@code /app};
 * privileged age 15m on {@code /account/transfer}; {@code /api/poll} passive; idle 30m.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveBasePathPrivilegedIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=1h", "spring.webflux.base-path=/app",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/transfer",
				"session-timeout.activity.passive-paths=/api/poll",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveBasePathPrivilegedIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@Nullable String session;

	@BeforeEach
	void signIn() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		EntityExchangeResult<String> login = client().post()
			.uri("/app/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		this.session = login.getResponseCookies().getFirst("SESSION").getValue();
	}

	@Test
	void aPrivilegedPathUnderTheBasePathIsChallengedInEveryFormTheHandlerMapsToIt() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		assertThat(get("/app/account/transfer").getResponseBody()).as("fresh").isEqualTo("transfer of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		for (String path : List.of("/app/account/transfer", "/app/account/%74ransfer", "/app/%61ccount/transfer")) {
			EntityExchangeResult<String> result = get(path);
			assertThat(result.getResponseBody()).as("%s: %s", path, result).doesNotContain("transfer of alice");
			assertProblem(result, ExpiryReason.PRIVILEGED);
		}
		// Spring Security's firewall rejects a semicolon in the path before anything
		// is served
		for (String path : List.of("/app/account/transfer;x=1", "/app/account;x=1/transfer")) {
			EntityExchangeResult<String> result = get(path);
			assertThat(result.getStatus().value()).as("%s: %s", path, result).isEqualTo(400);
		}
	}

	@Test
	void aPassivePathUnderTheBasePathIsPassive() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(29)));
		assertThat(get("/app/api/poll").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		assertProblem(get("/app/api/poll"), ExpiryReason.IDLE);
	}

	private EntityExchangeResult<String> get(String path) {
		return client().get()
			.uri(URI.create("http://localhost:" + this.port + path))
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/account/**").authenticated().anyExchange().permitAll())
				.formLogin((form) -> form.loginPage("/login"))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<String> transfer(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "transfer of " + principal.getName())
					.defaultIfEmpty("transfer of none");
			}

			@GetMapping(path = "/api/poll", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<String> poll() {
				return Mono.just("polled");
			}

		}

	}

}
