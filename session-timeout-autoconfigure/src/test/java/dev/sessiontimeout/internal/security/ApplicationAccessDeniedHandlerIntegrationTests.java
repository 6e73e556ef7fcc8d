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
package dev.sessiontimeout.internal.security;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet application with an exception handler of its own for
 * {@link AccessDeniedException} ({@code @RestControllerAdvice}, answering {@code 403}),
 * as many have: the starter answers a method-level denial ahead of it, so that a request
 * that method security refuses for want of its user while re-authentication is due gets
 * the challenge and is no activity, and a {@code @RequiresPrivilegedSession} refusal gets
 * the step-up challenge. The servlet counterpart of
 * {@code reactive/ReactiveApplicationAccessDeniedHandlerIntegrationTests}. Absolute 4h,
 * idle 30m, re-authentication 1h, privileged age 15m; Spring Session's map store.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ApplicationAccessDeniedHandlerIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class ApplicationAccessDeniedHandlerIntegrationTests {

	static final Duration IDLE = Duration.ofMinutes(30);

	static final Duration REAUTHENTICATION = Duration.ofHours(1);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@Nullable ResponseCookie session;

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
		this.session = login.getResponseCookies().values().iterator().next().get(0);
	}

	@Test
	void aRequestThatMethodSecurityRefusesWhileReauthenticationIsDueIsChallengedAndNoActivity() {
		Instant lastBeforeDue = this.start.plus(REAUTHENTICATION).minusMillis(1);
		for (Duration at = Duration.ofMinutes(20); at.compareTo(REAUTHENTICATION) < 0; at = at.plusMinutes(20)) {
			this.clock.fixAt(this.start.plus(at));
			assertThat(get("/api/cart").getStatus().value()).isEqualTo(200);
		}
		this.clock.fixAt(lastBeforeDue);
		assertThat(get("/api/cart").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> balance = get("/api/balance");
		assertThat(balance.getResponseBody()).as("%s", balance).doesNotContain("balance of");
		this.clock.fixAt(lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart"), ExpiryReason.IDLE);
	}

	@Test
	void aRequestThatMethodSecurityRefusesWhileReauthenticationIsDueGetsTheChallenge() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(get("/api/cart").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(50)));
		assertThat(get("/api/cart").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(REAUTHENTICATION).plus(Duration.ofMinutes(1)));
		assertProblem(get("/api/balance"), ExpiryReason.REAUTHENTICATION);
	}

	@Test
	void aPrivilegedMethodThatRefusesAStaleSessionGetsTheStepUpChallenge() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(16)));
		EntityExchangeResult<String> transfer = get("/api/transfer");
		assertThat(transfer.getResponseBody()).as("%s", transfer).doesNotContain("transferred");
		assertProblem(transfer, ExpiryReason.PRIVILEGED);
	}

	private static void assertProblem(EntityExchangeResult<String> result, ExpiryReason reason) {
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(401);
		MediaType contentType = result.getResponseHeaders().getContentType();
		assertThat(contentType).isNotNull();
		assertThat(contentType.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as("%s", contentType).isTrue();
		assertThat(result.getResponseBody()).contains("\"reason\":\"" + reason.value() + "\"");
	}

	private EntityExchangeResult<String> get(String path) {
		ResponseCookie session = this.session;
		assertThat(session).isNotNull();
		return client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(session.getName(), session.getValue())
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

	/**
	 * Operations of method security.
	 */
	static class Accounts {

		@PreAuthorize("isAuthenticated()")
		public String balance() {
			return "balance of " + SecurityContextHolder.getContext().getAuthentication().getName();
		}

		@RequiresPrivilegedSession
		public String transfer() {
			return "transferred";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		Accounts accounts() {
			return new Accounts();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests(
						(requests) -> requests.requestMatchers("/account/**").authenticated().anyRequest().permitAll())
				.formLogin((form) -> form.loginPage("/login").permitAll())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		/**
		 * The application's own answer to a refusal.
		 */
		@RestControllerAdvice
		static class ApplicationErrors {

			@ExceptionHandler(AccessDeniedException.class)
			ResponseEntity<Map<String, Object>> denied(AccessDeniedException ex) {
				return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "forbidden"));
			}

		}

		@RestController
		static class Controller {

			private final Accounts accounts;

			Controller(Accounts accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = "/api/balance", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> balance() {
				return Map.of("balance", this.accounts.balance());
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfer() {
				return Map.of("transfer", this.accounts.transfer());
			}

			@GetMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> cart() {
				return Map.of("cart", "apple");
			}

		}

	}

}
