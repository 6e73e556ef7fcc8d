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
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive store tests on Spring Session Data Redis's reactive repositories, as
 * Spring Boot configures them, each subclass in one key namespace that is emptied after
 * it.
 */
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
abstract class AbstractReactiveRedisSessionStoreIntegrationTests
		extends AbstractReactiveSpringSessionStoreIntegrationTests {

	static final String NAMESPACE = "session-timeout-reactive-test:" + UUID.randomUUID();

	private static RedisServers.Endpoint redis;

	@Autowired
	ReactiveStringRedisTemplate redisTemplate;

	@BeforeAll
	static void findRedis() {
		redis = RedisServers.get();
	}

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		RedisServers.register(registry, NAMESPACE);
	}

	@Test
	void aSessionThatAConcurrentSaveLeftIncompleteIsOneTheStoreNoLongerHas() {
		addToCart("apple");
		String key = NAMESPACE + ":sessions:" + sessionIdOf(this.session);
		// What a request's save leaves when a concurrent request deleted the session
		assertThat(this.redisTemplate.opsForHash().remove(key, "creationTime").block()).isEqualTo(1L);
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.INVALID);
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.INVALID);
	}

	@Test
	void aSessionRevokedLongAfterItsLastRequestIsKeptByTheStoreForTheGraceFromTheRevocation() {
		String user = newUser();
		login(user);
		String id = sessionIdOf(Objects.requireNonNull(this.session));
		// Its last request 20 minutes ago, on the store's clock as on the starter's
		accessedAt(this.repository, id, Instant.now().minus(Duration.ofMinutes(20)));
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		Duration lifetime = storeLifetime(id);
		assertThat(lifetime).as("kept after the revocation").isNotNull().isLessThanOrEqualTo(STORE_GRACE);
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * The WebFlux twin of the servlet Redis stores'
	 * {@code aSessionThatCannotBeReadStopsNoRevocationOfTheUsersOtherSessions}: a session
	 * of the user that can no longer be read (bytes its serializer cannot decode in its
	 * security context), which is never served, stops no revocation of the user's other
	 * sessions. Red on the indexed repository, whose principal index reads every session
	 * it names and fails as a whole for one that cannot be read.
	 */
	@Test
	void aSessionThatCannotBeReadStopsNoRevocationOfTheUsersOtherSessions() {
		String user = newUser();
		login(user);
		String signedIn = Objects.requireNonNull(this.session);
		String unreadable = signInElsewhere(user, null);
		this.redisTemplate.opsForHash()
			.put(NAMESPACE + ":sessions:" + sessionIdOf(unreadable),
					"sessionAttr:"
							+ WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
					"garbage")
			.block(Duration.ofSeconds(10));
		try {
			this.userSessions.revokeAll(user).block(Duration.ofSeconds(10));
		}
		catch (RuntimeException ex) {
			// The unreadable session's failure, reported
		}
		assertProblem(getWith(signedIn, "/account"), ExpiryReason.REVOKED);
		EntityExchangeResult<String> unread = getWith(unreadable, "/account");
		assertThat(unread.getStatus().value()).as("the unreadable session, %s", unread).isNotEqualTo(200);
	}

	private static <S extends Session> void accessedAt(ReactiveSessionRepository<S> repository, String id,
			Instant lastAccessedTime) {
		S stored = Objects.requireNonNull(repository.findById(id).block(Duration.ofSeconds(10)));
		stored.setLastAccessedTime(lastAccessedTime);
		repository.save(stored).block(Duration.ofSeconds(10));
	}

	@Test
	void aNodeThatDidNotEndASessionTellsItsRequestsWhyItEnded() {
		addToCart("apple");
		try (ConfigurableApplicationContext second = secondNode()) {
			second.getBean(MutableClock.class).fixAt(this.start.plus(IDLE));
			shiftTo(this.start.plus(IDLE));
			assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
			EntityExchangeResult<String> elsewhere = WebTestClient
				.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
				.baseUrl("http://localhost:" + ((WebServerApplicationContext) second).getWebServer().getPort())
				.responseTimeout(Duration.ofSeconds(30))
				.build()
				.get()
				.uri("/api/cart")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertProblem(elsewhere, ExpiryReason.IDLE);
		}
	}

	/**
	 * A login still in its request on one node when its user is revoked on another: the
	 * revocation is recorded in Redis, where the login reads it.
	 */
	@Test
	void aLoginStillInItsRequestOnOneNodeWhenItsUserIsRevokedOnAnotherIsNotServedAfterwards() throws Exception {
		String user = newUser();
		try (ConfigurableApplicationContext second = secondNode()) {
			second.getBean(MutableClock.class).fixAt(this.start);
			ReactiveUserSessions elsewhere = second.getBean(ReactiveUserSessions.class);
			assertNotServedAfterARevocationWhileInFlight(() -> loginFrom(user, "gated"), 302,
					() -> assertThat(elsewhere.revokeAll(user).block(Duration.ofSeconds(10))).isZero());
		}
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
	}

	/**
	 * SPEC sections 12 and 15 on WebFlux: a node whose configuration gives a policy a
	 * shorter idle clock (administrators 10m here, 5m on the second node) applies it to
	 * the sessions given that policy before.
	 */
	@Test
	void aShorterClockOnASecondNodeReachesExistingSessions() {
		addToCart("apple");
		login("root");
		try (ConfigurableApplicationContext second = secondNode("session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[0].absolute=90m",
				"session-timeout.policies[0].idle=5m")) {
			WebTestClient elsewhere = WebTestClient
				.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
				.baseUrl("http://localhost:" + ((WebServerApplicationContext) second).getWebServer().getPort())
				.responseTimeout(Duration.ofSeconds(30))
				.build();
			second.getBean(MutableClock.class).fixAt(this.start.plus(Duration.ofMinutes(5)).minusMillis(1));
			EntityExchangeResult<String> status = elsewhere.get()
				.uri("/session/status")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertServed(status);
			assertThat(status.getResponseBody()).contains("\"policy\":\"administrators\"",
					"\"idleExpiresAt\":\"" + this.start.plus(Duration.ofMinutes(5)) + "\"");
			second.getBean(MutableClock.class).fixAt(this.start.plus(Duration.ofMinutes(5)));
			assertProblem(elsewhere.get()
				.uri("/account")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
				.exchange()
				.expectBody(String.class)
				.returnResult(), ExpiryReason.IDLE);
		}
	}

	/**
	 * Start a second node of the application, on the same Redis and namespace, with
	 * properties of its own first.
	 */
	private ConfigurableApplicationContext secondNode(String... properties) {
		return new SpringApplicationBuilder(ReactiveStoreTestApplication.class).properties(properties)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "session-timeout.store-grace=1m",
					"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"spring.session.data.redis.namespace=" + NAMESPACE,
					"spring.session.data.redis.repository-type=" + repositoryType(),
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	/**
	 * Return the type of Spring Session's Redis repository under test.
	 * @return {@code default} or {@code indexed}
	 */
	abstract String repositoryType();

	/**
	 * Return the key whose time to live is the store's expiry of the session.
	 * @param sessionId the session id
	 * @return the key
	 */
	abstract String expiringKey(String sessionId);

	@Override
	void assertNoUserStored(String sessionId) {
		assertThat(this.redisTemplate.opsForHash()
			.hasKey(NAMESPACE + ":sessions:" + sessionId,
					"sessionAttr:"
							+ WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME)
			.block()).as("the user in session %s in Redis", sessionId).isFalse();
	}

	/**
	 * Return the time to live of the session's expiring key, on Redis' own clock.
	 */
	@Override
	@Nullable Duration storeLifetime(String sessionId) {
		Duration ttl = this.redisTemplate.getExpire(expiringKey(sessionId)).block();
		return (ttl == null || ttl.isNegative() || ttl.isZero()) ? null : ttl;
	}

}
