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
package dev.sessiontimeout.internal.reactive;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.users.UserSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.SpringSessionAccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ReactiveStoreUserSessions} on Spring Session's reactive map store,
 * through the index the starter keeps.
 *
 * @author session-timeout
 */
class ReactiveStoreUserSessionsTests {

	private static final Instant LOGIN = Instant.parse("2026-12-05T08:00:00Z");

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String PRINCIPAL = "test.principal";

	private static final String PROVIDER = "test.provider";

	private final MutableClock clock = new MutableClock();

	private volatile @Nullable Runnable beforeNextRevocationSave;

	private final ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(
			new ConcurrentHashMap<>()) {

		@Override
		public Mono<Void> save(MapSession session) {
			Runnable before = ReactiveStoreUserSessionsTests.this.beforeNextRevocationSave;
			if (before != null && session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
				ReactiveStoreUserSessionsTests.this.beforeNextRevocationSave = null;
				before.run();
			}
			return super.save(session);
		}

	};

	private final InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();

	private final InMemoryEndedSessions endedSessions = new InMemoryEndedSessions();

	private final List<Object> events = new ArrayList<>();

	private SessionClocks clocks;

	private ReactiveStoreUserSessions userSessions;

	@BeforeEach
	void createUserSessions() {
		this.clock.fixAt(LOGIN);
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(8))
			.idle(Duration.ofMinutes(30))
			.build();
		this.clocks = new SessionClocks(settings, this.clock, this.events::add);
		this.clocks.setPrincipalResolver(new SessionPrincipalResolver() {

			@Override
			public @Nullable String resolve(SessionAttributeSource session) {
				return (String) session.getAttribute(PRINCIPAL);
			}

			@Override
			public @Nullable String provider(SessionAttributeSource session) {
				return (String) session.getAttribute(PROVIDER);
			}

		});
		this.clocks.setEndedSessions(this.endedSessions);
		this.userSessions = new ReactiveStoreUserSessions(new SpringSessionUserSessionStore(this.repository,
				ReactiveUserSessionIndex.of(this.index), this.clocks), this.clocks, this.clock, this.events::add);
		this.userSessions.setEndedSessions(this.endedSessions);
	}

	@Test
	void revokeAllWhenTheSessionsIdChangesAfterItWasReadThenRevokesItUnderItsNewIdOnce() {
		MapSession session = signIn("user");
		List<String> renamed = new ArrayList<>();
		// Runs as the revocation, which read the session under its old id, writes
		this.beforeNextRevocationSave = () -> {
			// A request of the session changes its id, saves it and indexes it
			MapSession requestsCopy = this.repository.findById(session.getId()).block(TIMEOUT);
			renamed.add(requestsCopy.changeSessionId());
			this.repository.save(requestsCopy).block(TIMEOUT);
			this.index.add("user", requestsCopy.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		};
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));
		List<String> revoked = this.userSessions.revoke("user").block(TIMEOUT);
		assertThat(renamed).hasSize(1);
		String newId = renamed.get(0);
		assertThat(revoked).containsExactly(SessionIds.hash(newId));
		assertThat(this.repository.findById(newId).block(TIMEOUT).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.isNotNull();
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(((SessionEndedEvent) event).getSessionIdHash())
				.isEqualTo(SessionIds.hash(newId)));
		assertThat(this.endedSessions.reasonOfRevived(newId, this.clock.instant())).isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void revokeAllWhenTheSessionsIdChangesAfterItWasReadThenARunningRequestsCopyUnderTheOldIdIsEndedAgain() {
		MapSession session = signIn("user");
		// A request of the session that was already running, under its old id
		MapSession runningRequestsCopy = this.repository.findById(session.getId()).block(TIMEOUT);
		// Runs as the revocation, which read the session under its old id, writes
		this.beforeNextRevocationSave = () -> {
			// Another request of the session changes its id, saves it and indexes it
			MapSession requestsCopy = this.repository.findById(session.getId()).block(TIMEOUT);
			requestsCopy.changeSessionId();
			this.repository.save(requestsCopy).block(TIMEOUT);
			this.index.add("user", requestsCopy.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		};
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));
		assertThat(this.userSessions.revoke("user").block(TIMEOUT)).hasSize(1);
		// The running request saves its copy, under the old id, over the revocation
		this.repository.save(runningRequestsCopy).block(TIMEOUT);
		assertThat(this.repository.findById(session.getId())
			.block(TIMEOUT)
			.<Object>getAttribute(SessionAttributes.REVOKED_AT)).isNull();
		assertThat(this.endedSessions.reasonOfRevived(session.getId(), this.clock.instant()))
			.as("the copy saved under the old id is ended again")
			.isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void revokeAllWhenTheUserHasSessionsThenReadsEachOnceAndCountsEach() {
		List<MapSession> sessions = List.of(signIn("user"), signIn("user"), signIn("user"));
		signIn("admin");
		assertThat(this.userSessions.revokeAll("user").block(TIMEOUT)).isEqualTo(3);
		for (MapSession session : sessions) {
			assertThat(this.repository.findById(session.getId())
				.block(TIMEOUT)
				.<Object>getAttribute(SessionAttributes.REVOKED_AT)).isNotNull();
		}
		assertThat(this.events).hasSize(3);
		assertThat(this.userSessions.revokeAll("user").block(TIMEOUT)).as("revoked already").isZero();
	}

	@Test
	void revokeAllWhenAnAnnouncementFailsThenAnnouncesTheOtherSessionsAndFails() {
		signIn("user");
		signIn("user");
		List<Object> announced = new ArrayList<>();
		ReactiveStoreUserSessions userSessions = new ReactiveStoreUserSessions(
				new SpringSessionUserSessionStore(this.repository, ReactiveUserSessionIndex.of(this.index),
						this.clocks),
				this.clocks, this.clock, (event) -> {
					announced.add(event);
					if (announced.size() == 1) {
						throw new IllegalStateException("A listener failed");
					}
				});
		assertThatIllegalStateException().isThrownBy(() -> userSessions.revokeAll("user").block(TIMEOUT))
			.withMessage("A listener failed");
		assertThat(announced).hasSize(2);
	}

	/**
	 * A revocation marker whose time cannot be read still revokes, at once, as every
	 * request's decision reads it: the session is neither listed as live nor counted by
	 * the starter's decoration of the {@code ReactiveSessionRegistry}.
	 */
	@Test
	void endedSessionIdsWhenARevocationMarkerCannotBeReadThenTheSessionEnded() {
		signIn("user");
		MapSession marked = signIn("user");
		MapSession stored = this.repository.findById(marked.getId()).block(TIMEOUT);
		stored.setAttribute(SessionAttributes.REVOKED_AT, "not a time");
		this.repository.save(stored).block(TIMEOUT);
		assertThat(this.userSessions.endedSessionIds("user").block(TIMEOUT)).containsExactly(marked.getId());
		assertThat(this.userSessions.list("user").collectList().block(TIMEOUT)).hasSize(1);
	}

	/**
	 * A signed-in session that holds no policy of its own (a login the starter did not
	 * record) gets the policy of its authentication at its next request, which may serve
	 * it past the global idle end: it has not ended, and must not be left out of the
	 * user's sessions by the decoration of the {@code ReactiveSessionRegistry}.
	 */
	@Test
	void endedSessionIdsWhenASessionHoldsNoPolicyThenItIsNotEndedByTheGlobalPolicy() {
		MapSession session = signIn("user");
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(31)));
		assertThat(this.userSessions.endedSessionIds("user").block(TIMEOUT)).isEmpty();
		assertThat(this.userSessions.list("user").collectList().block(TIMEOUT)).hasSize(1);
		assertThat(this.userSessions.find("user").collectList().block(TIMEOUT)).extracting(UserSession::sessionId)
			.containsExactly(session.getId());
	}

	@Test
	void endedSessionIdsWhenASessionHoldsThePolicyOfItsLoginThenItIsEndedByIt() {
		MapSession session = signInRecorded("user");
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(30)).minusMillis(1));
		assertThat(this.userSessions.endedSessionIds("user").block(TIMEOUT)).isEmpty();
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(30)));
		assertThat(this.userSessions.endedSessionIds("user").block(TIMEOUT)).containsExactly(session.getId());
		assertThat(this.userSessions.list("user").collectList().block(TIMEOUT)).isEmpty();
	}

	/**
	 * The WebFlux twin of SpringSessionUserSessionsTests' test of the same name: a bearer
	 * token's user who sends another user's session cookie along revokes its own other
	 * sessions, not that user's.
	 */
	@Test
	void revokeOthersWhenABearerTokensUserSendsTheSessionOfAnotherUserThenRevokesTheTokenUsersSessions() {
		MapSession anotherUsers = signIn("alice");
		MapSession anotherUsersElsewhere = signIn("alice");
		MapSession callers = signIn("bob");
		MapSession callersElsewhere = signIn("bob");
		this.userSessions.revokeOthers(exchangeOf(anotherUsers, "bob")).block(TIMEOUT);
		assertThat(revokedAt(anotherUsersElsewhere)).as("the other user's other session").isNull();
		assertThat(revokedAt(callers)).as("a session of the token's user").isNotNull();
		assertThat(revokedAt(callersElsewhere)).as("another session of the token's user").isNotNull();
	}

	/**
	 * A request of a user the application signed in itself (HTTP Basic, a bearer token)
	 * that carries the session of a user of the same name signed in with an identity
	 * provider, which the starter holds for another user (SessionClocks.isSessionOf): the
	 * caller's own sessions are revoked, the other user's are left alone.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesTheSessionOfAUserOfTheSameNameFromAnotherProviderThenRevokesTheCallersSessions() {
		MapSession anotherUsers = signIn("alice");
		anotherUsers.setAttribute(PROVIDER, "idp");
		this.repository.save(anotherUsers).block(TIMEOUT);
		MapSession anotherUsersElsewhere = signIn("alice");
		anotherUsersElsewhere.setAttribute(PROVIDER, "idp");
		this.repository.save(anotherUsersElsewhere).block(TIMEOUT);
		MapSession callers = signIn("alice");
		this.userSessions.revokeOthers(exchangeOf(anotherUsers, "alice")).block(TIMEOUT);
		assertThat(revokedAt(anotherUsersElsewhere)).as("a session of the identity provider's alice").isNull();
		assertThat(revokedAt(callers)).as("a session of the caller, the application's alice").isNotNull();
	}

	/**
	 * The self-service endpoint's twin of the test above: a request of one user (a bearer
	 * token, HTTP Basic) that carries the session cookie of another lists, and ends by
	 * handle, the sessions of the request's own user only, never those of the user whose
	 * session it carries.
	 */
	@Test
	void selfServiceWhenABearerTokensUserSendsTheSessionOfAnotherUserThenActsForTheTokensUserOnly() {
		MapSession anotherUsers = signIn("alice");
		MapSession anotherUsersElsewhere = signIn("alice");
		MapSession callers = signIn("bob");
		RouterFunction<ServerResponse> routes = new ReactiveUserSessionsHandler(this.userSessions, this.clocks, false)
			.routes("/session/sessions");
		EntityResponse<?> listing = (EntityResponse<?>) answer(routes,
				exchangeOf(anotherUsers, "bob", MockServerHttpRequest.get("/session/sessions")));
		assertThat(listing.statusCode().value()).isEqualTo(200);
		assertThat(listing.entity()).asString()
			.contains(SessionIds.hash(callers.getId()))
			.doesNotContain(SessionIds.hash(anotherUsers.getId()), SessionIds.hash(anotherUsersElsewhere.getId()));
		ServerResponse end = answer(routes, exchangeOf(anotherUsers, "bob",
				MockServerHttpRequest.delete("/session/sessions/" + SessionIds.hash(anotherUsersElsewhere.getId()))));
		assertThat(end.statusCode().value()).isEqualTo(404);
		assertThat(revokedAt(anotherUsersElsewhere)).as("the other user's other session").isNull();
	}

	/**
	 * The WebFlux twin of SpringSessionUserSessionsTests' test of the same name: a
	 * step-up of the caller's own session, still in its request when the caller revokes
	 * its other sessions, must not end the caller's session as that request ends.
	 */
	@Test
	void revokeOthersWhileAStepUpOfTheCallersOwnSessionIsInFlightThenItsEndKeepsTheCallersSession() {
		MapSession current = signIn("alice");
		MapSession otherDevice = signIn("alice");
		// The step-up's request: its own copy of the caller's session, signed in again
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession stepUp = this.repository.findById(current.getId()).block(TIMEOUT);
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(stepUp::getAttribute);
		assertThat(seen).isNotNull();
		stepUp.changeSessionId();
		// The password change, whose request loaded the session under its old id
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(exchangeOf(current, null)).block(TIMEOUT)).isOne();
		assertThat(revokedAt(otherDevice)).isNotNull();
		assertThat(revokedAt(current)).isNull();
		// The step-up's request ends
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(stepUp).block(TIMEOUT);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), stepUp.getId(), this.clock.instant()))
			.as("the caller's own session, under the step-up's new id, ends as the step-up's request ends")
			.isFalse();
	}

	/**
	 * The WebFlux twin of SpringSessionUserSessionsTests' guard of the same name: what
	 * spares a login in flight in the caller's own session under a later id does not
	 * spare one in another session of the caller's user (created at another instant),
	 * which ends as its request ends (fail closed).
	 */
	@Test
	void revokeOthersWhileALoginInAnotherSessionOfTheCallerIsInFlightThenItsEndEndsThatSession() {
		MapSession current = signIn("alice");
		this.clock.fixAt(LOGIN.plusMillis(1));
		MapSession otherDevice = signIn("alice");
		// The login's request, in the other session: its own copy, signed in again
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(otherDevice.getId()).block(TIMEOUT);
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		login.changeSessionId();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(exchangeOf(current, null)).block(TIMEOUT)).isOne();
		// The login's request ends
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login).block(TIMEOUT);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login in flight in another session of the caller's user")
			.isTrue();
	}

	/**
	 * The WebFlux twin of SpringSessionUserSessionsTests' test of the same name: a login
	 * of the caller's user in flight in the session of another user that the exchange
	 * carries, under its id, is not spared as the caller's own session.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesAnotherUsersSessionThenALoginInFlightUnderItsIdIsNotSpared() {
		MapSession anotherUsers = signIn("alice");
		MapSession callers = signIn("bob");
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(anotherUsers.getId()).block(TIMEOUT);
		login.setAttribute(PRINCIPAL, "bob");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(exchangeOf(anotherUsers, "bob")).block(TIMEOUT)).isOne();
		assertThat(revokedAt(callers)).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login).block(TIMEOUT);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login of the caller in flight in another user's session, under its id")
			.isTrue();
	}

	/**
	 * The WebFlux twin of SpringSessionUserSessionsTests' test of the same name: what the
	 * session of another user keeps across a change of its id does not spare a login of
	 * the caller's user in flight in it that changed its id.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesAnotherUsersSessionThenALoginInFlightUnderANewIdIsNotSpared() {
		MapSession anotherUsers = signIn("alice");
		signIn("bob");
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(anotherUsers.getId()).block(TIMEOUT);
		login.setAttribute(PRINCIPAL, "bob");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		assertThat(seen.renamedFrom()).isNotNull();
		login.changeSessionId();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(exchangeOf(anotherUsers, "bob")).block(TIMEOUT)).isOne();
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login).block(TIMEOUT);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login of the caller in flight in another user's session, under a new id")
			.isTrue();
	}

	/**
	 * Return an exchange of a session, as Spring Session's WebFlux support hands it to
	 * the application, with the given user as its principal, if any.
	 */
	private ServerWebExchange exchangeOf(MapSession session, @Nullable String user) {
		return exchangeOf(session, user, MockServerHttpRequest.post("/account/password"));
	}

	private ServerWebExchange exchangeOf(MapSession session, @Nullable String user,
			MockServerHttpRequest.BaseBuilder<?> request) {
		WebSession webSession = new SpringSessionWebSessionStore<>(this.repository).retrieveSession(session.getId())
			.block(TIMEOUT);
		ServerWebExchange exchange = MockServerWebExchange.builder(request.build()).session(webSession).build();
		Principal principal = () -> user;
		return (user != null) ? exchange.mutate().principal(Mono.just(principal)).build() : exchange;
	}

	/**
	 * Spring Session's reactive Redis indexed repository whose lookup by principal name
	 * fails as a whole, where a session its index names fails on its own when read one by
	 * one: the revocation throws that session's failure, and the lookup's own, which
	 * tells why the sessions were read one by one, is suppressed in it rather than lost.
	 */
	@Test
	void revokeAllWhenTheStoresLookupFailsAndASessionFailsOnItsOwnThenThrowsWithTheLookupsFailureSuppressed() {
		SpringSessionUserSessionStore store = new SpringSessionUserSessionStore(new FailingLookupRepository(),
				ReactiveUserSessionIndex.NONE, this.clocks);
		store.setIndexedSessionIds((username) -> Flux.just("unreadable"));
		ReactiveStoreUserSessions indexed = new ReactiveStoreUserSessions(store, this.clocks, this.clock,
				this.events::add);
		assertThatIllegalStateException().isThrownBy(() -> indexed.revokeAll("user").block(TIMEOUT))
			.withMessageContaining("Cannot read unreadable")
			.satisfies((ex) -> assertThat(ex.getSuppressed())
				.anySatisfy((suppressed) -> assertThat(suppressed).hasMessageContaining("cannot be read")));
	}

	private static ServerResponse answer(RouterFunction<ServerResponse> routes, ServerWebExchange exchange) {
		ServerRequest request = ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());
		return routes.route(request).flatMap((handler) -> handler.handle(request)).block(TIMEOUT);
	}

	private @Nullable Object revokedAt(MapSession session) {
		return this.repository.findById(session.getId()).block(TIMEOUT).getAttribute(SessionAttributes.REVOKED_AT);
	}

	private MapSession signInRecorded(String username) {
		MapSession session = this.repository.createSession().block(TIMEOUT);
		session.setAttribute(PRINCIPAL, username);
		SpringSessionAccess access = new SpringSessionAccess(session);
		this.clocks.start(access);
		this.clocks.recordAuthentication(access, null, this.clocks.getSettings().getDefaultPolicy());
		this.repository.save(session).block(TIMEOUT);
		this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		return session;
	}

	private MapSession signIn(String username) {
		MapSession session = this.repository.createSession().block(TIMEOUT);
		session.setAttribute(PRINCIPAL, username);
		this.clocks.start(new SpringSessionAccess(session));
		this.repository.save(session).block(TIMEOUT);
		this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		return session;
	}

	/**
	 * A reactive principal-indexed repository whose lookup by principal name fails as a
	 * whole, and that cannot read the session {@code unreadable}.
	 */
	private static final class FailingLookupRepository
			implements ReactiveSessionRepository<MapSession>, ReactiveFindByIndexNameSessionRepository<MapSession> {

		@Override
		public Mono<MapSession> createSession() {
			return Mono.just(new MapSession());
		}

		@Override
		public Mono<Void> save(MapSession session) {
			return Mono.empty();
		}

		@Override
		public Mono<MapSession> findById(String id) {
			return "unreadable".equals(id) ? Mono.error(new IllegalStateException("Cannot read " + id)) : Mono.empty();
		}

		@Override
		public Mono<Void> deleteById(String id) {
			return Mono.empty();
		}

		@Override
		public Mono<Map<String, MapSession>> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			return Mono.error(new IllegalStateException("A session of the user cannot be read"));
		}

	}

}
