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
package dev.sessiontimeout.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.sessiontimeout.testsupport.RedisTestConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisUserSessionIndex} against a real Redis, through the operations of
 * Spring Session's default Redis repository.
 *
 * @author session-timeout
 */
class RedisUserSessionIndexTests {

	private static final String NAMESPACE = "session-timeout-users-" + UUID.randomUUID();

	/**
	 * Far from Redis' own clock on purpose: the key's lifetime must count from this
	 * node's clock.
	 */
	private static final Instant NOW = Instant.parse("2020-01-01T08:00:00Z");

	private static final Instant UNTIL = NOW.plus(Duration.ofHours(12));

	private static RedisTestConnection connection;

	private static RedisTemplate<String, Object> redis;

	private RedisUserSessionIndex index;

	@BeforeAll
	static void connect() {
		connection = new RedisTestConnection();
		redis = connection.template();
	}

	@AfterAll
	static void disconnect() {
		connection.deleteKeys(NAMESPACE + ":");
		connection.close();
	}

	private RedisUserSessionIndex index() {
		if (this.index == null) {
			this.index = RedisUserSessionIndex.of(new RedisSessionRepository(redis), NAMESPACE);
		}
		return this.index;
	}

	@Test
	void ofWhenTheRepositoryIsNotRedisDefaultThenNone() {
		assertThat(RedisUserSessionIndex.of(new RedisIndexedSessionRepository(redis), NAMESPACE)).isNull();
		assertThat(RedisUserSessionIndex.of(null, NAMESPACE)).isNull();
	}

	@Test
	void sessionIdsWhenAddedThenListedForTheirUserOnlyAndBeforeTheirUntil() {
		String user = user();
		index().add(user, "one", UNTIL, NOW);
		index().add(user, "two", null, NOW);
		index().add(user() + "-other", "three", UNTIL, NOW);
		assertThat(index().sessions(user, NOW).keySet()).containsExactlyInAnyOrder("one", "two");
		assertThat(index().sessions(user, UNTIL.minusMillis(1)).keySet()).containsExactlyInAnyOrder("one", "two");
		assertThat(index().sessions(user, UNTIL).keySet()).containsExactly("two");
		assertThat(index().sessions(user, UNTIL.plusMillis(1)).keySet()).containsExactly("two");
	}

	@Test
	void addWhenEverySessionHasAnUntilThenTheKeyExpiresWithTheLastOfThemCountedFromThisNodesClock() {
		String user = user();
		index().add(user, "one", NOW.plus(Duration.ofHours(1)), NOW);
		index().add(user, "two", UNTIL, NOW);
		index().add(user, "three", NOW.plus(Duration.ofHours(2)), NOW);
		Long seconds = redis.getExpire(index().key(user));
		assertThat(seconds).isBetween(Duration.ofHours(12).toSeconds() - 5, Duration.ofHours(12).toSeconds());
	}

	@Test
	void sessionsWhenAddedThenTellWhenEachWasAdded() {
		String user = user();
		index().add(user, "one", UNTIL, NOW);
		index().add(user, "two", null, NOW.plusSeconds(60));
		assertThat(index().sessions(user, NOW.plusSeconds(60))).containsEntry("one", NOW)
			.containsEntry("two", NOW.plusSeconds(60));
	}

	@Test
	void removeWhenTheSessionWithoutUntilGoesThenTheKeyExpiresWithTheOthers() {
		String user = user();
		index().add(user, "one", UNTIL, NOW);
		index().add(user, "two", null, NOW);
		index().remove(user, List.of("two"), NOW);
		assertThat(redis.getExpire(index().key(user))).isBetween(Duration.ofHours(12).toSeconds() - 5,
				Duration.ofHours(12).toSeconds());
	}

