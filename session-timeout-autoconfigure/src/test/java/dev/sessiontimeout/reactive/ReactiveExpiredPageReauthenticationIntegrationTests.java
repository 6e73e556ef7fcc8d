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

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expired page while the session's re-authentication is due, on WebFlux (its own
 * {@code InMemoryWebSessionStore}): {@code session-timeout.expired-url} names a page of
 * the application's own, {@code /welcome} (the README suggests one, such as
 * {@code /signed-out?reason={reason}}, where there is no {@code /login}), which greets a
 * signed-in user by name and anyone else as a guest. The page is never refused, but it
 * must not be served with the user whose re-authentication is due: every other request
 * anyone may make runs without that user until the user signs in again.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveExpiredPageReauthenticationIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.expired-url=/welcome?reason={reason}",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveExpiredPageReauthenticationIntegrationTests {

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
			.uri("/login")
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
	void theExpiredPageIsServedWithoutTheUserWhoseReauthenticationIsDue() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		assertThat(get("/welcome").getResponseBody()).as("signed in").isEqualTo("welcome, alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(40)));
		assertThat(get("/home").getResponseBody()).as("signed in").isEqualTo("home, alice");
		// Re-authentication due: the application's other pages run without the user
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(61)));
		EntityExchangeResult<String> due = get("/home");
		assertThat(due.getResponseBody()).as("another page anyone may see: %s", due).isEqualTo("home, none");
		EntityExchangeResult<String> welcome = get("/welcome");
		assertThat(welcome.getResponseBody()).as("the expired page while re-authentication is due: %s", welcome)
			.doesNotContain("alice");
	}

	private EntityExchangeResult<String> get(String path) {
		return client().get()
			.uri(path)
			.accept(MediaType.TEXT_HTML)
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

			@GetMapping(path = "/welcome", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> welcome(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "welcome, " + principal.getName())
					.defaultIfEmpty("welcome, guest");
			}

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> home(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "home, " + principal.getName())
					.defaultIfEmpty("home, none");
			}

		}

	}

}
