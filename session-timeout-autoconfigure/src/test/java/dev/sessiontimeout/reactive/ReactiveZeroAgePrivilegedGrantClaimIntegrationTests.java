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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim of the privilege grant that a privileged path with a maximum age of zero
 * needs, which the session's decision leaves to the security filter chain once it let the
 * request through: a claim that another request won is challenged with the configured
 * authentication context classes, as on servlet; a path that a web filter of the
 * application rewrites to an ordinary one leaves the grant; a request that no security
 * filter chain covers and that a web filter of the application answers right after Spring
 * Security's chains spends it, also where a web filter of the application rewrote an
 * ordinary path to it. WebFlux's own store.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveZeroAgePrivilegedGrantClaimIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/account/transfer,/account/moved,/open/report,/open/status,/open/moved,/open/failing",
				"session-timeout.privileged.acr-values=urn:example:mfa, phr",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveZeroAgePrivilegedGrantClaimIntegrationTests {

	static final String GATE_HEADER = "X-Gate";

	static final String REFUSE_HEADER = "X-Refuse";

	static final String REPORT_HEADER = "X-Report";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	Gate gate;

	@Nullable String session;

	@BeforeEach
	void signIn() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
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

	@AfterEach
	void open() {
		this.gate.open();
	}

	@Test
	void aDeferredClaimThatAnotherRequestWonIsChallengedWithTheAcrValues() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			// Decided while the grant is there, then held before Spring Security
			Future<EntityExchangeResult<String>> held = executor.submit(() -> get("/account/transfer", true));
			this.gate.awaitArrival();
			EntityExchangeResult<String> winner = get("/account/transfer", false);
			assertThat(winner.getStatus().value()).as("%s", winner).isEqualTo(200);
			this.gate.open();
			EntityExchangeResult<String> lost = held.get(30, TimeUnit.SECONDS);
			assertProblem(lost, ExpiryReason.PRIVILEGED);
			assertThat(lost.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", lost)
				.contains("acr_values=\"urn:example:mfa phr\"")
				.contains("max_age=0");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aZeroAgePathThatAFilterRewritesToAnOrdinaryOneLeavesTheGrant() {
		EntityExchangeResult<String> moved = get("/account/moved", false);
		assertThat(moved.getResponseBody()).as("%s", moved).isEqualTo("overview of alice");
		EntityExchangeResult<String> transfer = get("/account/transfer", false);
		assertThat(transfer.getResponseBody()).as("the grant is still there: %s", transfer)
			.isEqualTo("transfer of alice");
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	@Test
	void anUncoveredPrivilegedPathThatAnApplicationFilterAnswersSpendsTheGrant() {
		EntityExchangeResult<String> report = get("/open/report", false);
		assertThat(report.getResponseBody()).as("%s", report).isEqualTo("report of alice");
		// The grant is used once: its user is not served the path again (what anyone
		// may see of it is the application's)
		EntityExchangeResult<String> again = get("/open/report", false);
		assertThat(again.getResponseBody()).as("the grant is used once: %s", again).isNotEqualTo("report of alice");
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesToAZeroAgePathThatAUrlRuleRefusesLeavesTheGrant() {
		// As the zero-age path itself: a URL rule's refusal spends nothing
		EntityExchangeResult<String> refused = client().get()
			.uri("/account/alias")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.header(REFUSE_HEADER, "yes")
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(403);
		EntityExchangeResult<String> transfer = get("/account/transfer", false);
		assertThat(transfer.getResponseBody()).as("the grant is still there: %s", transfer)
			.isEqualTo("transfer of alice");
	}

	@Test
	void anUncoveredPrivilegedPathThatAnApplicationFilterAnswersWithoutABodySpendsTheGrant() {
		EntityExchangeResult<String> report = get("/open/status", false);
		assertThat(report.getResponseHeaders().getFirst(REPORT_HEADER)).as("%s", report).isEqualTo("report of alice");
		EntityExchangeResult<String> again = get("/open/status", false);
		assertThat(again.getResponseHeaders().getFirst(REPORT_HEADER)).as("the grant is used once: %s", again)
			.isNotEqualTo("report of alice");
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesToAnUncoveredZeroAgePathThatAnApplicationFilterAnswersSpendsTheGrant() {
		// As the uncovered zero-age path itself: the first answer claims the grant
		EntityExchangeResult<String> report = get("/open/alias", false);
		assertThat(report.getResponseBody()).as("%s", report).isEqualTo("report of alice");
		EntityExchangeResult<String> again = get("/open/alias", false);
		assertThat(again.getResponseBody()).as("the grant is used once: %s", again).isNotEqualTo("report of alice");
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesToAnUncoveredZeroAgePathAnsweredWithoutABodySpendsTheGrant() {
		EntityExchangeResult<String> report = get("/open/status-alias", false);
		assertThat(report.getResponseHeaders().getFirst(REPORT_HEADER)).as("%s", report).isEqualTo("report of alice");
		EntityExchangeResult<String> again = get("/open/status-alias", false);
		assertThat(again.getResponseHeaders().getFirst(REPORT_HEADER)).as("the grant is used once: %s", again)
			.isNotEqualTo("report of alice");
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	@Test
	void anUncoveredZeroAgePathThatAFilterRewritesToAnOrdinaryOneThatAnApplicationFilterAnswersLeavesTheGrant() {
		// As /account/moved, which a chain covers: the ordinary path needs no grant
		EntityExchangeResult<String> moved = get("/open/moved", false);
		assertThat(moved.getResponseBody()).as("%s", moved).isEqualTo("page of alice");
		EntityExchangeResult<String> transfer = get("/account/transfer", false);
		assertThat(transfer.getResponseBody()).as("the grant is still there: %s", transfer)
			.isEqualTo("transfer of alice");
	}

	@Test
	void anUncoveredZeroAgePathThatAnApplicationFilterFailsSpendsTheGrant() {
		// Its work may be done before it fails: the failure spends the grant
		EntityExchangeResult<String> failed = get("/open/failing", false);
		assertThat(failed.getStatus().value()).as("%s", failed).isEqualTo(500);
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesToAnUncoveredZeroAgePathThatAnApplicationFilterFailsSpendsTheGrant() {
		// As the uncovered zero-age path itself
		EntityExchangeResult<String> failed = get("/open/failing-alias", false);
		assertThat(failed.getStatus().value()).as("%s", failed).isEqualTo(500);
		assertProblem(get("/account/transfer", false), ExpiryReason.PRIVILEGED);
	}

	private EntityExchangeResult<String> get(String path, boolean gated) {
		WebTestClient.RequestHeadersSpec<?> request = client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session);
		if (gated) {
			request = request.header(GATE_HEADER, "hold");
		}
		return request.exchange().expectBody(String.class).returnResult();
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
		Gate gate() {
			return new Gate();
		}

		/**
		 * Between the starter's filter and Spring Security's: holds a request that asks
		 * for it at the gate, rewrites {@code /account/moved} to an ordinary path, and
		 * ordinary paths to zero-age ones ({@code /account/alias}, {@code /open/alias},
		 * {@code /open/status-alias}), and the zero-age {@code /open/moved}, which no
		 * chain covers, to the ordinary {@code /open/page}, and the ordinary
		 * {@code /open/failing-alias} to the zero-age {@code /open/failing}.
		 * @param gate the gate
		 * @return the filter
		 */
		@Bean
		@Order(-1000)
		WebFilter gateAndRewriteFilter(Gate gate) {
			return (exchange, chain) -> {
				if ("/account/moved".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					return chain
						.filter(exchange.mutate().request((request) -> request.path("/account/overview")).build());
				}
				if ("/account/alias".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					return chain
						.filter(exchange.mutate().request((request) -> request.path("/account/transfer")).build());
				}
				if ("/open/alias".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					// An ordinary path rewritten to one that no chain covers
					return chain.filter(exchange.mutate().request((request) -> request.path("/open/report")).build());
				}
				if ("/open/failing-alias".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					return chain.filter(exchange.mutate().request((request) -> request.path("/open/failing")).build());
				}
				if ("/open/moved".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					// A zero-age path that no chain covers rewritten to an ordinary one
					return chain.filter(exchange.mutate().request((request) -> request.path("/open/page")).build());
				}
				if ("/open/status-alias".equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
					return chain.filter(exchange.mutate().request((request) -> request.path("/open/status")).build());
				}
				if (exchange.getRequest().getHeaders().getFirst(GATE_HEADER) != null) {
					return gate.pass().then(chain.filter(exchange));
				}
				return chain.filter(exchange);
			};
		}

		/**
		 * Right after Spring Security's chains (the order of the starter's own filter
		 * there, registered before it): answers {@code /open/report} and the ordinary
		 * {@code /open/page}, which no chain covers, itself, with the user of the
		 * request's session, and fails {@code /open/failing}.
		 * @return the filter
		 */
		@Bean
		@Order(-99)
		WebFilter reportFilter() {
			return (exchange, chain) -> {
				String path = exchange.getRequest().getPath().pathWithinApplication().value();
				if ("/open/status".equals(path)) {
					// Answers with its status and headers only: the server completes
					// the response
					return exchange.getSession()
						.mapNotNull((session) -> session.<SecurityContext>getAttribute(
								WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME))
						.map((context) -> context.getAuthentication().getName())
						.defaultIfEmpty("none")
						.doOnNext((user) -> exchange.getResponse().getHeaders().set(REPORT_HEADER, "report of " + user))
						.then();
				}
				if ("/open/failing".equals(path)) {
					// Fails once its work is done, before it answers
					return Mono.error(new IllegalStateException("Report failed"));
				}
				if (!"/open/report".equals(path) && !"/open/page".equals(path)) {
					return chain.filter(exchange);
				}
				String answer = "/open/page".equals(path) ? "page of " : "report of ";
				ServerHttpResponse response = exchange.getResponse();
				response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
				return exchange.getSession()
					.mapNotNull((session) -> session.<SecurityContext>getAttribute(
							WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME))
					.map((context) -> context.getAuthentication().getName())
					.defaultIfEmpty("none")
					.flatMap((user) -> {
						byte[] report = (answer + user).getBytes(StandardCharsets.UTF_8);
						DataBuffer body = response.bufferFactory().wrap(report);
						return response.writeWith(Mono.just(body));
					});
			};
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/account/**", "/login", "/logout"))
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/login")
					.permitAll()
					.matchers((exchange) -> (exchange.getRequest().getHeaders().getFirst(REFUSE_HEADER) != null)
							? ServerWebExchangeMatcher.MatchResult.match()
							: ServerWebExchangeMatcher.MatchResult.notMatch())
					.denyAll()
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

		}

	}

}
