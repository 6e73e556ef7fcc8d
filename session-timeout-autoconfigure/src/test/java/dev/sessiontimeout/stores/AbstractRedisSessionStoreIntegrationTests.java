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
package dev.sessiontimeout.stores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisCommandCounter;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests on Spring Session Data Redis, each subclass in one key namespace that
 * is emptied after it, plus proof that the starter adds no Redis round trip.
 */
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
abstract class AbstractRedisSessionStoreIntegrationTests extends AbstractSpringSessionStoreIntegrationTests {

	static final String NAMESPACE = "session-timeout-test:" + UUID.randomUUID();

	private static RedisServers.Endpoint redis;

	@Autowired
	StringRedisTemplate redisTemplate;

	@BeforeAll
	static void findRedis() {
		redis = RedisServers.get();
	}

	static RedisServers.Endpoint redis() {
		return redis;
	}

	/**
	 * Delete every key of the namespace, which all subclasses share (one class loads it
	 * once), so that the next class starts without the sessions of this one: a class with
	 * another attribute serializer could not read them, and the user index of the default
	 * repository would hand them out.
	 */
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

	/**
	 * Return the repository type, {@code default} or {@code indexed}.
	 * @return the repository type
	 */
	abstract String repositoryType();

	/**
	 * Return the key whose time to live is the store's expiry of the session.
	 * @param sessionId the session id
	 * @return the key
	 */
	abstract String expiringKey(String sessionId);

	/**
	 * Return when Redis expires the key, read exactly with {@code PEXPIRETIME} (Redis 7),
	 * or else as the earliest instant a {@code PTTL} read allows, since the time of the
	 * read itself cannot be known more closely than its round trip.
	 */
	@Override
	Instant storeExpiry(String sessionId) {
		byte[] key = expiringKey(sessionId).getBytes(StandardCharsets.UTF_8);
		return this.redisTemplate.execute((RedisCallback<Instant>) (connection) -> {
			try {
				Long expireTime = (Long) connection.execute("PEXPIRETIME", key);
				return (expireTime == null || expireTime < 0) ? null : Instant.ofEpochMilli(expireTime);
			}
			catch (DataAccessException ex) {
				Instant before = Instant.now();
				Long ttl = connection.keyCommands().pTtl(key);
				return (ttl == null || ttl < 0) ? null : before.plusMillis(ttl);
			}
		});
	}

	/**
	 * What the starter stores per session, counted in Redis as its serializer wrote it:
	 * the names of its attributes (without Spring Session's {@code sessionAttr:} prefix)
	 * and their values, for an administrator (a policy held) in an application with an
	 * operation of maximum age zero (a privilege grant held), after a request. Version
	 * 0.1.0 stored over 500 bytes.
	 */
	@Test
	void theStarterStoresAtMost200BytesPerSession() {
		loginAs("admin");
		assertServed(api(), "admin");
		byte[] key = (NAMESPACE + ":sessions:" + currentSessionId()).getBytes(StandardCharsets.UTF_8);
		Map<byte[], byte[]> hash = this.redisTemplate
			.execute((RedisCallback<Map<byte[], byte[]>>) (connection) -> connection.hashCommands().hGetAll(key));
		assertThat(hash).isNotNull();
		Map<String, Integer> bytesOf = new TreeMap<>();
		hash.forEach((field, value) -> {
			String name = new String(field, StandardCharsets.UTF_8);
			if (name.startsWith("sessionAttr:" + SessionAttributes.STATE)) {
				String attribute = name.substring("sessionAttr:".length());
				bytesOf.put(attribute, attribute.length() + value.length);
			}
		});
		int total = bytesOf.values().stream().mapToInt(Integer::intValue).sum();
		System.out.println(
				"Bytes the starter stores per session (" + getClass().getSimpleName() + "): " + total + " " + bytesOf);
		assertThat(bytesOf).containsOnlyKeys(SessionAttributes.STATE, SessionAttributes.PRIVILEGE_GRANT);
		assertThat(total).isLessThanOrEqualTo(200);
	}

	/**
	 * A session of the user that can no longer be read (bytes its serializer cannot
	 * decode in its security context, as a session stored by a version of the application
	 * whose classes changed since), which is never served, stops no revocation of the
	 * user's other sessions, as on JDBC
	 * ({@code aSessionWhoseUserCannotBeReadStopsNoRevocationOfTheUsersOtherSessions}):
	 * the revocation may report its failure, once the others are revoked. Red on the
	 * indexed repository, whose principal index reads every session it names, each with
	 * all of its attributes, and fails as a whole for one that cannot be read.
	 */
	@Test
	void aSessionThatCannotBeReadStopsNoRevocationOfTheUsersOtherSessions() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		byte[] key = (NAMESPACE + ":sessions:" + sessionId(otherDevice.cookie(sessionCookieName())))
			.getBytes(StandardCharsets.UTF_8);
		this.redisTemplate.execute((RedisCallback<Boolean>) (connection) -> connection.hashCommands()
			.hSet(key, "sessionAttr:SPRING_SECURITY_CONTEXT".getBytes(StandardCharsets.UTF_8),
					"garbage".getBytes(StandardCharsets.UTF_8)));
		try {
			userSessions().revokeAll(user);
		}
		catch (RuntimeException ex) {
			// The unreadable session's failure, reported
		}
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	@Test
	void theStarterAddsNoRedisCommandToARequest() throws IOException {
		try (RedisCommandCounter withCounter = new RedisCommandCounter(redis.host(), redis.port());
				RedisCommandCounter withoutCounter = new RedisCommandCounter(redis.host(), redis.port());
				ConfigurableApplicationContext with = application(withCounter, true);
				ConfigurableApplicationContext without = application(withoutCounter, false)) {
			List<List<String>> withCommands = measure(with, withCounter);
			List<List<String>> withoutCommands = measure(without, withoutCounter);
			if (!withCommands.equals(withoutCommands)) {
				withCommands = measure(with, withCounter);
				withoutCommands = measure(without, withoutCounter);
			}
			assertThat(withCommands).as("Redis commands of each request, with the starter").isEqualTo(withoutCommands);
			assertThat(withCommands).allSatisfy((commands) -> assertThat(commands).isNotEmpty());
		}
	}

	@Test
	void revokingAUserTakesRedisCommandsInProportionToThatUsersSessionsOnly() throws Exception {
		try (RedisCommandCounter counter = new RedisCommandCounter(redis.host(), redis.port());
				ConfigurableApplicationContext application = application(counter, true)) {
			// The indexed repository files each session in a set of the minute it expires
			// in, and takes it out of its previous minute's set (SREM) when a save moves
			// its expiry into another minute: the revocation's save does for the sessions
			// whose expiry it moves across a minute's end, which depends on the time
			RevocationCost.assertProportionalToTheUsersSessions(application, counter::drain, (command) -> command,
					repositoryType().equals("indexed") ? Set.of("SREM") : Set.of());
		}
	}

	private ConfigurableApplicationContext application(RedisCommandCounter counter, boolean starter) {
		return new SpringApplicationBuilder(StoreTestApplication.class)
			.properties("server.port=0", "session-timeout.enabled=" + starter, "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "spring.session.data.redis.repository-type=" + repositoryType(),
					"spring.session.data.redis.namespace=" + NAMESPACE + "-" + starter,
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + counter.port(),
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	private List<List<String>> measure(ConfigurableApplicationContext context, RedisCommandCounter counter) {
		context.getBean(MutableClock.class).tick();
		TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		List<List<String>> perRequest = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			counter.drain();
			assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
			perRequest.add(counter.drain());
		}
		return perRequest;
	}

}
