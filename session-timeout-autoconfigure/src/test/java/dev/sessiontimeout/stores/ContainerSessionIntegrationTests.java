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
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.session.StandardSession;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.web.ContainerSessions;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The store tests on plain container sessions (embedded Tomcat), with Spring Session not
 * in use.
 */
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class ContainerSessionIntegrationTests extends AbstractSessionStoreIntegrationTests {

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	ContainerSessions containerSessions;

	@Override
	boolean sharesOneSessionObject() {
		return true;
	}

	@Override
	String sessionCookieName() {
		return "JSESSIONID";
	}

	@Override
	String sessionId(String cookieValue) {
		// Jetty's cookie names the node after the session's id: "node0abc.node0"
		return ON_TOMCAT ? cookieValue : cookieValue.substring(0, cookieValue.lastIndexOf('.'));
	}

	/**
	 * Container sessions are one object shared by concurrent requests: a request that
	 * read the clock before the deadline but still runs when another one invalidates the
	 * session loses it mid-flight, so it is refused too.
	 */
	@Override
	void assertServedBeforeTheDeadline(int served, String summary) {
		assertThat(served).as("requests decided before the deadline: %s", summary).isBetween(1, 25);
	}

	/**
	 * A request that lost its shared session mid-flight reaches Spring Security without
	 * one, which refuses it as unauthenticated, or fails when the application reads the
	 * invalidated session ({@code IllegalStateException}, a {@code 500}).
	 */
	@Override
	void assertRefused(Response response) {
		if (response.status() == 302) {
			assertThat(response.location()).endsWith("/login");
		}
		else if (response.status() != 500) {
			super.assertRefused(response);
		}
	}

	@Override
	Instant storeExpiry(String sessionId) {
		if (!ON_TOMCAT) {
			// As the container's sessions, which the starter keeps by id, tell it
			HttpSession session = this.containerSessions.find(sessionId);
			try {
				return (session != null) ? Instant.ofEpochMilli(session.getLastAccessedTime())
					.plusSeconds(session.getMaxInactiveInterval()) : null;
			}
			catch (IllegalStateException ex) {
				return null;
			}
		}
		Context tomcatContext = (Context) ((TomcatWebServer) this.context.getWebServer()).getTomcat()
			.getHost()
			.findChildren()[0];
		try {
			Session session = tomcatContext.getManager().findSession(sessionId);
			if (session == null || !session.isValid()) {
				return null;
			}
			return Instant.ofEpochMilli(session.getLastAccessedTimeInternal())
				.plusSeconds(session.getMaxInactiveInterval());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	void removeState(String sessionId) {
		HttpSession session = this.containerSessions.find(sessionId);
		assertThat(session).isNotNull();
		assertThat(session.getAttribute(SessionAttributes.STATE)).isNotNull();
		session.removeAttribute(SessionAttributes.STATE);
	}

	@Test
	void theContainerTellsTheStarterOfItsSessions() {
		assertThat(starterContainerListeners()).singleElement()
			.isInstanceOf(HttpSessionIdListener.class)
			.isInstanceOf(HttpSessionListener.class);
	}

	/**
	 * Jetty counts a session's maximum inactive interval, once set, from then on, not
	 * from the session's last request; its {@code getLastAccessedTime()} is the request
	 * before the last one.
	 */
	@Test
	void onJettyARevokedSessionWhosePreviousRequestWasLongAgoIsKeptNoLongerThanTheGrace() throws Exception {
		assumeFalse(ON_TOMCAT, "Tomcat counts the interval from the session's last request");
		String user = newUser();
		loginAs(user);
		assertServed(api(), user);
		HttpSession session = this.containerSessions.find(currentSessionId());
		assertThat(session).isNotNull();
		Object managed = session.getClass().getMethod("getSession").invoke(session);
		Object data = managed.getClass().getMethod("getSessionData").invoke(managed);
		// The session's request before its last one came 25 minutes before that one
		long accessed = (long) data.getClass().getMethod("getAccessed").invoke(data);
		data.getClass()
			.getMethod("setLastAccessed", long.class)
			.invoke(data, accessed - Duration.ofMinutes(25).toMillis());
		userSessions().revokeAll(user);
		Instant revokedAt = Instant.now();
		Instant expiry = Instant.ofEpochMilli((long) data.getClass().getMethod("getExpiry").invoke(data));
		assertThat(expiry).as("Jetty's expiry of the revoked session")
			.isBeforeOrEqualTo(revokedAt.plus(GRACE))
			.isAfter(revokedAt.plus(GRACE).minusSeconds(3));
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * Tomcat counts a session's maximum inactive interval from the start of a request
	 * that runs, and from its end once it ended; its {@code getLastAccessedTime()} is the
	 * end of the request before.
	 */
	@Test
	void onTomcatARevokedSessionWhoseRequestRunsIsKeptNoLongerThanTheGraceAfterThatRequest() throws Exception {
		assertKeptNoLongerThanTheGraceAfterARequestThatRuns("/api/hold");
	}

	@Test
	void onTomcatARevokedSessionWhoseAsynchronousRequestRunsIsKeptNoLongerThanTheGraceAfterThatRequest()
			throws Exception {
		assertKeptNoLongerThanTheGraceAfterARequestThatRuns("/api/hold-async");
	}

	/**
	 * As above, for a session revoked while the error page of its request runs: the
	 * request's own dispatch has ended, and the container's error dispatch runs before
	 * Tomcat ends the request.
	 */
	@Test
	void onTomcatARevokedSessionWhoseRequestsErrorPageRunsIsKeptNoLongerThanTheGraceAfterThatRequest()
			throws Exception {
		assertKeptNoLongerThanTheGraceAfterARequestThatRuns(StoreTestApplication.HELD_ERROR_PAGE_PATH);
	}

	private void assertKeptNoLongerThanTheGraceAfterARequestThatRuns(String path) throws Exception {
		assumeTrue(ON_TOMCAT, "Jetty counts a set interval from then");
		String user = newUser();
		loginAs(user);
		assertServed(api(), user);
		String sessionId = currentSessionId();
		String cookie = this.browser.cookie(sessionCookieName());
		// Tomcat's types only in TomcatSessions: on Jetty, this class must load
		Object session = TomcatSessions.find(this.context, sessionId);
		whileHeld(() -> sentWith(cookie).get(path, TestBrowser.JSON), () -> {
			// The request before the one held now ended 25 minutes before it started
			TomcatSessions.lastRequestEndedBeforeThisOneStarted(session, Duration.ofMinutes(25));
			userSessionsAtOnce().revokeAll(user);
		});
		// The client has the answer before Tomcat finished the request (an asynchronous
		// one ends its session after its answer went out), and Tomcat counts the grace
		// from that end: the expiry read after it is never later than the grace after
		// the instant it was read at (a session kept for its idle timeout of 30 minutes
		// would be). Tomcat's end of the request, a fraction of a millisecond after the
		// client had its answer, is no bound: wait for it, a few seconds at most (read
		// before it, the expiry counts from the request before, and tells nothing)
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> TomcatSessions.requestEnded(session));
		Instant expiry = storeExpiry(sessionId);
		Instant read = Instant.now();
		if (expiry != null) {
			assertThat(expiry).as("Tomcat's expiry of the revoked session").isBeforeOrEqualTo(read.plus(GRACE));
		}
		assertProblem(sentWith(cookie).get("/api/me", TestBrowser.JSON), ExpiryReason.REVOKED);
	}

	/**
	 * Tomcat's sessions, apart so that no signature of the test class names a Tomcat type
	 * (JUnit reads every method of the class, which Jetty's class path could not load).
	 */
	static final class TomcatSessions {

		private TomcatSessions() {
		}

		static Object find(WebServerApplicationContext context, String sessionId) throws IOException {
			Context tomcatContext = (Context) ((TomcatWebServer) context.getWebServer()).getTomcat()
				.getHost()
				.findChildren()[0];
			return tomcatContext.getManager().findSession(sessionId);
		}

		/**
		 * Return whether Tomcat ended the session's request: its last access is then its
		 * request's end ({@code endAccess}), which the request's start, while it runs, is
		 * not.
		 */
		static boolean requestEnded(Object session) {
			StandardSession tomcatSession = (StandardSession) session;
			return tomcatSession.getLastAccessedTimeInternal() == tomcatSession.getThisAccessedTimeInternal();
		}

		static void lastRequestEndedBeforeThisOneStarted(Object session, Duration before) throws Exception {
			StandardSession tomcatSession = (StandardSession) session;
			Field lastAccessedTime = StandardSession.class.getDeclaredField("lastAccessedTime");
			lastAccessedTime.setAccessible(true);
			lastAccessedTime.setLong(tomcatSession, tomcatSession.getThisAccessedTimeInternal() - before.toMillis());
		}

	}

}
