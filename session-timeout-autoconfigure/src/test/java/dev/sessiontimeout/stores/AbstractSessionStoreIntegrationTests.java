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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.core.StandardContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.StoreTestApplication.AnsweredRequests;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionEndListener;
import dev.sessiontimeout.internal.session.SessionIds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The expectations every session store meets, run once per store by its subclasses: real
 * HTTP through the real filter chain (Spring Session, this starter, Spring Security's
 * form login), with a shiftable clock. Absolute lifetime 2h, idle 30m, privileged age
 * 15m, store grace 1m; administrators 1h, 10m and 5m; auditors must authenticate again
 * after 45m; travellers keep their session cookie when the browser closes, for 90m;
 * sessions of the unbounded policy have no absolute lifetime.
 * <p>
 * No other test shares a store's context, so it is closed after its class instead of
 * kept, paused, until the JVM exits: a paused context stops its Redis connection factory
 * but not the indexed repository's cleanup task, which then fails each minute, and
 * closing every context before the JVM's shutdown hooks run lets them stop the embedded
 * Redis server and drop the PostgreSQL schema once nothing uses them.
 */
@DirtiesContext
@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"session-timeout.absolute=2h", "session-timeout.idle=30m", "session-timeout.store-grace=1m",
		"session-timeout.activity.passive-paths=/api/poll", "session-timeout.privileged.paths=/account/password/**",
		"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
		"session-timeout.policies[0].absolute=1h", "session-timeout.policies[0].idle=10m",
		"session-timeout.policies[0].privileged-max-age=5m", "session-timeout.policies[1].name=auditors",
		"session-timeout.policies[1].authorities=ROLE_AUDITOR", "session-timeout.policies[1].reauthentication=45m",
		"session-timeout.policies[2].name=travellers", "session-timeout.policies[2].authorities=ROLE_TRAVELLER",
		"session-timeout.policies[2].absolute=90m", "session-timeout.policies[2].cookie-persistent=true",
		"session-timeout.policies[3].name=unbounded", "session-timeout.policies[3].authorities=ROLE_UNBOUNDED",
		"session-timeout.policies[3].absolute=-1", "management.endpoints.web.exposure.include=sessiontimeouts" })
abstract class AbstractSessionStoreIntegrationTests {

	/**
	 * Whether the tests run on Tomcat, as the build runs them; {@code false} on Jetty,
	 * where the CI script runs some of them again (the {@code jetty} profile).
	 */
	static final boolean ON_TOMCAT = ClassUtils.isPresent("org.springframework.boot.tomcat.TomcatWebServer", null);

	static final Duration ABSOLUTE = Duration.ofHours(2);

	static final Duration IDLE = Duration.ofMinutes(30);

	static final Duration GRACE = Duration.ofMinutes(1);

	private static final Duration MILLI = Duration.ofMillis(1);

	/**
	 * When {@link #signInWithoutALoginEventNearTheGlobalAbsoluteDeadline} signs its user
	 * in, after the start of its anonymous session.
	 */
	private static final Duration SIGNED_IN_WITHOUT_A_LOGIN_EVENT = Duration.ofMinutes(110);

	private static final String FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	@Autowired
	MeterRegistry meterRegistry;

	@Autowired
	AuditEventRepository auditEvents;

	@Autowired
	StoreTestApplication.Reports reports;

	@Autowired
	StoreTestApplication.Holds holds;

	@Autowired
	ApplicationContext applicationContext;

	TestBrowser browser;

	Instant start;

