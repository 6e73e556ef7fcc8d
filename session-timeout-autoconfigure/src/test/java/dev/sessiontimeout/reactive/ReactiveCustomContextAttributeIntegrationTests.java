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
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
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
 * An application whose {@link WebSessionServerSecurityContextRepository} keeps the
 * security context under a name of its own
 * ({@code setSpringSecurityContextAttrName("APP_SECURITY_CONTEXT")}, given to
 * {@code ServerHttpSecurity.securityContextRepository}): its users are signed in with the
 * session all the same, so the clocks that count from authentication must hold for them,
 * or the starter must refuse to start, never treat every session as anonymous and enforce
 * no re-authentication. WebFlux's own store; re-authentication 1h.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveCustomContextAttributeIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveCustomContextAttributeIntegrationTests {

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
	void theReauthenticationHoldsForAUserSignedInUnderAContextAttributeOfTheApplicationsOwn() {
		for (int minutes = 20; minutes < 60; minutes += 20) {
			this.clock.fixAt(this.start.plus(Duration.ofMinutes(minutes)));
			assertThat(get("/account").getResponseBody()).as("signed in").isEqualTo("account of alice");
		}
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(61)));
		EntityExchangeResult<String> account = get("/account");
		assertThat(account.getResponseBody()).as("signed in 61 minutes ago, re-authentication 1h: %s", account)
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
			WebSessionServerSecurityContextRepository repository = new WebSessionServerSecurityContextRepository();
			repository.setSpringSecurityContextAttrName("APP_SECURITY_CONTEXT");
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/account/**").authenticated().anyExchange().permitAll())
				.formLogin((form) -> form.loginPage("/login"))
				.securityContextRepository(repository)
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

			@GetMapping(path = "/account", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> account(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "account of " + principal.getName())
					.defaultIfEmpty("account of none");
			}

		}

	}

}
