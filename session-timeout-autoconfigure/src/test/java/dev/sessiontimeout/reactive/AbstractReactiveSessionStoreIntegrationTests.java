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

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.SwitchUserWebFilter;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.core.Ordered;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.ReactiveSessionTimeouts;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.testsupport.DiagnoseTimeouts;
import dev.sessiontimeout.testsupport.InFlightRequests;
import dev.sessiontimeout.testsupport.LettuceStallWatch;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expectations every reactive session store meets, run once per store by its
 * subclasses: real HTTP against a real Netty server through WebFlux's session manager and
 * this starter's {@code SessionTimeoutWebFilter}, with a shiftable clock, and Spring
 * Security's form login. Absolute lifetime 2h, idle 30m, re-authentication 1h, privileged
 * age 15m (for {@code /account/transfer}), store grace 1m; administrators 90m and 10m;
 * travellers 90m with a persistent session cookie; {@code /api/poll} is passive. Each
 * store's own expiry is read as the time it still keeps a session, on its own clock.
 */
@DirtiesContext
@ExtendWith(DiagnoseTimeouts.class)
@SpringBootTest(classes = AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "session-timeout.store-grace=1m", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/transfer",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].absolute=90m", "session-timeout.policies[0].idle=10m",
				"session-timeout.policies[1].name=travellers", "session-timeout.policies[1].authorities=ROLE_TRAVELLER",
				"session-timeout.policies[1].absolute=90m", "session-timeout.policies[1].cookie-persistent=true",
				"session-timeout.activity.passive-paths=/api/poll" })
abstract class AbstractReactiveSessionStoreIntegrationTests {

	static final Duration ABSOLUTE = Duration.ofHours(2);

	static final Duration IDLE = Duration.ofMinutes(30);

	static final Duration MILLI = Duration.ofMillis(1);

	static final Duration STORE_GRACE = Duration.ofMinutes(1);

	static final Duration REAUTHENTICATION = Duration.ofHours(1);

	static final Duration PRIVILEGED = Duration.ofMinutes(15);

	static final Duration EXPORT_MAX_AGE = Duration.ofMinutes(5);

	static final Duration UNKNOWN_DEVICE_ABSOLUTE = Duration.ofMinutes(20);

	static final String SESSION_COOKIE = "SESSION";

	/**
	 * Where an administrator switches to another user (Spring Security's
	 * {@code SwitchUserWebFilter}), with a POST whose query names that user's
	 * {@code username}.
	 */
	static final String SWITCH_USER_PATH = "/login/impersonate";

	static final String FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	EndedEvents events;

	@Autowired
	ReactiveUserSessions userSessions;

	@Autowired
	Gate gate;

	Instant start;

	WebTestClient client;

	@Nullable String session;

