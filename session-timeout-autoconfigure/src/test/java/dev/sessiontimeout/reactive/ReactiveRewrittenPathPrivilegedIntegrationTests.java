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
import org.springframework.core.annotation.Order;
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
import org.springframework.web.filter.reactive.UrlHandlerFilter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path whose request a web filter of the application rewrites before Spring
 * Security sees it: Spring Framework's {@link UrlHandlerFilter} that takes the trailing
 * slash off ({@code trailingSlashHandler("/**").mutateRequest()}), ordered ahead of
 * Spring Security's chains (order -1000) so that their rules see the path the handler
 * serves, and after the starter's filter ({@code HIGHEST_PRECEDENCE + 60}).
 * {@code GET /account/transfer/} is served by the handler of {@code /account/transfer}, a
 * privileged path, and must be challenged as it is (and the challenged request is no
 * activity); an ordinary path rewritten is served and counts as activity; whether a
 * request counts as activity is decided once, by the path it came with. WebFlux's own
 * store; privileged age 15m on {@code /account/transfer}.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveRewrittenPathPrivilegedIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/transfer",
				"session-timeout.activity.passive-paths=/api/poll",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveRewrittenPathPrivilegedIntegrationTests {

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
	void aPrivilegedPathThatAFilterRewritesBeforeSpringSecurityIsChallenged() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		assertThat(get("/account/transfer/").getResponseBody()).as("fresh").isEqualTo("transfer of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		assertProblem(get("/account/transfer"), ExpiryReason.PRIVILEGED);
		EntityExchangeResult<String> rewritten = get("/account/transfer/");
		assertThat(rewritten.getResponseBody()).as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.doesNotContain("transfer of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void aRewrittenPrivilegedPathThatIsChallengedIsNoActivity() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		assertProblem(get("/account/transfer/"), ExpiryReason.PRIVILEGED);
		// Idle 30m from the login: the challenged request moved nothing
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(31)));
		EntityExchangeResult<String> ended = get("/account/overview");
		assertThat(ended.getResponseBody()).as("%s", ended).doesNotContain("overview of alice");
		assertProblem(ended, ExpiryReason.IDLE);
	}

	@Test
	void aBrowserSentToARewrittenPrivilegedPathIsSentToLogIn() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> page = client().get()
			.uri(URI.create("http://localhost:" + this.port + "/account/transfer/"))
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(302);
		assertThat(String.valueOf(page.getResponseHeaders().getLocation())).endsWith("/login?expired=privileged");
		assertThat(page.getResponseBody()).isNullOrEmpty();
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesIsServedAndCountsAsActivity() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		assertThat(get("/account/overview/").getResponseBody()).isEqualTo("overview of alice");
		// Idle 30m: 25 minutes after that request the session is still there
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(45)));
		assertThat(get("/account/overview").getResponseBody()).isEqualTo("overview of alice");
	}

	@Test
	void aRequestIsPassiveOrActiveByThePathItCameWithNotByItsRewrite() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		// The passive path itself moves nothing
		assertThat(get("/api/poll").getResponseBody()).isEqualTo("poll of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		// Not a passive path as it came, though rewritten to one: activity
		assertThat(get("/api/poll/").getResponseBody()).isEqualTo("poll of alice");
		// Idle 30m: 29 minutes after that request the session is still there
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(54)));
		assertThat(get("/api/poll").getResponseBody()).isEqualTo("poll of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(56)));
		EntityExchangeResult<String> ended = get("/account/overview");
		assertThat(ended.getResponseBody()).as("%s", ended).doesNotContain("overview of alice");
		assertProblem(ended, ExpiryReason.IDLE);
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

		/**
		 * Takes the trailing slash off a request's path, ahead of Spring Security.
		 */
		@Bean
		@Order(-1000)
		WebFilter trailingSlashFilter() {
			UrlHandlerFilter filter = UrlHandlerFilter.trailingSlashHandler("/**").mutateRequest().build();
			return filter::filter;
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

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<String> overview(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "overview of " + principal.getName())
					.defaultIfEmpty("overview of none");
			}

			@GetMapping(path = "/api/poll", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<String> poll(ServerWebExchange exchange) {
				return exchange.getPrincipal()
					.map((principal) -> "poll of " + principal.getName())
					.defaultIfEmpty("poll of none");
			}

		}

	}

}
