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
import java.util.Objects;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.LettuceStallWatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations side on a reactive application, over real HTTP against a real Netty
 * server with a shiftable clock: a session that the idle clock ends is counted and
 * audited, and the {@code sessiontimeouts} endpoint answers; on Spring Session's reactive
 * Redis indexed repository, a session that the store expires by itself is counted and
 * audited too.
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveOperationsIntegrationTests.ReactiveOperationsTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "management.endpoints.web.exposure.include=sessiontimeouts",
				"spring.autoconfigure.exclude=" + ReactiveOperationsIntegrationTests.NO_SPRING_SESSION })
class ReactiveOperationsIntegrationTests {

	static final String NO_SPRING_SESSION = "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
			+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
			+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
			+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	static final Duration IDLE = Duration.ofMinutes(30);

	static final String SESSION_COOKIE = "SESSION";

	static final String ANONYMOUS = "anonymousUser";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meterRegistry;

	@Autowired
	AuditEventRepository auditEvents;

	@Test
	void aSessionTheIdleClockEndsIsCountedAndAuditedAndTheEndpointAnswers() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		WebTestClient client = client(this.port);
		String session = addToCart(client);
		this.clock.fixAt(start.plus(IDLE));
		EntityExchangeResult<String> ended = get(client, "/api/cart", session);
		assertThat(ended.getStatus().value()).as("%s", ended).isEqualTo(401);
		assertThat(ended.getResponseBody()).contains("\"reason\":\"idle\"");
		assertThat(this.meterRegistry.get("session.timeout.expired").tag("reason", "idle").counter().count())
			.isEqualTo(1);
		assertThat(this.meterRegistry.get("session.timeout.expired").tag("reason", "absolute").counter().count())
			.isZero();
		assertThat(this.auditEvents.find(ANONYMOUS, null, "SESSION_EXPIRED")).singleElement()
			.satisfies((event) -> assertThat(event.getData()).containsEntry("reason", "idle")
				.containsEntry("deadline", start.plus(IDLE).toString()));
		EntityExchangeResult<String> configuration = get(client, "/actuator/sessiontimeouts", null);
		assertThat(configuration.getStatus().value()).as("%s", configuration).isEqualTo(200);
		assertThat(configuration.getResponseBody()).contains(
				"\"global\":{\"name\":\"default\",\"absolute\":\"2h\",\"idle\":\"30m\",\"reauthentication\":\"-1\"",
				"\"storeGrace\":\"1m\"", "\"policies\":[]");
		EntityExchangeResult<String> sessions = get(client, "/actuator/sessiontimeouts/alice", null);
		assertThat(sessions.getStatus().value()).as("%s", sessions).isEqualTo(200);
		assertThat(sessions.getResponseBody()).contains("\"username\":\"alice\"", "\"sessions\":[]");
	}

	@Test
	void aSessionTheReactiveRedisIndexedStoreExpiresByItselfIsCountedAndAudited() {
		RedisServers.Endpoint redis = RedisServers.get();
		String namespace = "session-timeout-reactive-operations-test:" + UUID.randomUUID();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				ReactiveOperationsTestApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "session-timeout.store-grace=0s",
					"spring.session.data.redis.repository-type=indexed",
					"spring.session.data.redis.namespace=" + namespace, "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(),
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run()) {
			MutableClock clock = context.getBean(MutableClock.class);
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			clock.fixAt(start);
			WebTestClient client = client(((WebServerApplicationContext) context).getWebServer().getPort());
			String session = addToCart(client);
			clock.fixAt(start.plus(IDLE).minusMillis(1));
			assertPassivePollServed(client, session);
			AuditEventRepository auditEvents = context.getBean(AuditEventRepository.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(auditEvents.find(ANONYMOUS, null, "SESSION_EXPIRED")).singleElement()
					.extracting(AuditEvent::getData)
					.satisfies((data) -> assertThat(data).containsEntry("reason", "idle")
						.containsEntry("deadline", start.plus(IDLE).toString())));
			assertThat(context.getBean(MeterRegistry.class)
				.get("session.timeout.expired")
				.tag("reason", "idle")
				.counter()
				.count()).isEqualTo(1);
		}
		finally {
			try (RedisTestConnection connection = new RedisTestConnection()) {
				connection.deleteKeys(namespace);
			}
		}
	}

	/**
	 * Poll the cart passively a millisecond before the idle deadline: served, so the
	 * store has one second of lifetime left.
	 */
	private static void assertPassivePollServed(WebTestClient client, String session) {
		EntityExchangeResult<String> poll = client.get()
			.uri("/api/cart")
			.accept(MediaType.APPLICATION_JSON)
			.header("Session-Activity", "passive")
			.cookie(SESSION_COOKIE, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(poll.getStatus().value()).as("passive, so one second of store lifetime is left: %s", poll)
			.isEqualTo(200);
	}

	/**
	 * SPEC section 8: one event per ended session. Every node subscribes to the store's
	 * expiry notifications, so a session the store expires on its own, with two nodes
	 * sharing it, must still be counted and audited once in all, not once per node.
	 */
	@Test
	void aSessionTheReactiveRedisIndexedStoreExpiresByItselfIsCountedOnceAcrossTwoNodes() {
		RedisServers.Endpoint redis = RedisServers.get();
		String namespace = "session-timeout-reactive-operations-test:" + UUID.randomUUID();
		try (ConfigurableApplicationContext first = storeExpiryNode(redis, namespace);
				ConfigurableApplicationContext second = storeExpiryNode(redis, namespace)) {
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			first.getBean(MutableClock.class).fixAt(start);
			second.getBean(MutableClock.class).fixAt(start);
			WebTestClient client = client(((WebServerApplicationContext) first).getWebServer().getPort());
			String session = addToCart(client);
			first.getBean(MutableClock.class).fixAt(start.plus(IDLE).minusMillis(1));
			assertPassivePollServed(client, session);
			AuditEventRepository firstAudits = first.getBean(AuditEventRepository.class);
			AuditEventRepository secondAudits = second.getBean(AuditEventRepository.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> firstAudits.find(ANONYMOUS, null, "SESSION_EXPIRED").size()
						+ secondAudits.find(ANONYMOUS, null, "SESSION_EXPIRED").size() >= 1);
			Awaitility.await()
				.during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(firstAudits.find(ANONYMOUS, null, "SESSION_EXPIRED").size()
						+ secondAudits.find(ANONYMOUS, null, "SESSION_EXPIRED").size())
					.as("audited expiries of the one session, on either node")
					.isEqualTo(1));
		}
		finally {
			try (RedisTestConnection connection = new RedisTestConnection()) {
				connection.deleteKeys(namespace);
			}
		}
	}

	private static ConfigurableApplicationContext storeExpiryNode(RedisServers.Endpoint redis, String namespace) {
		return new SpringApplicationBuilder(ReactiveOperationsTestApplication.class).properties(
				"spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "session-timeout.store-grace=0s",
				"spring.session.data.redis.repository-type=indexed", "spring.session.data.redis.namespace=" + namespace,
				"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	private static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private static String addToCart(WebTestClient client) {
		EntityExchangeResult<String> created = client.post()
			.uri("/api/cart?item=apple")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(created.getStatus().value()).as("%s", created).isEqualTo(200);
		var cookie = created.getResponseCookies().getFirst(SESSION_COOKIE);
		assertThat(cookie).as("a session cookie").isNotNull();
		return cookie.getValue();
	}

	private static EntityExchangeResult<String> get(WebTestClient client, String path, @Nullable String session) {
		WebTestClient.RequestHeadersSpec<?> request = client.get().uri(path).accept(MediaType.APPLICATION_JSON);
		if (session != null) {
			request = request.cookie(SESSION_COOKIE, session);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(LettuceStallWatch.WithReadmeStopgap.class)
	static class ReactiveOperationsTestApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		InMemoryAuditEventRepository auditEventRepository() {
			return new InMemoryAuditEventRepository();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@RestController
		static class CartController {

			@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> addToCart(@RequestParam String item, WebSession session) {
				session.getAttributes().put("cart", item);
				return Mono.just(Map.of("cart", item));
			}

			@GetMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> cart(WebSession session) {
				return Mono.just(Map.of("cart", Objects.toString(session.getAttribute("cart"))));
			}

		}

	}

}
