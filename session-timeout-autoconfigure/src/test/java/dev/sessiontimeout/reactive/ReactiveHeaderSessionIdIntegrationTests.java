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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.HeaderWebSessionIdResolver;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux with {@link HeaderWebSessionIdResolver} ({@code SESSION} header instead of a
 * cookie): the clocks, the answers and the status endpoint as with a cookie. WebFlux's
 * own store; idle 30m, privileged age 5m on {@code /account/**}, persistent cookies on.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveHeaderSessionIdIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=5m",
				"session-timeout.privileged.paths=/account/**", "session-timeout.cookie.persistent=true",
				"spring.autoconfigure.exclude=" + ReactiveOperationsIntegrationTests.NO_SPRING_SESSION })
class ReactiveHeaderSessionIdIntegrationTests {

	static final String HEADER = "SESSION";

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
	void aSessionIdentifiedByAHeaderEndsIdleAndTellsWhy() {
		String session = login(null);
		EntityExchangeResult<String> served = get("/home", session);
		assertThat(served.getStatus().value()).as("%s", served).isEqualTo(200);
		assertThat(served.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).as("%s", served).isNull();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> status = get("/session/status", session);
		assertThat(status.getStatus().value()).as("%s", status).isEqualTo(200);
		assertThat(status.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).as("%s", status).isNull();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		assertProblem(get("/home", session), ExpiryReason.IDLE);
		assertProblem(get("/home", session), ExpiryReason.IDLE);
		assertProblem(get("/session/status", session), ExpiryReason.IDLE);
	}

	@Test
	void aStepUpOfASessionIdentifiedByAHeaderGivesTheNewIdAndEndsTheOldOne() {
		String session = login(null);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(6)));
		assertProblem(get("/account/transfer", session), ExpiryReason.PRIVILEGED);
		String renamed = login(session);
		assertThat(renamed).isNotEqualTo(session);
		EntityExchangeResult<String> transfer = get("/account/transfer", renamed);
		assertThat(transfer.getStatus().value()).as("%s", transfer).isEqualTo(200);
		EntityExchangeResult<String> old = get("/home", session);
		assertThat(old.getStatus().value()).as("%s", old).isEqualTo(401);
	}

	private String login(String session) {
		EntityExchangeResult<String> login = ReactiveConcurrentSessionControlConfiguration.client(this.port)
			.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (session != null) {
					headers.set(HEADER, session);
				}
			})
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		String id = login.getResponseHeaders().getFirst(HEADER);
		assertThat(id).as("the session header of the login: %s", login).isNotBlank();
		assertThat(login.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).as("%s", login).isNull();
		return id;
	}

	private EntityExchangeResult<String> get(String path, String session) {
		return ReactiveConcurrentSessionControlConfiguration.client(this.port)
			.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.header(HEADER, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		HeaderWebSessionIdResolver webSessionIdResolver() {
			return new HeaderWebSessionIdResolver();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/login", "/session/status")
					.permitAll()
					.anyExchange()
					.authenticated())
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

			@GetMapping(path = { "/home", "/account/transfer" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<String> home(ServerWebExchange exchange) {
				return exchange.getPrincipal().map((principal) -> "\"" + principal.getName() + "\"");
			}

		}

	}

}
