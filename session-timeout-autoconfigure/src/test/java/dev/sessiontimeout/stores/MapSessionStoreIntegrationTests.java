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

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests on Spring Session's in-memory {@link MapSessionRepository}.
 */
@Import(MapSessionStoreIntegrationTests.MapStoreConfiguration.class)
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class MapSessionStoreIntegrationTests extends AbstractSpringSessionStoreIntegrationTests {

	/**
	 * The key whose next read from what remembers ended sessions is held until
	 * {@link #HELD_RELEASED} lets it go.
	 */
	static final AtomicReference<@Nullable String> HELD_READ = new AtomicReference<>();

	/**
	 * The key whose next write to what remembers ended sessions is held, before it is
	 * written, until {@link #HELD_RELEASED} lets it go.
	 */
	static final AtomicReference<@Nullable String> HELD_RECORD = new AtomicReference<>();

	/**
	 * The key whose second read from what remembers ended sessions is held, once it is
	 * answered, until {@link #HELD_RELEASED} lets it go: a login's read as its request
	 * ends (the first is its read at the login).
	 */
	static final AtomicReference<@Nullable String> HELD_AFTER_SECOND_READ = new AtomicReference<>();

	static final AtomicInteger READS_BEFORE_HELD = new AtomicInteger();

	static final Semaphore HELD_ARRIVED = new Semaphore(0);

	static final Semaphore HELD_RELEASED = new Semaphore(0);

	@Autowired
	MapSessionRepository repository;

	@AfterEach
	void releaseHeldRead() {
		HELD_READ.set(null);
		HELD_RECORD.set(null);
		HELD_AFTER_SECOND_READ.set(null);
		HELD_RELEASED.release();
	}

	/**
	 * A login whose read of its user's revocations, as it is recorded, is answered only
	 * after a revocation of its user everywhere wrote its record and looked for the
	 * user's sessions (which the store did not hold signed in yet) reads that record
	 * twice, as it is recorded and as its request ends: the revocation came after the
	 * login all the same, so the session must not be served (it was).
	 */
	@Test
	void aLoginWhoseReadOfItsUsersRevocationsIsAnsweredAfterARevocationIsNotServedAfterwards() throws Exception {
		String user = newUser();
		HELD_ARRIVED.drainPermits();
		HELD_RELEASED.drainPermits();
		HELD_READ.set(UserRevocations.key(user));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> login = executor.submit(() -> this.browser.login(user, "password"));
			assertThat(HELD_ARRIVED.tryAcquire(30, TimeUnit.SECONDS)).as("the login's read, held").isTrue();
			this.clock.shift(Duration.ofSeconds(1));
			assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isZero();
			HELD_RELEASED.release();
			Response signedIn = login.get(30, TimeUnit.SECONDS);
			assertThat(signedIn.location()).as("%s", signedIn).doesNotContain("error");
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(HELD_READ.get()).as("the held read was made").isNull();
		assertProblem(api(), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	@Override
	Instant storeExpiry(String sessionId) {
		MapSession session = this.repository.findById(sessionId);
		return (session != null) ? session.getLastAccessedTime().plus(session.getMaxInactiveInterval()) : null;
	}

	/**
	 * A login whose request ends while a revocation of its user everywhere runs, after
	 * the revocation looked for the user's sessions (the store did not hold the login's
	 * yet) and before it wrote its record (which the login's request did not read at its
	 * end, then), must not be served afterwards all the same (it was: the revocation read
	 * the user's sessions before it recorded itself).
	 */
	@Test
	void aLoginWhoseRequestEndsWhileARevocationOfItsUserRunsIsNotServedAfterwards() throws Exception {
		String user = newUser();
		HELD_ARRIVED.drainPermits();
		HELD_RELEASED.drainPermits();
		HELD_RECORD.set(UserRevocations.key(user));
		TestBrowser other = new TestBrowser(this.port);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Integer> revocation = executor.submit(() -> userSessionsAtOnce().revokeAll(user));
			assertThat(HELD_ARRIVED.tryAcquire(30, TimeUnit.SECONDS)).as("the revocation's record, held").isTrue();
			Response signedIn = other.login(user, "password");
			assertThat(signedIn.location()).as("%s", signedIn).doesNotContain("error");
			HELD_RELEASED.release();
			revocation.get(30, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(HELD_RECORD.get()).as("the held write was made").isNull();
		assertProblem(other.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A login whose request ends, its last read of its user's revocations made (none
	 * kept), before the store holds its session (Spring Session saves it as the response
	 * commits or the request ends), and a revocation of its user everywhere that records
	 * itself and looks for the user's sessions entirely in between: the login read no
	 * record, and the revocation found no session, so the session must not be served
	 * afterwards all the same (it was). A remember-me login whose response is not
	 * committed before the request ends.
	 */
	@Test
	void aLoginWhoseSessionIsSavedAfterARevocationThatFollowedItsLastReadIsNotServedAfterwards() throws Exception {
		String user = newUser();
		TestBrowser remembered = rememberedBrowserOf(user);
		this.clock.shift(Duration.ofSeconds(1));
		HELD_ARRIVED.drainPermits();
		HELD_RELEASED.drainPermits();
		READS_BEFORE_HELD.set(1);
		HELD_AFTER_SECOND_READ.set(UserRevocations.key(user));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> login = executor.submit(() -> remembered.get("/api/unflushed", TestBrowser.JSON));
			assertThat(HELD_ARRIVED.tryAcquire(30, TimeUnit.SECONDS)).as("the login's last read, held").isTrue();
			this.clock.shift(Duration.ofSeconds(1));
			// The form login's session, and the remember-me login's once it is saved
			// before its last read
			assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isBetween(1, 2);
			HELD_RELEASED.release();
			Response signedIn = login.get(30, TimeUnit.SECONDS);
			assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(204);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(HELD_AFTER_SECOND_READ.get()).as("the held read was made").isNull();
		assertThat(remembered.cookie(sessionCookieName())).as("the login's session cookie").isNotNull();
		assertProblem(remembered.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	/**
	 * A request already running when another request of its session changes the session's
	 * id saves its copy under the old id afterwards: the map then holds the session under
	 * both ids, and the user sees it twice. Signing out the user's other sessions from
	 * the session under its new id ends the copy under the old one, and keeps the session
	 * itself.
	 */
	@Test
	void signingOutElsewhereAfterARunningRequestSavedItsCopyUnderTheOldIdKeepsTheCurrentSession() throws Exception {
		String user = newUser();
		loginAs(user);
		String cookie = this.browser.cookie(sessionCookieName());
		Response held = whileHeld(() -> sentWith(cookie).get("/api/hold", TestBrowser.JSON), () -> {
			Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
			assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		});
		assertThat(held.status()).isEqualTo(200);
		assertThat(this.repository.findById(sessionId(cookie))).as("the copy under the old id").isNotNull();
		Response signedOut = this.browser.post("/api/password", Map.of(), TestBrowser.JSON);
		assertThat(signedOut.status()).as("%s", signedOut).isEqualTo(200);
		assertServed(api(), user);
	}

	/**
	 * A request running when its session is revoked changes the session's id and saves
	 * its copy, without the revocation, under the new id: the clocks end it there by the
	 * rename they remember. Its user then signs in on another device and ends one other
	 * session there: that revocation reads the renamed session and does not choose it,
	 * and the session stays revoked under its new id (the revocation used to forget the
	 * rename as "kept", and the session was served again).
	 */
	@Test
	void aRevokedSessionRenamedByARunningRequestStaysRevokedAfterItsUserEndsAnotherSession() throws Exception {
		String user = newUser();
		loginAs(user);
		String before = currentSessionId();
		Response rotated = whileHeld(() -> this.browser.post("/api/hold-and-rotate", Map.of(), TestBrowser.JSON),
				() -> assertThat(userSessionsAtOnce().revokeAll(user)).isOne());
		assertThat(rotated.status()).as("decided before the revocation: %s", rotated).isEqualTo(200);
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login(user, "password").status()).isEqualTo(302);
		TestBrowser tablet = new TestBrowser(this.port);
		assertThat(tablet.login(user, "password").status()).isEqualTo(302);
		Response end = laptop
			.delete("/session/sessions/" + SessionIds.hash(sessionId(tablet.cookie(sessionCookieName()))));
		assertThat(end.status()).as("%s", end).isEqualTo(204);
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * A login still in its request when its user is revoked everywhere is ended as its
	 * request ends by the record of that revocation, kept for an hour (README: "if that
	 * is within an hour of the revocation"). Here the node keeps why its sessions ended
	 * in its memory ({@code InMemoryEndedSessions}, 10,000 entries at most, the oldest
	 * dropped first), and 10,000 sessions end on it while the login runs (logouts, idle
	 * ends: a busy node, or one user who signs in and out in a loop): the record of the
	 * revocation is dropped with the oldest entries, and the login's session is served
	 * afterwards, seconds after its user was revoked. A record that decides a session's
	 * end must not be forgotten for want of room (fail closed). Red on the map store.
	 */
	@Test
	void aLoginInFlightIsEndedByARevocationAfterManySessionsEndedMeanwhile() throws Exception {
		String user = newUser();
		TestBrowser slow = rememberedBrowserOf(user);
		EndedSessions endedSessions = this.applicationContext.getBean(EndedSessions.class);
		Response held = whileHeld(() -> slow.get("/api/hold", TestBrowser.JSON), () -> {
			this.clock.shift(Duration.ofSeconds(1));
			assertThat(this.applicationContext.getBean(UserSessions.class).revokeAll(user)).as("sessions revoked")
				.isBetween(1, 2);
			// As the clocks and logouts of 10,000 other sessions end them
			Instant now = this.clock.instant();
			for (int i = 0; i < 10_000; i++) {
				endedSessions.remember("other-session-" + i, ExpiryReason.IDLE, now.plus(Duration.ofMinutes(1)), now);
			}
			this.clock.shift(Duration.ofSeconds(1));
		});
		assertThat(held.status()).as("decided before the revocation: %s", held).isEqualTo(200);
		assertThat(this.applicationContext.getBean(UserSessions.class).list(user))
			.as("the user's sessions after the revocation")
			.isEmpty();
		String slowSession = slow.cookie(sessionCookieName());
		if (slowSession != null) {
			assertProblem(sentWith(slowSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
					ExpiryReason.INVALID);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableSpringHttpSession
	static class MapStoreConfiguration {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		/**
		 * What the starter remembers ended sessions in for this store, this node's
		 * memory, holding the read that {@link #HELD_READ} names and the write that
		 * {@link #HELD_RECORD} names.
		 */
		@Bean
		EndedSessions heldEndedSessions() {
			return new InMemoryEndedSessions() {

				@Override
				public EndedSessions.@Nullable Entry entryOf(String sessionId, Instant now) {
					holdIfNamed(HELD_READ, sessionId);
					EndedSessions.Entry entry = super.entryOf(sessionId, now);
					if (sessionId.equals(HELD_AFTER_SECOND_READ.get()) && READS_BEFORE_HELD.getAndDecrement() == 0) {
						holdIfNamed(HELD_AFTER_SECOND_READ, sessionId);
					}
					return entry;
				}

				@Override
				public void remember(String key, EndedSessions.Entry entry, Instant now) {
					holdIfNamed(HELD_RECORD, key);
					super.remember(key, entry, now);
				}

				private void holdIfNamed(AtomicReference<@Nullable String> named, String key) {
					if (!key.equals(named.getAndUpdate((held) -> key.equals(held) ? null : held))) {
						return;
					}
					HELD_ARRIVED.release();
					try {
						if (!HELD_RELEASED.tryAcquire(30, TimeUnit.SECONDS)) {
							throw new IllegalStateException("Not released");
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				}

			};
		}

	}

}
