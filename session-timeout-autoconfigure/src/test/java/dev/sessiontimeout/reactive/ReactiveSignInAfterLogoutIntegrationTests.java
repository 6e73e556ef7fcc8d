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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
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
 * On WebFlux, whose logout keeps the session, an application that signs the same user in
 * again itself (it saves a security context, with no login the starter sees) is not
 * served privileged paths on the login before the logout.
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveSignInAfterLogoutIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveSignInAfterLogoutIntegrationTests {

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
	void aSignInTheApplicationMakesAfterALogoutIsNotPrivilegedOnTheLoginBefore() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		assertThat(send(HttpMethod.POST, "/logout").getStatus().value()).isEqualTo(302);
		assertThat(send(HttpMethod.POST, "/sign-in-again").getStatus().value()).isEqualTo(200);
		assertThat(send(HttpMethod.GET, "/api/me").getResponseBody()).contains("alice");
		EntityExchangeResult<String> transfer = send(HttpMethod.GET, "/api/transfer");
		assertThat(transfer.getStatus().value()).as("privileged path on the login before the logout: %s", transfer)
			.isEqualTo(401);
	}

	private EntityExchangeResult<String> send(HttpMethod method, String path) {
		EntityExchangeResult<String> result = client().method(method)
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		ResponseCookie renewed = result.getResponseCookies().getFirst("SESSION");
		if (renewed != null && !renewed.getValue().isEmpty()) {
			this.session = renewed.getValue();
		}
		return result;
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
						(exchanges) -> exchanges.pathMatchers("/api/**").authenticated().anyExchange().permitAll())
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

			@PostMapping(path = "/sign-in-again", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, String>> signInAgain(ServerWebExchange exchange) {
				SecurityContextImpl context = new SecurityContextImpl(UsernamePasswordAuthenticationToken
					.authenticated("alice", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
				return new WebSessionServerSecurityContextRepository().save(exchange, context)
					.thenReturn(Map.of("result", "alice"));
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, String>> me(ServerWebExchange exchange) {
				return exchange.getPrincipal().map((principal) -> Map.of("name", principal.getName()));
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, String>> transfer() {
				return Mono.just(Map.of("result", "transferred 10"));
			}

		}

	}

}
