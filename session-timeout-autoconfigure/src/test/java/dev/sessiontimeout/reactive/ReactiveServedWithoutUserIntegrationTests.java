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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionChallengedEvent;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that the security filter chains let through without their user while
 * re-authentication is due, on WebFlux's own store: they count as activity as on servlet
 * (unless passive), the user stays hidden, denied ones do not count. Absolute 4h, idle
 * 30m, re-authentication 1h. Two security chains: {@code /admin/**}, and one for
 * {@code /account/**}, {@code /api/**}, {@code /session/**}, {@code /login},
 * {@code /logout}; {@code /public/**} is in neither. Privileged age 15m, on
 * {@code /api/privileged} and {@code /public/privileged}.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveServedWithoutUserIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/privileged,/public/privileged",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveServedWithoutUserIntegrationTests {

	static final Duration IDLE = Duration.ofMinutes(30);

	static final Duration REAUTHENTICATION = Duration.ofHours(1);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	Events events;

	@Autowired
	MeterRegistry meters;

	Instant start;

	Instant lastBeforeDue;

	@Nullable String session;

	@BeforeEach
	void signInAndLetReauthenticationFallDue() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.events.clear();
		this.session = null;
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
		for (Duration at = Duration.ofMinutes(20); at.compareTo(REAUTHENTICATION) < 0; at = at.plusMinutes(20)) {
			this.clock.fixAt(this.start.plus(at));
			assertThat(get("/api/cart", null).getStatus().value()).isEqualTo(200);
		}
		this.lastBeforeDue = this.start.plus(REAUTHENTICATION).minusMillis(1);
		this.clock.fixAt(this.lastBeforeDue);
		assertThat(get("/api/cart", null).getStatus().value()).isEqualTo(200);
	}

	@Test
	void aPublicRequestWhileReauthenticationIsDueCountsAsActivityAndHidesTheUser() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> me = get("/api/me", null);
		assertThat(me.getStatus().value()).as("%s", me).isEqualTo(200);
		assertThat(me.getResponseBody()).as("the user is hidden").isEqualTo("none");
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(40)));
		assertThat(get("/api/cart", null).getStatus().value()).isEqualTo(200);
		assertThat(this.events.of(SessionChallengedEvent.class)).isEmpty();
	}

	@Test
	void aPassiveRequestWhileReauthenticationIsDueDoesNotCountAsActivity() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertThat(get("/api/cart", "passive").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", null), ExpiryReason.IDLE);
		assertThat(this.events.of(SessionEndedEvent.class)).hasSize(1);
		assertThat(this.meters.counter("session.timeout.expired", "reason", "idle").count()).isEqualTo(1.0);
	}

	@Test
	void theStatusEndpointsGetWhileReauthenticationIsDueDoesNotCountAsActivity() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> status = get("/session/status", null);
		assertThat(status.getStatus().value()).as("%s", status).isEqualTo(200);
		assertThat(status.getResponseBody()).contains("\"idleExpiresAt\":\"" + this.lastBeforeDue.plus(IDLE) + "\"");
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", null), ExpiryReason.IDLE);
	}

	@Test
	void aRequestInNoSecurityChainWhileReauthenticationIsDueCountsAsActivity() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> page = get("/public/me", null);
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(200);
		assertThat(page.getResponseBody()).as("the user is hidden").isEqualTo("none");
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(40)));
		EntityExchangeResult<String> again = get("/public/me", null);
		assertThat(again.getStatus().value()).as("served 20 minutes after the last activity: %s", again).isEqualTo(200);
	}

	@Test
	void aRequestOfTheOtherChainDeniedWhileReauthenticationIsDueIsChallenged() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertProblem(get("/admin/panel", null), ExpiryReason.REAUTHENTICATION);
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", null), ExpiryReason.IDLE);
	}

	@Test
	void aRequestThatAsksForItsUserOtherwiseWhileReauthenticationIsDueIsChallengedAndNoActivity() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		// An authentication failure, and a refusal wrapped in another failure, as on
		// servlet
		assertProblem(get("/api/statement", null), ExpiryReason.REAUTHENTICATION);
		assertProblem(get("/api/report", null), ExpiryReason.REAUTHENTICATION);
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", null), ExpiryReason.IDLE);
	}

	@Test
	void aPrivilegedPathInNoSecurityChainIsChallengedAsInOne() {
		// Signed in an hour ago less a millisecond: longer ago than the privileged age
		assertProblem(get("/api/privileged", null), ExpiryReason.PRIVILEGED);
		EntityExchangeResult<String> page = get("/public/privileged", null);
		assertThat(page.getResponseBody()).as("%s", page).doesNotContain("privileged page");
		assertProblem(page, ExpiryReason.PRIVILEGED);
	}

	@Test
	void aRequestInNoSecurityChainRefusedByMethodSecurityWhileReauthenticationIsDueIsNoActivity() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> balance = get("/public/balance", null);
		assertThat(balance.getResponseBody()).as("%s", balance).doesNotContain("balance of");
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE).minusMillis(1));
		assertThat(get("/api/cart", "passive").getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", null), ExpiryReason.IDLE);
	}

	@Test
	void aRequestInNoSecurityChainRefusedByMethodSecurityWhileReauthenticationIsDueIsChallenged() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertProblem(get("/public/balance", null), ExpiryReason.REAUTHENTICATION);
	}

	@Test
	void aRequestAuthenticatedByHttpBasicAndDeniedWhileReauthenticationIsDueGetsTheApplicationsOwnAnswer() {
		this.clock.fixAt(this.lastBeforeDue.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> panel = withBasic("/admin/panel");
		assertThat(panel.getStatus().value()).as("%s", panel).isEqualTo(200);
		// Authenticated by other means than its session: a refusal by a URL rule or by
		// the application is the application's own answer, as on servlet
		// (PrivilegedSessionExceptionResolver.isAuthenticatedOtherwise), not the
		// challenge of the session's user
		EntityExchangeResult<String> root = withBasic("/admin/root");
		assertThat(root.getStatus().value()).as("%s", root).isEqualTo(403);
		EntityExchangeResult<String> audit = withBasic("/admin/audit");
		assertThat(audit.getStatus().value()).as("%s", audit).isEqualTo(403);
		assertThat(this.events.of(SessionChallengedEvent.class)).isEmpty();
	}

	private EntityExchangeResult<String> withBasic(String path) {
		return client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.headers((headers) -> headers.setBasicAuth("alice", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private EntityExchangeResult<String> get(String path, @Nullable String activity) {
		WebTestClient.RequestHeadersSpec<?> request = client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session);
		if (activity != null) {
			request = request.header("Session-Activity", activity);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	static class Events {

		private final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionTimeoutEvent event) {
			this.events.add(event);
		}

		List<SessionTimeoutEvent> of(Class<?> type) {
			return this.events.stream().filter(type::isInstance).toList();
		}

		void clear() {
			this.events.clear();
		}

	}

	/**
	 * An operation that method security lets only an authenticated user perform.
	 */
	static class Accounts {

		@PreAuthorize("isAuthenticated()")
		public Mono<String> balance() {
			return ReactiveSecurityContextHolder.getContext()
				.map((context) -> "balance of " + context.getAuthentication().getName());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	static class App {

		@Bean
		Accounts accounts() {
			return new Accounts();
		}

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain adminChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin/**"))
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/admin/root")
					.hasRole("ADMIN")
					.anyExchange()
					.authenticated())
				.httpBasic((basic) -> {
				})
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(2)
		SecurityWebFilterChain appChain(ServerHttpSecurity http) {
			return http
				.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/account/**", "/api/**", "/session/**",
						"/login", "/logout"))
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
		static class Controller {

			private final Accounts accounts;

			Controller(Accounts accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = { "/api/balance", "/public/balance" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> balance() {
				return this.accounts.balance().map((balance) -> Map.of("balance", balance));
			}

			@GetMapping(path = { "/api/privileged", "/public/privileged" })
			Mono<String> privileged(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "privileged page of " + principal.getName())
					.defaultIfEmpty("privileged page of none");
			}

			@GetMapping(path = "/api/statement", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> statement(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> Map.<String, Object>of("statement", principal.getName()))
					.switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException(
							"Only a signed-in user has a statement")));
			}

			@GetMapping(path = "/api/report", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> report(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> Map.<String, Object>of("report", principal.getName()))
					.switchIfEmpty(Mono.error(() -> new IllegalStateException("The report failed",
							new AccessDeniedException("Only a signed-in user has a report"))));
			}

			@GetMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> cart() {
				return Mono.just(Map.of("cart", "apple"));
			}

			@GetMapping(path = { "/api/me", "/public/me" })
			Mono<String> me(ServerWebExchange exchange) {
				return exchange.getPrincipal().map((principal) -> principal.getName()).defaultIfEmpty("none");
			}

			@GetMapping(path = "/admin/audit", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> audit() {
				return Mono.error(() -> new AccessDeniedException("Only auditors see the audit"));
			}

			@GetMapping(path = { "/admin/panel", "/admin/root" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> admin() {
				return Mono.just(Map.of("admin", true));
			}

			@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> login() {
				return Mono.just("<html><body>Sign in</body></html>");
			}

		}

	}

}
