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

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operation that needs a fresh authentication ({@code maxAge = "0"}, and the same on a
 * privileged path of age 0) runs once per authentication also for two parallel requests
 * of the session, on one node with Spring Session's {@link ReactiveMapSessionRepository},
 * whose requests each hold a copy of the session: the grant is decided in the node's
 * memory (security.md V7.5.3 claims it for servlet's stores and WebFlux's Redis only).
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveMapPrivilegeGrantParallelIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/account/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveMapPrivilegeGrantParallelIntegrationTests {

	static final ConcurrentHashMap<String, Session> SESSIONS = new ConcurrentHashMap<>();

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

	@ParameterizedTest
	@ValueSource(strings = { "/account/export-once-later", "/account/transfer" })
	void anOperationThatNeedsAFreshAuthenticationRunsOnceForTwoParallelRequests(String path) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<EntityExchangeResult<String>> first = executor.submit(() -> get(path));
			this.gate.awaitArrival();
			Future<EntityExchangeResult<String>> second = executor.submit(() -> get(path));
			boolean secondArrived = this.gate.arrivedWithin(Duration.ofSeconds(5));
			this.gate.open();
			EntityExchangeResult<String> firstResult = first.get(30, TimeUnit.SECONDS);
			EntityExchangeResult<String> secondResult = second.get(30, TimeUnit.SECONDS);
			assertThat(firstResult.getStatus().value()).as("%s", firstResult).isEqualTo(200);
			assertThat(secondArrived).as("the second request ran the operation too: %s", secondResult).isFalse();
			assertProblem(secondResult, ExpiryReason.PRIVILEGED);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private EntityExchangeResult<String> get(String path) {
		return client().get()
			.uri(path)
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

	/**
	 * The operation that needs a fresh authentication.
	 */
	static class Exports {

		@RequiresPrivilegedSession(maxAge = "0")
		public Mono<String> exportOnce(String user) {
			return Mono.just(user);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(SESSIONS);
		}

		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository, MutableClock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
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
		static class Controller {

			private final Exports exports;

			private final Gate gate;

			Controller(Exports exports, Gate gate) {
				this.exports = exports;
				this.gate = gate;
			}

			@GetMapping(path = "/account/export-once-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> exportOnceLater(Principal principal) {
				return this.exports.exportOnce(principal.getName())
					.flatMap((export) -> this.gate.pass().thenReturn(Map.of("export", export)));
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfer(Principal principal) {
				return this.gate.pass().thenReturn(Map.of("transfer", principal.getName()));
			}

		}

	}

}
