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
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.reactive.ReactiveUserSessionIndex;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive store tests on Spring Session's {@link ReactiveMapSessionRepository}.
 */
@Import(ReactiveMapSessionStoreIntegrationTests.ReactiveMapStoreConfiguration.class)
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class ReactiveMapSessionStoreIntegrationTests extends AbstractReactiveSpringSessionStoreIntegrationTests {

	static final ConcurrentHashMap<String, Session> SESSIONS = new ConcurrentHashMap<>();

	static final AtomicBoolean INDEX_FAILS = new AtomicBoolean();

	/**
	 * How many of the next reads of the store that keeps why sessions ended fail.
	 */
	static final AtomicInteger ENDED_SESSIONS_FAILING_READS = new AtomicInteger();

	/**
	 * The key of the store of ended sessions whose next read the gate holds, answered
	 * with what the store keeps once the gate opens.
	 */
	static final AtomicReference<@Nullable String> ENDED_SESSIONS_HELD_READ = new AtomicReference<>();

	/**
	 * The key of the store of ended sessions whose second read the gate holds once it is
	 * answered: a login's read as its request ends (the first is its read at the login).
	 */
	static final AtomicReference<@Nullable String> ENDED_SESSIONS_HELD_AFTER_SECOND_READ = new AtomicReference<>();

	static final AtomicInteger READS_BEFORE_HELD = new AtomicInteger();

	@Autowired
	MutableClock clock;

	@AfterEach
	void indexAnswers() {
		INDEX_FAILS.set(false);
		ENDED_SESSIONS_FAILING_READS.set(0);
		ENDED_SESSIONS_HELD_READ.set(null);
		ENDED_SESSIONS_HELD_AFTER_SECOND_READ.set(null);
	}

	/**
	 * A login whose last read of its user's revocations (none kept) is answered before
	 * the session manager saves its session, and a revocation of its user everywhere that
	 * records itself and looks for the user's sessions entirely in between: the login
	 * read no record, and the revocation found no session, so the session must not be
	 * served afterwards all the same (it was).
	 */
	@Test
	void aLoginWhoseSessionIsSavedAfterARevocationThatFollowedItsLastReadIsNotServedAfterwards() throws Exception {
		String user = newUser();
		addToCart("apple");
		READS_BEFORE_HELD.set(1);
		ENDED_SESSIONS_HELD_AFTER_SECOND_READ.set(UserRevocations.key(user));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> signIn = executor.submit(() -> post("/api/sign-in?user=" + user));
			// The login's last read of the record, answered, is held
			this.gate.awaitArrival();
			this.clock.fixAt(this.clock.instant().plusSeconds(1));
			assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isBetween(0, 1);
			this.gate.open();
			assertServed(signIn.get(30, TimeUnit.SECONDS));
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(ENDED_SESSIONS_HELD_AFTER_SECOND_READ.get()).as("the held read was made").isNull();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A login whose read of its user's revocations, started as it is stored, is answered
	 * only after a revocation of its user everywhere wrote its record and looked for the
	 * user's sessions (which the store did not hold signed in yet), reads that record
	 * twice, as it is stored and as its request ends: the revocation came after the login
	 * all the same, so the session must not be served (it was).
	 */
	@Test
	void aLoginWhoseFirstReadOfItsUsersRevocationsIsAnsweredAfterARevocationIsNotServedAfterwards() throws Exception {
		String user = newUser();
		addToCart("apple");
		ENDED_SESSIONS_HELD_READ.set(UserRevocations.key(user));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> signIn = executor.submit(() -> post("/api/sign-in?user=" + user));
			// The login's read of the record, started as it is stored, is held
			this.gate.awaitArrival();
			this.clock.fixAt(this.clock.instant().plusSeconds(1));
			assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero();
			this.gate.open();
			assertServed(signIn.get(30, TimeUnit.SECONDS));
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(ENDED_SESSIONS_HELD_READ.get()).as("the held read was made").isNull();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A login whose request cannot read, as it ends, whether its user was revoked while
	 * it ran, fails, and leaves no session signed in: its user's revocation may have
	 * missed it.
	 */
	@Test
	void aLoginThatCannotReadItsUsersRevocationsAsItsRequestEndsFailsAndLeavesNoSignedInSession() throws Exception {
		String user = newUser();
		addToCart("apple");
		String before = Objects.requireNonNull(this.session);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> signIn = executor
				.submit(() -> post("/api/sign-in?later=true&user=" + user));
			this.gate.awaitArrival();
			ENDED_SESSIONS_FAILING_READS.set(Integer.MAX_VALUE);
			this.gate.open();
			EntityExchangeResult<String> signedIn = signIn.get(30, TimeUnit.SECONDS);
			assertThat(signedIn.getStatus().value()).as("%s", signedIn).isEqualTo(500);
		}
		finally {
			executor.shutdownNow();
		}
		ENDED_SESSIONS_FAILING_READS.set(0);
		this.session = before;
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertThat(account.getStatus().value()).as("%s", account).isNotEqualTo(200);
		assertThat(SESSIONS.values().stream().filter((session) -> isSignedIn(session, user)).map(Session::getId))
			.as("sessions of the user in the store")
			.isEmpty();
	}

	/**
	 * A login that cannot read its user's revocations as it is stored takes any
	 * revocation it reads as its request ends as one that ran meanwhile.
	 */
	@Test
	void aLoginThatCannotReadItsUsersRevocationsAsItIsStoredIsRevokedByAnyItReadsAsItsRequestEnds() {
		String user = newUser();
		login(user);
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		this.session = null;
		addToCart("apple");
		// Read once as the login is stored, failing, and once more as the response
		// commits, answered: the revocation before the login is taken as one during it
		ENDED_SESSIONS_FAILING_READS.set(1);
		assertServed(post("/api/sign-in?user=" + user));
		assertThat(ENDED_SESSIONS_FAILING_READS.get()).as("the failing read was made").isZero();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A session that its user's revocations could not find must not serve that user: a
	 * login whose entry the index refuses fails, and its session is not saved signed in.
	 */
	@Test
	void aLoginWhoseSessionTheIndexOfEachUsersSessionsRefusesFailsAndLeavesNoSignedInSession() {
		String user = newUser();
		INDEX_FAILS.set(true);
		EntityExchangeResult<String> login = login(user);
		INDEX_FAILS.set(false);
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(500);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertThat(account.getStatus().value()).as("%s", account).isEqualTo(302);
		assertThat(account.getResponseHeaders().getLocation()).hasToString("/login");
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero();
		// Nor under the id the login gave it, which the store saved as it changed it
		assertThat(SESSIONS.values().stream().filter((session) -> isSignedIn(session, user)).map(Session::getId))
			.as("sessions of the user in the store")
			.isEmpty();
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
		login(user);
		String before = Objects.requireNonNull(this.session);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> rotating = executor.submit(() -> post("/account/rotate-later"));
			this.gate.awaitArrival();
			assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
			this.gate.open();
			EntityExchangeResult<String> rotated = rotating.get(30, TimeUnit.SECONDS);
			assertServed(rotated);
			rememberCookie(rotated);
		}
		finally {
			executor.shutdownNow();
		}
		String renamed = Objects.requireNonNull(this.session);
		assertThat(renamed).as("a new session id").isNotEqualTo(before);
		String laptop = signInElsewhere(user, null);
		String tablet = signInElsewhere(user, null);
		this.session = laptop;
		EntityExchangeResult<String> end = delete("/session/sessions/" + SessionIds.hash(sessionIdOf(tablet)));
		assertThat(end.getStatus().value()).as("%s", end).isEqualTo(204);
		this.session = renamed;
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A request already running when another request of its session changes the session's
	 * id, after which the user is revoked, saves its copy under the old id after the
	 * revocation (the map saves whole copies): the old id is never served again, nor is
	 * the new one.
	 */
	@Test
	void aRequestRunningWhenItsSessionIsRenamedAndThenRevokedIsNotServedUnderTheOldIdAfterwards() throws Exception {
		String user = newUser();
		login(user);
		String before = Objects.requireNonNull(this.session);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> held = executor.submit(() -> this.client.get()
				.uri("/account/transfer-later")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(SESSION_COOKIE, before)
				.exchange()
				.expectBody(String.class)
				.returnResult());
			this.gate.awaitArrival();
			EntityExchangeResult<String> rotated = post("/account/rotate");
			assertServed(rotated);
			rememberCookie(rotated);
			assertThat(this.session).as("a new session id").isNotEqualTo(before);
			assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
			this.gate.open();
			held.get(30, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(SESSIONS).as("the running request's copy under the old id").containsKey(before);
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
		EntityExchangeResult<String> old = getWith(before, "/account");
		assertThat(old.getStatus().value()).as("%s", old).isEqualTo(401);
		assertThat(old.getResponseBody()).as("%s", old)
			.containsAnyOf("\"reason\":\"revoked\"", "\"reason\":\"invalid\"");
	}

	private static boolean isSignedIn(Session session, String user) {
		Object context = session
			.getAttribute(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
		return context instanceof SecurityContext signedIn && signedIn.getAuthentication() != null
				&& user.equals(signedIn.getAuthentication().getName());
	}

	@Override
	void assertNoUserStored(String sessionId) {
		Session session = SESSIONS.get(sessionId);
		Object user = (session != null) ? session
			.getAttribute(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME) : null;
		assertThat(user).as("the user in session %s of the store", sessionId).isNull();
	}

	@Override
	@Nullable Duration storeLifetime(String sessionId) {
		Session session = SESSIONS.get(sessionId);
		return (session != null) ? Duration.between(this.clock.instant(),
				session.getLastAccessedTime().plus(session.getMaxInactiveInterval())) : null;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ReactiveMapStoreConfiguration {

		/**
		 * The starter's index, as it keeps it for this store, refusing new entries while
		 * {@link #INDEX_FAILS} says so, as a store's index that does not answer.
		 */
		@Bean
		ReactiveUserSessionIndex reactiveUserSessionIndex() {
			ReactiveUserSessionIndex index = ReactiveUserSessionIndex.of(new InMemoryUserSessionIndex());
			return new ReactiveUserSessionIndex() {

				@Override
				public Mono<Void> add(String username, String sessionId, @Nullable Instant until, Instant now) {
					return INDEX_FAILS.get() ? Mono.error(new IllegalStateException("The index does not answer"))
							: index.add(username, sessionId, until, now);
				}

				@Override
				public Mono<Map<String, Instant>> sessions(String username, Instant now) {
					return index.sessions(username, now);
				}

				@Override
				public Mono<Void> remove(String username, Collection<String> sessionIds, Instant now) {
					return index.remove(username, sessionIds, now);
				}

				@Override
				public boolean isIndex() {
					return true;
				}

			};
		}

		/**
		 * What keeps why sessions ended, read without blocking as a store every node
		 * shares is (Redis), over this node's memory; its reads fail while
		 * {@link #ENDED_SESSIONS_FAILING_READS} says so, and the gate holds the read that
		 * {@link #ENDED_SESSIONS_HELD_READ} names.
		 */
		@Bean
		StoredEndedSessions storedEndedSessions(EndedSessions endedSessions, Gate gate) {
			return new StoredEndedSessions() {

				@Override
				public Mono<ExpiryReason> reasonInStore(String sessionId, Instant now) {
					return read(() -> endedSessions.reasonOf(sessionId, now));
				}

				@Override
				public Mono<EndedSessions.Entry> entryInStore(String sessionId, Instant now) {
					Mono<EndedSessions.Entry> read = read(() -> endedSessions.entryOf(sessionId, now));
					if (sessionId.equals(ENDED_SESSIONS_HELD_AFTER_SECOND_READ.get())
							&& READS_BEFORE_HELD.getAndDecrement() == 0) {
						ENDED_SESSIONS_HELD_AFTER_SECOND_READ.set(null);
						return read.map(Optional::of)
							.defaultIfEmpty(Optional.empty())
							.flatMap((entry) -> gate.pass().then(Mono.justOrEmpty(entry)));
					}
					return sessionId
						.equals(ENDED_SESSIONS_HELD_READ.getAndUpdate((held) -> sessionId.equals(held) ? null : held))
								? gate.pass().then(read) : read;
				}

				@Override
				public Mono<Void> rememberInStore(String key, EndedSessions.Entry entry, Instant now) {
					return Mono.fromRunnable(() -> endedSessions.remember(key, entry, now));
				}

				private <T> Mono<T> read(Supplier<@Nullable T> value) {
					return (ENDED_SESSIONS_FAILING_READS.getAndUpdate((reads) -> Math.max(reads - 1, 0)) > 0)
							? Mono.error(new IllegalStateException("The store of ended sessions does not answer"))
							: Mono.fromSupplier(value);
				}

			};
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(SESSIONS);
		}

		/**
		 * Spring Session's WebFlux store on the tests' clock, which it stamps each
		 * session's last access with.
		 */
		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository, MutableClock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

	}

}
