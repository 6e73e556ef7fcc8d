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

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An application whose {@link WebSessionServerSecurityContextRepository} keeps the
 * security context under a name of its own
 * ({@code setSpringSecurityContextAttrName("APP_SECURITY_CONTEXT")}, given to
 * {@code ServerHttpSecurity.securityContextRepository}): its users are signed in with the
 * session all the same, so the clocks that count from authentication must hold for them,
 * or the starter must refuse to start, never treat every session as anonymous and enforce
 * no re-authentication. The starter, as Spring Session's principal indexes, reads Spring
 * Security's default attribute: the application fails to start with a report naming the
 * chain, the attribute and the fix. With the default attribute (named explicitly) the
 * re-authentication holds. WebFlux's own store; re-authentication 1h.
 *
 * @author session-timeout
 */
class ReactiveCustomContextAttributeIntegrationTests {

	private static final String[] PROPERTIES = { "--spring.main.web-application-type=reactive", "--server.port=0",
			"--session-timeout.absolute=4h", "--session-timeout.idle=30m", "--session-timeout.reauthentication=1h",
			"--spring.autoconfigure.exclude="
					+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
					+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
					+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
					+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
					+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };

	@Test
	void anApplicationThatKeepsItsUsersUnderAContextAttributeOfItsOwnFailsToStart() {
		Throwable failure = catchThrowable(() -> run("APP_SECURITY_CONTEXT").close());
		assertThat(failure).as("the application started").isNotNull();
		Throwable invalid = failure;
		while (invalid != null && !invalid.getClass().getSimpleName().equals("InvalidSessionTimeoutException")) {
			invalid = invalid.getCause();
		}
		assertThat(invalid).as("%s", failure).isNotNull();
		assertThat(invalid.getMessage()).contains("SecurityWebFilterChain=securityWebFilterChain",
				"keeps the signed-in user in the session attribute 'APP_SECURITY_CONTEXT'",
				"keep the security context under Spring Security's default session attribute 'SPRING_SECURITY_CONTEXT'");
	}

	@Test
	void theReauthenticationHoldsForAUserSignedInUnderTheDefaultAttributeNamedExplicitly() {
		try (ConfigurableApplicationContext context = run(
				WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME)) {
			MutableClock clock = context.getBean(MutableClock.class);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			clock.fixAt(start);
			EntityExchangeResult<String> login = client(port).post()
				.uri("/login")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.TEXT_HTML)
				.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
			String session = login.getResponseCookies().getFirst("SESSION").getValue();
			for (int minutes = 20; minutes < 60; minutes += 20) {
				clock.fixAt(start.plus(Duration.ofMinutes(minutes)));
				assertThat(get(port, session, "/account").getResponseBody()).as("signed in")
					.isEqualTo("account of alice");
			}
			clock.fixAt(start.plus(Duration.ofMinutes(61)));
			EntityExchangeResult<String> account = get(port, session, "/account");
			assertThat(account.getStatus().value()).as("signed in 61 minutes ago, re-authentication 1h: %s", account)
				.isEqualTo(302);
			assertThat(account.getResponseHeaders().getLocation()).hasToString("/login?expired=reauthentication");
		}
	}

	private static ConfigurableApplicationContext run(String attribute) {
		String[] args = new String[PROPERTIES.length + 1];
		System.arraycopy(PROPERTIES, 0, args, 0, PROPERTIES.length);
		args[PROPERTIES.length] = "--app.security-context-attribute=" + attribute;
		return new SpringApplication(App.class).run(args);
	}

	private static EntityExchangeResult<String> get(int port, String session, String path) {
		return client(port).get()
			.uri(path)
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + port)
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
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http,
				@Value("${app.security-context-attribute}") String attribute) {
			WebSessionServerSecurityContextRepository repository = new WebSessionServerSecurityContextRepository();
			repository.setSpringSecurityContextAttrName(attribute);
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
