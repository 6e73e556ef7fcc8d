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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.InMemoryWebSessionStore;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SessionTimeoutWebFilter}: what the store tests cannot make a real
 * store do.
 *
 * @author session-timeout
 */
class SessionTimeoutWebFilterTests {

	private final MutableClock clock = new MutableClock();

	private final SessionClocks clocks;

	private final SessionTimeoutWebFilter filter;

	private final AtomicBoolean chainCalled = new AtomicBoolean();

	private final WebFilterChain chain = (exchange) -> Mono.fromRunnable(() -> this.chainCalled.set(true));

	SessionTimeoutWebFilterTests() {
		this.clock.fixAt(Instant.parse("2026-12-02T10:00:00Z"));
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.build();
		this.clocks = clocksOf(settings);
		this.filter = filterOf(this.clocks);
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerThenServiceUnavailableAndTheChainNeverRuns() {
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("/api/cart")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(new HttpCookie("SESSION", "abc")))
			.sessionManager((ignored) -> Mono.error(new DataAccessResourceFailureException("Redis is down")))
			.build();
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).contains("no-store");
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).contains("\"status\":503");
	}

	@Test
	void filterWhenTheSessionManagerGivesNoSessionThenTheChainRunsOnce() {
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("/api/cart").cookie(new HttpCookie("SESSION", "abc")))
			.sessionManager((ignored) -> Mono.empty())
			.build();
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
	}

	@Test
	void filterWhenTheRequestNamesNoSessionThenNoneIsLookedUp() {
		AtomicBoolean lookedUp = new AtomicBoolean();
		MockServerWebExchange exchange = MockServerWebExchange.builder(MockServerHttpRequest.get("/api/cart"))
			.sessionManager((ignored) -> Mono.fromRunnable(() -> lookedUp.set(true)))
			.build();
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
		assertThat(lookedUp).isFalse();
	}

	@Test
	void filterWhenTheFirstRequestAfterAnOidcLoginFindsALogoutKeptSinceThenItsSessionEndsRevoked() {
		WebSession session = markedSession();
		List<WebSession> checked = new ArrayList<>();
		this.filter.setPendingLogoutCheck(() -> (marked, now) -> Mono.fromRunnable(() -> {
			checked.add(marked);
			marked.getAttributes().put(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			marked.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		}));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(checked).containsExactly(session);
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"reason\":\"revoked\"");
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerThePendingLogoutCheckThenServiceUnavailableAndTheSessionKeepsItsMark() {
		WebSession session = markedSession();
		this.filter.setPendingLogoutCheck(
				() -> (marked, now) -> Mono.error(new DataAccessResourceFailureException("Redis is down")));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(session.getAttributes()).containsKey(SessionAttributes.LOGOUT_CHECK_PENDING);
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerThePendingLogoutCheckOfASessionWithoutStateThenNoClocksStartFromNow() {
		WebSession session = sessionWithoutState();
		session.getAttributes().put(SessionAttributes.LOGOUT_CHECK_PENDING, "1764669600000");
		this.filter.setPendingLogoutCheck(
				() -> (marked, now) -> Mono.error(new DataAccessResourceFailureException("Redis is down")));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().isCommitted()).isTrue();
		assertThat(SessionAttributes.hasState(session::getAttribute)).as("no clocks started from now").isFalse();
	}

	@Test
	void filterWhenTheSessionHasNoPendingLogoutCheckThenNoCheckIsAskedFor() {
		WebSession session = markedSession();
		session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		AtomicBoolean asked = new AtomicBoolean();
		this.filter.setPendingLogoutCheck(() -> {
			asked.set(true);
			return null;
		});
		this.filter.filter(apiRequest(session), this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
		assertThat(asked).isFalse();
	}

	@Test
	void filterWhenASessionWithoutStateWasLastAccessedInTheStorePastItsIdleDeadlineThenItEndsIdle() {
		WebSession session = sessionWithoutState();
		this.filter.setUserSessionStore(
				storeAnswering(session.getId(), Mono.just(this.clock.instant().minus(Duration.ofMinutes(31)))));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"reason\":\"idle\"");
	}

	@Test
	void filterWhenASessionWithoutStateWasLastAccessedInTheStoreWithinItsIdleDeadlineThenItIsServedIdleSinceThen() {
		WebSession session = sessionWithoutState();
		Instant lastAccess = this.clock.instant().minus(Duration.ofMinutes(29));
		this.filter.setUserSessionStore(storeAnswering(session.getId(), Mono.just(lastAccess)));
		this.filter.filter(apiRequest(session), this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
		assertThat(SessionAttributes.read(session::getAttribute)).as("adopted")
			.isNotNull()
			.satisfies((timeline) -> assertThat(timeline.createdAt()).isEqualTo(session.getCreationTime()));
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerTheLastAccessOfASessionWithoutStateThenServiceUnavailable() {
		WebSession session = sessionWithoutState();
		this.filter.setUserSessionStore(
				storeAnswering(session.getId(), Mono.error(new DataAccessResourceFailureException("Redis is down"))));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().isCommitted()).isTrue();
		assertThat(SessionAttributes.hasState(session::getAttribute)).as("no clocks started from now").isFalse();
	}

	@Test
	void filterWhenTheReadOfTheLastAccessOfASessionWithoutStateFailsThenTheRequestFailsUnserved() {
		WebSession session = sessionWithoutState();
		this.filter.setUserSessionStore(
				storeAnswering(session.getId(), Mono.error(new IllegalStateException("Unreadable session"))));
		MockServerWebExchange exchange = apiRequest(session);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5)));
		exchange.getResponse().setComplete().block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(SessionAttributes.hasState(session::getAttribute)).as("not adopted").isFalse();
	}

	@Test
	void filterWhenTheStoreNoLongerHasASessionWithoutStateThenItIsNotServedAndIsInvalidated() {
		WebSession session = sessionWithoutState();
		this.filter.setUserSessionStore(storeAnswering(session.getId(), Mono.empty()));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"reason\":\"invalid\"");
		assertThat(session.isExpired()).as("invalidated").isTrue();
	}

	@Test
	void filterWhenTheSessionHoldsTheStartersStateThenTheStoreIsNotReadForItsLastAccess() {
		WebSession session = sessionWithoutState();
		this.clocks.start(new WebSessionAccess(session));
		AtomicBoolean read = new AtomicBoolean();
		this.filter.setUserSessionStore(storeAnswering(session.getId(), Mono.fromRunnable(() -> read.set(true))));
		this.filter.filter(apiRequest(session), this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
		assertThat(read).isFalse();
	}

	/**
	 * Every answer the filter writes before the security filter chain runs goes through
	 * that chain's headers ({@link ReactiveSessionAuthentication#writeAnswer}), once.
	 */
	@Test
	void filterWhenTheStoreDoesNotAnswerTheLookupThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("/api/cart")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(new HttpCookie("SESSION", "abc")))
			.sessionManager((ignored) -> Mono.error(new DataAccessResourceFailureException("Redis is down")))
			.build();
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerThePendingLogoutCheckThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		this.filter.setPendingLogoutCheck(
				() -> (marked, now) -> Mono.error(new DataAccessResourceFailureException("Redis is down")));
		MockServerWebExchange exchange = apiRequest(markedSession());
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerTheLastAccessThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession session = sessionWithoutState();
		this.filter.setUserSessionStore(
				storeAnswering(session.getId(), Mono.error(new DataAccessResourceFailureException("Redis is down"))));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void filterWhenTheStoreDoesNotAnswerTheInvalidationOfAnEndedSessionThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession session = new ForwardingWebSession(markedSession()) {

			@Override
			public Mono<Void> invalidate() {
				return Mono.error(new DataAccessResourceFailureException("Redis is down"));
			}

		};
		session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void filterWhenTheSessionEndedThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession session = markedSession();
		session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"reason\":\"idle\"");
	}

	@Test
	void filterWhenTheSessionOfANavigationEndedThenTheRedirectCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession session = markedSession();
		session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("/cart")
				.accept(MediaType.TEXT_HTML)
				.header("Sec-Fetch-Mode", "navigate")
				.cookie(new HttpCookie("SESSION", session.getId())))
			.session(session)
			.build();
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.FOUND);
		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/login?expired=idle");
	}

	@Test
	void filterWhenTheStoreNoLongerHasTheSessionThenTheAnswerCarriesTheChainsHeaders() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession unknown = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
		MockServerWebExchange exchange = apiRequest(unknown);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"reason\":\"invalid\"");
	}

	/**
	 * Without a security filter chain that answers challenges, the filter answers the
	 * user who must authenticate again itself, before any chain runs.
	 */
	@Test
	void filterWhenItChallengesTheUserItselfThenTheAnswerCarriesTheChainsHeaders() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(15))
			.reauthentication(Duration.ofMinutes(20))
			.build();
		SessionClocks clocks = clocksOf(settings);
		SessionTimeoutWebFilter filter = filterOf(clocks);
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		filter.setAuthentication(authentication);
		WebSession session = signedInSession(clocks, settings, "proved");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(10)));
		filter.filter(apiRequest(session), this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).as("served, active").isTrue();
		this.chainCalled.set(false);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(10)));
		MockServerWebExchange exchange = apiRequest(session);
		filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertAnsweredWithTheChainsHeaders(exchange, authentication, HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst("WWW-Authenticate")).contains("max_age");
		assertThat(session.isExpired()).as("the session goes on").isFalse();
	}

	/**
	 * A request served from its session gets the chain's headers from the chain alone:
	 * nothing of the answers' is asked for.
	 */
	@Test
	void filterWhenTheSessionIsServedThenNoAnswerIsWritten() {
		ChainHeadersAuthentication authentication = new ChainHeadersAuthentication();
		this.filter.setAuthentication(authentication);
		WebSession session = markedSession();
		session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)).minusMillis(1));
		MockServerWebExchange exchange = apiRequest(session);
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isTrue();
		assertThat(authentication.written).hasValue(0);
	}

	private void assertAnsweredWithTheChainsHeaders(MockServerWebExchange exchange,
			ChainHeadersAuthentication authentication, HttpStatus status) {
		exchange.getResponse().setComplete().block(Duration.ofSeconds(5));
		assertThat(this.chainCalled).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(status);
		assertThat(authentication.written).as("answers written through the chain's headers").hasValue(1);
		assertThat(exchange.getResponse().getHeaders().getFirst(ChainHeadersAuthentication.HEADER))
			.isEqualTo("nosniff");
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).contains("no-store");
	}

	/**
	 * Return a started session without the starter's state, created an hour ago.
	 */
	private WebSession sessionWithoutState() {
		InMemoryWebSessionStore store = new InMemoryWebSessionStore();
		store.setClock(Clock.fixed(this.clock.instant().minus(Duration.ofHours(1)), ZoneOffset.UTC));
		WebSession session = store.createWebSession().block(Duration.ofSeconds(5));
		session.start();
		return session;
	}

	/**
	 * Return a store that answers the last access of one session.
	 */
	private static UserSessionStore storeAnswering(String sessionId, Mono<Instant> lastAccess) {
		return new UserSessionStore() {

			@Override
			public Mono<Found> sessionsOf(String username, Instant now, Set<String> read) {
				return Mono.error(new UnsupportedOperationException());
			}

			@Override
			public Mono<Instant> lastAccessedTime(String id) {
				assertThat(id).isEqualTo(sessionId);
				return lastAccess;
			}

		};
	}

	/**
	 * The status names {@code privilegedUntil} only for a session whose authentication
	 * the decision of a privileged operation may find privileged (WebFlux: one that did
	 * not tell when its user authenticated, or proved no factor, is never privileged).
	 */
	@Test
	void statusWhenTheSessionsAuthenticationCanNeverBePrivilegedThenItNamesNoPrivilegedAge() {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.privilegedMaxAge(Duration.ofMinutes(15))
			.build();
		SessionClocks clocks = clocksOf(settings);
		SessionTimeoutWebFilter filter = filterOf(clocks);
		filter.setAuthentication(new UserAttributeAuthentication());
		WebSession privileged = signedInSession(clocks, settings, "proved");
		WebSession neverPrivileged = signedInSession(clocks, settings, "remembered");
		assertThat(clocks.status(privileged::getAttribute).orElseThrow().privilegedUntil())
			.isEqualTo(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertThat(clocks.status(neverPrivileged::getAttribute).orElseThrow().privilegedUntil()).isNull();
	}

	private SessionClocks clocksOf(SessionTimeoutSettings settings) {
		return new SessionClocks(settings, this.clock, (event) -> {
		});
	}

	private static SessionTimeoutWebFilter filterOf(SessionClocks clocks) {
		return new SessionTimeoutWebFilter(clocks, "/login?expired={reason}", PathPatterns.NONE,
				new CookieWebSessionIdResolver());
	}

	private static WebSession signedInSession(SessionClocks clocks, SessionTimeoutSettings settings, String user) {
		WebSession session = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
		session.start();
		session.getAttributes().put(UserAttributeAuthentication.ATTRIBUTE, user);
		clocks.recordAuthentication(new WebSessionAccess(session), null, settings.getDefaultPolicy());
		return session;
	}

	/**
	 * Return a started session with running clocks that its OpenID Connect login marked
	 * for the look again at its first request.
	 */
	private WebSession markedSession() {
		WebSession session = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
		session.start();
		this.clocks.start(new WebSessionAccess(session));
		session.getAttributes().put(SessionAttributes.LOGOUT_CHECK_PENDING, "1764669600000");
		return session;
	}

	/**
	 * Users kept by name in one attribute: only {@code proved} may be privileged.
	 */
	private static class UserAttributeAuthentication implements ReactiveSessionAuthentication {

		static final String ATTRIBUTE = "user";

		@Override
		public String attribute() {
			return ATTRIBUTE;
		}

		@Override
		public boolean isAuthenticated(@Nullable Object stored) {
			return stored != null;
		}

		@Override
		public @Nullable String nameOf(@Nullable Object stored) {
			return (stored != null) ? stored.toString() : null;
		}

		@Override
		public boolean mayBePrivileged(@Nullable Object stored) {
			return "proved".equals(stored);
		}

		@Override
		public @Nullable SessionTimeoutPolicy policyOf(@Nullable Object stored) {
			return null;
		}

		@Override
		public @Nullable Login login(@Nullable Object previous, Object stored, @Nullable PendingChallenge challenge,
				Instant now) {
			return null;
		}

	}

	/**
	 * Writes answers as a security filter chain's headers would: as the response commits,
	 * one header that this test's chain adds to every response.
	 */
	private static final class ChainHeadersAuthentication extends UserAttributeAuthentication {

		static final String HEADER = "X-Content-Type-Options";

		final AtomicInteger written = new AtomicInteger();

		@Override
		public Mono<Void> writeAnswer(ServerWebExchange exchange, Supplier<Mono<Void>> answer) {
			this.written.incrementAndGet();
			exchange.getResponse()
				.beforeCommit(
						() -> Mono.fromRunnable(() -> exchange.getResponse().getHeaders().set(HEADER, "nosniff")));
			return Mono.defer(answer);
		}

	}

	private static MockServerWebExchange apiRequest(WebSession session) {
		return MockServerWebExchange
			.builder(MockServerHttpRequest.get("/api/cart")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(new HttpCookie("SESSION", session.getId())))
			.session(session)
			.build();
	}

}