	@BeforeEach
	void freshClient() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.events.clear();
		// A connection of its own for each request: nothing a previous request or test
		// left on a pooled connection reaches the next one
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.session = null;
	}

	/**
	 * The header that has the application's own {@code WebFilter}, ordered before the
	 * starter's, look the request's session up (as a filter that logs or reads a tenant
	 * from the session would).
	 */
	static final String EARLY_LOOK_HEADER = "X-Early-Look";

	EntityExchangeResult<String> early(WebTestClient.RequestHeadersSpec<?> request) {
		return send(request.header(EARLY_LOOK_HEADER, "true"));
	}

	@Test
	void aLogoutWhoseSessionAnApplicationFilterReadFirstLeavesTheOldCookieSignedOut() {
		login("alice");
		String signedIn = Objects.requireNonNull(this.session);
		assertServed(early(this.client.get().uri("/account").accept(MediaType.APPLICATION_JSON)));
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> logout = early(this.client.post().uri("/logout").accept(MediaType.TEXT_HTML));
		assertThat(logout.getStatus().value()).as("%s", logout).isEqualTo(302);
		assertNoUserStored(sessionIdOf(signedIn));
		shiftTo(this.start.plus(Duration.ofMinutes(2)));
		// A copy of the cookie taken before the sign-out signs no one in
		EntityExchangeResult<String> replayed = getWith(signedIn, "/account");
		assertThat(replayed.getStatus().value()).as("%s", replayed).isNotEqualTo(200);
		assertThat(replayed.getResponseBody()).as("%s", replayed).doesNotContain("alice");
	}

	@Test
	void aLoginWhoseSessionAnApplicationFilterReadFirstIsServedAndTheOldCookieIsNotSignedIn() {
		addToCart("apple");
		String anonymous = Objects.requireNonNull(this.session);
		EntityExchangeResult<String> login = early(loginRequestOf("alice"));
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).isNotEqualTo(URI.create("/login?error"));
		assertThat(this.session).isNotEqualTo(anonymous);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains("\"name\":\"alice\"");
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody()).contains("apple");
		EntityExchangeResult<String> old = getWith(anonymous, "/account");
		assertThat(old.getResponseBody()).as("%s", old).doesNotContain("alice");
	}

	/**
	 * SPEC section 10 ({@code revokeOthers}, the self-service endpoint) for an
	 * application that files its sessions in the store's principal index under a name of
	 * its own (Spring Session's {@code PRINCIPAL_NAME_INDEX_NAME} attribute, the user's
	 * email address): the caller's other sessions are found and ended all the same. A
	 * "sign out my other devices" that ended none while it answered success would leave
	 * them signed in (fail open).
	 */
	@Test
	void theCallersOtherSessionsAreEndedWhereTheApplicationIndexesThemUnderANameOfItsOwn() {
		String user = newUser();
		login(user);
		String laptop = this.session;
		String phone = signInElsewhere(user, null);
		assertServed(post("/api/index-by-email"));
		this.session = phone;
		assertServed(post("/api/index-by-email"));
		this.session = laptop;
		EntityExchangeResult<String> change = post("/account/password");
		assertServed(change);
		assertThat(change.getResponseBody()).isEqualTo("{\"signedOutElsewhere\":1}");
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertProblem(getWith(phone, "/account"), ExpiryReason.REVOKED);
		EntityExchangeResult<String> listing = get("/session/sessions", MediaType.APPLICATION_JSON);
		assertServed(listing);
		assertThat(listing.getResponseBody()).as("the caller's sessions")
			.contains(SessionIds.hash(sessionIdOf(laptop)))
			.doesNotContain(SessionIds.hash(sessionIdOf(phone)));
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).hasSize(1);
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	@Test
	void aRevokeOthersFromASessionAnApplicationFilterReadFirstKeepsItAndEndsTheOthers() {
		String user = newUser();
		login(user);
		String other = signInElsewhere(user, null);
		EntityExchangeResult<String> change = early(
				this.client.post().uri("/account/password").accept(MediaType.APPLICATION_JSON));
		assertServed(change);
		assertThat(change.getResponseBody()).contains("\"signedOutElsewhere\":1");
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertProblem(getWith(other, "/account"), ExpiryReason.REVOKED);
	}

	@Test
	void anIdleEndOfASessionAnApplicationFilterReadFirstIsAnnouncedOnceAndNotServedAgain() {
		login("alice");
		String signedIn = Objects.requireNonNull(this.session);
		shiftTo(this.start.plus(IDLE));
		EntityExchangeResult<String> idle = early(this.client.get().uri("/account").accept(MediaType.APPLICATION_JSON));
		assertProblem(idle, ExpiryReason.IDLE);
		shiftTo(this.start.plus(IDLE).plus(Duration.ofSeconds(1)));
		EntityExchangeResult<String> again = getWith(signedIn, "/account");
		assertThat(again.getStatus().value()).as("%s", again).isNotEqualTo(200);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
		// The filter's copy, read before the session ended, does not bring it back
		assertNoUserStored(sessionIdOf(signedIn));
	}

	/**
	 * Return how long the store still keeps the session by itself, counted on the store's
	 * own clock from now.
	 * @param sessionId the session's id
	 * @return the time left, or {@code null} if the store holds no such session
	 */
	abstract @Nullable Duration storeLifetime(String sessionId);

	/**
	 * Assert that the store, read directly, holds no signed-in user in a session (where a
	 * subclass reads its store).
	 * @param sessionId the session's id
	 */
	void assertNoUserStored(String sessionId) {
	}

	@Test
	void requestsAnyoneMayMakeWhileReauthenticationIsDueCountAsActivity() {
		addToCart("apple");
		Instant lastBeforeDue = signInAndStayActiveUntilReauthenticationIsDue();
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(40)));
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
	}

	@Test
	void requestsDeniedWhileReauthenticationIsDueDoNotCountAsActivity() {
		Instant lastBeforeDue = signInAndStayActiveUntilReauthenticationIsDue();
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REAUTHENTICATION);
		shiftTo(lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
	}

	@Test
	void requestsMethodSecurityRefusesWhileReauthenticationIsDueDoNotCountAsActivity() {
		Instant lastBeforeDue = signInAndStayActiveUntilReauthenticationIsDue();
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertProblem(get("/api/balance", MediaType.APPLICATION_JSON), ExpiryReason.REAUTHENTICATION);
		assertLifetime(storeLifetime(sessionIdOf(this.session)), Duration.ofMinutes(10).plus(STORE_GRACE));
		shiftTo(lastBeforeDue.plus(IDLE).minus(MILLI));
		assertServed(get("/api/poll", MediaType.APPLICATION_JSON));
		shiftTo(lastBeforeDue.plus(IDLE));
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
	}

	@Test
	void aRefusalWhileReauthenticationIsDueTakesBackNoActivityOfAnotherRequest() throws Exception {
		Instant lastBeforeDue = signInAndStayActiveUntilReauthenticationIsDue();
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(20)));
		String session = Objects.requireNonNull(this.session);
		Future<EntityExchangeResult<String>> refused = Executors.newSingleThreadExecutor()
			.submit(() -> this.client.get()
				.uri("/api/balance-later")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(SESSION_COOKIE, session)
				.exchange()
				.expectBody(String.class)
				.returnResult());
		this.gate.awaitArrival();
		// Meanwhile another tab's request, which anyone may make, counts as activity
		Instant meanwhile = lastBeforeDue.plus(Duration.ofMinutes(25));
		shiftTo(meanwhile);
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		this.gate.open();
		assertProblem(refused.get(30, TimeUnit.SECONDS), ExpiryReason.REAUTHENTICATION);
		// Idle from the other tab's activity, not from the last one before
		shiftTo(lastBeforeDue.plus(IDLE));
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
	}

	@Test
	void aPersistentPolicyGivesTheSessionCookieTheRemainingAbsoluteLifetimeOnEveryResponse() {
		addToCart("apple");
		assertThat(cookieMaxAge(get("/api/cart", MediaType.APPLICATION_JSON))).as("a browser-session cookie").isNull();
		EntityExchangeResult<String> login = login("traveller");
		assertThat(cookieMaxAge(login)).as("%s", login).isEqualTo(Duration.ofMinutes(90));
		shiftTo(this.start.plus(Duration.ofMinutes(20)).plusMillis(400));
		EntityExchangeResult<String> later = get("/api/cart", MediaType.APPLICATION_JSON);
		assertServed(later);
		// 69m59.6s left: rounded up, never to less than the session has left
		assertThat(cookieMaxAge(later)).as("%s", later).isEqualTo(Duration.ofMinutes(70));
		shiftTo(this.start.plus(Duration.ofMinutes(40)));
		EntityExchangeResult<String> passive = get("/api/poll", MediaType.APPLICATION_JSON);
		assertThat(cookieMaxAge(passive)).as("%s", passive).isEqualTo(Duration.ofMinutes(50));
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody()).contains("apple");
	}

	@Test
	void aSignOutLeavesNoPersistentCookieBehind() {
		EntityExchangeResult<String> login = login("traveller");
		assertThat(cookieMaxAge(login)).as("%s", login).isEqualTo(Duration.ofMinutes(90));
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> logout = this.client.post()
			.uri("/logout")
			.accept(MediaType.TEXT_HTML)
			.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(logout.getStatus().value()).as("%s", logout).isEqualTo(302);
		// As on servlet, where the sign-out ends the session: no user, no policy of
		// the traveller, so nothing outlives the browser session
		assertThat(cookieMaxAge(logout)).as("%s", logout).isNull();
		rememberCookie(logout);
		EntityExchangeResult<String> after = get("/api/cart", MediaType.APPLICATION_JSON);
		assertThat(cookieMaxAge(after)).as("%s", after).isNull();
	}

	@Test
	void otherPoliciesKeepABrowserSessionCookie() {
		EntityExchangeResult<String> login = login("alice");
		assertThat(login.getResponseCookies().getFirst(SESSION_COOKIE)).as("%s", login).isNotNull();
		assertThat(cookieMaxAge(login)).as("%s", login).isNull();
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertThat(cookieMaxAge(get("/api/cart", MediaType.APPLICATION_JSON))).isNull();
	}

	@Test
	void staySignedInWhileReauthenticationIsDueCountsAsActivity() {
		Instant lastBeforeDue = signInAndStayActiveUntilReauthenticationIsDue();
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(20)));
		assertServed(post("/session/status"));
		shiftTo(lastBeforeDue.plus(Duration.ofMinutes(40)));
		assertServed(post("/session/status"));
	}

	@Test
	void aSessionStartsItsClocksWhenARequestStartsItAndAnotherRequestIsServedFromIt() {
		EntityExchangeResult<String> created = addToCart("apple");
		assertThat(created.getStatus().value()).isEqualTo(200);
		assertThat(this.session).as("a session cookie").isNotNull();
		EntityExchangeResult<String> state = get("/test/state", MediaType.APPLICATION_JSON);
		assertThat(state.getResponseBody()).contains("\"started\":true")
			.containsPattern("\"state\":\"[^n\"][^\"]*\"")
			.doesNotContain("\"state\":\"null\"");
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody()).contains("apple");
	}

	@Test
	void aRequestWithoutASessionStartsNone() {
		EntityExchangeResult<String> anonymous = get("/api/cart", MediaType.APPLICATION_JSON);
		assertThat(anonymous.getStatus().value()).isEqualTo(200);
		assertThat(anonymous.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
	}

	@Test
	void theAbsoluteLifetimeEndsAnActiveSessionAtItsDeadlineWithItsReason() {
		addToCart("apple");
		for (Duration at = Duration.ofMinutes(20); at.compareTo(ABSOLUTE) < 0; at = at.plusMinutes(20)) {
			shiftTo(this.start.plus(at));
			assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		}
		shiftTo(this.start.plus(ABSOLUTE).minus(MILLI));
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(ABSOLUTE));
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.ABSOLUTE);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.ABSOLUTE);
		EntityExchangeResult<String> again = get("/api/cart", MediaType.APPLICATION_JSON);
		assertProblem(again, ExpiryReason.ABSOLUTE);
	}

	@Test
	void aBrowsersLoadOfSomethingAPageUsesKeepsTheEndedSessionsCookieThatAScriptsRequestDrops() {
		addToCart("apple");
		shiftTo(this.start.plus(IDLE));
		// An image whose request ends the session, then the page's icon: both keep the
		// cookie, which a navigation's answer may have replaced with a new session's
		EntityExchangeResult<String> image = getWithFetchDest("/api/cart", "image");
		assertProblem(image, ExpiryReason.IDLE);
		assertThat(image.getResponseCookies().get(SESSION_COOKIE)).as("the cookie of the request that ended it")
			.isNull();
		EntityExchangeResult<String> icon = getWithFetchDest("/favicon.ico", "image");
		assertProblem(icon, ExpiryReason.IDLE);
		assertThat(icon.getResponseCookies().get(SESSION_COOKIE)).as("the cookie of a request of the ended session")
			.isNull();
		EntityExchangeResult<String> script = getWithFetchDest("/api/cart", "empty");
		assertProblem(script, ExpiryReason.IDLE);
		assertThat(script.getResponseCookies().get(SESSION_COOKIE)).as("the cookie of a script's request")
			.singleElement()
			.satisfies((cookie) -> assertThat(cookie.getMaxAge()).isZero());
	}

	private EntityExchangeResult<String> getWithFetchDest(String path, String fetchDest) {
		return this.client.get()
			.uri(path)
			.accept(MediaType.ALL)
			.header("Sec-Fetch-Dest", fetchDest)
			.header("Sec-Fetch-Mode", "image".equals(fetchDest) ? "no-cors" : "cors")
			.cookie(SESSION_COOKIE, this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@Test
	void aBrowserWhoseSessionEndedIsSentToTheExpiredUrlWithTheReason() {
		addToCart("apple");
		shiftTo(this.start.plus(IDLE));
		EntityExchangeResult<String> page = get("/cart", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).isEqualTo(302);
		assertThat(page.getResponseHeaders().getLocation()).hasToString("/login?expired=idle");
		assertThat(page.getResponseHeaders().getCacheControl()).contains("no-store");
		EntityExchangeResult<String> login = get("/login?expired=idle", MediaType.TEXT_HTML);
		assertThat(login.getStatus().value()).as("the expired page itself is served").isEqualTo(200);
	}

	/**
	 * The answers the starter writes before Spring Security's filter chain runs (a
	 * session that ended, its id again, to an API call and to a navigation) carry the
	 * headers that chain adds to every response, as on servlet
	 * ({@code SecurityHeadersIntegrationTests}).
	 */
	@Test
	void anApiCallAndANavigationWithAnEndedSessionGetTheChainsSecurityHeaders() {
		addToCart("apple");
		EntityExchangeResult<String> served = get("/api/cart", MediaType.APPLICATION_JSON);
		assertServed(served);
		assertThat(served.getResponseHeaders().getFirst("X-Content-Type-Options")).as("the chain's own headers")
			.isEqualTo("nosniff");
		String ended = Objects.requireNonNull(this.session);
		shiftTo(this.start.plus(IDLE));
		EntityExchangeResult<String> api = get("/api/cart", MediaType.APPLICATION_JSON);
		assertProblem(api, ExpiryReason.IDLE);
		assertSameSecurityHeaders(api, served);
		this.session = ended;
		EntityExchangeResult<String> page = get("/cart", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(302);
		assertSameSecurityHeaders(page, served);
		this.session = ended;
		EntityExchangeResult<String> unknown = get("/api/cart", MediaType.APPLICATION_JSON);
		assertThat(unknown.getStatus().value()).as("the ended id again: %s", unknown).isEqualTo(401);
		assertSameSecurityHeaders(unknown, served);
	}

	static void assertSameSecurityHeaders(EntityExchangeResult<String> answer, EntityExchangeResult<String> served) {
		for (String name : List.of("X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
				HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES)) {
			assertThat(served.getResponseHeaders().get(name)).as("%s of a served request", name).isNotNull();
			assertThat(answer.getResponseHeaders().get(name)).as("%s of %s", name, answer)
				.isEqualTo(served.getResponseHeaders().get(name));
		}
	}

	@Test
	void theExpiredPageOfARequestWhoseSessionEndedSeesNothingOfItAndTheStoreDropsIt() {
		addToCart("apple");
		String id = sessionIdOf(this.session);
		shiftTo(this.start.plus(IDLE));
		EntityExchangeResult<String> login = get("/login?expired=idle", MediaType.TEXT_HTML);
		assertThat(login.getStatus().value()).isEqualTo(200);
		assertThat(login.getResponseBody()).contains("cart null").doesNotContain("apple");
		assertThat(storeLifetime(id)).as("the store no longer holds the session").isNull();
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
	}

	@Test
	void theExpiredPageOfAnEndedSessionGetsANewSessionWithOneCookieAndFreshClocks() {
		String user = newUser();
		login(user);
		String ended = Objects.requireNonNull(this.session);
		Instant at = this.start.plus(IDLE).plus(Duration.ofSeconds(20));
		shiftTo(at);
		EntityExchangeResult<String> page = get("/login?expired=idle&keep=token", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(200);
		List<String> setCookies = Objects.requireNonNullElse(page.getResponseHeaders().get(HttpHeaders.SET_COOKIE),
				List.<String>of());
		assertThat(setCookies.stream().filter((header) -> header.startsWith(SESSION_COOKIE + "=")))
			.as("the SESSION cookies set: %s", setCookies)
			.singleElement()
			.satisfies((header) -> assertThat(header).doesNotContain(ended)
				.doesNotContain("Max-Age=0")
				.doesNotStartWith(SESSION_COOKIE + "=;"));
		String fresh = Objects.requireNonNull(this.session);
		assertThat(fresh).isNotEqualTo(ended);
		assertThat(storeLifetime(sessionIdOf(ended))).as("the ended session is not revived").isNull();
		assertThat(storeLifetime(sessionIdOf(fresh))).as("the store holds the new session").isNotNull();
		EntityExchangeResult<String> state = get("/test/state", MediaType.APPLICATION_JSON);
		assertThat(state.getResponseBody()).contains("\"started\":true").doesNotContain("\"state\":\"null\"");
		EntityExchangeResult<String> status = get("/session/status", MediaType.APPLICATION_JSON);
		assertServed(status);
		assertThat(status.getResponseBody()).contains("\"authenticated\":false", "\"createdAt\":\"" + at + "\"",
				"\"absoluteExpiresAt\":\"" + at.plus(ABSOLUTE) + "\"");
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
		// A second request of the ended session still learns why it ended
		assertProblem(getWith(ended, "/api/cart"), ExpiryReason.IDLE);
		this.session = fresh;
		EntityExchangeResult<String> again = login(user);
		assertThat(again.getStatus().value()).as("%s", again).isEqualTo(302);
		assertThat(again.getResponseHeaders().getLocation()).hasToString("/");
		assertThat(this.session).isNotEqualTo(fresh).isNotEqualTo(ended);
		assertThat(storeLifetime(sessionIdOf(ended))).as("the ended session is not revived").isNull();
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(get("/session/status", MediaType.APPLICATION_JSON).getResponseBody())
			.contains("\"createdAt\":\"" + at + "\"", "\"principal\":\"" + user + "\"");
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).singleElement()
			.satisfies((status2) -> assertThat(status2.createdAt()).isEqualTo(at));
		assertProblem(getWith(ended, "/api/cart"), ExpiryReason.IDLE);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
	}

	@Test
	void theExpiredPageThatKeepsNothingSetsNoNewSessionAndDropsTheEndedCookie() {
		addToCart("apple");
		String ended = Objects.requireNonNull(this.session);
		shiftTo(this.start.plus(IDLE));
		EntityExchangeResult<String> page = get("/login?expired=idle", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).isEqualTo(200);
		List<String> setCookies = Objects.requireNonNullElse(page.getResponseHeaders().get(HttpHeaders.SET_COOKIE),
				List.<String>of());
		assertThat(setCookies.stream().filter((header) -> header.startsWith(SESSION_COOKIE + "=")))
			.as("the SESSION cookies set: %s", setCookies)
			.singleElement()
			.satisfies((header) -> assertThat(header).contains("Max-Age=0"));
		assertThat(storeLifetime(sessionIdOf(ended))).isNull();
		assertProblem(getWith(ended, "/api/cart"), ExpiryReason.IDLE);
	}

	@Test
	void theReactiveSessionTimeoutsBeanReadsTheSessionsClocksAsTheStatusEndpointDoesWithoutCountingAsActivity() {
		EntityExchangeResult<String> anonymous = get("/api/signed-in-until", MediaType.APPLICATION_JSON);
		assertServed(anonymous);
		assertThat(anonymous.getResponseBody()).isEqualTo("{\"status\":\"none\"}");
		String user = newUser();
		login(user);
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		EntityExchangeResult<String> read = send(this.client.get()
			.uri("/api/signed-in-until")
			.accept(MediaType.APPLICATION_JSON)
			.header("Session-Activity", "passive"));
		assertServed(read);
		assertThat(read.getResponseBody()).contains("\"principal\":\"" + user + "\"",
				"\"lastActivityAt\":\"" + this.start + "\"", "\"expiresAt\":\"" + this.start.plus(IDLE) + "\"");
		EntityExchangeResult<String> status = get("/session/status", MediaType.APPLICATION_JSON);
		assertThat(status.getResponseBody()).contains("\"lastActivityAt\":\"" + this.start + "\"",
				"\"expiresAt\":\"" + this.start.plus(IDLE) + "\"");
	}

	@Test
	void theStatusEndpointAnswersTheDeadlinesWithItsGetPassiveAndItsPostActivity() {
		addToCart("apple");
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		EntityExchangeResult<String> status = get("/session/status", MediaType.APPLICATION_JSON);
		assertServed(status);
		assertThat(status.getResponseBody()).contains("\"authenticated\":false",
				"\"absoluteExpiresAt\":\"" + this.start.plus(ABSOLUTE) + "\"",
				"\"idleExpiresAt\":\"" + this.start.plus(IDLE) + "\"",
				"\"now\":\"" + this.start.plus(Duration.ofMinutes(10)) + "\"");
		assertThat(status.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
		EntityExchangeResult<String> stay = this.client.post()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertServed(stay);
		assertThat(stay.getResponseBody()).doesNotContain("\"idleExpiresAt\":\"" + this.start.plus(IDLE) + "\"");
		shiftTo(this.start.plus(IDLE));
		assertServed(get("/session/status", MediaType.APPLICATION_JSON));
		this.session = null;
		assertProblem(get("/session/status", MediaType.APPLICATION_JSON), ExpiryReason.INVALID);
	}

	@Test
	void theIdleTimeoutEndsASessionThatNothingButPassiveRequestsUsed() {
		addToCart("apple");
		shiftTo(this.start.plus(IDLE).minus(MILLI));
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		Instant lastActivity = this.start.plus(IDLE).minus(MILLI);
		shiftTo(lastActivity.plus(Duration.ofMinutes(10)));
		assertServed(get("/api/poll", MediaType.APPLICATION_JSON));
		shiftTo(lastActivity.plus(Duration.ofMinutes(20)));
		assertServed(this.client.get()
			.uri("/api/cart")
			.accept(MediaType.APPLICATION_JSON)
			.header("Session-Activity", "passive")
			.cookie(SESSION_COOKIE, this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult());
		shiftTo(lastActivity.plus(IDLE).minus(Duration.ofSeconds(30)));
		assertServed(get("/api/poll", MediaType.APPLICATION_JSON));
		shiftTo(lastActivity.plus(IDLE).plus(Duration.ofSeconds(30)));
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
	}

	@Test
	void theStoreLetsTheSessionExpireByItselfOneStoreGraceAfterItsDeadline() {
		addToCart("apple");
		assertLifetime(storeLifetime(sessionIdOf(this.session)), IDLE.plus(STORE_GRACE));
		keepActiveUntil(this.start.plus(ABSOLUTE).minus(Duration.ofMinutes(10)));
		assertLifetime(storeLifetime(sessionIdOf(this.session)), Duration.ofMinutes(10).plus(STORE_GRACE));
	}

	@Test
	void aFormLoginGivesTheSessionThePolicyOfTheUsersAuthorities() {
		addToCart("apple");
		EntityExchangeResult<String> login = login("root");
		assertThat(login.getStatus().value()).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).hasToString("/");
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> status = get("/session/status", MediaType.APPLICATION_JSON);
		assertServed(status);
		assertThat(status.getResponseBody()).contains("\"authenticated\":true", "\"principal\":\"root\"",
				"\"policy\":\"administrators\"", "\"absoluteExpiresAt\":\"" + this.start.plus(Duration.ofMinutes(90)),
				"\"reauthenticateAt\":\"" + this.start.plus(REAUTHENTICATION) + "\"",
				"\"privilegedUntil\":\"" + this.start.plus(PRIVILEGED) + "\"");
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody()).contains("apple");
		shiftTo(this.start.plus(Duration.ofMinutes(15)).minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(Duration.ofMinutes(25)).minus(MILLI));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
	}

	@Test
	void reauthenticationChallengesTheUserWhoKeepsTheSessionBySigningInAgain() {
		addToCart("apple");
		login("alice");
		String signedIn = this.session;
		keepActiveUntil(this.start.plus(REAUTHENTICATION).minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(REAUTHENTICATION));
		EntityExchangeResult<String> api = get("/account", MediaType.APPLICATION_JSON);
		assertProblem(api, ExpiryReason.REAUTHENTICATION);
		assertThat(api.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"insufficient_user_authentication\"");
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody())
			.as("a public API is served without the user")
			.contains("apple");
		EntityExchangeResult<String> page = get("/account", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).isEqualTo(302);
		assertThat(page.getResponseHeaders().getLocation()).hasToString("/login?expired=reauthentication");
		assertThat(page.getResponseHeaders().getCacheControl()).contains("no-store");
		assertServed(get("/login?expired=reauthentication", MediaType.TEXT_HTML));
		EntityExchangeResult<String> again = login("alice");
		assertThat(again.getStatus().value()).isEqualTo(302);
		assertThat(again.getResponseHeaders().getLocation()).as("the saved request resumes").hasToString("/account");
		assertThat(this.session).as("a new session id").isNotEqualTo(signedIn);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains("\"name\":\"alice\"");
		assertThat(get("/api/cart", MediaType.APPLICATION_JSON).getResponseBody()).contains("apple");
		assertThat(get("/session/status", MediaType.APPLICATION_JSON).getResponseBody())
			.contains("\"reauthenticateAt\":\"" + this.start.plus(REAUTHENTICATION).plus(REAUTHENTICATION) + "\"");
		assertThat(this.events.reasons()).isEmpty();
	}

	@Test
	void anotherUserCannotMeetTheChallengeOfASessionAndItsUserStaysChallenged() {
		login("alice");
		keepActiveUntil(this.start.plus(REAUTHENTICATION));
		assertThat(get("/account", MediaType.TEXT_HTML).getStatus().value()).isEqualTo(302);
		EntityExchangeResult<String> bob = login("bob");
		assertThat(bob.getStatus().value()).isEqualTo(302);
		assertThat(bob.getResponseHeaders().getLocation()).hasToString("/login?error");
		assertProblem(get("/account/transfer", MediaType.APPLICATION_JSON), ExpiryReason.REAUTHENTICATION);
		assertThat(login("alice").getResponseHeaders().getLocation()).hasToString("/account");
		assertThat(get("/account", MediaType.APPLICATION_JSON).getResponseBody()).contains("\"name\":\"alice\"");
	}

	@Test
	void aChallengedUserWhoSignsOutLeavesTheSessionToTheNextUser() {
		login("alice");
		keepActiveUntil(this.start.plus(REAUTHENTICATION));
		assertThat(get("/account", MediaType.TEXT_HTML).getStatus().value()).isEqualTo(302);
		EntityExchangeResult<String> logout = this.client.post()
			.uri("/logout")
			.accept(MediaType.TEXT_HTML)
			.cookie(SESSION_COOKIE, this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(logout.getStatus().value()).isEqualTo(302);
		assertThat(logout.getResponseHeaders().getLocation()).hasToString("/login?logout");
		rememberCookie(logout);
		EntityExchangeResult<String> bob = login("bob");
		assertThat(bob.getResponseHeaders().getLocation()).as("bob signs in").isNotEqualTo(URI.create("/login?error"));
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains("\"name\":\"bob\"");
	}

	/**
	 * On WebFlux a user that the application stores into the session is recorded as a
	 * login of its own when it is stored: never with the previous user's clocks.
	 */
	@Test
	void anotherUserThatTheApplicationSignsIntoASignedInSessionInheritsNeitherThePreviousUsersAuthenticationNorPolicy() {
		login("root");
		Instant signedUp = this.start.plus(Duration.ofMinutes(5));
		shiftTo(signedUp);
		EntityExchangeResult<String> signIn = post("/api/sign-in?user=newcomer");
		assertServed(signIn);
		rememberCookie(signIn);
		EntityExchangeResult<String> status = get("/session/status", MediaType.APPLICATION_JSON);
		assertServed(status);
		assertThat(status.getResponseBody()).contains("\"principal\":\"newcomer\"", "\"policy\":\"default\"",
				"\"privilegedUntil\":\"" + signedUp.plus(PRIVILEGED) + "\"");
		shiftTo(signedUp.plus(PRIVILEGED));
		assertProblem(get("/account/transfer", MediaType.APPLICATION_JSON), ExpiryReason.PRIVILEGED);
	}

	@Test
	void aUserWhoSignsInAfterALogoutThatKeptTheSessionInheritsNoneOfThePreviousUsersAuthentication() {
		login("root");
		EntityExchangeResult<String> logout = this.client.post()
			.uri("/logout")
			.accept(MediaType.TEXT_HTML)
			.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(logout.getStatus().value()).isEqualTo(302);
		rememberCookie(logout);
		Instant signedUp = this.start.plus(Duration.ofMinutes(5));
		shiftTo(signedUp);
		EntityExchangeResult<String> signIn = post("/api/sign-in?user=newcomer");
		assertServed(signIn);
		rememberCookie(signIn);
		assertThat(get("/session/status", MediaType.APPLICATION_JSON).getResponseBody()).contains(
				"\"principal\":\"newcomer\"", "\"policy\":\"default\"",
				"\"privilegedUntil\":\"" + signedUp.plus(PRIVILEGED) + "\"");
		shiftTo(signedUp.plus(PRIVILEGED));
		assertProblem(get("/account/transfer", MediaType.APPLICATION_JSON), ExpiryReason.PRIVILEGED);
	}

	@Test
	void aPrivilegedPathNeedsARecentLoginOfTheSameUser() {
		login("alice");
		shiftTo(this.start.plus(PRIVILEGED).minus(MILLI));
		assertServed(get("/account/transfer", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(PRIVILEGED));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		EntityExchangeResult<String> api = get("/account/transfer", MediaType.APPLICATION_JSON);
		assertProblem(api, ExpiryReason.PRIVILEGED);
		assertThat(api.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("max_age=900");
		EntityExchangeResult<String> page = get("/account/transfer", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).isEqualTo(302);
		assertThat(page.getResponseHeaders().getLocation()).hasToString("/login?expired=privileged");
		EntityExchangeResult<String> again = login("alice");
		assertThat(again.getResponseHeaders().getLocation()).hasToString("/account/transfer");
		assertServed(get("/account/transfer", MediaType.APPLICATION_JSON));
		assertThat(this.events.reasons()).isEmpty();
	}

	/**
	 * Another user that the application signs into a signed-in session is not privileged
	 * by the previous user's authentication in the very request that signs it in.
	 */
	@Test
	void anotherUserThatTheApplicationSignsIntoASignedInSessionIsNotPrivilegedInTheSameRequest() {
		login("alice");
		assertProblem(post("/account/sign-in-and-export?user=" + newUser()), ExpiryReason.PRIVILEGED);
	}

	@Test
	void aPrivilegedMethodReturningAMonoNeedsARecentLoginOfTheSameUser() {
		login("alice");
		shiftTo(this.start.plus(EXPORT_MAX_AGE).minus(MILLI));
		EntityExchangeResult<String> served = get("/account/export", MediaType.APPLICATION_JSON);
		assertServed(served);
		assertThat(served.getResponseBody()).contains("\"export\":\"alice\"");
		shiftTo(this.start.plus(EXPORT_MAX_AGE));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		EntityExchangeResult<String> api = get("/account/export", MediaType.APPLICATION_JSON);
		assertProblem(api, ExpiryReason.PRIVILEGED);
		assertThat(api.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("max_age=300");
		EntityExchangeResult<String> page = get("/account/export", MediaType.TEXT_HTML);
		assertThat(page.getStatus().value()).isEqualTo(302);
		assertThat(page.getResponseHeaders().getLocation()).hasToString("/login?expired=privileged");
		EntityExchangeResult<String> bob = login("bob");
		assertThat(bob.getResponseHeaders().getLocation()).as("another user").hasToString("/login?error");
		EntityExchangeResult<String> again = login("alice");
		assertThat(again.getResponseHeaders().getLocation()).hasToString("/account/export");
		assertServed(get("/account/export", MediaType.APPLICATION_JSON));
		assertThat(this.events.reasons()).isEmpty();
	}

	/**
	 * A session in which an administrator switched to a customer (Spring Security's
	 * {@code SwitchUserWebFilter}) is the session of both: each one's listing shows it,
	 * and revoking either ends it, at once after the switch, before any other request of
	 * the session. Its end is announced with the session's user, the customer.
	 */
	@Test
	void aSessionInWhichAnAdministratorSwitchedToACustomerIsRevokedWithTheAdministrator() {
		String[] users = switchedToACustomer();
		assertThat(this.userSessions.list(users[0]).collectList().block(Duration.ofSeconds(10)))
			.as("the administrator's sessions")
			.singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(users[1]));
		assertThat(this.userSessions.revokeAll(users[0]).block(Duration.ofSeconds(10)))
			.as("the administrator's sessions revoked")
			.isOne();
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REVOKED);
			assertThat(event.getPrincipal()).as("the session's user").isEqualTo(users[1]);
		});
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
		assertThat(this.userSessions.list(users[1]).collectList().block(Duration.ofSeconds(10)))
			.as("the customer's sessions")
			.isEmpty();
	}

	@Test
	void aSessionInWhichAnAdministratorSwitchedToACustomerIsRevokedWithTheCustomer() {
		String[] users = switchedToACustomer();
		assertThat(this.userSessions.list(users[1]).collectList().block(Duration.ofSeconds(10)))
			.as("the customer's sessions")
			.singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(users[1]));
		assertThat(this.userSessions.revokeAll(users[1]).block(Duration.ofSeconds(10)))
			.as("the customer's sessions revoked")
			.isOne();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
		assertThat(this.userSessions.list(users[0]).collectList().block(Duration.ofSeconds(10)))
			.as("the administrator's sessions")
			.isEmpty();
	}

	/**
	 * Once the administrator switched back (Spring Security's exit of a switch), the
	 * session is the administrator's alone: the customer neither lists nor ends it with
	 * the self-service endpoint, and it stays the administrator's.
	 */
	@Test
	void aSessionWhoseAdministratorSwitchedBackIsNoLongerTheCustomers() {
		String[] users = switchedToACustomer();
		EntityExchangeResult<String> back = send(
				this.client.post().uri("/logout/impersonate").accept(MediaType.TEXT_HTML));
		assertThat(back.getStatus().value()).as("%s", back).isEqualTo(302);
		String administrators = Objects.requireNonNull(this.session);
		String administratorsHandle = SessionIds.hash(sessionIdOf(administrators));
		String customers = signInElsewhere(users[1], null);
		this.session = customers;
		EntityExchangeResult<String> listing = get("/session/sessions", MediaType.APPLICATION_JSON);
		assertServed(listing);
		assertThat(listing.getResponseBody()).as("the customer's sessions after the switch back")
			.contains(SessionIds.hash(sessionIdOf(customers)))
			.doesNotContain(administratorsHandle);
		EntityExchangeResult<String> refused = delete("/session/sessions/" + administratorsHandle);
		assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(404);
		EntityExchangeResult<String> endOthers = delete("/session/sessions");
		assertServed(endOthers);
		assertThat(endOthers.getResponseBody()).isEqualTo("{\"ended\":0}");
		this.session = administrators;
		EntityExchangeResult<String> own = get("/session/sessions", MediaType.APPLICATION_JSON);
		assertServed(own);
		assertThat(own.getResponseBody()).as("the administrator's sessions").contains(administratorsHandle);
	}

	/**
	 * An administrator who switched to a customer keeps the clocks of their own login:
	 * the administrators' idle timeout of 10m (not the customer's 30m), and the
	 * re-authentication due 1h after the administrator's login, however late the switch.
	 */
	@Test
	void aSessionInWhichAnAdministratorSwitchedToACustomerKeepsTheAdministratorsIdleTimeout() {
		shiftTo(this.start);
		String[] users = switchedToACustomer();
		shiftTo(this.start.plus(Duration.ofMinutes(9)));
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains(users[1]);
		shiftTo(this.start.plus(Duration.ofMinutes(19)));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.IDLE);
	}

	@Test
	void aSwitchOfUserDoesNotPutOffTheAdministratorsReauthentication() {
		shiftTo(this.start);
		String admin = "admin-" + UUID.randomUUID();
		String customer = newUser();
		assertThat(login(admin).getStatus().value()).isEqualTo(302);
		for (int minutes = 9; minutes < 60; minutes += 9) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertServed(get("/account", MediaType.APPLICATION_JSON));
		}
		EntityExchangeResult<String> switched = send(this.client.post()
			.uri(SWITCH_USER_PATH + "?username=" + customer)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", customer)));
		assertThat(switched.getStatus().value()).as("%s", switched).isEqualTo(302);
		shiftTo(this.start.plus(Duration.ofHours(1)));
		EntityExchangeResult<String> due = get("/account", MediaType.APPLICATION_JSON);
		assertThat(due.getStatus().value()).as("re-authentication due 1h after the administrator's login: %s", due)
			.isEqualTo(401);
		assertProblem(due, ExpiryReason.REAUTHENTICATION);
	}

	/**
	 * Sign a new administrator in, and switch to a new customer: no request of the
	 * session follows the switch.
	 * @return the administrator's name and the customer's
	 */
	String[] switchedToACustomer() {
		String admin = "admin-" + UUID.randomUUID();
		String customer = newUser();
		EntityExchangeResult<String> login = login(admin);
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		EntityExchangeResult<String> switched = send(this.client.post()
			.uri(SWITCH_USER_PATH + "?username=" + customer)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", customer)));
		assertThat(switched.getStatus().value()).as("%s", switched).isEqualTo(302);
		assertThat(switched.getResponseHeaders().getLocation()).as("%s", switched).hasToString("/account");
		return new String[] { admin, customer };
	}

	@Test
	void aPasswordChangeEndsTheUsersOtherSessionsAndRevokingAllEndsTheRestOfThatUserOnly() {
		String user = newUser();
		login(user);
		String laptop = this.session;
		String phone = signInElsewhere(user, null);
		String others = signInElsewhere("bob", null);
		EntityExchangeResult<String> change = post("/account/password");
		assertServed(change);
		assertThat(change.getResponseBody()).isEqualTo("{\"signedOutElsewhere\":1}");
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertProblem(getWith(phone, "/account"), ExpiryReason.REVOKED);
		assertServed(getWith(others, "/account"));
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(user));
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		this.session = laptop;
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
		assertServed(getWith(others, "/account"));
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
		assertThat(this.userSessions.list("bob").collectList().block(Duration.ofSeconds(10))).isNotEmpty();
		assertThat(this.events.reasons()).isNotEmpty().containsOnly(ExpiryReason.REVOKED);
	}

	@Test
	void theSelfServiceEndpointListsOnlyTheCallersSessionsAndEndsOneOfThem() {
		String user = newUser();
		String otherUser = newUser();
		String laptop = signInElsewhere(user, FIREFOX_ON_LINUX);
		String phone = signInElsewhere(user, null);
		String others = signInElsewhere(otherUser, null);
		this.session = laptop;
		String current = SessionIds.hash(sessionIdOf(laptop));
		String phones = SessionIds.hash(sessionIdOf(phone));
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> listing = get("/session/sessions", MediaType.APPLICATION_JSON);
		assertServed(listing);
		assertThat(listing.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
		assertThat(listing.getResponseBody()).startsWith("{\"sessions\":[{\"id\":\"" + current + "\",\"current\":true,")
			.contains("\"device\":\"Firefox on Linux\"", "\"id\":\"" + phones + "\",\"current\":false,",
					"\"expiresAt\":\"" + this.start.plus(IDLE) + "\"", "\"policy\":\"default\"")
			.doesNotContain(sessionIdOf(laptop), "\"ip\"");
		assertThat(get("/session/status", MediaType.APPLICATION_JSON).getResponseBody()).as("listing is passive")
			.contains("\"lastActivityAt\":\"" + this.start + "\"");
		this.session = others;
		assertThat(get("/session/sessions", MediaType.APPLICATION_JSON).getResponseBody())
			.contains(SessionIds.hash(sessionIdOf(others)))
			.doesNotContain(current, phones);
		for (String guessed : List.of(phones, current, "0000000000000000")) {
			EntityExchangeResult<String> refused = delete("/session/sessions/" + guessed);
			assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(404);
		}
		assertServed(getWith(phone, "/account"));
		this.session = laptop;
		EntityExchangeResult<String> end = delete("/session/sessions/" + phones);
		assertThat(end.getStatus().value()).as("%s", end).isEqualTo(204);
		assertProblem(getWith(phone, "/account"), ExpiryReason.REVOKED);
		this.session = laptop;
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertServed(getWith(others, "/account"));
		this.session = laptop;
		assertThat(get("/session/sessions", MediaType.APPLICATION_JSON).getResponseBody()).contains(current)
			.doesNotContain(phones);
		EntityExchangeResult<String> endOthers = delete("/session/sessions");
		assertServed(endOthers);
		assertThat(endOthers.getResponseBody()).isEqualTo("{\"ended\":0}");
		this.session = null;
		assertProblem(get("/session/sessions", MediaType.APPLICATION_JSON), ExpiryReason.INVALID);
	}

	/**
	 * A session that the application files in its store's own index under its user's
	 * email address, then under its user's own name, whose id then changes, and which the
	 * application files under that address again: the store finds it under that address
	 * alone, and the user's revocation must find it all the same.
	 */
	@Test
	void aSessionTheApplicationIndexesUnderItsNameAgainAfterAChangeOfIdIsStillRevoked() {
		String user = newUser();
		login(user);
		assertServed(post("/api/index-by-email"));
		assertServed(post("/api/index-by-own-name"));
		EntityExchangeResult<String> rotated = post("/account/rotate");
		assertServed(rotated);
		rememberCookie(rotated);
		assertServed(post("/api/index-by-email"));
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	@Test
	void aSessionWhoseIdTheApplicationChangesIsStillFoundAndRevokedUnderItsNewId() {
		String user = newUser();
		login(user);
		String before = this.session;
		EntityExchangeResult<String> rotated = post("/account/rotate");
		assertServed(rotated);
		rememberCookie(rotated);
		assertThat(this.session).as("a new session id").isNotEqualTo(before);
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(user));
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * SPEC section 10 ({@code revokeOthers}: all of the caller's sessions but the
	 * request's own), as on servlet: another request of the caller's session changes the
	 * session's id after the password change loaded the session and before its revocation
	 * reads the user's sessions; the store then holds the caller's session under an id
	 * the password change does not spare, and the caller's own session must not be
	 * revoked with the others.
	 */
	@Test
	void aPasswordChangeWhileAnotherRequestOfItsSessionChangesTheSessionIdKeepsTheCallersSession() throws Exception {
		String user = newUser();
		login(user);
		String before = Objects.requireNonNull(this.session);
		String phone = signInElsewhere(user, null);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> changing = executor.submit(() -> post("/account/password-later"));
			this.gate.awaitArrival();
			EntityExchangeResult<String> rotated = post("/account/rotate");
			assertServed(rotated);
			rememberCookie(rotated);
			this.gate.open();
			changing.get(30, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.session).as("a new session id").isNotEqualTo(before);
		assertProblem(getWith(phone, "/account"), ExpiryReason.REVOKED);
		assertServed(get("/account", MediaType.APPLICATION_JSON));
	}

	/**
	 * An operation that needs a fresh authentication runs once per authentication, also
	 * when another request of the session, running as the operation ran, changes the
	 * session's id afterwards: that request's copy of the session, loaded before the
	 * operation used the grant, must not give the grant back under the new id.
	 */
	@Test
	void anOperationThatNeedsAFreshAuthenticationRunsOnceWhenARunningRequestChangesTheSessionIdAfterIt()
			throws Exception {
		login(newUser());
		String before = Objects.requireNonNull(this.session);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> rotating = executor.submit(() -> post("/account/rotate-later"));
			this.gate.awaitArrival();
			assertServed(get("/account/export-once", MediaType.APPLICATION_JSON));
			this.gate.open();
			EntityExchangeResult<String> rotated = rotating.get(30, TimeUnit.SECONDS);
			assertServed(rotated);
			rememberCookie(rotated);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.session).as("a new session id").isNotEqualTo(before);
		assertProblem(get("/account/export-once", MediaType.APPLICATION_JSON), ExpiryReason.PRIVILEGED);
	}

	@Test
	void aRequestRunningWhenItsSessionIsRevokedThatChangesTheSessionIdLeavesTheSessionRevoked() throws Exception {
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
		assertThat(this.session).as("a new session id").isNotEqualTo(before);
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A form login whose request is still running (its policy override has not answered
	 * yet) when its user's sessions are revoked: the revocation cannot find the session,
	 * which the store holds only once the login is recorded. The user signed in before
	 * the revocation, so the session must not be served afterwards.
	 */
	@Test
	void aLoginStillInItsRequestWhenItsUserIsRevokedIsNotServedAfterwards() throws Exception {
		String user = newUser();
		assertNotServedAfterARevocationWhileInFlight(() -> loginFrom(user, "gated"), 302,
				() -> assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero());
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
	}

	/**
	 * The same, for a login stored without a change of id, by a request that runs on
	 * after it (a slow upload), as a security context repository of the application's own
	 * would store it: the store holds the user only as the response commits.
	 */
	@Test
	void aLoginStoredWithoutAChangeOfIdInARequestRunningWhenItsUserIsRevokedIsNotServedAfterwards() throws Exception {
		String user = newUser();
		assertNotServedAfterARevocationWhileInFlight(() -> post("/api/sign-in?later=true&user=" + user), 200,
				() -> assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero());
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
		// Ended under the id the browser holds
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * The revocation of a user's other sessions after a password change spares the
	 * session it was asked from, and ends a login of the same user still in flight.
	 */
	@Test
	void aPasswordChangeEndsALoginOfTheSameUserStillInItsRequest() throws Exception {
		String user = newUser();
		login(user);
		String changer = Objects.requireNonNull(this.session);
		this.session = null;
		assertNotServedAfterARevocationWhileInFlight(() -> loginFrom(user, "gated"), 302,
				() -> this.client.post()
					.uri("/account/password")
					.accept(MediaType.APPLICATION_JSON)
					.cookie(SESSION_COOKIE, changer)
					.exchange()
					.expectStatus()
					.isOk());
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).hasSize(1);
		assertServed(getWith(changer, "/account"));
	}

	/**
	 * Sign a user in, in a new session, by a request that a gate holds while a revocation
	 * of its user runs; then assert that the session is not served.
	 */
	void assertNotServedAfterARevocationWhileInFlight(Callable<EntityExchangeResult<String>> signIn, int signedInStatus,
			Runnable revocation) throws Exception {
		addToCart("apple");
		String before = Objects.requireNonNull(this.session);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> login = executor.submit(signIn);
			this.gate.awaitArrival();
			revocation.run();
			this.gate.open();
			EntityExchangeResult<String> signedIn = login.get(30, TimeUnit.SECONDS);
			assertThat(signedIn.getStatus().value()).as("decided before the revocation: %s", signedIn)
				.isEqualTo(signedInStatus);
		}
		finally {
			executor.shutdownNow();
		}
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertThat(account.getStatus().value()).as("%s", account).isEqualTo(401);
		if (before.equals(this.session)) {
			// The id the browser holds is the login's, or one it left for a new one
			// (whose cookie it does not hand out for a session ended meanwhile)
			assertThat(account.getResponseBody()).as("%s", account)
				.containsAnyOf(reason(ExpiryReason.REVOKED), reason(ExpiryReason.INVALID));
		}
		else {
			assertThat(account.getResponseBody()).as("%s", account).contains(reason(ExpiryReason.REVOKED));
		}
	}

	private static String reason(ExpiryReason reason) {
		return "\"reason\":\"" + reason.value() + "\"";
	}

	@Test
	void aPolicyOverrideGivesTheSessionOfALoginFromAnUnknownDeviceItsShorterLifetime() {
		String user = newUser();
		EntityExchangeResult<String> login = loginFrom(user, "unknown");
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).hasToString("/");
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).singleElement()
			.satisfies((status) -> {
				assertThat(status.policy()).isEqualTo("default-unknown-device");
				assertThat(status.absoluteExpiresAt()).isEqualTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE));
			});
		assertLifetime(storeLifetime(sessionIdOf(Objects.requireNonNull(this.session))),
				UNKNOWN_DEVICE_ABSOLUTE.plus(STORE_GRACE));
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE).minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.ABSOLUTE);
	}

	@Test
	void aLoginWhosePolicyOverrideFailsFailsAndLeavesNoSignedInSession() {
		// The override's device registry is down, it answers nothing, or it names its
		// policy with a line break's stand-in: never the configured, looser policy
		for (String device : List.of("registry-down", "no-answer", "bad-name")) {
			this.session = null;
			addToCart("apple");
			String before = Objects.requireNonNull(this.session);
			String user = newUser();
			EntityExchangeResult<String> login = loginFrom(user, device);
			assertThat(login.getStatus().value()).as("%s: %s", device, login).isEqualTo(500);
			assertNoUserStored(sessionIdOf(before));
			assertThat(get("/account", MediaType.APPLICATION_JSON).getStatus().value())
				.as("%s: the browser's session after the failed login", device)
				.isEqualTo(401);
			this.session = before;
			assertThat(get("/account", MediaType.APPLICATION_JSON).getStatus().value())
				.as("%s: the session the login started from", device)
				.isEqualTo(401);
			assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).as(device).isEmpty();
		}
	}

	@Test
	void aLoginWhosePolicyOverrideHasNotAnsweredYetSignsNoOneInMeanwhile() throws Exception {
		addToCart("apple");
		String before = Objects.requireNonNull(this.session);
		String user = newUser();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> login = executor.submit(() -> this.client.post()
				.uri("/login")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.TEXT_HTML)
				.header(ReactiveStoreTestApplication.DEVICE_HEADER, "gated")
				.cookie(SESSION_COOKIE, before)
				.body(BodyInserters.fromFormData("username", user).with("password", "password"))
				.exchange()
				.expectBody(String.class)
				.returnResult());
			this.gate.awaitArrival();
			// While the override decides, the session the login started from is not
			// signed in (least of all with the configured, looser policy): in the store,
			// which a request of that id reads, and which a login that never completes
			// (its browser went away) leaves as it is
			assertNoUserStored(before);
			EntityExchangeResult<String> meanwhile = get("/account", MediaType.APPLICATION_JSON);
			assertThat(meanwhile.getStatus().value()).as("the login's session meanwhile: %s", meanwhile).isEqualTo(302);
			assertThat(meanwhile.getResponseHeaders().getLocation()).as("%s", meanwhile).hasToString("/login");
			this.gate.open();
			EntityExchangeResult<String> signedIn = login.get(30, TimeUnit.SECONDS);
			assertThat(signedIn.getStatus().value()).as("%s", signedIn).isEqualTo(302);
			rememberCookie(signedIn);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.session).as("a new session id").isNotEqualTo(before);
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE).minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.ABSOLUTE);
	}

	@Test
	void aPolicyOverrideGivesAPersistentSessionCookieTheMaximumAgeOfItsPolicy() {
		EntityExchangeResult<String> login = loginFrom("traveller", "unknown");
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(cookieMaxAge(login)).as("%s", login).isEqualTo(UNKNOWN_DEVICE_ABSOLUTE);
	}

	@Test
	void aLoginStoredWithoutAChangeOfIdGetsThePolicyOverridesPolicyOrFailsLeavingNoSignedInSession() {
		addToCart("apple");
		String user = newUser();
		EntityExchangeResult<String> signIn = postFrom("/api/sign-in?user=" + user, "unknown");
		assertServed(signIn);
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).singleElement()
			.satisfies((status) -> assertThat(status.policy()).isEqualTo("default-unknown-device"));
		assertLifetime(storeLifetime(sessionIdOf(Objects.requireNonNull(this.session))),
				UNKNOWN_DEVICE_ABSOLUTE.plus(STORE_GRACE));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		for (String device : List.of("registry-down", "no-answer", "bad-name")) {
			this.session = null;
			addToCart("apple");
			String before = Objects.requireNonNull(this.session);
			String other = newUser();
			EntityExchangeResult<String> failed = postFrom("/api/sign-in?user=" + other, device);
			assertThat(failed.getStatus().value()).as("%s: %s", device, failed).isEqualTo(500);
			assertNoUserStored(sessionIdOf(before));
			this.session = before;
			EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
			assertThat(account.getStatus().value()).as("%s: %s", device, account).isNotEqualTo(200);
			assertThat(this.userSessions.list(other).collectList().block(Duration.ofSeconds(10))).as(device).isEmpty();
		}
	}

	@Test
	void aLoginWhoseSessionIsInvalidatedInTheSameRequestAsksNoPolicyOverride() {
		// A sign-in and a sign-out that invalidates the session, in one request: the
		// override (whose registry is down) has nothing to decide, nor the store to keep
		addToCart("apple");
		String before = Objects.requireNonNull(this.session);
		String user = newUser();
		EntityExchangeResult<String> signedOut = postFrom("/api/sign-in?user=" + user + "&invalidate=true",
				"registry-down");
		assertServed(signedOut);
		assertNoUserStored(sessionIdOf(before));
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
	}

	@Test
	void aSignedInSessionWithoutAReadablePolicyGetsTheOneThePolicyOverrideGivesItsUser() {
		login("alice");
		assertServed(post("/api/policy-attribute?value=unreadable%20name"));
		EntityExchangeResult<String> status = getFrom("/session/status", "unknown");
		assertServed(status);
		assertThat(status.getResponseBody()).contains("\"policy\":\"default-unknown-device\"");
		// Kept: asked once, so a later request from a known device changes nothing
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE).minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		shiftTo(this.start.plus(UNKNOWN_DEVICE_ABSOLUTE));
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.ABSOLUTE);
	}

	@Test
	void aSignedInSessionWithoutAReadablePolicyWhosePolicyOverrideFailsIsNotServed() {
		login("alice");
		assertServed(post("/api/policy-attribute?value=unreadable%20name"));
		assertThat(getFrom("/account", "registry-down").getStatus().value()).isEqualTo(500);
		assertThat(getFrom("/account", "no-answer").getStatus().value()).isEqualTo(500);
		EntityExchangeResult<String> status = getFrom("/session/status", "unknown");
		assertThat(status.getResponseBody()).contains("\"policy\":\"default-unknown-device\"");
	}

	@Test
	void aUserWhoMustAuthenticateAgainNeitherSeesNorEndsSessions() {
		login("alice");
		keepActiveUntil(this.start.plus(REAUTHENTICATION));
		assertProblem(get("/session/sessions", MediaType.APPLICATION_JSON), ExpiryReason.REAUTHENTICATION);
		assertProblem(delete("/session/sessions"), ExpiryReason.REAUTHENTICATION);
	}

	@Test
	void aSessionRevokedAfterItsIdleDeadlineIsKeptByTheStoreNoLongerThanTheDeadlinePlusGrace() {
		String user = newUser();
		login(user);
		String id = sessionIdOf(Objects.requireNonNull(this.session));
		Duration late = Duration.ofSeconds(40);
		shiftTo(this.start.plus(IDLE).plus(late));
		this.userSessions.revokeAll(user).block(Duration.ofSeconds(10));
		Duration lifetime = storeLifetime(id);
		if (lifetime != null) {
			assertThat(lifetime).as("kept after the revocation").isLessThanOrEqualTo(STORE_GRACE.minus(late));
		}
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A user whose sessions were all revoked (a password change, say) signs in again
	 * right after, at the very instant of the revocation on a clock that stands still, as
	 * a test's clock does: the login began after the revocation, on this node, so it is
	 * not one the revocation missed, and it is served.
	 */
	@Test
	void aLoginAfterARevocationOfItsUserAtTheSameInstantIsServed() {
		String user = newUser();
		login(user);
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		assertProblem(get("/account", MediaType.APPLICATION_JSON), ExpiryReason.REVOKED);
		this.session = null;
		login(user);
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
	}

	/**
	 * A password reset that ends its user's sessions everywhere and then signs the user
	 * in itself, in the same request (the auto-login after a reset): the sign-in comes
	 * after the revocation, so its session must be served (servlet: 28239de).
	 */
	@Test
	void aSessionTheApplicationSignsInAfterRevokingItsUserInTheSameRequestIsServed() {
		String user = newUser();
		addToCart("apple");
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> signIn = post("/api/reset-password-and-login?user=" + user);
		assertServed(signIn);
		rememberCookie(signIn);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains(user);
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).hasSize(1);
	}

	/**
	 * As above, for a user revoked everywhere a minute before the reset as well: neither
	 * revocation ends the sign-in that follows them (servlet: 90020cd).
	 */
	@Test
	void aSessionTheApplicationSignsInAfterRevokingItsUserAgainInTheSameRequestIsServed() {
		String user = newUser();
		addToCart("apple");
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero();
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> signIn = post("/api/reset-password-and-login?user=" + user);
		assertServed(signIn);
		rememberCookie(signIn);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertServed(account);
		assertThat(account.getResponseBody()).contains(user);
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).hasSize(1);
	}

	/**
	 * The other way round: the application signs a user in itself and then, in the same
	 * request, revokes that user's sessions everywhere (a risk check after the login):
	 * the revocation comes after the sign-in, so its session must not be served
	 * afterwards (servlet: 90020cd).
	 */
	@Test
	void aSessionTheApplicationSignsInBeforeRevokingItsUserInTheSameRequestIsNotServed() {
		String user = newUser();
		addToCart("apple");
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> signIn = post("/api/login-then-revoke-all?user=" + user);
		assertServed(signIn);
		rememberCookie(signIn);
		EntityExchangeResult<String> account = get("/account", MediaType.APPLICATION_JSON);
		assertThat(account.getStatus().value()).as("not served signed in: %s", account).isNotEqualTo(200);
		assertThat(this.userSessions.list(user).collectList().block(Duration.ofSeconds(10))).isEmpty();
	}

	/**
	 * A logout that keeps the session, then the application signs the same user in itself
	 * (servlet: 52fa818): on WebFlux the stored user is a login of its own, dated when it
	 * is stored, never served on the login before the logout.
	 */
	@Test
	void theSameUserThatTheApplicationSignsInAfterALogoutThatKeptTheSessionIsNotPrivilegedOnTheLoginBefore() {
		login("alice");
		EntityExchangeResult<String> logout = this.client.post()
			.uri("/logout")
			.accept(MediaType.TEXT_HTML)
			.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(logout.getStatus().value()).isEqualTo(302);
		rememberCookie(logout);
		Instant signedIn = this.start.plus(PRIVILEGED);
		shiftTo(signedIn);
		EntityExchangeResult<String> signIn = post("/api/sign-in?user=alice");
		assertServed(signIn);
		rememberCookie(signIn);
		assertThat(get("/session/status", MediaType.APPLICATION_JSON).getResponseBody())
			.contains("\"principal\":\"alice\"", "\"privilegedUntil\":\"" + signedIn.plus(PRIVILEGED) + "\"");
		shiftTo(signedIn.plus(PRIVILEGED));
		assertProblem(get("/account/transfer", MediaType.APPLICATION_JSON), ExpiryReason.PRIVILEGED);
	}

	private static void assertLifetime(@Nullable Duration lifetime, Duration expected) {
		assertThat(lifetime).as("the store's lifetime of the session").isNotNull();
		assertThat(lifetime.minus(expected).abs()).as("%s, expected %s", lifetime, expected)
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
	}

	/**
	 * Sign alice in at the start and keep her session active until a millisecond before
	 * her re-authentication is due.
	 * @return the instant of the last request
	 */
	Instant signInAndStayActiveUntilReauthenticationIsDue() {
		login("alice");
		Instant lastBeforeDue = this.start.plus(REAUTHENTICATION).minus(MILLI);
		keepActiveUntil(lastBeforeDue);
		return lastBeforeDue;
	}

	/**
	 * Keep the session active every 20 minutes from the start until the given instant.
	 * @param until the instant of the last request
	 */
	void keepActiveUntil(Instant until) {
		for (Instant at = this.start.plus(Duration.ofMinutes(20)); at
			.isBefore(until); at = at.plus(Duration.ofMinutes(20))) {
			shiftTo(at);
			assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
		}
		shiftTo(until);
		assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
	}

	/**
	 * Return the store's id of the session a cookie names.
	 * @param cookie the cookie's value
	 * @return the id
	 */
	String sessionIdOf(String cookie) {
		return cookie;
	}

	/**
	 * Sign a user in with a session of its own, and come back to the current one.
	 * @param user the user
	 * @param userAgent the browser's {@code User-Agent}, {@code null} for the client's
	 * @return the new session's cookie
	 */
	String signInElsewhere(String user, @Nullable String userAgent) {
		String current = this.session;
		this.session = null;
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML);
		if (userAgent != null) {
			request = request.header(HttpHeaders.USER_AGENT, userAgent);
		}
		EntityExchangeResult<String> result = request
			.body(BodyInserters.fromFormData("username", user).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(302);
		rememberCookie(result);
		String signedIn = Objects.requireNonNull(this.session);
		this.session = current;
		return signedIn;
	}

	EntityExchangeResult<String> getWith(String session, String path) {
		String current = this.session;
		this.session = session;
		try {
			return get(path, MediaType.APPLICATION_JSON);
		}
		finally {
			this.session = current;
		}
	}

	EntityExchangeResult<String> post(String path) {
		return this.client.post()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	EntityExchangeResult<String> delete(String path) {
		return this.client.delete()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, Objects.requireNonNull(this.session))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	static String newUser() {
		return "user-" + UUID.randomUUID();
	}

	EntityExchangeResult<String> addToCart(String item) {
		return send(this.client.post().uri("/api/cart?item=" + item).accept(MediaType.APPLICATION_JSON));
	}

	EntityExchangeResult<String> login(String user) {
		return send(loginRequest(user));
	}

	/**
	 * Sign a user in from a device, as the test application's policy override tells
	 * devices apart.
	 * @param user the user
	 * @param device {@code unknown}, or how the override fails: {@code registry-down},
	 * {@code no-answer} or {@code bad-name}
	 * @return the login's response
	 */
	EntityExchangeResult<String> loginFrom(String user, String device) {
		return send(loginRequest(user).header(ReactiveStoreTestApplication.DEVICE_HEADER, device));
	}

	WebTestClient.RequestHeadersSpec<?> loginRequestOf(String user) {
		return loginRequest(user);
	}

	private WebTestClient.RequestHeadersSpec<?> loginRequest(String user) {
		return this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", user).with("password", "password"));
	}

	EntityExchangeResult<String> postFrom(String path, String device) {
		return send(this.client.post()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.header(ReactiveStoreTestApplication.DEVICE_HEADER, device));
	}

	EntityExchangeResult<String> getFrom(String path, String device) {
		return send(this.client.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.header(ReactiveStoreTestApplication.DEVICE_HEADER, device));
	}

	EntityExchangeResult<String> get(String path, MediaType accept) {
		return send(this.client.get().uri(path).accept(accept));
	}

	/**
	 * Send a request with the current session's cookie, if there is one, and keep the
	 * session cookie its response sets.
	 */
	private EntityExchangeResult<String> send(WebTestClient.RequestHeadersSpec<?> request) {
		if (this.session != null) {
			request = request.cookie(SESSION_COOKIE, this.session);
		}
		EntityExchangeResult<String> result = request.exchange().expectBody(String.class).returnResult();
		rememberCookie(result);
		return result;
	}

	/**
	 * Return the {@code Max-Age} of the session cookie a response sets.
	 * @param result the response
	 * @return the maximum age, or {@code null} if it sets none or a browser-session one
	 */
	static @Nullable Duration cookieMaxAge(EntityExchangeResult<String> result) {
		var cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		return (cookie != null && !cookie.getMaxAge().isNegative()) ? cookie.getMaxAge() : null;
	}

	void rememberCookie(EntityExchangeResult<String> result) {
		var cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		if (cookie != null && !cookie.getValue().isEmpty() && !cookie.getMaxAge().isZero()) {
			this.session = cookie.getValue();
		}
	}

	void shiftTo(Instant instant) {
		this.clock.fixAt(instant);
	}

	/**
	 * Return a client of an application's server: a connection of its own, answers
	 * awaited up to 30s.
	 * @param application the application
	 * @return the client
	 */
	static WebTestClient clientOf(ApplicationContext application) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + ((WebServerApplicationContext) application).getWebServer().getPort())
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * Sign {@code alice} (password {@code password}) in through a client without a
	 * session.
	 * @param client the client
	 * @return the id of the session the login's cookie carries
	 */
	static String loginAlice(WebTestClient client) {
		EntityExchangeResult<String> result = client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(302);
		var cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		assertThat(cookie).isNotNull();
		return cookie.getValue();
	}

	/**
	 * Send a {@code GET} that accepts JSON with a session's cookie.
	 * @param client the client
	 * @param path the path
	 * @param session the session's id
	 * @return the response
	 */
	static EntityExchangeResult<String> getJson(WebTestClient client, String path, String session) {
		return client.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	static void assertServed(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).as("served: %s", result).isEqualTo(200);
	}

	static void assertProblem(EntityExchangeResult<String> result, ExpiryReason reason) {
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(401);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponseBody()).contains("\"reason\":\"" + reason.value() + "\"");
	}

	static final class EarlySessionLook implements WebFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			if (exchange.getRequest().getHeaders().getFirst(EARLY_LOOK_HEADER) == null) {
				return chain.filter(exchange);
			}
			return exchange.getSession()
				.doOnNext((session) -> session.getAttribute("cart"))
				.then(chain.filter(exchange));
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/**
	 * Records every {@link SessionEndedEvent}.
	 */
	static class EndedEvents {

		private final List<SessionEndedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onEnded(SessionEndedEvent event) {
			this.events.add(event);
		}

		List<ExpiryReason> reasons() {
			return this.events.stream().map(SessionEndedEvent::getReason).toList();
		}

		List<SessionEndedEvent> all() {
			return List.copyOf(this.events);
		}

		void clear() {
			this.events.clear();
		}

	}

	/**
	 * Holds the requests that pass it until the test opens it.
	 */
	static class Gate {

		private final Semaphore arrived = new Semaphore(0);

		private volatile Sinks.Empty<Void> opened = Sinks.empty();

		Mono<Void> pass() {
			return Mono.defer(() -> {
				Mono<Void> open = this.opened.asMono();
				this.arrived.release();
				return open;
			});
		}

		void awaitArrival() throws InterruptedException {
			assertThat(this.arrived.tryAcquire(30, TimeUnit.SECONDS)).as("a request at the gate").isTrue();
		}

		boolean arrivedWithin(Duration timeout) throws InterruptedException {
			return this.arrived.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		void open() {
			Sinks.Empty<Void> opened = this.opened;
			this.opened = Sinks.empty();
			opened.tryEmitEmpty();
		}

	}

	/**
	 * An operation that method security lets only an authenticated user perform.
	 */
	static class Accounts {

		@PreAuthorize("isAuthenticated()")
		public Mono<String> balance() {
			return ReactiveSecurityContextHolder.getContext()
				.map((context) -> "balance of " + context.getAuthentication().getName());
		}

	}

	/**
	 * A privileged operation of reactive method security.
	 */
	static class Exports {

		@RequiresPrivilegedSession(maxAge = "5m")
		public Mono<String> export(String user) {
			return Mono.just(user);
		}

		@RequiresPrivilegedSession(maxAge = "0")
		public Mono<String> exportOnce(String user) {
			return Mono.just(user);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(LettuceStallWatch.WithReadmeStopgap.class)
	@EnableReactiveMethodSecurity
	static class ReactiveStoreTestApplication {

		/**
		 * An application's own handling of its data stores' failures, for the requests
		 * that ask for it ({@code appHandles}).
		 */
		@RestControllerAdvice
		static class ApplicationErrors {

			@ExceptionHandler({ DataAccessException.class, RedisException.class })
			ResponseEntity<Map<String, Object>> failed(Exception ex, ServerWebExchange exchange) throws Exception {
				if (exchange.getRequest().getQueryParams().getFirst("appHandles") == null) {
					throw ex;
				}
				return ResponseEntity.internalServerError().body(Map.of("appError", ex.getClass().getName()));
			}

		}

		/**
		 * The header that tells the policy override the device a request comes from.
		 */
		static final String DEVICE_HEADER = "X-Device";

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		/**
		 * A shorter lifetime for a login from an unknown device, decided later on another
		 * thread, as a device registry would answer (for {@code gated}, once the gate
		 * opens); or a failure of that registry.
		 * @param gate the gate
		 * @return the override
		 */
		@Bean
		ReactiveSessionPolicyOverride unknownDevices(Gate gate) {
			return (policy, authentication, exchange) -> Mono.delay(Duration.ofMillis(5))
				.then(Mono.defer(() -> switch (Objects
					.toString(exchange.getRequest().getHeaders().getFirst(DEVICE_HEADER), "known")) {
					case "unknown" -> Mono
						.just(policy.withName(policy.name() + "-unknown-device").withAbsolute(UNKNOWN_DEVICE_ABSOLUTE));
					case "gated" -> gate.pass()
						.then(Mono.just(policy.withName(policy.name() + "-unknown-device")
							.withAbsolute(UNKNOWN_DEVICE_ABSOLUTE)));
					case "registry-down" -> Mono.error(new IllegalStateException("The device registry is down"));
					case "no-answer" -> Mono.empty();
					case "bad-name" -> Mono.just(policy.withName("unknown device"));
					default -> Mono.just(policy);
				}));
		}

		/**
		 * The application's own filter, before the starter's, that looks the session up
		 * for the requests that carry {@link #EARLY_LOOK_HEADER}.
		 */
		@Bean
		WebFilter earlySessionLook() {
			return new EarlySessionLook();
		}

		@Bean
		EndedEvents endedEvents() {
			return new EndedEvents();
		}

		@Bean
		InFlightRequests inFlightRequests() {
			return new InFlightRequests();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http,
				ReactiveUserDetailsService userDetailsService) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers(SWITCH_USER_PATH)
					.hasRole("ADMIN")
					.pathMatchers("/account/**")
					.authenticated()
					.anyExchange()
					.permitAll())
				.formLogin((form) -> form.loginPage("/login"))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				// An administrator impersonates a customer: a POST with the customer's
				// name
				.addFilterAfter(new SwitchUserWebFilter(userDetailsService, "/account", null),
						SecurityWebFiltersOrder.AUTHORIZATION)
				.build();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		Accounts accounts() {
			return new Accounts();
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		/**
		 * Users alice, bob, root (an administrator), any user whose name starts with
		 * {@code user-}, and any administrator whose name starts with {@code admin-}, all
		 * with the password {@code password}.
		 * @return the users
		 */
		@Bean
		ReactiveUserDetailsService userDetailsService() {
			return (username) -> ("alice".equals(username) || "bob".equals(username) || "root".equals(username)
					|| "traveller".equals(username) || username.startsWith("user-") || username.startsWith("admin-"))
							? Mono.just(User.withUsername(username)
								.password("{noop}password")
								.roles(("root".equals(username) || username.startsWith("admin-")) ? "ADMIN"
										: "traveller".equals(username) ? "TRAVELLER" : "USER")
								.build())
							: Mono.empty();
		}

		@RestController
		static class CartController {

			private final Exports exports;

			private final Accounts accounts;

			private final Gate gate;

			private final ReactiveUserSessions userSessions;

			private final ObjectProvider<ReactiveSessionTimeouts> sessionTimeouts;

			CartController(Exports exports, Accounts accounts, Gate gate, ReactiveUserSessions userSessions,
					ObjectProvider<ReactiveSessionTimeouts> sessionTimeouts) {
				this.exports = exports;
				this.accounts = accounts;
				this.gate = gate;
				this.userSessions = userSessions;
				this.sessionTimeouts = sessionTimeouts;
			}

			/**
			 * The clocks of the request's session, read through the public bean, as an
			 * application's own page would.
			 */
			@GetMapping(path = "/api/signed-in-until", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> signedInUntil(ServerWebExchange exchange) {
				return this.sessionTimeouts.getObject()
					.status(exchange)
					.map((status) -> Map.<String, Object>of("principal", String.valueOf(status.principal()),
							"lastActivityAt", status.lastActivityAt().toString(), "expiresAt",
							String.valueOf(status.expiresAt())))
					.defaultIfEmpty(Map.of("status", "none"));
			}

			@GetMapping(path = "/api/balance", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> balance() {
				return this.accounts.balance().map((balance) -> Map.of("balance", balance));
			}

			/**
			 * The balance once the gate opens: a request that takes a while before method
			 * security refuses it.
			 */
			@GetMapping(path = "/api/balance-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> balanceLater() {
				return this.gate.pass()
					.then(Mono.defer(this.accounts::balance))
					.map((balance) -> Map.of("balance", balance));
			}

			/**
			 * Overwrite the policy a session holds, as a store or serializer that garbles
			 * it would.
			 */
			/**
			 * Sign a user in as a security context repository that never changes the
			 * session id would: the user stored in the session, nothing else; and, if
			 * asked, sign out at once as a logout handler that invalidates the session,
			 * or answer once the gate opens, as a slow request after its login would.
			 */
			@PostMapping(path = "/api/sign-in", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> signIn(@RequestParam String user,
					@RequestParam(defaultValue = "false") boolean invalidate,
					@RequestParam(defaultValue = "false") boolean later, WebSession session) {
				session.getAttributes()
					.put(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
							new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(user, null,
									AuthorityUtils.createAuthorityList("ROLE_USER"))));
				return (invalidate ? session.invalidate() : Mono.<Void>empty())
					.then(later ? this.gate.pass() : Mono.empty())
					.thenReturn(Map.of("user", user));
			}

			/**
			 * A password reset: revoke the user everywhere, then sign the user in as
			 * {@code /api/sign-in} does, in the same request.
			 */
			@PostMapping(path = "/api/reset-password-and-login", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> resetPasswordAndLogin(@RequestParam String user, WebSession session) {
				return this.userSessions.revokeAll(user)
					.then(Mono.fromRunnable(() -> storeUser(session, user)))
					.thenReturn(Map.of("user", user));
			}

			/**
			 * Sign the user in as {@code /api/sign-in} does, then revoke the user
			 * everywhere (a risk check), in the same request.
			 */
			@PostMapping(path = "/api/login-then-revoke-all", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> loginThenRevokeAll(@RequestParam String user, WebSession session) {
				storeUser(session, user);
				return this.userSessions.revokeAll(user).thenReturn(Map.of("user", user));
			}

			private static void storeUser(WebSession session, String user) {
				session.getAttributes()
					.put(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
							new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(user, null,
									AuthorityUtils.createAuthorityList("ROLE_USER"))));
			}

			/**
			 * Sign another user in as {@code /api/sign-in} does, then export as that user
			 * in the same request.
			 */
			@PostMapping(path = "/account/sign-in-and-export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> signInAndExport(@RequestParam String user, WebSession session) {
				SecurityContextImpl context = new SecurityContextImpl(UsernamePasswordAuthenticationToken
					.authenticated(user, null, AuthorityUtils.createAuthorityList("ROLE_USER")));
				session.getAttributes()
					.put(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME, context);
				return this.exports.export(user)
					.contextWrite(ReactiveSecurityContextHolder.withSecurityContext(Mono.just(context)))
					.map((export) -> Map.of("export", export));
			}

			@PostMapping(path = "/api/policy-attribute", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> policyAttribute(@RequestParam String value, WebSession session) {
				// The policy is the last field of the state's text (format 3) but for the
				// fingerprint of its user, which this drops (taken as the session user's
				// again)
				String[] state = Objects.requireNonNull(session.<String>getAttribute(SessionAttributes.STATE))
					.split(";", 7);
				state[6] = value;
				session.getAttributes().put(SessionAttributes.STATE, String.join(";", state));
				return Mono.just(Map.of("policy", value));
			}

			/**
			 * File the session in the store's principal index under a name of the
			 * application's own, the user's email address, as Spring Session's
			 * documentation shows with its {@code PRINCIPAL_NAME_INDEX_NAME} attribute.
			 */
			@PostMapping(path = "/api/index-by-email", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> indexByEmail(Principal principal, WebSession session) {
				String email = principal.getName() + "@example.com";
				session.getAttributes().put(ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, email);
				return Mono.just(Map.of("indexedAs", email));
			}

			/**
			 * File the session in the store's principal index under its user's own name.
			 */
			@PostMapping(path = "/api/index-by-own-name", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> indexByOwnName(Principal principal, WebSession session) {
				session.getAttributes()
					.put(ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal.getName());
				return Mono.just(Map.of("indexedAs", principal.getName()));
			}

			@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> addToCart(@RequestParam String item, WebSession session) {
				session.getAttributes().put("cart", item);
				return Mono.just(Map.of("cart", item));
			}

			@GetMapping(path = { "/api/cart", "/api/poll" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> cart(WebSession session) {
				return Mono.just(Map.of("cart", Objects.toString(session.getAttribute("cart"))));
			}

			@GetMapping(path = "/cart", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> cartPage(WebSession session) {
				return Mono.just("<html><body>" + Objects.toString(session.getAttribute("cart")) + "</body></html>");
			}

			@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> login(@RequestParam(required = false) String expired,
					@RequestParam(required = false) String keep, WebSession session) {
				if (keep != null) {
					// What a login page keeps in its session (a CSRF token)
					session.getAttributes().put("kept", keep);
				}
				return Mono.just("<html><body>Sign in" + ((expired != null) ? " (" + expired + ")" : "") + ", cart "
						+ Objects.toString(session.getAttribute("cart")) + "</body></html>");
			}

			@GetMapping(path = { "/account", "/account/transfer" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> account(Principal principal) {
				return Mono.just(Map.of("name", principal.getName()));
			}

			@GetMapping(path = "/account/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Principal principal) {
				return this.exports.export(principal.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = "/account/export", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> exportPage(Principal principal) {
				return this.exports.export(principal.getName())
					.map((export) -> "<html><body>" + export + "</body></html>");
			}

			@GetMapping(path = "/account/export-once", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> exportOnce(Principal principal) {
				return this.exports.exportOnce(principal.getName()).map((export) -> Map.of("export", export));
			}

			/**
			 * The operation that needs a fresh authentication, answered once the gate
			 * opens: a request that holds its copy of the session for a while after
			 * method security let it through.
			 */
			@GetMapping(path = "/account/export-once-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> exportOnceLater(Principal principal) {
				return this.exports.exportOnce(principal.getName())
					.flatMap((export) -> this.gate.pass().thenReturn(Map.of("export", export)));
			}

			/**
			 * The operation that needs a fresh authentication, asked once the gate opens,
			 * on another thread: its claim is the first the request makes.
			 */
			@GetMapping(path = "/account/export-once-elsewhere", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> exportOnceElsewhere(Principal principal) {
				return this.gate.pass()
					.then(Mono.defer(() -> this.exports.exportOnce(principal.getName()))
						.subscribeOn(Schedulers.boundedElastic()))
					.map((export) -> Map.of("export", export));
			}

			/**
			 * A privileged path's answer once the gate opens.
			 */
			@GetMapping(path = "/account/transfer-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transferLater(Principal principal) {
				return this.gate.pass().thenReturn(Map.of("name", principal.getName()));
			}

			@PostMapping(path = "/account/password", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> changePassword(ServerWebExchange exchange) {
				return this.userSessions.revokeOthers(exchange)
					.map((signedOut) -> Map.of("signedOutElsewhere", signedOut));
			}

			/**
			 * A password change once the gate opens, its session loaded before.
			 */
			@PostMapping(path = "/account/password-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> changePasswordLater(ServerWebExchange exchange) {
				return exchange.getSession()
					.then(this.gate.pass())
					.then(this.userSessions.revokeOthers(exchange))
					.map((signedOut) -> Map.of("signedOutElsewhere", signedOut));
			}

			/**
			 * A new session id once the gate opens.
			 */
			@PostMapping(path = "/account/rotate-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> rotateLater(WebSession session) {
				return this.gate.pass().then(session.changeSessionId()).thenReturn(Map.of("rotated", true));
			}

			@PostMapping(path = "/account/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> rotate(WebSession session) {
				return session.changeSessionId().thenReturn(Map.of("rotated", true));
			}

			@GetMapping(path = "/test/state", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> state(WebSession session) {
				return Mono.just(Map.of("started", session.isStarted(), "state",
						Objects.toString(session.getAttribute(SessionAttributes.STATE))));
			}

		}

	}

}