	@BeforeEach
	void resetClockAndBrowser() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.events.clear();
		this.browser = new TestBrowser(this.port);
	}

	/**
	 * Return the name of the session cookie.
	 * @return the cookie name
	 */
	abstract String sessionCookieName();

	/**
	 * Return the session id behind a session cookie value.
	 * @param cookieValue the cookie value
	 * @return the session id
	 */
	abstract String sessionId(String cookieValue);

	/**
	 * Return when the store itself will drop the session, on the system clock.
	 * @param sessionId the session id
	 * @return the store's expiry, or {@code null} if the store does not hold the session
	 */
	abstract Instant storeExpiry(String sessionId);

	/**
	 * Return the listeners of this starter that the application's Tomcat context calls:
	 * application event listeners (session id, request and attribute listeners, which
	 * Tomcat tells of every request attribute once there is any) and lifecycle ones, each
	 * once.
	 */
	List<Object> starterContainerListeners() {
		assumeTrue(ON_TOMCAT, "the listeners are read from Tomcat's context");
		TomcatWebServer tomcat = (TomcatWebServer) ((WebServerApplicationContext) this.applicationContext)
			.getWebServer();
		StandardContext context = (StandardContext) tomcat.getTomcat().getHost().findChildren()[0];
		List<Object> listeners = new ArrayList<>();
		listeners.addAll(Arrays.asList(context.getApplicationEventListeners()));
		listeners.addAll(Arrays.asList(context.getApplicationLifecycleListeners()));
		listeners.removeIf((listener) -> !listener.getClass().getName().startsWith("dev.sessiontimeout."));
		// One listener may be both
		return listeners.stream().distinct().toList();
	}

	/**
	 * Run a test whose requests fail on purpose (a save after the end, which some stores
	 * refuse) with the Tomcat host's logger off, which logs each such failure at ERROR.
	 */
	void withTomcatErrorsOff(ThrowingAction action) throws Exception {
		if (!ON_TOMCAT) {
			action.run();
			return;
		}
		TomcatWebServer tomcat = (TomcatWebServer) ((WebServerApplicationContext) this.applicationContext)
			.getWebServer();
		String hostLogger = "org.apache.catalina.core.ContainerBase.[" + tomcat.getTomcat().getEngine().getName()
				+ "].[" + tomcat.getTomcat().getHost().getName() + "]";
		LoggingSystem logging = this.applicationContext.getBean(LoggingSystem.class);
		logging.setLogLevel(hostLogger, LogLevel.OFF);
		try {
			action.run();
		}
		finally {
			logging.setLogLevel(hostLogger, null);
		}
	}

	/**
	 * A test's body.
	 */
	@FunctionalInterface
	interface ThrowingAction {

		void run() throws Exception;

	}

	/**
	 * Return whether every request works on one shared session object (the container's
	 * sessions) rather than on its own copy (Spring Session).
	 * @return {@code true} for one shared object
	 */
	boolean sharesOneSessionObject() {
		return false;
	}

	/**
	 * Return whether the store finds sessions by user (a principal index).
	 * @return {@code true} for JDBC and Redis indexed
	 */
	boolean indexed() {
		return false;
	}

	/**
	 * Return whether the store saves a request's copy of a session by a key of its own
	 * that a change of the session's id keeps (JDBC's primary key): a request that loaded
	 * the session before another request of it changed its id then gives the session its
	 * old id back as it saves its copy, and the new id is unknown.
	 * @return {@code true} for JDBC
	 */
	boolean savesCopiesByPrimaryKey() {
		return false;
	}

	/**
	 * Return whether the store claims the announcement of a session's end for one of the
	 * nodes that share it (Redis: one {@code SET NX} when a session ends). The JDBC store
	 * does not (a documented limitation): two nodes that end a session at once announce
	 * it once each.
	 * @return {@code true} for Redis
	 */
	boolean claimsAnnouncementsAcrossNodes() {
		return true;
	}

	/**
	 * Return the properties of a second application instance sharing this store, or
	 * {@code null} if the store cannot be shared.
	 * @return the properties
	 */
	String[] secondInstanceProperties() {
		return null;
	}

	/**
	 * Assert how many of 50 parallel requests were served when the clock gives 25
	 * readings before the absolute deadline. Each request of a Spring Session store works
	 * on its own copy of the session, loaded before it reads the clock, so each that
	 * decides on one of those readings is served. A served request reads the clock again
	 * as it writes its body (its session watch), so it may take a reading before the
	 * deadline from a request still to decide: at most 25 are served, and at least the
	 * first. That none is served after the deadline is asserted by the caller.
	 * @param served how many were served
	 * @param summary every response, for the failure message
	 */
	void assertServedBeforeTheDeadline(int served, String summary) {
		assertThat(served).as("requests decided before the deadline: %s", summary).isBetween(1, 25);
	}

	/**
	 * Assert that one of the parallel requests was refused because the session ended.
	 * @param response the response
	 */
	void assertRefused(Response response) {
		assertProblem(response, ExpiryReason.ABSOLUTE);
	}

	/**
	 * Make the store hold a session's last access at the given instant, where it keeps
	 * one apart from the starter's state.
	 * @param sessionId the id of the session
	 * @param lastAccessedAt the instant
	 */
	void storeLastAccess(String sessionId, Instant lastAccessedAt) {
	}

	/**
	 * Remove the starter's state from a stored session, as if it had lost it, keeping the
	 * rest (the security context).
	 * @param sessionId the id of the session
	 */
	abstract void removeState(String sessionId);

	/**
	 * A signed-in session that lost the starter's state (its security context intact) is
	 * adopted from its last access as the store held it before this request (a
	 * container's session: the request before this one): past its idle deadline, still
	 * within the store grace, it ends as idle; within it, it is served.
	 */
	@Test
	void aSignedInSessionWithoutTheStartersStateIsAdoptedFromItsLastAccessInTheStore() {
		loginAsUser();
		assertServed(api());
		TestBrowser first = this.browser;
		String idle = currentSessionId();
		this.browser = new TestBrowser(this.port);
		loginAsUser();
		String active = currentSessionId();
		TestBrowser second = this.browser;
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		removeState(active);
		assertServed(second.get("/api/me", TestBrowser.JSON));
		shiftTo(this.start.plus(IDLE).plusSeconds(30));
		removeState(idle);
		assertProblem(first.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		assertServed(second.get("/api/me", TestBrowser.JSON));
	}

	/**
	 * Sign a user in with remember-me in this test's browser, and return another browser
	 * that holds only the remember-me cookie (the browser reopened, or the cookie
	 * stolen).
	 * @param user the user
	 * @return the other browser
	 */
	TestBrowser rememberedBrowserOf(String user) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", user);
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		TestBrowser remembered = new TestBrowser(this.port);
		remembered.setCookie("remember-me", rememberMe);
		return remembered;
	}

	String currentSessionId() {
		String cookie = this.browser.cookie(sessionCookieName());
		assertThat(cookie).as("session cookie %s", sessionCookieName()).isNotNull();
		return sessionId(cookie);
	}

	Response loginAsUser() {
		return loginAs("user");
	}

	/**
	 * Return the application's {@link UserSessions}, which wait, before each call, until
	 * every request whose answer is out has returned through the filters, as the next
	 * request would: a request's last steps may come after its answer (Jetty sends a
	 * login's redirect before the starter's filter reads the user's revocations last).
	 * @return the user sessions
	 */
	UserSessions userSessions() {
		UserSessions userSessions = userSessionsAtOnce();
		AnsweredRequests answeredRequests = this.applicationContext.getBean(AnsweredRequests.class);
		return new UserSessions() {

			@Override
			public List<SessionStatus> list(String username) {
				answeredRequests.awaitReturned();
				return userSessions.list(username);
			}

			@Override
			public int revokeAll(String username) {
				answeredRequests.awaitReturned();
				return userSessions.revokeAll(username);
			}

			@Override
			public int revokeOthers(HttpServletRequest request) {
				answeredRequests.awaitReturned();
				return userSessions.revokeOthers(request);
			}

		};
	}

	/**
	 * Return the application's {@link UserSessions} as they are, for a revocation made
	 * while a request is held on purpose, whose answer may be out already.
	 * @return the user sessions
	 */
	UserSessions userSessionsAtOnce() {
		return this.applicationContext.getBean(UserSessions.class);
	}

	/**
	 * Revoke every session of a user as a revocation of some of them does, not
	 * everywhere: the removal of the user's remember-me tokens, which a revocation
	 * everywhere runs before anything else, runs between the revocation's read of the
	 * user's sessions and its writes, where {@link StoreTestApplication.RememberMeTokens}
	 * lets a test act.
	 * @param user the user
	 * @param atOnce whether not to wait for the requests whose answers are out
	 * @return how many sessions were revoked
	 */
	int revokeBetweenReadAndWrites(String user, boolean atOnce) {
		if (!atOnce) {
			this.applicationContext.getBean(AnsweredRequests.class).awaitReturned();
		}
		return this.applicationContext.getBean(SpringSessionUserSessions.class)
			.revoke(user, (attributes) -> true)
			.size();
	}

	Response loginAs(String username) {
		Response login = this.browser.login(username, "password");
		assertThat(login.status()).as("login answers a redirect").isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return login;
	}

	/**
	 * Add a user of role {@code USER}, password {@code password}, whom no other test
	 * signs in, so that the store holds no other session of that user.
	 * @return the user's name
	 */
	String newUser() {
		return newUser("USER");
	}

	/**
	 * Add a user of the given roles, password {@code password}, whom no other test signs
	 * in.
	 * @param roles the user's roles
	 * @return the user's name
	 */
	String newUser(String... roles) {
		String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
		this.applicationContext.getBean(InMemoryUserDetailsManager.class)
			.createUser(User.withUsername(username).password("{noop}password").roles(roles).build());
		return username;
	}

	static List<String> handles(Response listing) {
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		return Pattern.compile("\"id\":\"([^\"]*)\"")
			.matcher(listing.body())
			.results()
			.map((id) -> id.group(1))
			.toList();
	}

	static void loginWithUserAgent(TestBrowser browser, String username, String userAgent) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", username);
		form.put("password", "password");
		Response login = browser.post("/login", form, TestBrowser.HTML, "User-Agent", userAgent);
		assertThat(login.location()).as("%s", login).doesNotContain("error");
	}

	Response status() {
		Response status = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		return status;
	}

	static Instant jsonInstant(Response response, String member) {
		return Instant.parse(jsonString(response, member));
	}

	double stepUps(String outcome) {
		return this.meterRegistry.get("session.timeout.step-up").tag("outcome", outcome).counter().count();
	}

	void shiftTo(Instant instant) {
		this.clock.fixAt(instant);
	}

	Response api() {
		return this.browser.get("/api/me", TestBrowser.JSON);
	}

	Response page() {
		return this.browser.get("/home", TestBrowser.HTML);
	}

	static String jsonString(Response response, String member) {
		return response.jsonString(member);
	}

	static void assertServed(Response response) {
		assertServed(response, "user");
	}

	static void assertServed(Response response, String username) {
		assertThat(response.status()).as("served: %s", response).isEqualTo(200);
		assertThat(jsonString(response, "name")).isEqualTo(username);
	}

	static void assertChallenged(Response response, ExpiryReason reason, Duration maxAge) {
		assertProblem(response, reason);
		assertThat(response.header("WWW-Authenticate"))
			.isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description=\""
					+ jsonString(response, "detail") + "\", max_age=" + maxAge.toSeconds());
	}

	static void assertProblem(Response response, ExpiryReason... reasons) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(jsonString(response, "reason")).isIn(Arrays.stream(reasons).map(ExpiryReason::value).toList());
		assertThat(response.body()).contains("\"status\":401", "\"title\":", "\"type\":", "\"detail\":");
	}

	static void assertRedirectedToLogin(Response response, ExpiryReason reason) {
		assertThat(response.status()).as("%s", response).isEqualTo(302);
		assertThat(response.location()).endsWith("/login?expired=" + reason.value());
	}

	@Test
	void idleDeadlineServesJustBeforeAndEndsAtTheDeadline() {
		loginAsUser();
		shiftTo(this.start.plus(IDLE).minus(MILLI));
		assertServed(api());
		Instant idleDeadline = this.start.plus(IDLE).minus(MILLI).plus(IDLE);
		shiftTo(idleDeadline.minus(MILLI));
		assertServed(api());
		String sessionId = currentSessionId();
		shiftTo(idleDeadline.minus(MILLI).plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.IDLE);
			assertThat(event.getPrincipal()).isEqualTo("user");
			assertThat(event.getSessionIdHash()).isEqualTo(SessionIds.hash(sessionId));
			assertThat(event.getDeadline()).isEqualTo(idleDeadline.minus(MILLI).plus(IDLE));
		});
		assertThat(storeExpiry(sessionId)).as("ended session removed from the store").isNull();
	}

	/**
	 * A request decided before its session ended saves its copy after the end: whatever
	 * that save leaves in the store (nothing, a revived copy, an incomplete Redis hash),
	 * the next request with the session's id is told why it ended, never served and never
	 * answered with a {@code 500}.
	 */
	@Test
	void aSaveAfterTheEndLeavesNothingThatServesOrFailsTheNextRequest() throws Exception {
		withTomcatErrorsOff(this::aSaveAfterTheEndLeavesNothingThatServesOrFailsTheNextRequestQuietly);
	}

	private void aSaveAfterTheEndLeavesNothingThatServesOrFailsTheNextRequestQuietly() throws Exception {
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		whileHeld(() -> heldRequest(cookie), () -> {
			// The held request's activity is in its own copy only, so the session ends by
			// the login's; a container session is one object, which has it already
			shiftTo(this.start.plus(sharesOneSessionObject() ? Duration.ofMinutes(1) : Duration.ZERO).plus(IDLE));
			assertProblem(api(), ExpiryReason.IDLE);
		});
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		assertProblem(sentWith(cookie).get("/session/status", TestBrowser.JSON), ExpiryReason.IDLE);
	}

	@Test
	void everyRequestWithTheIdOfAnEndedSessionGetsTheSameReasonUntilTheGraceEnds() {
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		assertThat(this.browser.cookie(sessionCookieName())).as("a script loses the ended session's cookie").isNull();
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		assertProblem(sentWith(cookie).get("/session/status", TestBrowser.JSON), ExpiryReason.IDLE);
		assertRedirectedToLogin(sentWith(cookie).get("/home", TestBrowser.HTML), ExpiryReason.IDLE);
		shiftTo(this.start.plus(IDLE).plus(GRACE).minus(MILLI));
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		assertThat(this.events.all()).as("one event per ended session").hasSize(1);
		shiftTo(this.start.plus(IDLE).plus(GRACE));
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.INVALID);
	}

	/**
	 * Return a client that sends a session cookie, as requests sent before an answer
	 * dropped it do.
	 * @param cookie the session cookie's value
	 * @return the client
	 */
	/**
	 * Send a request that the application holds in its controller, do something
	 * meanwhile, then release the request and wait for its answer.
	 * @param <T> the type of the answer
	 * @param request sends the request to hold
	 * @param meanwhile what to do while it is held
	 * @return the request's answer
	 * @throws Exception if the request or what is done meanwhile fails
	 */
	<T> T whileHeld(Callable<T> request, Meanwhile meanwhile) throws Exception {
		this.holds.reset();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<T> held = executor.submit(request);
			this.holds.awaitHeld();
			meanwhile.run();
			this.holds.release();
			return held.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Send {@code GET /api/hold} with a session cookie: the application holds it, then
	 * changes the session and saves its copy.
	 * @param cookie the session cookie
	 * @return the answer, or {@code null} if the store refused the save (Spring Session's
	 * default Redis store refuses a session it no longer holds)
	 */
	@Nullable Response heldRequest(String cookie) {
		try {
			return sentWith(cookie).get("/api/hold", TestBrowser.JSON);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	/**
	 * What a test does while a request is held.
	 */
	@FunctionalInterface
	interface Meanwhile {

		void run() throws Exception;

	}

	TestBrowser sentWith(String cookie) {
		TestBrowser client = new TestBrowser(this.port);
		client.setCookie(sessionCookieName(), cookie);
		return client;
	}

	@Test
	void aScriptToldThatItsSessionEndedSignsInAgainAtOnce() {
		loginAsUser();
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		loginAsUser();
		assertServed(api());
	}

	@Test
	void aBrowserWhoseSessionEndedSignsInAgainAndLandsWhereItWasGoing() {
		loginAsUser();
		shiftTo(this.start.plus(IDLE));
		assertRedirectedToLogin(this.browser.get("/home?tab=orders", TestBrowser.HTML), ExpiryReason.IDLE);
		Response loginPage = this.browser.get("/login?expired=idle", TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(200);
		assertThat(loginPage.body()).contains("Session ended: idle");
		Response login = loginAs("user");
		assertThat(login.location()).endsWith("/home?tab=orders&continue");
		Response home = this.browser.get("/home?tab=orders&continue", TestBrowser.HTML);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).contains("Hello user");
	}

	@Test
	void passiveRequestsAreCheckedButDoNotMoveTheIdleDeadline() {
		loginAsUser();
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertServed(this.browser.get("/api/me", TestBrowser.JSON, "Session-Activity", "passive"));
		shiftTo(this.start.plus(IDLE).minus(MILLI));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
		shiftTo(this.start.plus(IDLE));
		assertProblem(this.browser.get("/api/poll", TestBrowser.JSON), ExpiryReason.IDLE);
	}

	@Test
	void theStatusEndpointIsPassiveOnGetAndStaysSignedInOnPost() {
		loginAsUser();
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		Response get = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(get.status()).as("%s", get).isEqualTo(200);
		assertThat(jsonString(get, "idleExpiresAt")).isEqualTo(this.start.plus(IDLE).toString());
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		Response post = this.browser.post("/session/status", Map.of(), TestBrowser.JSON);
		assertThat(post.status()).as("%s", post).isEqualTo(200);
		assertThat(jsonString(post, "idleExpiresAt"))
			.isEqualTo(this.start.plus(Duration.ofMinutes(25)).plus(IDLE).toString());
		shiftTo(this.start.plus(Duration.ofMinutes(25)).plus(IDLE).minus(MILLI));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
	}

	/**
	 * Activity is recorded to a hundredth of the idle timeout (18 seconds for 30
	 * minutes): a request within it of the recorded activity leaves the idle deadline
	 * where it was, earlier than the exact one by less than that, never later.
	 */
	@Test
	void activityWithinItsPrecisionKeepsTheIdleDeadlineAndPastItMovesIt() {
		Duration precision = Duration.ofSeconds(18);
		loginAsUser();
		shiftTo(this.start.plus(precision).minus(MILLI));
		assertServed(api());
		assertThat(jsonInstant(status(), "idleExpiresAt")).isEqualTo(this.start.plus(IDLE));
		shiftTo(this.start.plus(precision));
		assertServed(api());
		assertThat(jsonInstant(status(), "idleExpiresAt")).isEqualTo(this.start.plus(precision).plus(IDLE));
		shiftTo(this.start.plus(precision).plus(IDLE).minus(MILLI));
		assertServed(api());
		shiftTo(this.start.plus(precision).plus(IDLE).minus(MILLI).plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
	}

	/**
	 * SPEC section 4: requests of the passive paths (polling, heartbeats) "never count as
	 * activity", so that a page left open does not keep its user signed in. A user signed
	 * in with "remember me" leaves the page open; its poll of the passive path ends the
	 * session at the idle deadline ({@code 401}, reason {@code idle}, the session cookie
	 * dropped). Expected: the next poll, which carries the remember-me cookie only, is
	 * not signed in either: a passive request starts no session and renews nothing.
	 * Actual (red on every servlet store): Spring Security's remember-me signs the poll
	 * into a new session ({@code 200}, new session cookie, activity now) and issues a new
	 * persistent remember-me token with a fresh two-week {@code Max-Age}: the unattended
	 * page's polling signs its user in again after every idle end, and keeps the
	 * remember-me cookie alive, for as long as the page stays open.
	 */
	@Test
	void aPassivePollAfterTheIdleEndIsNotSignedInAgainByARememberMeCookie() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
		shiftTo(this.start.plus(IDLE));
		assertProblem(this.browser.get("/api/poll", TestBrowser.JSON), ExpiryReason.IDLE);
		shiftTo(this.start.plus(IDLE).plus(Duration.ofSeconds(30)));
		Response poll = this.browser.get("/api/poll", TestBrowser.JSON);
		assertThat(poll.status()).as("a passive poll after the idle end: %s", poll).isNotEqualTo(200);
		assertThat(this.browser.cookie("remember-me")).as("the remember-me cookie, renewed by a passive poll")
			.isEqualTo(rememberMe);
	}

	/**
	 * SPEC section 4, for the starter's own passive request: the status endpoint's
	 * {@code GET} (the banner script's poll) after the idle end, with the remember-me
	 * cookie only, signs nobody in and leaves the cookie as it is, as a poll of a passive
	 * path does; the user's next active request signs in by it as usual, into a new
	 * session with a new persistent token.
	 */
	@Test
	void aStatusPollAfterTheIdleEndLeavesTheRememberMeCookieToTheNextActiveRequest() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		assertThat(jsonString(status(), "principal")).isEqualTo("user");
		shiftTo(this.start.plus(IDLE));
		assertProblem(this.browser.get("/session/status", TestBrowser.JSON), ExpiryReason.IDLE);
		shiftTo(this.start.plus(IDLE).plus(Duration.ofSeconds(30)));
		Response poll = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(poll.status()).as("a status poll after the idle end: %s", poll).isNotEqualTo(200);
		assertThat(this.browser.cookie("remember-me")).as("the remember-me cookie, renewed by a status poll")
			.isEqualTo(rememberMe);
		shiftTo(this.start.plus(IDLE).plus(Duration.ofMinutes(1)));
		assertServed(api());
		assertThat(this.browser.cookie("remember-me")).as("the remember-me cookie, renewed by an active request")
			.isNotNull()
			.isNotEqualTo(rememberMe);
	}

	@Test
	void anActiveRequestAfterPassiveOnesMovesTheIdleDeadline() {
		loginAsUser();
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api());
		shiftTo(this.start.plus(Duration.ofMinutes(25)).plus(IDLE).minus(MILLI));
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
	}

	@Test
	void theStoreDropsASessionPolledPassivelyByTheIdleDeadlinePlusGrace() {
		this.clock.tick();
		loginAsUser();
		Response first = api();
		Instant lastActivity = Instant.parse(jsonString(first, "decidedAt"));
		Duration offset = Duration.ofMinutes(20);
		this.clock.shift(offset);
		assertServed(this.browser.get("/api/poll", TestBrowser.JSON));
		Instant expiry = storeExpiry(currentSessionId());
		Instant idleDeadlineOnSystemClock = lastActivity.plus(IDLE).minus(offset);
		assertThat(expiry).isNotNull();
		assertThat(expiry).isBeforeOrEqualTo(idleDeadlineOnSystemClock.plus(GRACE))
			.isAfter(idleDeadlineOnSystemClock.plus(GRACE).minusSeconds(3));
	}

	@Test
	void idleExpiryRedirectsABrowserToTheLoginPageWithTheReason() {
		loginAsUser();
		assertThat(page().status()).isEqualTo(200);
		shiftTo(this.start.plus(IDLE).plus(MILLI));
		assertRedirectedToLogin(page(), ExpiryReason.IDLE);
		Response loginPage = this.browser.get("/login?expired=idle", TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(200);
		assertThat(page().status()).as("signed out").isEqualTo(302);
	}

	@Test
	void expiriesAreCountedPerReasonAndAudited() {
		double idleBefore = this.meterRegistry.get("session.timeout.expired").tag("reason", "idle").counter().count();
		double absoluteBefore = this.meterRegistry.get("session.timeout.expired")
			.tag("reason", "absolute")
			.counter()
			.count();
		long idleAuditsBefore = auditedExpiries("idle");
		long absoluteAuditsBefore = auditedExpiries("absolute");
		loginAsUser();
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		this.browser = new TestBrowser(this.port);
		shiftTo(this.start);
		loginAsUser();
		for (int minutes = 20; minutes <= 120; minutes += 20) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			api();
		}
		assertThat(this.meterRegistry.get("session.timeout.expired").tag("reason", "idle").counter().count())
			.isEqualTo(idleBefore + 1);
		assertThat(this.meterRegistry.get("session.timeout.expired").tag("reason", "absolute").counter().count())
			.isEqualTo(absoluteBefore + 1);
		assertThat(auditedExpiries("idle")).isEqualTo(idleAuditsBefore + 1);
		assertThat(auditedExpiries("absolute")).isEqualTo(absoluteAuditsBefore + 1);
	}

	private long auditedExpiries(String reason) {
		return this.auditEvents.find("user", null, "SESSION_EXPIRED")
			.stream()
			.filter((event) -> reason.equals(event.getData().get("reason")))
			.count();
	}

	@Test
	void theEndpointShowsTheEffectiveConfiguration() {
		Response configuration = this.browser.get("/actuator/sessiontimeouts", TestBrowser.JSON);
		assertThat(configuration.status()).as("%s", configuration).isEqualTo(200);
		assertThat(configuration.body()).contains(
				"\"global\":{\"name\":\"default\",\"absolute\":\"2h\",\"idle\":\"30m\",\"reauthentication\":\"-1\","
						+ "\"privilegedMaxAge\":\"15m\",\"cookiePersistent\":false}",
				"\"preset\":null", "\"storeGrace\":\"1m\"",
				"\"policies\":[{\"name\":\"administrators\",\"absolute\":\"1h\",\"idle\":\"10m\","
						+ "\"reauthentication\":\"-1\",\"privilegedMaxAge\":\"5m\",\"cookiePersistent\":false,"
						+ "\"authorities\":[\"ROLE_ADMIN\"],\"rememberMe\":null},{\"name\":\"auditors\",\"absolute\":\"2h\","
						+ "\"idle\":\"30m\",\"reauthentication\":\"45m\",\"privilegedMaxAge\":\"15m\","
						+ "\"cookiePersistent\":false,\"authorities\":[\"ROLE_AUDITOR\"],\"rememberMe\":null},"
						+ "{\"name\":\"travellers\",\"absolute\":\"1h30m\",\"idle\":\"30m\",\"reauthentication\":\"-1\","
						+ "\"privilegedMaxAge\":\"15m\",\"cookiePersistent\":true,\"authorities\":[\"ROLE_TRAVELLER\"],"
						+ "\"rememberMe\":null},{\"name\":\"unbounded\",\"absolute\":\"-1\",\"idle\":\"30m\","
						+ "\"reauthentication\":\"-1\",\"privilegedMaxAge\":\"15m\",\"cookiePersistent\":false,"
						+ "\"authorities\":[\"ROLE_UNBOUNDED\"],\"rememberMe\":null}]");
	}

	@Test
	void theEndpointListsAndRevokesAUsersSessions() {
		loginAsUser();
		TestBrowser other = new TestBrowser(this.port);
		assertThat(other.login("user", "password").status()).isEqualTo(302);
		Response listing = this.browser.get("/actuator/sessiontimeouts/user", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		assertThat(listing.body()).contains("\"session\":\"" + SessionIds.hash(currentSessionId()) + "\"",
				"\"absoluteExpiresAt\":\"" + this.start.plus(ABSOLUTE) + "\"",
				"\"idleExpiresAt\":\"" + this.start.plus(IDLE) + "\"");
		Response revocation = this.browser.delete("/actuator/sessiontimeouts/user");
		assertThat(revocation.status()).as("%s", revocation).isEqualTo(200);
		assertThat(this.events.all()).filteredOn((event) -> event.getReason() == ExpiryReason.REVOKED)
			.hasSizeGreaterThanOrEqualTo(2)
			.extracting(SessionTimeoutEvent::getPrincipal)
			.containsOnly("user");
		assertProblem(api(), ExpiryReason.REVOKED);
		assertProblem(other.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * SPEC section 4 and {@code SessionStatus}: {@code privilegedUntil} is until when
	 * privileged operations need no new authentication. A remember-me login proves no
	 * factor, so its session is never privileged: its first privileged operation is
	 * refused at once ({@code 401}, reason {@code privileged}). Expected: the status
	 * endpoint says so ({@code privilegedUntil} {@code null}, as for a session that does
	 * not know when its user authenticated). Actual (red on every servlet store): it
	 * answers the remember-me login plus the privileged age, 15 minutes ahead, while the
	 * operation is refused at that very instant. An application that reads the status (or
	 * {@code SessionTimeouts.status}) to decide whether to step its user up before a
	 * privileged form, or a page that shows "privileged until", is told the session is
	 * privileged when it is not.
	 */
	@Test
	void theStatusOfASessionSignedInByARememberMeCookieNamesNoPrivilegedAge() {
		TestBrowser remembered = rememberedBrowserOf("user");
		assertServed(remembered.get("/api/me", TestBrowser.JSON), "user");
		assertChallenged(remembered.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		Response status = remembered.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		assertThat(status.body()).as("privileged operations are refused at %s, yet: %s", this.clock.instant(), status)
			.contains("\"privilegedUntil\":null");
	}

	/**
	 * Guard: under a policy without a re-authentication lifetime, a session that a
	 * remember-me cookie signs in keeps being served, is refused a privileged operation,
	 * and steps up by a login with the password: then the operation is served and its
	 * status names a privileged age again.
	 */
	@Test
	void aSessionSignedInByARememberMeCookieStepsUpByALogin() {
		TestBrowser remembered = rememberedBrowserOf("user");
		assertServed(remembered.get("/api/me", TestBrowser.JSON), "user");
		this.clock.shift(Duration.ofMinutes(1));
		assertServed(remembered.get("/api/me", TestBrowser.JSON), "user");
		Response before = remembered.get("/session/status", TestBrowser.JSON);
		assertThat(before.body()).as("%s", before).contains("\"reauthenticateAt\":null");
		assertChallenged(remembered.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		assertThat(remembered.login("user", "password").location()).doesNotContain("error");
		Response transfer = remembered.get("/api/transfer", TestBrowser.JSON);
		assertThat(transfer.status()).as("%s", transfer).isEqualTo(200);
		Response status = remembered.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		assertThat(status.body()).as("%s", status).doesNotContain("\"privilegedUntil\":null");
		assertServed(remembered.get("/api/me", TestBrowser.JSON), "user");
	}

	@Test
	void aRevokedUserIsNotSignedStraightBackInByARememberMeToken() {
		TestBrowser reopened = rememberedBrowserOf("user");
		assertServed(reopened.get("/api/me", TestBrowser.JSON), "user");
		Response revocation = this.browser.delete("/actuator/sessiontimeouts/user");
		assertThat(revocation.status()).as("%s", revocation).isEqualTo(200);
		assertProblem(api(), ExpiryReason.REVOKED);
		TestBrowser returning = new TestBrowser(this.port);
		returning.setCookie("remember-me", reopened.cookie("remember-me"));
		Response response = returning.get("/api/me", TestBrowser.JSON);
		assertThat(response.status()).as("%s", response).isNotEqualTo(200);
		assertThat(response.body()).doesNotContain("\"name\":\"user\"");
	}

	/**
	 * Guard: a remember-me login whose request goes asynchronous (a {@code Callable},
	 * whose response the application writes later, so the starter commits nothing early)
	 * is answered, its session serves the next request, and a revocation of its user ends
	 * it.
	 */
	@Test
	void aRememberMeLoginWhoseRequestGoesAsynchronousKeepsItsSession() throws Exception {
		String user = newUser();
		TestBrowser remembered = rememberedBrowserOf(user);
		Response held = whileHeld(() -> remembered.get("/api/hold-async", TestBrowser.JSON), () -> {
		});
		assertThat(held.status()).as("%s", held).isEqualTo(200);
		assertThat(held.body()).contains("\"held\":true");
		String session = remembered.cookie(sessionCookieName());
		assertThat(session).as("the asynchronous login's session cookie").isNotNull();
		assertServed(sentWith(session).get("/api/me", TestBrowser.JSON), user);
		this.clock.shift(Duration.ofMillis(1));
		assertThat(userSessions().revokeAll(user)).as("sessions revoked").isEqualTo(2);
		assertProblem(sentWith(session).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A session that a login signs in at the start of a request running for minutes (a
	 * remember-me cookie at the start of a slow upload) is saved only as that request
	 * ends, where Spring Session keeps the sessions; a login of its user in between, more
	 * than a minute later, must not make the user's revocation miss it. Without an
	 * absolute lifetime (the unbounded policy), the index that the starter keeps for the
	 * map and Redis' default repository holds entries without an end, and each login of
	 * the user forgets those whose session the store does not hold.
	 */
	@Test
	void aSessionWhoseLoginRequestRunsForMinutesIsRevokedWithItsUsersSessions() throws Exception {
		String user = newUser("USER", "UNBOUNDED");
		TestBrowser slow = rememberedBrowserOf(user);
		Response held = whileHeld(() -> slow.get("/api/hold", TestBrowser.JSON), () -> {
			this.clock.shift(Duration.ofMinutes(2));
			TestBrowser other = new TestBrowser(this.port);
			assertThat(other.login(user, "password").location()).doesNotContain("error");
		});
		assertThat(held.status()).as("%s", held).isEqualTo(200);
		String slowSession = slow.cookie(sessionCookieName());
		assertThat(slowSession).as("the slow request's session cookie").isNotNull();
		Response status = slow.get("/session/status", TestBrowser.JSON);
		assertThat(jsonString(status, "policy")).as("%s", status).isEqualTo("unbounded");
		assertThat(status.body()).contains("\"absoluteExpiresAt\":null");
		assertThat(userSessions().revokeAll(user)).as("sessions revoked").isEqualTo(3);
		assertProblem(sentWith(slowSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * A remember-me login at the start of a request that is still running (a slow upload)
	 * when its user is revoked: the revocation removes the remember-me tokens, but the
	 * session that login signed in is saved only as the request ends, after the
	 * revocation read the user's sessions. The login came before the revocation, so its
	 * session must not be served afterwards.
	 */
	@Test
	void aSessionSignedInByARequestRunningWhenItsUserIsRevokedIsNotServedAfterwards() throws Exception {
		String user = newUser();
		TestBrowser slow = rememberedBrowserOf(user);
		Response held = whileHeld(() -> slow.get("/api/hold", TestBrowser.JSON),
				() -> assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isBetween(1, 2));
		assertThat(held.status()).as("decided before the revocation: %s", held).isEqualTo(200);
		assertProblem(api(), ExpiryReason.REVOKED);
		assertThat(userSessions().list(user)).as("the user's sessions").isEmpty();
		String slowSession = slow.cookie(sessionCookieName());
		// Ended before its response's cookie was written, none is handed out; a session
		// whose cookie was (the container's) is not served
		if (slowSession != null) {
			assertProblem(sentWith(slowSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
					ExpiryReason.INVALID);
		}
	}

	/**
	 * The same after a password change: the user's other sessions are ended
	 * ({@code revokeOthers}) while a request that a stolen remember-me cookie signed in
	 * is still running: that request's session is not served afterwards (it was).
	 */
	@Test
	void aSessionSignedInByARequestRunningWhenItsUserChangesThePasswordIsNotServedAfterwards() throws Exception {
		String user = newUser();
		TestBrowser stolen = rememberedBrowserOf(user);
		Response held = whileHeld(() -> stolen.get("/api/hold", TestBrowser.JSON), () -> {
			Response changed = this.browser.post("/api/password", Map.of(), TestBrowser.JSON);
			assertThat(changed.status()).as("%s", changed).isEqualTo(200);
		});
		assertThat(held.status()).as("decided before the password change: %s", held).isEqualTo(200);
		assertServed(api(), user);
		assertThat(userSessions().list(user)).as("the user's sessions: the one that changed the password only")
			.hasSize(1);
		String stolenSession = stolen.cookie(sessionCookieName());
		// Ended before its response's cookie was written, none is handed out; a session
		// whose cookie was (the container's) is not served
		if (stolenSession != null) {
			assertProblem(sentWith(stolenSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
					ExpiryReason.INVALID);
		}
	}

	/**
	 * The same for a user the application signs in itself (the security context saved
	 * into the session, no login event): the user is revoked everywhere while that
	 * sign-in's request still runs, before the store holds its session. The sign-in came
	 * before the revocation, so its session must not be served afterwards.
	 */
	@Test
	void aSessionTheApplicationSignsInWhileItsUserIsRevokedIsNotServedAfterwards() throws Exception {
		String user = newUser();
		TestBrowser other = new TestBrowser(this.port);
		Response held = whileHeld(
				() -> other.post("/test/programmatic-login-and-hold", Map.of("username", user), TestBrowser.JSON),
				() -> assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isBetween(0, 1));
		assertThat(held.status()).as("signed in before the revocation: %s", held).isEqualTo(200);
		assertThat(userSessions().list(user)).as("the user's sessions after the revocation").isEmpty();
		String session = other.cookie(sessionCookieName());
		// Ended before its response's cookie was written, none is handed out; a session
		// whose cookie was (the container's) is not served
		if (session != null) {
			assertProblem(sentWith(session).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
					ExpiryReason.INVALID);
		}
	}

	/**
	 * A password reset that ends its user's sessions everywhere and then signs the user
	 * in itself, in the same request (the auto-login after a reset): the sign-in comes
	 * after the revocation, so its session must be served, as a recorded login's is.
	 */
	@Test
	void aSessionTheApplicationSignsInAfterRevokingItsUserInTheSameRequestIsServed() {
		String user = newUser();
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		Response login = this.browser.post("/test/reset-password-and-login", Map.of("username", user),
				TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		assertServed(api(), user);
		assertThat(userSessions().list(user)).as("the user's sessions").hasSize(1);
	}

	/**
	 * A sign-in the application makes itself (a JSON login endpoint of a single-page
	 * application) is no reason to commit its response inside the filters: a filter of
	 * the application's own, outside Spring Session's, that adds a header as the request
	 * returns through it must still be able to, as on any other request.
	 */
	@Test
	void aSignInTheApplicationMakesItselfLeavesTheResponseToTheOuterFilters() {
		String user = newUser();
		Response login = this.browser.post("/test/programmatic-login", Map.of("username", user), TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		assertThat(login.header("X-Added-After-Chain")).as("the outer filter's header: %s", login).isEqualTo("true");
	}

	/**
	 * As above, for a user revoked everywhere a minute before the reset as well: the
	 * record then keeps both revocations (on JDBC, one row each), and neither ends the
	 * sign-in that follows them.
	 */
	@Test
	void aSessionTheApplicationSignsInAfterRevokingItsUserAgainInTheSameRequestIsServed() {
		String user = newUser();
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isZero();
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		Response login = this.browser.post("/test/reset-password-and-login", Map.of("username", user),
				TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		assertServed(api(), user);
		assertThat(userSessions().list(user)).as("the user's sessions").hasSize(1);
	}

	/**
	 * The other way round: the application signs a user in itself and then, in the same
	 * request, revokes that user's sessions everywhere (a risk check after the login).
	 * The revocation comes after the sign-in, so its session must not be served
	 * afterwards.
	 */
	@Test
	void aSessionTheApplicationSignsInBeforeRevokingItsUserInTheSameRequestIsNotServed() {
		String user = newUser();
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		Response login = this.browser.post("/test/login-then-revoke-all", Map.of("username", user), TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		// Ended before its response's cookie was written, the browser holds none and is
		// anonymous; a session whose cookie was (the container's) is not served
		Response after = api();
		assertThat(after.status()).as("not served signed in: %s", after).isNotEqualTo(200);
		assertThat(userSessions().list(user)).as("the user's sessions").isEmpty();
	}

	/**
	 * The guard of the test above: a user revoked everywhere whom the application signs
	 * in itself afterwards, in a session that was there before the revocation, keeps that
	 * sign-in: a revocation before the sign-in's request does not end it.
	 */
	@Test
	void aSessionTheApplicationSignsInAfterItsUserWasRevokedIsServed() {
		String user = newUser();
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		assertThat(userSessionsAtOnce().revokeAll(user)).as("sessions revoked").isZero();
		shiftTo(this.start.plus(Duration.ofMinutes(2)));
		Response login = this.browser.post("/test/programmatic-login", Map.of("username", user), TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		assertServed(api(), user);
		assertThat(userSessions().list(user)).as("the user's sessions").hasSize(1);
	}

	/**
	 * Two nodes share the store; one's clock runs a minute ahead of the other's. The
	 * first revokes a user's sessions everywhere; a little later (real time) a login of
	 * that user begins on the second, whose request is still running when the second
	 * revokes the user everywhere again (an administrator, after the user signed in with
	 * a stolen remember-me cookie). The later revocation is recorded, and the login's
	 * request, as it ends, must read it: its session must not be served afterwards. Red
	 * on JDBC (H2, PostgreSQL): the store keeps each record as a session of its own, and
	 * the read returns the one that is forgotten last, the earlier revocation's, whose
	 * node's clock runs ahead; it spares the login (dated after it), and the later one is
	 * never read. Green where a record replaces the one before (the map, Redis).
	 */
	@Test
	void aLoginInFlightIsEndedByARevocationAfterOneOfANodeWhoseClockRunsAhead() throws Exception {
		String user = newUser();
		UserSessions userSessions = this.applicationContext.getBean(UserSessions.class);
		// The node whose clock runs ahead
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		assertThat(userSessions.revokeAll(user)).as("sessions revoked").isZero();
		// This node, a second later
		this.clock.fixAt(this.start.plusSeconds(1));
		TestBrowser slow = rememberedBrowserOf(user);
		Response held = whileHeld(() -> slow.get("/api/hold", TestBrowser.JSON), () -> {
			this.clock.fixAt(this.start.plusSeconds(2));
			assertThat(userSessions.revokeAll(user)).as("sessions revoked").isBetween(1, 2);
			this.clock.fixAt(this.start.plusSeconds(3));
		});
		assertThat(held.status()).as("decided before the revocation: %s", held).isEqualTo(200);
		assertProblem(api(), ExpiryReason.REVOKED);
		assertThat(userSessions.list(user)).as("the user's sessions after the revocation").isEmpty();
		String slowSession = slow.cookie(sessionCookieName());
		// Ended before its response's cookie was written, none is handed out
		if (slowSession != null) {
			assertProblem(sentWith(slowSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
					ExpiryReason.INVALID);
		}
	}

	/**
	 * SPEC section 10: revocation removes the user's remember-me tokens "so a revoked
	 * user is not signed straight back in". A thief holds the user's remember-me cookie
	 * and sends it again and again; an administrator revokes the user everywhere. One of
	 * the thief's requests lands while the revocation runs, just before it removes the
	 * tokens: the token still signs the thief in (1 ms later). Were the tokens removed
	 * only after the revocation recorded itself and read the user's sessions, the login
	 * would be dated after the record (which would spare it), and its session missed by
	 * the read. The revocation removes them first of all, so the read finds the thief's
	 * session and revokes it with the user's: it is not served after {@code revokeAll}
	 * returned.
	 */
	@Test
	void aRememberMeLoginWhileTheRevocationRunsIsNotServedAfterIt() {
		String user = newUser();
		TestBrowser thief = rememberedBrowserOf(user);
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			this.clock.shift(MILLI);
			assertServed(thief.get("/api/me", TestBrowser.JSON), user);
		});
		assertThat(this.applicationContext.getBean(UserSessions.class).revokeAll(user))
			.as("sessions revoked: the user's and the thief's")
			.isEqualTo(2);
		assertProblem(api(), ExpiryReason.REVOKED);
		String thiefs = thief.cookie(sessionCookieName());
		assertThat(thiefs).as("the thief's session cookie").isNotNull();
		assertProblem(sentWith(thiefs).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
		assertThat(this.applicationContext.getBean(UserSessions.class).list(user))
			.as("the user's sessions after the revocation")
			.isEmpty();
	}

	/**
	 * SPEC section 10, as above, the other way round: the thief's remember-me login
	 * checks the token just before the revocation removes it, and is recorded only after
	 * the revocation recorded itself (1 ms later) and read the user's sessions, which the
	 * login's was not among yet. The login must not be spared by the record as one after
	 * the revocation: its session is not served after its request.
	 */
	@Test
	void aRememberMeLoginWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt() {
		String user = newUser();
		TestBrowser thief = rememberedBrowserOf(user);
		UserSessions userSessions = this.applicationContext.getBean(UserSessions.class);
		List<Integer> revoked = new ArrayList<>();
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).afterNextUpdate(() -> {
			this.clock.shift(MILLI);
			revoked.add(userSessions.revokeAll(user));
			this.clock.shift(MILLI);
		});
		thief.get("/api/me", TestBrowser.JSON);
		assertThat(revoked).as("sessions revoked").containsExactly(1);
		assertProblem(api(), ExpiryReason.REVOKED);
		String thiefs = thief.cookie(sessionCookieName());
		assertThat(thiefs).as("the thief's session cookie").isNotNull();
		assertProblem(sentWith(thiefs).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
		assertThat(userSessions.list(user)).as("the user's sessions after the revocation").isEmpty();
	}

	/**
	 * SPEC section 10, as above, on a running clock: the revocation begins, and only then
	 * (1 ms later) the thief's remember-me login checks the token, just before the
	 * revocation removes it; the login is recorded only after the revocation recorded
	 * itself and read the user's sessions, which the login's was not among yet. Dated
	 * from just before its token check, the login is after the revocation's beginning,
	 * not after its removal of the tokens: the record must not spare it as one after the
	 * revocation, and its session is not served after its request.
	 */
	@Test
	void aRememberMeLoginWhoseTokenWasCheckedAsTheRevocationBeganIsNotServedAfterIt() throws Exception {
		String user = newUser();
		TestBrowser thief = rememberedBrowserOf(user);
		UserSessions userSessions = this.applicationContext.getBean(UserSessions.class);
		StoreTestApplication.RememberMeTokens tokens = this.applicationContext
			.getBean(StoreTestApplication.RememberMeTokens.class);
		CountDownLatch checked = new CountDownLatch(1);
		CountDownLatch revoked = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			List<Future<Response>> thiefs = new ArrayList<>();
			tokens.beforeNextRemoval(() -> {
				this.clock.shift(MILLI);
				tokens.afterNextUpdate(() -> {
					checked.countDown();
					awaitQuietly(revoked);
				});
				thiefs.add(executor.submit(() -> thief.get("/api/me", TestBrowser.JSON)));
				assertThat(awaitQuietly(checked)).as("the thief's token checked").isTrue();
			});
			assertThat(userSessions.revokeAll(user)).as("sessions revoked: the user's").isOne();
			revoked.countDown();
			assertThat(thiefs).singleElement().satisfies((held) -> held.get(60, TimeUnit.SECONDS));
		}
		finally {
			revoked.countDown();
			executor.shutdownNow();
		}
		assertProblem(api(), ExpiryReason.REVOKED);
		String thiefsSession = thief.cookie(sessionCookieName());
		assertThat(thiefsSession).as("the thief's session cookie").isNotNull();
		assertProblem(sentWith(thiefsSession).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
				ExpiryReason.INVALID);
		assertThat(userSessions.list(user)).as("the user's sessions after the revocation").isEmpty();
	}

	private static boolean awaitQuietly(CountDownLatch latch) {
		try {
			return latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * As
	 * {@link #aRememberMeLoginWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt},
	 * for a remember-me login in the error dispatch of a request that Spring Security's
	 * firewall rejected (its error page signs the user in).
	 */
	@Test
	void aRememberMeLoginOfAnErrorDispatchWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt() {
		String user = newUser();
		TestBrowser thief = rememberedBrowserOf(user);
		UserSessions userSessions = this.applicationContext.getBean(UserSessions.class);
		List<Integer> revoked = new ArrayList<>();
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).afterNextUpdate(() -> {
			this.clock.shift(MILLI);
			revoked.add(userSessions.revokeAll(user));
			this.clock.shift(MILLI);
		});
		// Rejected by the firewall before the chain (a semicolon, which Tomcat and Jetty
		// both pass on, unlike an empty segment): the error page's dispatch runs it
		thief.get("/api/me;x", TestBrowser.JSON);
		assertThat(revoked).as("sessions revoked").containsExactly(1);
		String thiefs = thief.cookie(sessionCookieName());
		assertThat(thiefs).as("the thief's session cookie").isNotNull();
		assertProblem(sentWith(thiefs).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	/**
	 * Guard: a remember-me login in the asynchronous dispatch of a request (a deferred
	 * result on a page anyone may load, whose first dispatch ran without a user) is found
	 * among its user's sessions, and a revocation of the user ends it, with no other
	 * request of it between.
	 */
	@Test
	void aRememberMeLoginOfAnAsynchronousDispatchIsRevokedWithItsUser() throws Exception {
		String user = newUser();
		TestBrowser remembered = rememberedBrowserOf(user);
		Response report = reportSignedInByItsAsynchronousDispatch(remembered);
		assertThat(report.status()).as("%s", report).isEqualTo(200);
		String session = remembered.cookie(sessionCookieName());
		assertThat(session).as("the asynchronous login's session cookie").isNotNull();
		UserSessions userSessions = userSessions();
		assertThat(userSessions.list(user)).as("the user's sessions: the form login's and the asynchronous one's")
			.hasSize(2);
		this.clock.shift(MILLI);
		assertThat(userSessions.revokeAll(user)).as("sessions revoked").isEqualTo(2);
		assertProblem(sentWith(session).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * As
	 * {@link #aRememberMeLoginWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt},
	 * for a remember-me login in the asynchronous dispatch of a request (a deferred
	 * result on a page anyone may load, whose first dispatch ran without a user).
	 */
	@Test
	void aRememberMeLoginOfAnAsynchronousDispatchWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt()
			throws Exception {
		String user = newUser();
		TestBrowser thief = rememberedBrowserOf(user);
		UserSessions userSessions = userSessionsAtOnce();
		List<Integer> revoked = new ArrayList<>();
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).afterNextUpdate(() -> {
			this.clock.shift(MILLI);
			revoked.add(userSessions.revokeAll(user));
			this.clock.shift(MILLI);
		});
		reportSignedInByItsAsynchronousDispatch(thief);
		assertThat(revoked).as("sessions revoked").containsExactly(1);
		String thiefs = thief.cookie(sessionCookieName());
		assertThat(thiefs).as("the thief's session cookie").isNotNull();
		assertProblem(sentWith(thiefs).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	/**
	 * Have a browser that holds only a remember-me cookie request a report (a deferred
	 * result, on a page anyone may load) whose first dispatch finds no token, so that it
	 * runs without a user, then complete the report: its asynchronous dispatch finds the
	 * token, and signs the user in.
	 * @param remembered the browser
	 * @return the report's answer
	 * @throws Exception if the request fails
	 */
	private Response reportSignedInByItsAsynchronousDispatch(TestBrowser remembered) throws Exception {
		this.reports.reset();
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).missNextLookup();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> report = executor.submit(() -> remembered.get("/test/report", TestBrowser.JSON));
			this.reports.complete("signed in by its asynchronous dispatch");
			return report.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * A session in which an administrator switched to a customer (Spring Security's
	 * {@code SwitchUserFilter}) is the session of both: each one's listing shows it, and
	 * revoking either ends it, at once after the switch, before any other request of the
	 * session. Its end is announced with the session's user, the customer.
	 */
	@Test
	void aSessionInWhichAnAdministratorSwitchedToACustomerIsRevokedWithTheAdministrator() {
		String[] users = switchedToACustomer();
		UserSessions userSessions = userSessions();
		assertThat(userSessions.list(users[0])).as("the administrator's sessions")
			.singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(users[1]));
		assertThat(userSessions.revokeAll(users[0])).as("the administrator's sessions revoked").isOne();
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REVOKED);
			assertThat(event.getPrincipal()).as("the session's user").isEqualTo(users[1]);
		});
		assertProblem(api(), ExpiryReason.REVOKED);
		assertThat(userSessions.list(users[1])).as("the customer's sessions").isEmpty();
	}

	@Test
	void aSessionInWhichAnAdministratorSwitchedToACustomerIsRevokedWithTheCustomer() {
		String[] users = switchedToACustomer();
		UserSessions userSessions = userSessions();
		assertThat(userSessions.list(users[1])).as("the customer's sessions")
			.singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(users[1]));
		assertThat(userSessions.revokeAll(users[1])).as("the customer's sessions revoked").isOne();
		assertProblem(api(), ExpiryReason.REVOKED);
		assertThat(userSessions.list(users[0])).as("the administrator's sessions").isEmpty();
	}

	/**
	 * Once the administrator switched back (Spring Security's exit of a switch), the
	 * session is the administrator's alone: the customer neither lists nor ends it, with
	 * the self-service endpoint or a revocation of the customer's sessions, and it stays
	 * the administrator's.
	 */
	@Test
	void aSessionWhoseAdministratorSwitchedBackIsNoLongerTheCustomers() {
		String[] users = switchedToACustomer();
		Response back = this.browser.post("/logout/impersonate", Map.of(), TestBrowser.HTML);
		assertThat(back.status()).as("%s", back).isEqualTo(302);
		assertServed(api(), users[0]);
		String administrators = SessionIds.hash(currentSessionId());
		TestBrowser customer = new TestBrowser(this.port);
		assertThat(customer.login(users[1], "password").status()).isEqualTo(302);
		String customers = SessionIds.hash(sessionId(customer.cookie(sessionCookieName())));
		assertThat(handles(customer.get("/session/sessions", TestBrowser.JSON)))
			.as("the customer's sessions after the switch back")
			.containsExactly(customers);
		Response refused = customer.delete("/session/sessions/" + administrators);
		assertThat(refused.status()).as("%s", refused).isEqualTo(404);
		Response others = customer.delete("/session/sessions");
		assertThat(others.status()).as("%s", others).isEqualTo(200);
		assertThat(others.body()).isEqualTo("{\"ended\":0}");
		assertServed(api(), users[0]);
		assertThat(handles(this.browser.get("/session/sessions", TestBrowser.JSON))).as("the administrator's sessions")
			.containsExactly(administrators);
	}

	/**
	 * Sign a new administrator in, and switch to a new customer: no request of the
	 * session follows the switch.
	 * @return the administrator's name and the customer's
	 */
	String[] switchedToACustomer() {
		String admin = newUser("USER", "ADMIN");
		String customer = newUser();
		loginAs(admin);
		Response switched = this.browser.post(StoreTestApplication.SWITCH_USER_PATH, Map.of("username", customer),
				TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(switched.location()).endsWith("/home");
		return new String[] { admin, customer };
	}

	@Test
	void aRevocationOnThisInstanceEndsTheUsersSessionsOnASecondInstance() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "needs a store that a second instance can share (PostgreSQL, Redis)");
		loginAsUser();
		TestBrowser other = new TestBrowser(this.port);
		assertThat(other.login("user", "password").status()).isEqualTo(302);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.run()) {
			Response revocation = this.browser.delete("/actuator/sessiontimeouts/user");
			assertThat(revocation.status()).as("%s", revocation).isEqualTo(200);
			assertProblem(api(), ExpiryReason.REVOKED);
			int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
			TestBrowser sameUserOnSecondInstance = new TestBrowser(secondPort);
			sameUserOnSecondInstance.setCookie(sessionCookieName(), other.cookie(sessionCookieName()));
			assertProblem(sameUserOnSecondInstance.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
		}
	}

	/**
	 * SPEC section 8: one event per ended session. A session that ended on this instance,
	 * and one revoked here, are announced here; a second instance that tells a later
	 * request of either why it ended announces neither again.
	 */
	@Test
	void aSecondInstanceAnnouncesNoEndThatThisOneAnnounced() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAsUser();
		String idle = this.browser.cookie(sessionCookieName());
		String user = newUser();
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		TestBrowser other = new TestBrowser(this.port);
		assertThat(other.login(user, "password").status()).isEqualTo(302);
		String revoked = other.cookie(sessionCookieName());
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		assertThat(userSessions().revokeAll(user)).isOne();
		assertThat(this.events.all()).extracting(SessionTimeoutEvent::getReason)
			.containsExactlyInAnyOrder(ExpiryReason.IDLE, ExpiryReason.REVOKED);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.run()) {
			second.getBean(MutableClock.class).fixAt(this.start.plus(IDLE).plusSeconds(30));
			int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
			TestBrowser idleOnSecond = new TestBrowser(secondPort);
			idleOnSecond.setCookie(sessionCookieName(), idle);
			assertProblem(idleOnSecond.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
			TestBrowser revokedOnSecond = new TestBrowser(secondPort);
			revokedOnSecond.setCookie(sessionCookieName(), revoked);
			assertProblem(revokedOnSecond.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
			assertThat(second.getBean(RecordedEvents.class).all()).as("announced again by the second instance")
				.isEmpty();
		}
		assertThat(this.events.all()).hasSize(2);
	}

	/**
	 * SPEC section 8: a re-authentication challenge announced on this instance is not
	 * announced again by a second instance that challenges a later request of the same
	 * session, and the session stays the user's there.
	 */
	@Test
	void aChallengeAnnouncedOnThisInstanceIsNotAnnouncedAgainByASecondInstance() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAs("auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION));
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.policies[0].name=auditors",
					"session-timeout.policies[0].authorities=ROLE_AUDITOR",
					"session-timeout.policies[0].reauthentication=45m")
			.run()) {
			second.getBean(MutableClock.class).fixAt(this.start.plus(Duration.ofMinutes(46)));
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			assertChallenged(sameSession.get("/api/me", TestBrowser.JSON), ExpiryReason.REAUTHENTICATION,
					Duration.ofMinutes(45));
			assertThat(second.getBean(RecordedEvents.class).all()).as("announced again by the second instance")
				.isEmpty();
		}
		assertThat(jsonString(status(), "principal")).as("the session is kept").isEqualTo("auditor");
	}

	/**
	 * SPEC section 5 and 8: a session past its deadline is ended, and announced once in
	 * all, when two nodes get a request of it at the same time (two tabs behind a load
	 * balancer): the first node is held as it ends the session, before it removes it from
	 * the store, until the second has decided on its own request.
	 */
	@Test
	void aSessionEndedByTwoNodesAtOnceIsAnnouncedOnce() throws Exception {
		String[] instance = secondInstanceProperties();
		assumeTrue(instance != null, "the store cannot be shared by a second instance");
		CountDownLatch firstEnding = new CountDownLatch(1);
		CountDownLatch secondEnded = new CountDownLatch(1);
		SessionEndListener waitForTheSecond = (session, reason) -> {
			firstEnding.countDown();
			try {
				secondEnded.await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		SessionEndListener tellTheFirst = (session, reason) -> secondEnded.countDown();
		try (ConfigurableApplicationContext first = nodeWithEndListener(instance, waitForTheSecond);
				ConfigurableApplicationContext second = nodeWithEndListener(instance, tellTheFirst)) {
			first.getBean(MutableClock.class).fixAt(this.start);
			second.getBean(MutableClock.class).fixAt(this.start);
			TestBrowser firstNode = new TestBrowser(((WebServerApplicationContext) first).getWebServer().getPort());
			assertThat(firstNode.login("user", "password").status()).isEqualTo(302);
			String cookie = firstNode.cookie(sessionCookieName());
			first.getBean(MutableClock.class).fixAt(this.start.plus(IDLE));
			second.getBean(MutableClock.class).fixAt(this.start.plus(IDLE));
			TestBrowser secondNode = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			secondNode.setCookie(sessionCookieName(), cookie);
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<Response> onFirst = executor.submit(() -> firstNode.get("/api/me", TestBrowser.JSON));
				assertThat(firstEnding.await(30, TimeUnit.SECONDS)).as("the first node ends the session").isTrue();
				Response onSecond = secondNode.get("/api/me", TestBrowser.JSON);
				assertProblem(onSecond, ExpiryReason.IDLE);
				assertProblem(onFirst.get(60, TimeUnit.SECONDS), ExpiryReason.IDLE);
			}
			finally {
				executor.shutdownNow();
			}
			List<SessionTimeoutEvent> firstEvents = first.getBean(RecordedEvents.class).all();
			List<SessionTimeoutEvent> secondEvents = second.getBean(RecordedEvents.class).all();
			if (claimsAnnouncementsAcrossNodes()) {
				assertThat(firstEvents.size() + secondEvents.size())
					.as("events of the one ended session: first node %s, second node %s", firstEvents, secondEvents)
					.isOne();
			}
			else {
				// Documented limitation (JDBC): no claim across nodes, so once per node
				// that ended the session, and never more
				assertThat(firstEvents).as("JDBC, no claim across nodes: once on the first node").hasSizeLessThan(2);
				assertThat(secondEvents).as("JDBC, no claim across nodes: once on the second node").hasSizeLessThan(2);
				assertThat(firstEvents.size() + secondEvents.size()).as("announced at all").isPositive();
			}
		}
	}

	private ConfigurableApplicationContext nodeWithEndListener(String[] instance, SessionEndListener listener) {
		return new SpringApplicationBuilder(StoreTestApplication.class).properties(instance)
			.initializers((context) -> context.getBeanFactory().registerSingleton("testSessionEndListener", listener))
			.run();
	}

	/**
	 * SPEC section 2, limits: a ceiling lowered on a node reaches the sessions stored
	 * before, whatever policy they hold (here administrators' 10m, a policy the second
	 * instance does not configure).
	 */
	@Test
	void aLowerIdleLimitOnASecondInstanceReachesExistingSessions() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAs("admin");
		String cookie = this.browser.cookie(sessionCookieName());
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.limits.idle=5m")
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), cookie);
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
			Response status = sameSession.get("/session/status", TestBrowser.JSON);
			assertThat(status.status()).as("%s", status).isEqualTo(200);
			assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(5)));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			assertProblem(sameSession.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		}
	}

	/**
	 * Repeated refusals of a privileged operation in one session, before any step-up, are
	 * one challenge of that session (SPEC section 8: one event per challenged session),
	 * as repeated refusals while re-authentication is due are.
	 */
	@Test
	void repeatedRefusalsOfAPrivilegedOperationAreAnnouncedAsOneChallenge() {
		loginAsUser();
		shiftTo(this.start.plus(Duration.ofMinutes(15)));
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		shiftTo(this.start.plus(Duration.ofMinutes(16)));
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED));
	}

	/**
	 * A state written by a newer version of the starter (a format this one does not know)
	 * cannot be trusted: the session is not served, it ends as invalid.
	 */
	@Test
	void aSessionWhoseStateIsOfANewerFormatIsNotServed() {
		Map<String, Object> newer = new LinkedHashMap<>();
		long now = this.start.toEpochMilli();
		newer.put(SessionAttributes.STATE,
				"4;" + now + ";" + now + ";" + now + ";;;PT2H,PT30M,-,PT15M,0,default;extra");
		this.browser = storeSession("user", newer);
		assertProblem(api(), ExpiryReason.INVALID);
	}

	@Test
	void aPasswordChangeEndsTheUsersOtherSessionsAndRevokingAllEndsTheRestOfThatUserOnly() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		TestBrowser admin = new TestBrowser(this.port);
		assertThat(admin.login("admin", "password").status()).isEqualTo(302);
		Response change = this.browser.post("/api/password", Map.of(), TestBrowser.JSON);
		assertThat(change.status()).as("%s", change).isEqualTo(200);
		assertThat(change.body()).isEqualTo("{\"signedOutElsewhere\":1}");
		assertServed(api(), user);
		assertProblem(otherDevice.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
		assertServed(admin.get("/api/me", TestBrowser.JSON), "admin");
		UserSessions userSessions = userSessions();
		assertThat(userSessions.list(user)).singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(user));
		assertThat(userSessions.revokeAll(user)).isOne();
		assertProblem(api(), ExpiryReason.REVOKED);
		assertServed(admin.get("/api/me", TestBrowser.JSON), "admin");
		assertThat(userSessions.list(user)).isEmpty();
		assertThat(userSessions.list("admin")).isNotEmpty();
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
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		Response indexed = otherDevice.post("/test/index-by-email", Map.of(), TestBrowser.JSON);
		assertThat(indexed.status()).as("%s", indexed).isEqualTo(200);
		indexed = this.browser.post("/test/index-by-email", Map.of(), TestBrowser.JSON);
		assertThat(indexed.status()).as("%s", indexed).isEqualTo(200);
		Response change = this.browser.post("/api/password", Map.of(), TestBrowser.JSON);
		assertThat(change.body()).as("%s", change).isEqualTo("{\"signedOutElsewhere\":1}");
		assertServed(api(), user);
		assertProblem(otherDevice.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
		assertThat(handles(this.browser.get("/session/sessions", TestBrowser.JSON))).as("the caller's sessions")
			.hasSize(1);
		assertThat(userSessions().list(user)).as("the user's sessions").hasSize(1);
		assertThat(userSessions().revokeAll(user)).isOne();
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * As
	 * {@link #theCallersOtherSessionsAreEndedWhereTheApplicationIndexesThemUnderANameOfItsOwn}
	 * for a session that the application files under its email address, then under its
	 * user's own name (or the store's default), whose id then changes, and then under the
	 * email address again: the store files it under that address alone, under its new id,
	 * and the caller's revocation must find it all the same.
	 */
	@Test
	void theCallersOtherSessionIsEndedWhereTheApplicationIndexesItUnderItsNameAgainAfterAChangeOfId() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		Response indexed = otherDevice.post("/test/index-by-email", Map.of(), TestBrowser.JSON);
		assertThat(indexed.status()).as("%s", indexed).isEqualTo(200);
		indexed = otherDevice.post("/test/index-by-name", Map.of("name", user), TestBrowser.JSON);
		assertThat(indexed.status()).as("%s", indexed).isEqualTo(200);
		Response rotated = otherDevice.post("/api/rotate", Map.of(), TestBrowser.JSON);
		assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		indexed = otherDevice.post("/test/index-by-email", Map.of(), TestBrowser.JSON);
		assertThat(indexed.status()).as("%s", indexed).isEqualTo(200);
		assertServed(otherDevice.get("/api/me", TestBrowser.JSON), user);
		Response change = this.browser.post("/api/password", Map.of(), TestBrowser.JSON);
		assertThat(change.body()).as("%s", change).isEqualTo("{\"signedOutElsewhere\":1}");
		assertProblem(otherDevice.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	@Test
	void aPasswordChangeThatAlsoChangesTheSessionIdKeepsTheCallersSession() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		String before = currentSessionId();
		Response change = this.browser.post("/api/password", Map.of("rotate", "true"), TestBrowser.JSON);
		assertThat(change.body()).as("%s", change).isEqualTo("{\"signedOutElsewhere\":1}");
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		assertServed(api(), user);
		assertProblem(otherDevice.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * SPEC section 10 ({@code revokeOthers}: all of the caller's sessions but the
	 * request's own), with another request of the caller's session (another tab) that
	 * changes the session's id (a step-up, the application's own
	 * {@code changeSessionId()}) and is saved after the password change loaded the
	 * session, before its revocation reads the user's sessions: the store then holds the
	 * caller's session under its new id, which is neither the id the request came with
	 * nor the one it holds: the revocation spares it all the same (a change of id keeps
	 * its creation time and the starter's record of its sign-in), and revokes the other
	 * device's.
	 */
	@Test
	void aPasswordChangeWhileAnotherRequestOfItsSessionChangesTheSessionIdKeepsTheCallersSession() throws Exception {
		withTomcatErrorsOff(this::aPasswordChangeWhileAnotherRequestOfItsSessionChangesTheSessionIdQuietly);
	}

	private void aPasswordChangeWhileAnotherRequestOfItsSessionChangesTheSessionIdQuietly() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		String cookie = this.browser.cookie(sessionCookieName());
		// Run by the revocation first of all, after the password change loaded its
		// session and before the revocation reads the user's sessions
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
			assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		});
		sentWith(cookie).post("/api/password", Map.of(), TestBrowser.JSON);
		assertThat(this.browser.cookie(sessionCookieName())).as("the session cookie changed").isNotEqualTo(cookie);
		assertProblem(otherDevice.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
		if (savesCopiesByPrimaryKey()) {
			// The password change's save gave the session its old id back: kept, not
			// revoked, under that id, and the new one is unknown (as for any request of
			// a session that overlaps a change of its id on JDBC)
			assertProblem(api(), ExpiryReason.INVALID);
			assertServed(sentWith(cookie).get("/api/me", TestBrowser.JSON), user);
		}
		else {
			assertServed(api(), user);
		}
	}

	@Test
	void aSessionWhoseIdTheApplicationChangesIsStillFoundAndRevokedUnderItsNewId() {
		String user = newUser();
		loginAs(user);
		String before = currentSessionId();
		Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
		assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		assertServed(api(), user);
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		UserSessions userSessions = userSessions();
		assertThat(userSessions.list(user)).singleElement()
			.satisfies((status) -> assertThat(status.principal()).isEqualTo(user));
		assertThat(userSessions.revokeAll(user)).isOne();
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	@Test
	void aSessionWhoseIdTheApplicationChangesWhileItsUserIsRevokedIsRevokedUnderItsNewId() {
		String user = newUser();
		loginAs(user);
		String before = currentSessionId();
		// Between the revocation's read of the user's sessions and its writes, a request
		// of the session changes its id
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
			assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		});
		UserSessions userSessions = userSessions();
		assertThat(revokeBetweenReadAndWrites(user, false)).isOne();
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		assertProblem(api(), reasonOfASessionRenamedWhileRevoked());
		assertThat(userSessions.list(user)).isEmpty();
	}

	@Test
	void aRequestRunningWhenItsSessionIsRevokedThatChangesTheSessionIdLeavesTheSessionRevoked() throws Exception {
		String user = newUser();
		loginAs(user);
		String before = currentSessionId();
		Response rotated = whileHeld(() -> this.browser.post("/api/hold-and-rotate", Map.of(), TestBrowser.JSON),
				() -> assertThat(userSessionsAtOnce().revokeAll(user)).isOne());
		assertThat(rotated.status()).as("decided before the revocation: %s", rotated).isEqualTo(200);
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * The revocation of a session whose id changed between its read and its writes may
	 * leave something under the old id (Redis indexed: a hash with the revocation only):
	 * a request with the old id is told the session ended, never served and never
	 * answered with a {@code 500}.
	 */
	@Test
	void aRequestWithTheOldIdOfASessionRenamedWhileRevokedIsToldItEnded() throws Exception {
		String user = newUser();
		loginAs(user);
		String cookie = this.browser.cookie(sessionCookieName());
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
			assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		});
		assertThat(revokeBetweenReadAndWrites(user, false)).isOne();
		withTomcatErrorsOff(() -> assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED,
				ExpiryReason.INVALID));
		assertProblem(api(), reasonOfASessionRenamedWhileRevoked());
	}

	/**
	 * A request already running when its session is revoked, whose id another request
	 * changes between the revocation's read and its writes, saves its copy under the old
	 * id after the revocation: the old id is never served again.
	 */
	@Test
	void aRequestRunningWhenItsSessionIsRevokedAndRenamedIsNotServedUnderTheOldIdAfterwards() throws Exception {
		withTomcatErrorsOff(this::aRequestRunningWhenItsSessionIsRevokedAndRenamedIsNotServedUnderTheOldIdQuietly);
	}

	private void aRequestRunningWhenItsSessionIsRevokedAndRenamedIsNotServedUnderTheOldIdQuietly() throws Exception {
		String user = newUser();
		loginAs(user);
		String cookie = this.browser.cookie(sessionCookieName());
		whileHeld(() -> heldRequest(cookie), () -> {
			// Between the revocation's read of the user's sessions and its writes,
			// another request of the session changes its id
			this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
				Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
				assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
			});
			assertThat(revokeBetweenReadAndWrites(user, true)).isOne();
		});
		assertProblem(api(), reasonOfASessionRenamedWhileRevoked());
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	/**
	 * A request already running when another request of its session changes the session's
	 * id, after which the user is revoked, saves its copy under the old id after the
	 * revocation (in stores that save whole copies): the old id is never served again.
	 */
	@Test
	void aRequestRunningWhenItsSessionIsRenamedAndThenRevokedIsNotServedUnderTheOldIdAfterwards() throws Exception {
		withTomcatErrorsOff(this::aRequestRunningWhenItsSessionIsRenamedAndThenRevokedIsNotServedUnderTheOldIdQuietly);
	}

	private void aRequestRunningWhenItsSessionIsRenamedAndThenRevokedIsNotServedUnderTheOldIdQuietly()
			throws Exception {
		String user = newUser();
		loginAs(user);
		String cookie = this.browser.cookie(sessionCookieName());
		whileHeld(() -> heldRequest(cookie), () -> {
			Response rotated = this.browser.post("/api/rotate", Map.of(), TestBrowser.JSON);
			assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
			assertThat(userSessionsAtOnce().revokeAll(user)).isPositive();
		});
		// JDBC saves the running request's copy by its primary key, which gives the
		// session its old id back: the new one is then unknown
		assertProblem(api(), ExpiryReason.REVOKED, ExpiryReason.INVALID);
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED, ExpiryReason.INVALID);
	}

	@Test
	void aSessionSignedOutBetweenARevocationsReadAndItsWritesFailsNoRevocation() {
		String user = newUser();
		loginAs(user);
		String cookie = this.browser.cookie(sessionCookieName());
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
			assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		});
		assertThat(revokeBetweenReadAndWrites(user, false))
			.as("the session is gone, or a copy of it holds the revocation")
			.isBetween(0, 1);
		Response ended = sentWith(cookie).get("/api/me", TestBrowser.JSON);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
	}

	@Test
	void aSessionSignedInAgainWhileTheSelfServiceEndpointEndsItIsEndedUnderItsNewId() {
		String user = newUser();
		loginAs(user);
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login(user, "password").status()).isEqualTo(302);
		String phones = sessionId(phone.cookie(sessionCookieName()));
		this.applicationContext.getBean(StoreTestApplication.RememberMeTokens.class).beforeNextRemoval(() -> {
			// Its user signs in again on the phone: a login gives the session a new id
			assertThat(phone.login(user, "password").location()).doesNotContain("error");
		});
		Response end = this.browser.delete("/session/sessions/" + SessionIds.hash(phones));
		assertThat(end.status()).as("%s", end).isEqualTo(204);
		assertThat(sessionId(phone.cookie(sessionCookieName()))).as("the login changed the session id")
			.isNotEqualTo(phones);
		assertProblem(phone.get("/api/me", TestBrowser.JSON), reasonOfASessionRenamedWhileRevoked());
		assertServed(api(), user);
	}

	/**
	 * Return what a request gets with the new id of a session whose id changed while it
	 * was revoked under the old one.
	 * @return the reason
	 */
	ExpiryReason reasonOfASessionRenamedWhileRevoked() {
		return ExpiryReason.REVOKED;
	}

	@Test
	void theSelfServiceEndpointListsOnlyTheCallersSessionsAndEndsOneOfThem() {
		String user = newUser();
		String otherUser = newUser();
		loginWithUserAgent(this.browser, user, FIREFOX_ON_LINUX);
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login(user, "password").status()).isEqualTo(302);
		TestBrowser other = new TestBrowser(this.port);
		assertThat(other.login(otherUser, "password").status()).isEqualTo(302);
		String current = SessionIds.hash(currentSessionId());
		String phones = SessionIds.hash(sessionId(phone.cookie(sessionCookieName())));
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		Response listing = this.browser.get("/session/sessions", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		assertThat(listing.body()).startsWith("{\"sessions\":[{\"id\":\"" + current + "\",\"current\":true,")
			.contains("\"device\":\"Firefox on Linux\"", "\"id\":\"" + phones + "\",\"current\":false,",
					"\"device\":\"Java\"", "\"expiresAt\":\"" + this.start.plus(IDLE) + "\"")
			.doesNotContain(currentSessionId(), "\"ip\"");
		assertThat(handles(listing)).containsExactly(current, phones);
		assertThat(jsonInstant(status(), "lastActivityAt")).as("listing is passive").isEqualTo(this.start);
		String others = SessionIds.hash(sessionId(other.cookie(sessionCookieName())));
		assertThat(handles(other.get("/session/sessions", TestBrowser.JSON))).containsExactly(others);
		for (String guessed : List.of(phones, current, "0000000000000000")) {
			Response refused = other.delete("/session/sessions/" + guessed);
			assertThat(refused.status()).as("%s", refused).isEqualTo(404);
		}
		assertServed(phone.get("/api/me", TestBrowser.JSON), user);
		Response end = this.browser.delete("/session/sessions/" + phones);
		assertThat(end.status()).as("%s", end).isEqualTo(204);
		assertProblem(phone.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
		assertServed(api(), user);
		assertServed(other.get("/api/me", TestBrowser.JSON), otherUser);
		assertThat(handles(this.browser.get("/session/sessions", TestBrowser.JSON))).containsExactly(current);
	}

	@Test
	void aUsersSessionsAreEndedThroughASecondInstance() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "needs a store that a second instance can share (PostgreSQL, Redis)");
		String user = newUser();
		loginAs(user);
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login(user, "password").status()).isEqualTo(302);
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login(user, "password").status()).isEqualTo(302);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.run()) {
			TestBrowser onSecondInstance = new TestBrowser(
					((WebServerApplicationContext) second).getWebServer().getPort());
			onSecondInstance.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			String laptops = SessionIds.hash(sessionId(laptop.cookie(sessionCookieName())));
			Response listing = onSecondInstance.get("/session/sessions", TestBrowser.JSON);
			assertThat(listing.status()).as("%s", listing).isEqualTo(200);
			assertThat(handles(listing)).hasSize(3).contains(laptops);
			Response end = onSecondInstance.delete("/session/sessions/" + laptops);
			assertThat(end.status()).as("%s", end).isEqualTo(204);
			assertProblem(laptop.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
			assertServed(phone.get("/api/me", TestBrowser.JSON), user);
			Response change = onSecondInstance.post("/api/password", Map.of(), TestBrowser.JSON);
			assertThat(change.body()).as("%s", change).isEqualTo("{\"signedOutElsewhere\":1}");
			assertProblem(phone.get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
			assertServed(api(), user);
			assertThat(second.getBean(UserSessions.class).list(user)).hasSize(1);
		}
	}

	@Test
	void anAdministratorGetsTheClocksOfTheAdministratorsPolicyAndAUserTheGlobalOnes() {
		loginAs("admin");
		Response status = status();
		assertThat(jsonString(status, "policy")).isEqualTo("administrators");
		assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(Duration.ofHours(1)));
		assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(10)));
		assertThat(jsonInstant(status, "privilegedUntil")).isEqualTo(this.start.plus(Duration.ofMinutes(5)));
		shiftTo(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		assertServed(api(), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(20)).minus(MILLI));
		assertProblem(api(), ExpiryReason.IDLE);
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getPolicy()).isEqualTo("administrators"));
		this.browser = new TestBrowser(this.port);
		shiftTo(this.start);
		loginAsUser();
		status = status();
		assertThat(jsonString(status, "policy")).isEqualTo("default");
		assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(ABSOLUTE));
		assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(IDLE));
	}

	@Test
	void aSessionSignedInWithoutALoginEventFollowsThePolicyOfItsAuthenticationNeverTheGlobalOne() {
		Response login = this.browser.post("/test/programmatic-login", Map.of("username", "admin"), TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		shiftTo(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		assertServed(api(), "admin");
		assertThat(jsonString(status(), "policy")).isEqualTo("administrators");
		shiftTo(this.start.plus(Duration.ofMinutes(20)).minus(MILLI));
		assertProblem(api(), ExpiryReason.IDLE);
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getPolicy()).isEqualTo("administrators"));
	}

	/**
	 * A user the application signs in itself (no login event) into an anonymous session
	 * 10 minutes before the global absolute deadline: from the request that signed the
	 * user in on, the store keeps the session as the policy of that user's authentication
	 * does (unbounded: no absolute lifetime, idle 30m), not as the global policy by which
	 * that request, decided without a user, aimed it, which would drop the session before
	 * a next request that the policy it follows serves.
	 */
	@Test
	void aSessionSignedInWithoutALoginEventIsKeptByTheStoreAsThePolicyOfItsAuthentication() {
		String user = signInWithoutALoginEventNearTheGlobalAbsoluteDeadline();
		this.applicationContext.getBean(AnsweredRequests.class).awaitReturned();
		Instant expiry = storeExpiry(currentSessionId());
		// Idle 30m from the sign-in, and the grace, less the store's margin of a second;
		// the global policy's absolute deadline would have given it 10m
		Instant expected = Instant.now().plus(IDLE).plus(GRACE).minusSeconds(1);
		assertThat(expiry).as("the store's expiry").isNotNull();
		assertThat(Duration.between(expiry, expected).abs()).as("%s, expected %s", expiry, expected)
			.isLessThanOrEqualTo(Duration.ofSeconds(3));
		// Past the global absolute deadline and its grace, within the policy's idle one
		shiftTo(this.start.plus(SIGNED_IN_WITHOUT_A_LOGIN_EVENT).plus(IDLE).minus(MILLI));
		assertServed(api(), user);
		assertThat(jsonString(status(), "policy")).isEqualTo("unbounded");
	}

	/**
	 * Before its next request, a session that the application signed its user in itself
	 * (no login event) is listed with its user's sessions with the deadlines of the
	 * policy it follows, and revoked with them.
	 */
	@Test
	void aSessionSignedInWithoutALoginEventIsListedAndRevokedWithItsUsersSessionsBeforeItsNextRequest() {
		String user = signInWithoutALoginEventNearTheGlobalAbsoluteDeadline();
		Instant signedIn = this.start.plus(SIGNED_IN_WITHOUT_A_LOGIN_EVENT);
		assertThat(userSessions().list(user)).as("the user's sessions").singleElement().satisfies((status) -> {
			assertThat(status.policy()).isEqualTo("unbounded");
			assertThat(status.absoluteExpiresAt()).isNull();
			assertThat(status.expiresAt()).isEqualTo(signedIn.plus(IDLE));
		});
		assertThat(userSessions().revokeAll(user)).as("sessions revoked").isEqualTo(1);
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * Sign a new user of the unbounded policy in the way some applications do it
	 * themselves (no login event) into an anonymous session kept alive since the test's
	 * start, 10 minutes before its global absolute deadline.
	 * @return the user's name
	 */
	String signInWithoutALoginEventNearTheGlobalAbsoluteDeadline() {
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		for (int minutes = 25; minutes <= 100; minutes += 25) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertThat(this.browser.get("/login", TestBrowser.HTML).status()).isEqualTo(200);
		}
		String user = newUser("USER", "UNBOUNDED");
		shiftTo(this.start.plus(SIGNED_IN_WITHOUT_A_LOGIN_EVENT));
		Response login = this.browser.post("/test/programmatic-login", Map.of("username", user), TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		return user;
	}

	@Test
	void aSessionWhosePolicyCannotBeReadFollowsThePolicyOfItsAuthenticationNeverTheGlobalOne() {
		loginAs("admin");
		Response garbled = this.browser.post("/api/policy-attribute", Map.of("value", "PT30M,garbled"),
				TestBrowser.JSON);
		assertThat(garbled.status()).as("%s", garbled).isEqualTo(200);
		assertThat(jsonString(status(), "policy")).isEqualTo("administrators");
		shiftTo(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		assertServed(api(), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(20)).minus(MILLI));
		assertProblem(api(), ExpiryReason.IDLE);
	}

	@Test
	void aShorterPolicyAppliesAtOnceAndCountsFromTheCreationOfTheSession() {
		assertThat(page().status()).as("an anonymous session").isEqualTo(302);
		for (int minutes = 20; minutes <= 40; minutes += 20) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertThat(this.browser.get("/login", TestBrowser.HTML).status()).isEqualTo(200);
		}
		shiftTo(this.start.plus(Duration.ofMinutes(55)));
		loginAs("admin");
		assertThat(jsonInstant(status(), "absoluteExpiresAt")).isEqualTo(this.start.plus(Duration.ofHours(1)));
		shiftTo(this.start.plus(Duration.ofHours(1)));
		assertRedirectedToLogin(page(), ExpiryReason.ABSOLUTE);
	}

	/**
	 * SPEC section 15: a node restarted with a shorter clock for a policy applies it to
	 * the sessions that policy was given before; a node with a longer one keeps the
	 * stored, shorter value. Administrators: idle 10m here, 5m and 20m on the others.
	 */
	@Test
	void aShorterClockInTheConfigurationReachesExistingSessionsAndALongerOneDoesNot() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAs("admin");
		String cookie = this.browser.cookie(sessionCookieName());
		try (ConfigurableApplicationContext shorter = administratorsWithIdle(secondInstance, "5m")) {
			MutableClock shorterClock = shorter.getBean(MutableClock.class);
			TestBrowser shorterNode = new TestBrowser(((WebServerApplicationContext) shorter).getWebServer().getPort());
			shorterNode.setCookie(sessionCookieName(), cookie);
			shorterClock.fixAt(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
			Response status = shorterNode.get("/session/status", TestBrowser.JSON);
			assertThat(status.status()).as("%s", status).isEqualTo(200);
			assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(5)));
			shorterClock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			assertProblem(shorterNode.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		}
		this.browser = new TestBrowser(this.port);
		loginAs("admin");
		String second = this.browser.cookie(sessionCookieName());
		Instant loggedIn = this.clock.instant();
		try (ConfigurableApplicationContext longer = administratorsWithIdle(secondInstance, "20m")) {
			MutableClock longerClock = longer.getBean(MutableClock.class);
			TestBrowser longerNode = new TestBrowser(((WebServerApplicationContext) longer).getWebServer().getPort());
			longerNode.setCookie(sessionCookieName(), second);
			longerClock.fixAt(loggedIn.plus(Duration.ofMinutes(10)).minus(MILLI));
			Response status = longerNode.get("/session/status", TestBrowser.JSON);
			assertThat(status.status()).as("%s", status).isEqualTo(200);
			assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(loggedIn.plus(Duration.ofMinutes(10)));
			longerClock.fixAt(loggedIn.plus(Duration.ofMinutes(10)));
			assertProblem(longerNode.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		}
	}

	/**
	 * SPEC section 15, clock by clock: a re-authentication clock that the configuration
	 * enables after a session's login (the global policy had none) reaches that session
	 * at its next request on a node with it.
	 */
	@Test
	void aReauthenticationClockEnabledInTheConfigurationReachesExistingSessions() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAsUser();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.idle=30m", "session-timeout.reauthentication=40m")
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(20)));
			assertServed(sameSession.get("/api/me", TestBrowser.JSON));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(40)).minus(MILLI));
			assertServed(sameSession.get("/api/me", TestBrowser.JSON));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(40)));
			assertChallenged(sameSession.get("/api/me", TestBrowser.JSON), ExpiryReason.REAUTHENTICATION,
					Duration.ofMinutes(40));
		}
	}

	/**
	 * SPEC section 15, clock by clock: a shorter privileged age in the configuration
	 * reaches existing sessions.
	 */
	@Test
	void aShorterPrivilegedAgeInTheConfigurationReachesExistingSessions() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAsUser();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.privileged.max-age=5m")
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
			assertServed(sameSession.get("/api/transfer", TestBrowser.JSON));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			assertChallenged(sameSession.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
					Duration.ofMinutes(5));
		}
	}

	/**
	 * SPEC sections 15 and 4: a shorter absolute lifetime for a policy with a persistent
	 * cookie reaches existing sessions, and so does their cookie's {@code Max-Age}, the
	 * remaining absolute lifetime (travellers 90m here, 30m on the second instance).
	 */
	@Test
	void aShorterAbsoluteLifetimeReachesExistingSessionsAndTheirPersistentCookie() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAs("traveller");
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.policies[0].name=travellers",
					"session-timeout.policies[0].authorities=ROLE_TRAVELLER",
					"session-timeout.policies[0].absolute=30m", "session-timeout.policies[0].cookie-persistent=true")
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(10)));
			Response served = sameSession.get("/api/me", TestBrowser.JSON);
			assertServed(served, "traveller");
			assertThat(cookieMaxAge(served)).as("%s", served).isEqualTo(Duration.ofMinutes(20).toSeconds());
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(30)).minus(MILLI));
			assertServed(sameSession.get("/api/me", TestBrowser.JSON), "traveller");
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(30)));
			assertProblem(sameSession.get("/api/me", TestBrowser.JSON), ExpiryReason.ABSOLUTE);
		}
	}

	/**
	 * SPEC sections 4, 8 and 10: an operator's listing of a user's sessions and that
	 * user's own listing of them count as no activity of the listed sessions.
	 */
	@Test
	void listingAUsersSessionsIsNoActivityOfThem() {
		String user = newUser();
		loginAs(user);
		TestBrowser operator = new TestBrowser(this.port);
		assertThat(operator.login("admin", "password").status()).isEqualTo(302);
		shiftTo(this.start.plus(Duration.ofMinutes(9)));
		assertServed(operator.get("/api/me", TestBrowser.JSON), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(18)));
		assertServed(operator.get("/api/me", TestBrowser.JSON), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		Response listing = operator.get("/actuator/sessiontimeouts/" + user, TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		assertThat(userSessions().list(user)).hasSize(1);
		assertThat(handles(this.browser.get("/session/sessions", TestBrowser.JSON))).hasSize(1);
		shiftTo(this.start.plus(IDLE).minus(MILLI));
		assertThat(jsonInstant(status(), "idleExpiresAt")).isEqualTo(this.start.plus(IDLE));
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
	}

	private ConfigurableApplicationContext administratorsWithIdle(String[] instance, String idle) {
		return new SpringApplicationBuilder(StoreTestApplication.class).properties(instance)
			.properties("session-timeout.policies[0].name=administrators",
					"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[0].absolute=1h",
					"session-timeout.policies[0].idle=" + idle)
			.run();
	}

	/**
	 * A session created on a node whose clock runs two minutes ahead: this node trusts
	 * its instants no further ahead than five seconds, so its absolute deadline is
	 * stretched by five seconds at most, not by two minutes.
	 */
	@Test
	void aNodeWhoseClockRunsAheadCannotStretchTheDeadlinesOfTheOthers() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.absolute=" + ABSOLUTE.toMinutes() + "m")
			.run()) {
			second.getBean(MutableClock.class).fixAt(this.start.plus(Duration.ofMinutes(2)));
			TestBrowser aheadNode = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			assertThat(aheadNode.login("user", "password").status()).isEqualTo(302);
			this.browser.setCookie(sessionCookieName(), aheadNode.cookie(sessionCookieName()));
		}
		for (int minutes = 0; minutes < 120; minutes += 20) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertServed(api());
		}
		Instant deadline = this.start.plus(Duration.ofSeconds(5)).plus(ABSOLUTE);
		shiftTo(deadline.minus(MILLI));
		assertServed(api());
		shiftTo(deadline);
		assertProblem(api(), ExpiryReason.ABSOLUTE);
	}

	@Test
	void aSecondInstanceTellsWhyASessionEndedOnThisOneUntilTheGraceEnds() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			TestBrowser otherNode = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			secondClock.fixAt(this.start.plus(IDLE).plus(GRACE).minus(MILLI));
			otherNode.setCookie(sessionCookieName(), cookie);
			assertProblem(otherNode.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
			secondClock.fixAt(this.start.plus(IDLE).plus(GRACE));
			otherNode.setCookie(sessionCookieName(), cookie);
			assertProblem(otherNode.get("/api/me", TestBrowser.JSON), ExpiryReason.INVALID);
		}
	}

	@Test
	void aPolicyChosenAtLoginHoldsOnASecondInstanceThatHasNoPolicies() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		loginAs("admin");
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.run()) {
			MutableClock secondClock = second.getBean(MutableClock.class);
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(5)));
			TestBrowser sameSession = new TestBrowser(((WebServerApplicationContext) second).getWebServer().getPort());
			sameSession.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
			Response status = sameSession.get("/session/status", TestBrowser.JSON);
			assertThat(jsonString(status, "policy")).isEqualTo("administrators");
			assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(Duration.ofHours(1)));
			assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(10)));
			secondClock.fixAt(this.start.plus(Duration.ofMinutes(10)));
			assertProblem(sameSession.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE);
		}
	}

	/**
	 * Rolling upgrade: sessions that version 0.1.0 of the starter wrote keep their
	 * clocks. Its state format is spelled out here, attribute by attribute, instead of
	 * taken from the code, so that a new format must keep reading what stores already
	 * hold: the stored creation, activity and authentication count (never the time the
	 * store created the session, which is later here), and so do the stored policy, a
	 * pending challenge and a revocation.
	 */
	@Test
	void sessionsInTheStateFormatOfVersion010KeepTheirClocks() {
		TestBrowser administrator = storeSession("admin", version010("PT1H,PT10M,-,PT5M,0,administrators",
				Duration.ofMinutes(50), Duration.ofMinutes(5), Duration.ofMinutes(50)));
		TestBrowser user = storeSession("user", version010("PT2H,PT30M,-,PT15M,0,default", Duration.ofHours(1),
				Duration.ofMinutes(20), Duration.ofHours(1)));
		TestBrowser auditor = storeSession("auditor", version010("PT2H,PT30M,PT45M,PT15M,0,auditors",
				Duration.ofMinutes(44), Duration.ofMinutes(1), Duration.ofMinutes(44)));
		Map<String, Object> challenged = version010("PT2H,PT30M,PT45M,PT15M,0,auditors", Duration.ofMinutes(50),
				Duration.ofMinutes(1), Duration.ofMinutes(50));
		challenged.put("dev.sessiontimeout.challenge",
				"reauthentication,2700000," + this.start.minus(Duration.ofMinutes(5)).toEpochMilli() + ",auditor");
		TestBrowser challengedAuditor = storeSession("auditor", challenged);
		Map<String, Object> revoked = version010("PT2H,PT30M,-,PT15M,0,default", Duration.ofMinutes(10),
				Duration.ofMinutes(1), Duration.ofMinutes(10));
		revoked.put("dev.sessiontimeout.revokedAt", this.start.minus(Duration.ofMinutes(1)).toEpochMilli());
		TestBrowser revokedUser = storeSession("user", revoked);

		this.browser = administrator;
		Response status = status();
		assertThat(jsonString(status, "policy")).isEqualTo("administrators");
		assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(10)));
		assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(5)));
		this.browser = user;
		assertThat(jsonInstant(status(), "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(10)));
		this.browser = auditor;
		assertThat(jsonInstant(status(), "reauthenticateAt")).isEqualTo(this.start.plus(Duration.ofMinutes(1)));
		this.browser = challengedAuditor;
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		this.browser = revokedUser;
		assertProblem(api(), ExpiryReason.REVOKED);

		this.browser = auditor;
		shiftTo(this.start.plus(Duration.ofMinutes(1)).minus(MILLI));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(1)));
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		this.browser = administrator;
		shiftTo(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
		assertServed(api(), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		assertServed(api(), "admin");
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		assertProblem(api(), ExpiryReason.ABSOLUTE);
		this.browser = user;
		assertProblem(api(), ExpiryReason.IDLE);
	}

	/**
	 * The attributes of version 0.1.0 for an authenticated session: epoch milliseconds as
	 * {@code Long}, the policy as text.
	 */
	private Map<String, Object> version010(String policy, Duration createdAgo, Duration activeAgo,
			Duration authenticatedAgo) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("dev.sessiontimeout.createdAt", this.start.minus(createdAgo).toEpochMilli());
		attributes.put("dev.sessiontimeout.lastActivityAt", this.start.minus(activeAgo).toEpochMilli());
		attributes.put("dev.sessiontimeout.authenticatedAt", this.start.minus(authenticatedAgo).toEpochMilli());
		attributes.put("dev.sessiontimeout.policy", policy);
		return attributes;
	}

	/**
	 * Store an authenticated session directly in the store, with the starter's state as
	 * another version of it left it, and return a browser that holds its cookie.
	 * @param username the user whose authentication the session holds
	 * @param attributes the starter's attributes
	 * @return the browser
	 */
	TestBrowser storeSession(String username, Map<String, Object> attributes) {
		abort("the servlet container's sessions cannot be written outside a request");
		throw new IllegalStateException("unreachable");
	}

	/**
	 * Rolling upgrade: a session signed in on a node without the starter is adopted from
	 * its creation, on a node with it: its absolute clock counts from then, not from when
	 * this node first saw it.
	 */
	@Test
	void aSessionSignedInBeforeTheStarterWasAddedKeepsItsAbsoluteClockFromItsCreation() {
		String[] secondInstance = secondInstanceProperties();
		assumeTrue(secondInstance != null, "the store cannot be shared by a second instance");
		Instant createdBefore = Instant.now();
		try (ConfigurableApplicationContext withoutStarter = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties(secondInstance)
			.properties("session-timeout.enabled=false")
			.run()) {
			TestBrowser before = new TestBrowser(
					((WebServerApplicationContext) withoutStarter).getWebServer().getPort());
			assertThat(before.login("admin", "password").status()).isEqualTo(302);
			assertThat(before.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
			this.browser.setCookie(sessionCookieName(), before.cookie(sessionCookieName()));
		}
		Instant createdAfter = Instant.now();
		// Its last request on the node without the starter five minutes before this node
		// first sees it: adopted, its idle clock counts from then (the store's clock is
		// the system's, the starter's the test's)
		storeLastAccess(currentSessionId(), this.start.plus(Duration.ofMinutes(25)));
		shiftTo(this.start.plus(Duration.ofMinutes(30)));
		Response status = status();
		assertThat(jsonString(status, "policy")).isEqualTo("administrators");
		Instant absoluteDeadline = jsonInstant(status, "absoluteExpiresAt");
		assertThat(absoluteDeadline).isBetween(createdBefore.truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofHours(1)),
				createdAfter.plus(Duration.ofHours(1)));
		// A status request is passive: the idle deadline counts from that last request
		assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(this.start.plus(Duration.ofMinutes(35)));
		assertServed(api(), "admin");
		for (int minutes = 39; minutes < 60; minutes += 9) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertServed(api(), "admin");
		}
		shiftTo(absoluteDeadline.minus(MILLI));
		assertServed(api(), "admin");
		shiftTo(absoluteDeadline);
		assertProblem(api(), ExpiryReason.ABSOLUTE);
	}

	@Test
	void theReauthenticationLifetimeKeepsTheSessionAndSendsTheUserToLogInAgain() {
		double challengedBefore = stepUps("challenged");
		double succeededBefore = stepUps("succeeded");
		loginAs("auditor");
		assertThat(this.browser.post("/api/cart", Map.of("item", "book"), TestBrowser.JSON).status()).isEqualTo(200);
		Instant reauthenticateAt = jsonInstant(status(), "reauthenticateAt");
		assertThat(reauthenticateAt).isEqualTo(this.start.plus(Duration.ofMinutes(45)));
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertServed(api(), "auditor");
		shiftTo(reauthenticateAt.minus(MILLI));
		assertServed(api(), "auditor");
		shiftTo(reauthenticateAt);
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		String sessionId = currentSessionId();
		Response page = this.browser.get("/home", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=reauthentication");
		assertThat(this.browser.get("/login?expired=reauthentication", TestBrowser.HTML).status()).isEqualTo(200);
		assertThat(jsonString(status(), "principal")).as("the session is kept").isEqualTo("auditor");
		Instant loginAt = reauthenticateAt.plus(Duration.ofMinutes(1));
		shiftTo(loginAt);
		Response login = loginAs("auditor");
		assertThat(login.location()).contains("/home?continue");
		assertThat(currentSessionId()).as("session id rotated").isNotEqualTo(sessionId);
		Response resumed = this.browser.get("/home?continue", TestBrowser.HTML);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("Hello auditor, cart book");
		Response status = status();
		assertThat(jsonInstant(status, "reauthenticateAt")).isEqualTo(loginAt.plus(Duration.ofMinutes(45)));
		assertThat(jsonInstant(status, "idleExpiresAt")).isEqualTo(loginAt.plus(IDLE));
		assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(ABSOLUTE));
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION);
			assertThat(event.getPrincipal()).isEqualTo("auditor");
			assertThat(event.getDeadline()).isEqualTo(reauthenticateAt);
			assertThat(event.getPolicy()).isEqualTo("auditors");
		});
		assertThat(this.events.stepUps()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION));
		assertThat(stepUps("challenged")).isEqualTo(challengedBefore + 1);
		assertThat(stepUps("succeeded")).isEqualTo(succeededBefore + 1);
	}

	/**
	 * SPEC section 2: once re-authentication is due the user must authenticate again. A
	 * remember-me cookie that the browser holds from the login is no authentication
	 * again: neither the status endpoint's passive poll (the banner script's) nor a later
	 * request that carries it with the session meets the challenge, and the privileged
	 * age does not start again from it.
	 */
	@Test
	void aRememberMeCookieDoesNotMeetAReauthenticationChallenge() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "auditor");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		assertThat(this.browser.cookie("remember-me")).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		shiftTo(this.start.plus(Duration.ofMinutes(46)));
		Response poll = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(poll.body()).as("%s", poll)
			.doesNotContain("\"reauthenticateAt\":\"" + this.start.plus(Duration.ofMinutes(91)) + "\"");
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON), ExpiryReason.REAUTHENTICATION,
				Duration.ofMinutes(45));
	}

	/**
	 * SPEC section 2 and README (Policies): once re-authentication is due the user must
	 * authenticate again, and "a remember-me cookie never meets a due re-authentication".
	 * The auditor's re-authentication (45m) is due and the session is challenged; the
	 * same browser then sends its remember-me cookie without the session cookie (cookies
	 * cleared but the remember-me one, a script, or a thief of that cookie). Expected:
	 * still challenged ({@code 401}, reason {@code reauthentication}): a remember-me
	 * login is no authentication of the user, so it starts no re-authentication lifetime.
	 * Actual (red on every servlet store): Spring Security's remember-me signs the user
	 * into a new session that is served ({@code 200}), with {@code reauthenticateAt} 45
	 * minutes after the remember-me login: dropping one cookie escapes the due
	 * re-authentication, again and again, for as long as the remember-me cookie lives
	 * (two weeks by default).
	 */
	@Test
	void aRememberMeCookieInANewSessionDoesNotMeetADueReauthentication() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "auditor");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(46)));
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		TestBrowser withoutSession = new TestBrowser(this.port);
		withoutSession.setCookie("remember-me", rememberMe);
		Response response = withoutSession.get("/api/me", TestBrowser.JSON);
		Response status = withoutSession.get("/session/status", TestBrowser.JSON);
		assertThat(response.status())
			.as("re-authentication due since %s; %s; status %s", this.start.plus(Duration.ofMinutes(45)), response,
					status)
			.isEqualTo(401);
		assertThat(jsonString(response, "reason")).isEqualTo(ExpiryReason.REAUTHENTICATION.value());
	}

	/**
	 * SPEC section 2 and README (Policies): a remember-me login is no authentication of
	 * the user, so under a policy with a re-authentication lifetime the session it signs
	 * in must authenticate again at once, its very first request included (a browser is
	 * sent to the login page), and names neither a re-authentication nor a privileged
	 * deadline; a real login of the same user in that session meets it, and the clock
	 * counts from that login.
	 */
	@Test
	void aSessionThatARememberMeCookieSignsInMustAuthenticateAgainAtOnceUntilARealLogin() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "auditor");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		TestBrowser remembered = new TestBrowser(this.port);
		remembered.setCookie("remember-me", rememberMe);
		assertRedirectedToLogin(remembered.get("/home", TestBrowser.HTML), ExpiryReason.REAUTHENTICATION);
		assertThat(remembered.cookie(sessionCookieName())).as("signed in a session").isNotNull();
		assertChallenged(remembered.get("/api/me", TestBrowser.JSON), ExpiryReason.REAUTHENTICATION,
				Duration.ofMinutes(45));
		Response status = remembered.get("/session/status", TestBrowser.JSON);
		assertThat(status.body()).as("%s", status).contains("\"reauthenticateAt\":null", "\"privilegedUntil\":null");
		shiftTo(this.start.plus(Duration.ofMinutes(6)));
		assertThat(remembered.login("auditor", "password").location()).doesNotContain("error");
		assertServed(remembered.get("/api/me", TestBrowser.JSON), "auditor");
		assertThat(jsonInstant(remembered.get("/session/status", TestBrowser.JSON), "reauthenticateAt"))
			.isEqualTo(this.start.plus(Duration.ofMinutes(51)));
	}

	/**
	 * SPEC section 2: a remember-me cookie sent again after Spring Security cancelled it
	 * (a copy of it) meets the due re-authentication no more than the first time: the
	 * request stays challenged and renews nothing; a form login of the same user meets
	 * it.
	 */
	@Test
	void aReplayedRememberMeCookieStaysChallengedUntilTheUserLogsInAgain() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "auditor");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		shiftTo(this.start.plus(Duration.ofMinutes(46)));
		for (int i = 0; i < 2; i++) {
			this.browser.setCookie("remember-me", rememberMe);
			assertChallenged(api(), ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		}
		this.browser.setCookie("remember-me", rememberMe);
		Response poll = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(poll.body()).as("%s", poll).doesNotContain("\"lastActivityAt\":\"" + this.clock.instant() + "\"");
		assertThat(poll.body()).as("%s", poll)
			.doesNotContain("\"reauthenticateAt\":\"" + this.start.plus(Duration.ofMinutes(91)) + "\"");
		shiftTo(this.start.plus(Duration.ofMinutes(47)));
		assertThat(this.browser.login("auditor", "password").location()).doesNotContain("error");
		assertServed(api(), "auditor");
		assertThat(jsonInstant(status(), "reauthenticateAt")).isEqualTo(this.start.plus(Duration.ofMinutes(92)));
	}

	@Test
	void aRequestRefusedForWantOfItsUserWhileReauthenticationIsDueIsNoActivity() {
		loginAs("auditor");
		Instant lastActivity = this.start.plus(Duration.ofMinutes(25));
		shiftTo(lastActivity);
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertChallenged(this.browser.get("/test/balance", TestBrowser.JSON), ExpiryReason.REAUTHENTICATION,
				Duration.ofMinutes(45));
		// The store keeps the session until the idle deadline plus the grace, as before
		Instant expiry = storeExpiry(currentSessionId());
		Instant expected = Instant.now()
			.plus(Duration.between(this.clock.instant(), lastActivity.plus(IDLE).plus(GRACE).minusSeconds(1)));
		assertThat(expiry).isNotNull();
		assertThat(Duration.between(expiry, expected).abs()).as("%s, expected %s", expiry, expected)
			.isLessThanOrEqualTo(Duration.ofSeconds(3));
		shiftTo(lastActivity.plus(IDLE).minus(MILLI));
		assertThat(status().status()).isEqualTo(200);
		shiftTo(lastActivity.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
	}

	@Test
	void anAsyncRequestRefusedWhileReauthenticationIsDueTakesBackNoActivityOfAnotherRequest() throws Exception {
		loginAs("auditor");
		Instant lastActivity = this.start.plus(Duration.ofMinutes(25));
		shiftTo(lastActivity);
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		TestBrowser tab = new TestBrowser(this.port);
		tab.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
		Future<Response> report = Executors.newSingleThreadExecutor()
			.submit(() -> tab.get("/test/report", TestBrowser.JSON));
		this.reports.awaitRequest();
		// Meanwhile another tab's request, which anyone may make, counts as activity
		Instant meanwhile = this.start.plus(Duration.ofMinutes(50));
		shiftTo(meanwhile);
		Response hello = this.browser.get("/test/hello", TestBrowser.JSON);
		assertThat(hello.status()).as("%s", hello).isEqualTo(200);
		this.reports.fail(new AccessDeniedException("Only a signed-in user has a report"));
		Response refused = report.get(60, TimeUnit.SECONDS);
		assertChallenged(refused, ExpiryReason.REAUTHENTICATION, Duration.ofMinutes(45));
		// Idle from the other tab's activity, not from the one before the refused request
		shiftTo(lastActivity.plus(IDLE));
		Response alive = status();
		assertThat(alive.status()).as("%s", alive).isEqualTo(200);
	}

	@Test
	void anotherUserCannotMeetTheReauthenticationChallenge() {
		loginAs("auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertThat(page().location()).endsWith("/login?expired=reauthentication");
		String sessionId = currentSessionId();
		Response other = this.browser.login("user", "password");
		assertThat(other.status()).isEqualTo(302);
		assertThat(other.location()).contains("error");
		assertThat(currentSessionId()).isEqualTo(sessionId);
		assertThat(jsonString(status(), "principal")).isEqualTo("auditor");
		assertThat(page().location()).endsWith("/login?expired=reauthentication");
		loginAs("auditor");
		assertThat(page().status()).isEqualTo(200);
	}

	@Test
	void aDeferredResultWhoseSessionWasSignedOutMeanwhileIsNotServed() throws Exception {
		withTomcatErrorsOff(this::aDeferredResultWhoseSessionWasSignedOutMeanwhileIsNotServedQuietly);
	}

	private void aDeferredResultWhoseSessionWasSignedOutMeanwhileIsNotServedQuietly() throws Exception {
		loginAsUser();
		TestBrowser tab = new TestBrowser(this.port);
		tab.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
		Future<Response> report = Executors.newSingleThreadExecutor()
			.submit(() -> tab.get("/api/report", TestBrowser.JSON));
		this.reports.awaitRequest();
		Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		this.reports.complete("the numbers of user");
		Response answer = report.get(60, TimeUnit.SECONDS);
		// 401 as for any request of the signed-out session; Spring Session's default
		// Redis store fails the request instead, saving the copy of a deleted session
		assertThat(answer.status()).as("%s", answer).isIn(401, 500);
		assertThat(answer.body()).doesNotContain("the numbers");
	}

	@Test
	void aDeferredResultIsServedWhileItsSessionIs() throws Exception {
		loginAsUser();
		TestBrowser tab = new TestBrowser(this.port);
		tab.setCookie(sessionCookieName(), this.browser.cookie(sessionCookieName()));
		Future<Response> report = Executors.newSingleThreadExecutor()
			.submit(() -> tab.get("/api/report", TestBrowser.JSON));
		this.reports.complete("the numbers of user");
		Response answer = report.get(60, TimeUnit.SECONDS);
		assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		assertThat(answer.body()).contains("the numbers of user");
	}

	@Test
	void aUserWhoMustAuthenticateAgainCanSignOutInstead() {
		loginAs("auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(25)));
		assertServed(api(), "auditor");
		shiftTo(this.start.plus(Duration.ofMinutes(45)));
		assertThat(page().location()).endsWith("/login?expired=reauthentication");
		Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		assertThat(logout.location()).endsWith("/login?logout");
		loginAsUser();
		assertThat(jsonString(status(), "principal")).isEqualTo("user");
	}

	@Test
	void aBrowserStepsUpThroughTheLoginPageAndComesBackToThePrivilegedPage() {
		loginAsUser();
		assertThat(this.browser.post("/api/cart", Map.of("item", "book"), TestBrowser.JSON).status()).isEqualTo(200);
		shiftTo(this.start.plus(Duration.ofMinutes(15)).minus(MILLI));
		Response fresh = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		assertThat(fresh.body()).contains("transferred 10");
		shiftTo(this.start.plus(Duration.ofMinutes(15)));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.status()).as("%s", stale).isEqualTo(302);
		assertThat(stale.location()).endsWith("/login?expired=privileged");
		String sessionId = currentSessionId();
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(16));
		shiftTo(stepUpAt);
		assertThat(loginAsUser().location()).contains("/transfers?continue");
		assertThat(currentSessionId()).as("session id rotated").isNotEqualTo(sessionId);
		Response resumed = this.browser.get("/transfers?continue", TestBrowser.HTML);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("transferred 10, cart book");
		assertThat(jsonInstant(status(), "privilegedUntil")).isEqualTo(stepUpAt.plus(Duration.ofMinutes(15)));
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED);
			assertThat(event.getDeadline()).isEqualTo(this.start.plus(Duration.ofMinutes(15)));
		});
		assertThat(this.events.stepUps()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED));
	}

	@Test
	void anApiCallToAPrivilegedMethodGetsAnRfc9470ChallengeThatAnotherUserCannotMeet() {
		loginAsUser();
		shiftTo(this.start.plus(Duration.ofMinutes(15)).minus(MILLI));
		assertServed(this.browser.get("/api/transfer", TestBrowser.JSON));
		shiftTo(this.start.plus(Duration.ofMinutes(15)));
		Response stale = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertChallenged(stale, ExpiryReason.PRIVILEGED, Duration.ofMinutes(15));
		assertThat(stale.header("WWW-Authenticate")).isEqualTo("Bearer error=\"insufficient_user_authentication\","
				+ " error_description=\"This operation requires a more recent authentication.\", max_age=900");
		shiftTo(this.start.plus(Duration.ofMinutes(15)).plus(MILLI));
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		Response other = this.browser.login("admin", "password");
		assertThat(other.location()).contains("error");
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(15));
		loginAsUser();
		assertServed(this.browser.get("/api/transfer", TestBrowser.JSON));
	}

	@Test
	void aPrivilegedMethodOnAnotherThreadFollowsThePolicyAndAuthenticationTimeOfTheCallersSession() {
		Map<String, String> form = Map.of("username", "admin", "password", "password");
		Response login = this.browser.post("/login", form, TestBrowser.HTML, StoreTestApplication.UNKNOWN_DEVICE_HEADER,
				"yes");
		assertThat(login.location()).as("%s", login).doesNotContain("error");
		Duration unknownDevicePrivilegedAge = Duration.ofMinutes(2);
		shiftTo(this.start.plus(unknownDevicePrivilegedAge).minus(MILLI));
		for (boolean throughTheService : new boolean[] { false, true }) {
			Response transfer = this.browser.get("/api/transfer-async?throughTheService=" + throughTheService,
					TestBrowser.JSON);
			assertServed(transfer, "admin");
			assertThat(jsonString(transfer, "result")).startsWith("transferred 10 on ")
				.doesNotEndWith(" on " + jsonString(transfer, "requestThread"));
		}
		// The administrators' 5m that the authorities alone would choose does not apply
		shiftTo(this.start.plus(unknownDevicePrivilegedAge));
		for (boolean throughTheService : new boolean[] { false, true }) {
			assertChallenged(
					this.browser.get("/api/transfer-async?throughTheService=" + throughTheService, TestBrowser.JSON),
					ExpiryReason.PRIVILEGED, unknownDevicePrivilegedAge);
		}
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
	}

	@Test
	void privilegedPathsFollowThePrivilegedAgeOfThePolicy() {
		loginAs("admin");
		shiftTo(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
		assertThat(this.browser.get("/account/password", TestBrowser.HTML).status()).isEqualTo(200);
		shiftTo(this.start.plus(Duration.ofMinutes(5)));
		Response stale = this.browser.get("/account/password", TestBrowser.HTML);
		assertThat(stale.status()).as("%s", stale).isEqualTo(302);
		assertThat(stale.location()).endsWith("/login?expired=privileged");
		assertThat(page().status()).as("other pages are not privileged").isEqualTo(200);
		assertChallenged(this.browser.get("/account/password", TestBrowser.JSON), ExpiryReason.PRIVILEGED,
				Duration.ofMinutes(5));
	}

	@Test
	void aPersistentPolicyGivesTheSessionCookieTheRemainingAbsoluteLifetimeOnEveryResponse() {
		Response login = loginAs("traveller");
		assertThat(cookieMaxAge(login)).as("%s", login).isEqualTo(Duration.ofMinutes(90).toSeconds());
		shiftTo(this.start.plus(Duration.ofMinutes(20)).plusMillis(400));
		Response later = api();
		assertServed(later, "traveller");
		// 69m59.6s left: rounded up, never to less than the session has left
		assertThat(cookieMaxAge(later)).as("%s", later).isEqualTo(Duration.ofMinutes(70).toSeconds());
		assertThat(this.browser.cookie(sessionCookieName())).isNotNull();
		assertServed(api(), "traveller");
		shiftTo(this.start.plus(Duration.ofMinutes(40)));
		assertThat(cookieMaxAge(page())).isEqualTo(Duration.ofMinutes(50).toSeconds());
	}

	@Test
	void otherPoliciesKeepABrowserSessionCookie() {
		Response login = loginAsUser();
		assertThat(sessionCookies(login)).as("%s", login).isNotEmpty().noneMatch(this::hasMaxAge);
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		Response later = api();
		assertServed(later);
		assertThat(sessionCookies(later)).noneMatch(this::hasMaxAge);
	}

	List<String> sessionCookies(Response response) {
		return response.setCookies().stream().filter((cookie) -> cookie.startsWith(sessionCookieName() + "=")).toList();
	}

	boolean hasMaxAge(String setCookie) {
		return setCookie.toLowerCase(Locale.ROOT).contains("max-age=");
	}

	long cookieMaxAge(Response response) {
		List<String> cookies = sessionCookies(response);
		assertThat(cookies).as("session cookies of %s", response).isNotEmpty();
		Matcher matcher = Pattern.compile("(?i)Max-Age=(\\d+)").matcher(cookies.get(cookies.size() - 1));
		assertThat(matcher.find()).as("Max-Age in %s", cookies).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	@Test
	void absoluteDeadlineEndsASessionThatIsContinuouslyActive() {
		loginAsUser();
		for (Duration elapsed = Duration.ofMinutes(20); elapsed.compareTo(ABSOLUTE) < 0; elapsed = elapsed
			.plusMinutes(20)) {
			shiftTo(this.start.plus(elapsed).minus(MILLI));
			assertServed(api());
		}
		shiftTo(this.start.plus(ABSOLUTE).minus(MILLI));
		assertServed(api());
		shiftTo(this.start.plus(ABSOLUTE));
		assertProblem(api(), ExpiryReason.ABSOLUTE);
		assertThat(this.events.all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.ABSOLUTE);
			assertThat(event.getDeadline()).isEqualTo(this.start.plus(ABSOLUTE));
		});
	}

	@Test
	void loginRotatesTheSessionIdWithoutResettingTheAbsoluteClock() {
		Response anonymous = page();
		assertThat(anonymous.status()).as("unauthenticated page").isEqualTo(302);
		String anonymousId = currentSessionId();
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		loginAsUser();
		String authenticatedId = currentSessionId();
		assertThat(authenticatedId).isNotEqualTo(anonymousId);
		for (int minutes = 40; minutes < 120; minutes += 20) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertServed(api());
		}
		shiftTo(this.start.plus(ABSOLUTE).minus(MILLI));
		assertServed(api());
		shiftTo(this.start.plus(ABSOLUTE));
		assertRedirectedToLogin(page(), ExpiryReason.ABSOLUTE);
	}

	@Test
	void replayingTheCookieFromBeforeLoginIsRefused() {
		assertThat(page().status()).isEqualTo(302);
		String anonymousCookie = this.browser.cookie(sessionCookieName());
		loginAsUser();
		assertServed(api());
		this.browser.setCookie(sessionCookieName(), anonymousCookie);
		assertProblem(api(), ExpiryReason.INVALID);
		this.browser.setCookie(sessionCookieName(), anonymousCookie);
		assertRedirectedToLogin(page(), ExpiryReason.INVALID);
	}

	@Test
	void replayingTheCookieOfAnEndedSessionIsRefused() {
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		shiftTo(this.start.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
		this.browser.setCookie(sessionCookieName(), cookie);
		shiftTo(this.start);
		assertProblem(api(), ExpiryReason.IDLE);
		this.browser.setCookie(sessionCookieName(), cookie);
		shiftTo(this.start.plus(IDLE).plus(GRACE));
		assertProblem(api(), ExpiryReason.INVALID);
	}

	@Test
	void theLoginPageStaysReachableWithAnEndedSession() {
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		shiftTo(this.start.plus(IDLE));
		Response loginPage = this.browser.get("/login", TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(200);
		this.browser.setCookie(sessionCookieName(), cookie);
		loginPage = this.browser.get("/login?expired=idle", TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(200);
	}

	@Test
	void theStoreDropsAnIdleSessionByTheIdleDeadlinePlusGrace() {
		this.clock.tick();
		loginAsUser();
		Response response = api();
		assertServed(response);
		Instant lastActivity = Instant.parse(jsonString(response, "decidedAt"));
		Instant expiry = storeExpiry(currentSessionId());
		assertThat(expiry).isNotNull();
		assertThat(expiry).isBeforeOrEqualTo(lastActivity.plus(IDLE).plus(GRACE))
			.isAfter(lastActivity.plus(IDLE).plus(GRACE).minusSeconds(3));
	}

	@Test
	void theStoreDropsASessionByTheAbsoluteDeadlinePlusGrace() {
		this.clock.tick();
		loginAsUser();
		Response first = api();
		Instant createdAt = Instant.ofEpochMilli(Long.parseLong(jsonNumber(first, "createdAt")));
		Duration offset = Duration.ZERO;
		Duration remaining = Duration.ofMinutes(10);
		while (ABSOLUTE.minus(remaining).minus(offset).compareTo(IDLE) >= 0) {
			this.clock.shift(Duration.ofMinutes(20));
			offset = offset.plusMinutes(20);
			assertServed(api());
		}
		this.clock.shift(ABSOLUTE.minus(remaining).minus(offset));
		offset = ABSOLUTE.minus(remaining);
		Response response = api();
		assertServed(response);
		Instant expiry = storeExpiry(currentSessionId());
		Instant absoluteDeadlineOnSystemClock = createdAt.plus(ABSOLUTE).minus(offset);
		assertThat(expiry).isNotNull();
		assertThat(expiry).isBeforeOrEqualTo(absoluteDeadlineOnSystemClock.plus(GRACE))
			.isAfter(absoluteDeadlineOnSystemClock.plus(GRACE).minusSeconds(3));
	}

	@Test
	void aSessionRevokedAfterItsIdleDeadlineIsKeptByTheStoreNoLongerThanTheDeadlinePlusGrace() {
		this.clock.tick();
		String user = newUser();
		loginAs(user);
		Response response = api();
		assertServed(response, user);
		Instant lastActivity = Instant.parse(jsonString(response, "decidedAt"));
		String sessionId = currentSessionId();
		Duration offset = IDLE.plusSeconds(40);
		this.clock.shift(offset);
		// The store counts what it keeps the revoked session for on the system clock,
		// read a moment after the starter's: past the deadline plus grace by as long
		// as the revocation ran at most
		Instant revocationStart = Instant.now();
		userSessions().revokeAll(user);
		Duration revocation = Duration.between(revocationStart, Instant.now());
		Instant expiry = storeExpiry(sessionId);
		Instant idleDeadlineOnSystemClock = lastActivity.plus(IDLE).minus(offset);
		if (expiry != null) {
			assertThat(expiry).isBeforeOrEqualTo(idleDeadlineOnSystemClock.plus(GRACE).plus(revocation));
		}
		assertProblem(api(), ExpiryReason.IDLE, ExpiryReason.REVOKED);
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
		loginAs(user);
		assertServed(api(), user);
		assertThat(userSessions().revokeAll(user)).isOne();
		assertProblem(api(), ExpiryReason.REVOKED);
		this.browser = new TestBrowser(this.port);
		loginAs(user);
		assertServed(api(), user);
		assertServed(api(), user);
	}

	/**
	 * A remember-me login at a page that answers an error (a path nothing serves: Spring
	 * MVC sends a 404) gets the application's error page: the login's request, which the
	 * starter commits before it reads its user's revocations last, has its error page
	 * written first.
	 */
	@Test
	void aRememberMeLoginAtAPageThatAnswersAnErrorGetsTheErrorPage() {
		String user = newUser();
		TestBrowser remembered = rememberedBrowserOf(user);
		this.clock.shift(Duration.ofSeconds(1));
		Response missing = remembered.get("/api/no-such-page", TestBrowser.JSON);
		assertThat(missing.status()).as("%s", missing).isEqualTo(404);
		assertThat(missing.body()).as("%s", missing).contains("\"status\":404");
		assertServed(remembered.get("/api/me", TestBrowser.JSON), user);
	}

	static String jsonNumber(Response response, String member) {
		Matcher matcher = Pattern.compile("\"" + member + "\":(\\d+)").matcher(response.body());
		assertThat(matcher.find()).as("member %s in %s", member, response.body()).isTrue();
		return matcher.group(1);
	}

	@Test
	void anOperationThatNeedsAFreshAuthenticationRunsOnceForTwoParallelRequests() throws Exception {
		loginAsUser();
		String cookie = this.browser.cookie(sessionCookieName());
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<Response>> futures = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				TestBrowser tab = new TestBrowser(this.port);
				tab.setCookie(sessionCookieName(), cookie);
				futures.add(executor.submit(() -> tab.get("/api/export-together", TestBrowser.JSON)));
			}
			List<Response> responses = new ArrayList<>();
			for (Future<Response> future : futures) {
				responses.add(future.get(60, TimeUnit.SECONDS));
			}
			assertThat(responses).as("one login, one export: %s", responses)
				.filteredOn((response) -> response.status() == 200)
				.singleElement()
				.satisfies((response) -> assertThat(response.body()).contains("exported"));
			assertThat(responses).filteredOn((response) -> response.status() != 200)
				.singleElement()
				.satisfies((response) -> assertProblem(response, ExpiryReason.PRIVILEGED));
		}
		finally {
			executor.shutdownNow();
		}
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
		loginAsUser();
		String before = currentSessionId();
		Response rotated = whileHeld(() -> this.browser.post("/api/hold-and-rotate", Map.of(), TestBrowser.JSON),
				() -> assertServed(this.browser.get("/api/export", TestBrowser.JSON)));
		assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
		assertThat(currentSessionId()).as("the session id changed").isNotEqualTo(before);
		assertProblem(this.browser.get("/api/export", TestBrowser.JSON), ExpiryReason.PRIVILEGED);
	}

	@Test
	void noneOfFiftyParallelRequestsStraddlingTheAbsoluteDeadlineIsServedAfterIt() throws Exception {
		loginAsUser();
		for (int minutes = 20; minutes < 120; minutes += 20) {
			shiftTo(this.start.plus(Duration.ofMinutes(minutes)));
			assertServed(api());
		}
		Instant deadline = this.start.plus(ABSOLUTE);
		shiftTo(deadline.minusMillis(25));
		this.clock.stepEachReading(MILLI);
		int requests = 50;
		ExecutorService executor = Executors.newFixedThreadPool(requests);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Response>> futures = new ArrayList<>();
			String cookie = this.browser.cookie(sessionCookieName());
			for (int i = 0; i < requests; i++) {
				TestBrowser tab = new TestBrowser(this.port);
				tab.setCookie(sessionCookieName(), cookie);
				futures.add(executor.submit(() -> {
					go.await();
					return tab.getAllowingCut("/api/me", TestBrowser.JSON);
				}));
			}
			go.countDown();
			List<Response> responses = new ArrayList<>();
			for (Future<Response> future : futures) {
				responses.add(future.get(60, TimeUnit.SECONDS));
			}
			List<Response> served = responses.stream().filter((response) -> response.status() == 200).toList();
			String summary = responses.stream()
				.map((response) -> response.status() + ((response.status() == 200)
						? "@" + jsonString(response, "decidedAt") : ":" + response.body()))
				.toList()
				.toString();
			assertThat(served).as("served after the deadline %s: %s", deadline, summary)
				.allSatisfy(
						(response) -> assertThat(Instant.parse(jsonString(response, "decidedAt"))).isBefore(deadline));
			assertServedBeforeTheDeadline(served.size(), summary);
			assertThat(responses).filteredOn((response) -> response.status() != 200).allSatisfy(this::assertRefused);
			assertThat(this.events.all()).as("one event per ended session")
				.singleElement()
				.extracting(SessionTimeoutEvent::getReason)
				.isEqualTo(ExpiryReason.ABSOLUTE);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