	@Test
	void addWhenLoginsOfOneUserRunAtOnceThenTheKeyLivesAsLongAsTheLastOfThem() throws Exception {
		String user = user();
		ExecutorService logins = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> added = new ArrayList<>();
			for (int i = 1; i <= 32; i++) {
				Instant until = NOW.plus(Duration.ofMinutes(i));
				String sessionId = "session-" + i;
				added.add(logins.submit(() -> index().add(user, sessionId, until, NOW)));
			}
			for (Future<?> future : added) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			logins.shutdownNow();
		}
		assertThat(index().sessions(user, NOW)).hasSize(32);
		assertThat(redis.getExpire(index().key(user))).isBetween(Duration.ofMinutes(32).toSeconds() - 5,
				Duration.ofMinutes(32).toSeconds());
	}

	@Test
	void addWhenASessionHasNoUntilThenTheKeyPersists() {
		String user = user();
		index().add(user, "one", UNTIL, NOW);
		index().add(user, "two", null, NOW);
		assertThat(redis.getExpire(index().key(user))).isEqualTo(-1L);
	}

	/**
	 * Without an absolute deadline an entry has no end: the entries of sessions that
	 * ended (at their idle deadline, by a sign-out, or under an older id after a step-up)
	 * were kept, one more at each login, and the key never expired, unless someone looked
	 * the user's sessions up. A login now forgets those whose session the store no longer
	 * holds, past the minute in which a login's request saves its session.
	 */
	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void addWhenTheUsersSessionsWithoutUntilAreGoneFromTheStoreThenForgetsThem() {
		String user = user();
		RedisSessionRepository redisRepository = new RedisSessionRepository(redis);
		// Under a namespace of its own, as @EnableRedisHttpSession(redisNamespace) sets
		// it
		// without the property that names the index's
		redisRepository.setRedisKeyNamespace(NAMESPACE + "-sessions");
		RedisUserSessionIndex index = RedisUserSessionIndex.of(redisRepository, NAMESPACE);
		SessionRepository<Session> repository = (SessionRepository) redisRepository;
		Session live = repository.createSession();
		repository.save(live);
		index.add(user, "ended-at-its-idle-deadline", null, NOW);
		index.add(user, live.getId(), null, NOW.plus(Duration.ofDays(1)));
		index.add(user, "signed-out", null, NOW.plus(Duration.ofDays(2)));
		index.add(user, "still-being-saved", null, NOW.plus(Duration.ofDays(3)).minusSeconds(30));
		index.add(user, "this-login", null, NOW.plus(Duration.ofDays(3)));
		assertThat(redis.opsForHash().keys(index.key(user))).containsExactlyInAnyOrder(live.getId(),
				"still-being-saved", "this-login");
		repository.deleteById(live.getId());
		index.add(user, "next-login", null, NOW.plus(Duration.ofDays(4)));
		assertThat(redis.opsForHash().keys(index.key(user))).containsExactly("next-login");
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void reactiveAddWhenTheUsersSessionsWithoutUntilAreGoneFromTheStoreThenForgetsThem() {
		String user = user();
		ReactiveRedisTemplate<String, Object> reactive = connection.reactiveTemplate();
		ReactiveRedisSessionRepository reactiveRepository = new ReactiveRedisSessionRepository(reactive);
		reactiveRepository.setRedisKeyNamespace(NAMESPACE + "-sessions");
		ReactiveSessionRepository<Session> repository = (ReactiveSessionRepository) reactiveRepository;
		Session live = repository.createSession().block();
		repository.save(live).block();
		ReactiveRedisUserSessionIndex reactiveIndex = ReactiveRedisUserSessionIndex.of(reactiveRepository, NAMESPACE);
		reactiveIndex.add(user, "ended-at-its-idle-deadline", null, NOW).block();
		reactiveIndex.add(user, live.getId(), null, NOW.plus(Duration.ofDays(1))).block();
		reactiveIndex.add(user, "signed-out", null, NOW.plus(Duration.ofDays(2))).block();
		reactiveIndex.add(user, "still-being-saved", null, NOW.plus(Duration.ofDays(3)).minusSeconds(30)).block();
		reactiveIndex.add(user, "this-login", null, NOW.plus(Duration.ofDays(3))).block();
		assertThat(redis.opsForHash().keys(index().key(user))).containsExactlyInAnyOrder(live.getId(),
				"still-being-saved", "this-login");
		repository.deleteById(live.getId()).block();
		reactiveIndex.add(user, "next-login", null, NOW.plus(Duration.ofDays(4))).block();
		assertThat(redis.opsForHash().keys(index().key(user))).containsExactly("next-login");
	}

	@Test
	void addWhenTheUsersOtherSessionsArePastTheirUntilThenForgetsThem() {
		String user = user();
		index().add(user, "old", UNTIL, NOW);
		index().add(user, "new", UNTIL.plus(Duration.ofHours(12)), UNTIL);
		assertThat(index().sessions(user, NOW).keySet()).containsExactly("new");
		assertThat(redis.opsForHash().keys(index().key(user))).hasSize(1);
	}

	@Test
	void removeWhenSessionsAreGoneThenForgetsThem() {
		String user = user();
		index().add(user, "one", UNTIL, NOW);
		index().add(user, "two", UNTIL, NOW);
		index().remove(user, List.of("one", "unknown"), NOW);
		index().remove(user, List.of(), NOW);
		assertThat(index().sessions(user, NOW).keySet()).containsExactly("two");
		index().remove(user, List.of("two"), NOW);
		assertThat(redis.hasKey(index().key(user))).isFalse();
	}

	/**
	 * An entry whose value cannot be read (cut short, edited by hand) failed every lookup
	 * of its user: the operator's revocation of the user ended none of the user's
	 * sessions. It is listed as a session that may be alive, added long ago, so that its
	 * session is revoked if the store has it and forgotten if not.
	 */
	@Test
	void sessionsWhenAnEntryCannotBeReadThenItsSessionIsListedAsAddedLongAgoAndTheOthersToo() {
		for (String garbled : List.of("x", ",-1", "1,", "1,99999999999999999999", "99999999999999999999,-1", "")) {
			String user = user();
			index().add(user, "one", UNTIL, NOW);
			byte[] key = index().key(user).getBytes(StandardCharsets.UTF_8);
			redis.execute((RedisCallback<Boolean>) (connection) -> connection.hashCommands()
				.hSet(key, "garbled".getBytes(StandardCharsets.UTF_8), garbled.getBytes(StandardCharsets.UTF_8)));
			assertThat(index().sessions(user, NOW)).as("%s", garbled)
				.containsEntry("one", NOW)
				.containsEntry("garbled", Instant.EPOCH)
				.hasSize(2);
		}
	}

	/**
	 * An entry whose end is a number beyond what Redis takes as a time to live (edited by
	 * hand) failed the script of every later login of its user, after it had written the
	 * login's entry and before it set the key's time to live: the user could not sign in,
	 * and the key was left as it was, without expiry if it had none.
	 */
	@Test
	void addWhenAnotherEntryEndsOutOfRangeThenForgetsItAndTheKeyExpiresWithTheOthers() {
		for (String garbled : List.of("1,99999999999999999999", "1,1e30", "1,-99999999999999999999")) {
			String user = user();
			byte[] key = index().key(user).getBytes(StandardCharsets.UTF_8);
			redis.execute((RedisCallback<Boolean>) (connection) -> connection.hashCommands()
				.hSet(key, "garbled".getBytes(StandardCharsets.UTF_8), garbled.getBytes(StandardCharsets.UTF_8)));
			index().add(user, "one", UNTIL, NOW);
			assertThat(redis.opsForHash().keys(index().key(user))).as("%s", garbled).hasSize(1);
			assertThat(redis.getExpire(index().key(user))).as("%s", garbled)
				.isBetween(Duration.ofHours(12).toSeconds() - 5, Duration.ofHours(12).toSeconds());
		}
	}

	@Test
	void keyWhenTheUsernameHoldsSeparatorsPatternsOrHashTagsThenOneKeyOfThatUserOnly() {
		String user = user();
		for (String name : List.of(user + ":*", user + ":{x}", user + "*", "{" + user + "}")) {
			index().add(name, "session-of-" + name, UNTIL, NOW);
		}
		index().add(user, "plain", UNTIL, NOW);
		for (String name : List.of(user + ":*", user + ":{x}", user + "*", "{" + user + "}")) {
			assertThat(index().key(name)).isEqualTo(NAMESPACE + ":sessiontimeout:users:" + name);
			assertThat(index().sessions(name, NOW).keySet()).containsExactly("session-of-" + name);
			assertThat(redis.getExpire(index().key(name))).isPositive();
		}
		assertThat(index().sessions(user, NOW).keySet()).containsExactly("plain");
	}

	/**
	 * A login asks the store about a bounded number of its user's entries without an end,
	 * however many the user has: not one round trip per session of the user at every
	 * login.
	 */
	@Test
	void addWhenTheUserHasAThousandSessionsWithoutUntilThenALoginAsksTheStoreAboutAFewOfThem() {
		String user = user();
		AtomicInteger asked = new AtomicInteger();
		RedisUserSessionIndex index = new RedisUserSessionIndex(redis, NAMESPACE + ":sessiontimeout:users:",
				(sessionId) -> asked.incrementAndGet() > 0);
		for (int i = 0; i < 1000; i++) {
			index.add(user, "live-" + i, null, NOW);
		}
		asked.set(0);
		index.add(user, "this-login", null, NOW.plus(Duration.ofDays(1)));
		assertThat(asked.get()).as("sessions asked about at one login").isLessThanOrEqualTo(32);
		assertThat(index.sessions(user, NOW.plus(Duration.ofDays(1)))).hasSize(1001);
	}

	@Test
	void reactiveAddWhenTheUserHasAThousandSessionsWithoutUntilThenALoginAsksTheStoreAboutAFewOfThem() {
		String user = user();
		AtomicInteger asked = new AtomicInteger();
		ReactiveRedisUserSessionIndex index = new ReactiveRedisUserSessionIndex(connection.reactiveTemplate(),
				NAMESPACE + ":sessiontimeout:users:",
				(sessionId) -> Mono.fromSupplier(() -> asked.incrementAndGet() > 0));
		for (int i = 0; i < 1000; i++) {
			index.add(user, "live-" + i, null, NOW).block();
		}
		asked.set(0);
		index.add(user, "this-login", null, NOW.plus(Duration.ofDays(1))).block();
		assertThat(asked.get()).as("sessions asked about at one login").isLessThanOrEqualTo(32);
		assertThat(index.sessions(user, NOW.plus(Duration.ofDays(1))).block()).hasSize(1001);
	}

	private static String user() {
		return "user-" + UUID.randomUUID();
	}

}
