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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StatementLog;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests on Spring Session JDBC: the store's own expiry is the
 * {@code EXPIRY_TIME} column that its cleanup job deletes by.
 */
@TestPropertySource(properties = { "spring.session.jdbc.initialize-schema=always",
		"spring.autoconfigure.exclude="
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
				+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
abstract class AbstractJdbcSessionStoreIntegrationTests extends AbstractSpringSessionStoreIntegrationTests {

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Override
	boolean indexed() {
		return true;
	}

	/**
	 * Spring Session JDBC offers no atomic create under a key of ours: two nodes that end
	 * a session at once announce it once each (README, limitations).
	 */
	@Override
	boolean savesCopiesByPrimaryKey() {
		return true;
	}

	@Override
	boolean claimsAnnouncementsAcrossNodes() {
		return false;
	}

	/**
	 * Return the properties of a data source of the store's kind for an application
	 * started by a test, on its own tables where the database allows it.
	 * @return the properties
	 */
	String[] dataSourceProperties() {
		return new String[] { "spring.datasource.url=jdbc:h2:mem:statements-" + UUID.randomUUID(),
				"spring.session.jdbc.initialize-schema=always" };
	}

	/**
	 * Spring Session JDBC updates the session's row at every request; the starter adds no
	 * statement to that while the session's activity stays within its precision (a
	 * hundredth of the idle timeout, 18 seconds here), and one {@code UPDATE} of its
	 * attribute when the activity moves past it.
	 */
	@Test
	void theStarterAddsNoStatementToARequestWithinTheActivityPrecision() {
		StatementLog withLog = new StatementLog();
		StatementLog withoutLog = new StatementLog();
		try (ConfigurableApplicationContext with = statementCountingApplication(withLog, true);
				ConfigurableApplicationContext without = statementCountingApplication(withoutLog, false)) {
			TestBrowser withBrowser = signedIn(with);
			TestBrowser withoutBrowser = signedIn(without);
			List<List<String>> withStatements = statementsOfRequests(with, withBrowser, withLog);
			List<List<String>> withoutStatements = statementsOfRequests(without, withoutBrowser, withoutLog);
			System.out.println("Statements of a request without the starter: " + withoutStatements.get(0));
			assertThat(withStatements).as("statements of each request, with the starter").isEqualTo(withoutStatements);
			assertThat(withStatements).allSatisfy((statements) -> assertThat(statements).isNotEmpty());
			with.getBean(MutableClock.class).shift(Duration.ofSeconds(13));
			without.getBean(MutableClock.class).shift(Duration.ofSeconds(13));
			List<String> withMoved = statementsOfRequests(with, withBrowser, withLog).get(0);
			List<String> withoutMoved = statementsOfRequests(without, withoutBrowser, withoutLog).get(0);
			List<String> added = new ArrayList<>(withMoved);
			withoutMoved.forEach(added::remove);
			assertThat(added).as("added by the starter when the activity moved past its precision")
				.singleElement()
				.asString()
				.startsWith("UPDATE SPRING_SESSION_ATTRIBUTES");
		}
	}

	@Test
	void revokingAUserTakesStatementsInProportionToThatUsersSessionsOnly() throws Exception {
		StatementLog log = new StatementLog();
		try (ConfigurableApplicationContext application = statementCountingApplication(log, true)) {
			RevocationCost.assertProportionalToTheUsersSessions(application, log::drain, (statement) -> statement);
		}
	}

	private ConfigurableApplicationContext statementCountingApplication(StatementLog log, boolean starter) {
		return new SpringApplicationBuilder(StoreTestApplication.class).properties("server.port=0",
				"session-timeout.enabled=" + starter, "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
			.properties(dataSourceProperties())
			.initializers(log)
			.run();
	}

	private TestBrowser signedIn(ConfigurableApplicationContext context) {
		context.getBean(MutableClock.class).fixAt(this.start);
		TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		return browser;
	}

	/**
	 * Return the statements of five requests, one second apart.
	 */
	private List<List<String>> statementsOfRequests(ConfigurableApplicationContext context, TestBrowser browser,
			StatementLog log) {
		List<List<String>> perRequest = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			context.getBean(MutableClock.class).shift(Duration.ofSeconds(1));
			log.drain();
			assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
			perRequest.add(log.drain());
		}
		return perRequest;
	}

	/**
	 * Spring Session's JDBC store reads each attribute of a session found by user only
	 * when asked for it: a session whose security context cannot be read (stored by a
	 * version of the application whose classes changed since) stops no revocation of its
	 * user's other sessions, and ends with them, as the store's index names it that
	 * user's (a later version that reads it again must not serve it). The store cannot
	 * save it (it reads the security context to index it), so it is deleted.
	 */
	@Test
	void aSessionWhoseUserCannotBeReadStopsNoRevocationOfTheUsersOtherSessions() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		String unreadable = sessionId(otherDevice.cookie(sessionCookieName()));
		int corrupted = this.jdbcTemplate.update(
				"UPDATE SPRING_SESSION_ATTRIBUTES SET ATTRIBUTE_BYTES = ? WHERE ATTRIBUTE_NAME = ?"
						+ " AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM SPRING_SESSION WHERE SESSION_ID = ?)",
				new byte[] { 1, 2, 3 }, "SPRING_SECURITY_CONTEXT", unreadable);
		assertThat(corrupted).isOne();
		UserSessions userSessions = userSessions();
		assertThat(userSessions.revokeAll(user)).isEqualTo(2);
		assertProblem(api(), ExpiryReason.REVOKED);
		assertThat(this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM SPRING_SESSION WHERE SESSION_ID = ?",
				Integer.class, unreadable))
			.as("the unreadable session ended")
			.isZero();
	}

	/**
	 * Bytes that Spring Session's JDBC store cannot decode in the starter's state of a
	 * session (written by something else, or cut short): the database answers, so this is
	 * no outage; the state cannot be read back, so the request is not served and fails as
	 * it does for any attribute that cannot be read.
	 */
	@Test
	void aSessionWhoseStateCannotBeDecodedIsNotServedAndNotAnsweredAsAnOutage() {
		loginAsUser();
		assertServed(api());
		int corrupted = this.jdbcTemplate.update(
				"UPDATE SPRING_SESSION_ATTRIBUTES SET ATTRIBUTE_BYTES = ? WHERE ATTRIBUTE_NAME = ?"
						+ " AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM SPRING_SESSION WHERE SESSION_ID = ?)",
				new byte[] { 1, 2, 3 }, SessionAttributes.STATE, currentSessionId());
		assertThat(corrupted).isOne();
		for (int i = 0; i < 2; i++) {
			Response response = this.browser.getAllowingCut("/api/me", TestBrowser.JSON);
			assertThat(response.status()).as("%s", response).isEqualTo(500);
			assertThat(response.body()).doesNotContain("\"name\":\"user\"", "does not answer");
		}
	}

	/**
	 * A signed-in session whose row of the starter's state is gone (its security context
	 * intact) is adopted as one older than the starter, but from its last access as the
	 * store held it before this request: past its idle deadline (still within the store
	 * grace) it ends as idle, rather than being served with a fresh idle clock.
	 */
	@Test
	void aSignedInSessionWhoseStateRowIsGoneEndsIdlePastItsIdleDeadline() {
		loginAsUser();
		assertServed(api());
		String sessionId = currentSessionId();
		shiftTo(this.start.plus(IDLE).plusSeconds(30));
		assertThat(deleteStateRow(sessionId)).isOne();
		assertProblem(api(), ExpiryReason.IDLE);
	}

	/**
	 * The same session within its idle deadline is adopted and served, its idle clock
	 * counting from this request.
	 */
	@Test
	void aSignedInSessionWhoseStateRowIsGoneIsAdoptedAndServedWithinItsIdleDeadline() {
		loginAsUser();
		assertServed(api());
		String sessionId = currentSessionId();
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		assertThat(deleteStateRow(sessionId)).isOne();
		assertServed(api());
		assertThat(this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM SPRING_SESSION_ATTRIBUTES"
				+ " WHERE ATTRIBUTE_NAME = ? AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM SPRING_SESSION"
				+ " WHERE SESSION_ID = ?)", Integer.class, SessionAttributes.STATE, sessionId))
			.as("the state written again")
			.isOne();
		shiftTo(this.start.plus(Duration.ofMinutes(35)));
		assertServed(api());
	}

	private int deleteStateRow(String sessionId) {
		return this.jdbcTemplate.update(
				"DELETE FROM SPRING_SESSION_ATTRIBUTES WHERE ATTRIBUTE_NAME = ?"
						+ " AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM SPRING_SESSION WHERE SESSION_ID = ?)",
				SessionAttributes.STATE, sessionId);
	}

	/**
	 * A session of the user whose security context cannot be read is never served, and
	 * fails neither the user's listing of their sessions nor the operator's: it is not
	 * listed as live, and the operator sees it without clocks.
	 */
	@Test
	void aSessionWhoseUserCannotBeReadFailsNoListingOfTheUsersSessions() {
		String user = newUser();
		loginAs(user);
		TestBrowser otherDevice = new TestBrowser(this.port);
		assertThat(otherDevice.login(user, "password").status()).isEqualTo(302);
		String unreadable = sessionId(otherDevice.cookie(sessionCookieName()));
		this.jdbcTemplate.update(
				"UPDATE SPRING_SESSION_ATTRIBUTES SET ATTRIBUTE_BYTES = ? WHERE ATTRIBUTE_NAME = ?"
						+ " AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM SPRING_SESSION WHERE SESSION_ID = ?)",
				new byte[] { 1, 2, 3 }, "SPRING_SECURITY_CONTEXT", unreadable);
		Response listing = this.browser.get("/session/sessions", TestBrowser.JSON);
		assertThat(handles(listing)).containsExactly(SessionIds.hash(currentSessionId()));
		assertThat(userSessions().list(user)).hasSize(1);
		Response operators = this.browser.get("/actuator/sessiontimeouts/" + user, TestBrowser.JSON);
		assertThat(operators.status()).as("%s", operators).isEqualTo(200);
		assertThat(operators.body()).contains(SessionIds.hash(unreadable));
	}

	/**
	 * Spring Session's JDBC store writes a session's revocation into its row whatever its
	 * id is now, and gives the row back the id the revocation read: the session is
	 * revoked, and its new id is unknown to the store.
	 */
	@Override
	ExpiryReason reasonOfASessionRenamedWhileRevoked() {
		return ExpiryReason.INVALID;
	}

	@Override
	Instant storeExpiry(String sessionId) {
		List<Long> expiry = this.jdbcTemplate
			.queryForList("SELECT EXPIRY_TIME FROM SPRING_SESSION WHERE SESSION_ID = ?", Long.class, sessionId);
		return expiry.isEmpty() ? null : Instant.ofEpochMilli(expiry.get(0));
	}

}
