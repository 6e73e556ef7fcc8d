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
package dev.sessiontimeout.internal.web;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's concurrent-session control with an in-memory {@link SessionRegistry}
 * on Spring Session JDBC, which publishes no session events: sessions that a clock ends
 * leave the registry, so {@code maximumSessions(1)} with
 * {@code maxSessionsPreventsLogin(true)} lets the user sign in again.
 */
@SpringBootTest(classes = SessionRegistryIntegrationTests.RegistryApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/privileged",
				"spring.datasource.url=jdbc:h2:mem:session-timeout-registry;DB_CLOSE_DELAY=-1",
				"spring.session.jdbc.initialize-schema=always",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
class SessionRegistryIntegrationTests {

	private static final Pattern HANDLE = Pattern.compile("\"id\":\"([^\"]*)\"");

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	SessionRegistry sessionRegistry;

	@Autowired
	UserSessions userSessions;

	@BeforeEach
	void forgetEarlierTestsSessions() {
		// Each test starts with a registry that counts no session of an earlier one
		for (Object principal : this.sessionRegistry.getAllPrincipals()) {
			this.sessionRegistry.getAllSessions(principal, true)
				.forEach((session) -> this.sessionRegistry.removeSessionInformation(session.getSessionId()));
		}
	}

	@Test
	void sessionEndedByTheIdleClockLeavesTheRegistrySoTheUserCanSignInAgain() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser browser = new TestBrowser(this.port);
		assertThat(browser.login("user", "password").location()).doesNotContain("error");
		assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(this.sessionRegistry.getAllPrincipals()).hasSize(1);

		this.clock.fixAt(start.plus(Duration.ofMinutes(30)));
		Response ended = browser.get("/api/me", TestBrowser.JSON);
		assertThat(ended.status()).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"");
		assertThat(this.sessionRegistry.getAllPrincipals()).as("no stale SessionInformation").isEmpty();

		TestBrowser again = new TestBrowser(this.port);
		Response login = again.login("user", "password");
		assertThat(login.location()).as("second sign-in allowed").doesNotContain("error");
		assertThat(again.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(this.sessionRegistry.getAllPrincipals()).hasSize(1);
	}

	/**
	 * A user whose sessions an operator revoked (a stolen phone that never sends another
	 * request) signs in again on their own device: the revoked session is ended, and the
	 * registry must not count it against {@code maximumSessions(1)}.
	 */
	@Test
	void aSessionRevokedWithItsUsersSessionsLeavesTheRegistrySoTheUserCanSignInAgain() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		TestBrowser stolen = new TestBrowser(this.port);
		assertThat(stolen.login("owner", "password").location()).doesNotContain("error");
		assertThat(stolen.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(this.userSessions.revokeAll("owner")).as("sessions revoked").isOne();
		TestBrowser own = new TestBrowser(this.port);
		Response login = own.login("owner", "password");
		assertThat(login.location())
			.as("a sign-in after the revocation: the registry must not count the revoked session")
			.doesNotContain("error");
		assertThat(own.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
	}

	/**
	 * A user who ends a session through the self-service endpoint signs in again: the
	 * revoked session leaves the registry at once.
	 */
	@Test
	void aSessionEndedThroughTheSelfServiceEndpointLeavesTheRegistrySoTheUserCanSignInAgain() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login("owner", "password").location()).doesNotContain("error");
		Response listing = phone.get("/session/sessions", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		Matcher handle = HANDLE.matcher(listing.body());
		assertThat(handle.find()).as("%s", listing).isTrue();
		Response ending = phone.delete("/session/sessions/" + handle.group(1));
		assertThat(ending.status()).as("%s", ending).isEqualTo(204);

		TestBrowser laptop = new TestBrowser(this.port);
		Response login = laptop.login("owner", "password");
		assertThat(login.location())
			.as("a sign-in after the self-service revocation: the registry must not count the revoked session")
			.doesNotContain("error");
		assertThat(laptop.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
	}

	/**
	 * A user who steps up (the privileged age passed, the starter asks for a login in the
	 * same session, which changes its id) and whose session the idle clock then ends
	 * signs in again: the registry must count no id of the ended session.
	 */
	@Test
	void aSessionEndedByTheIdleClockAfterAStepUpLeavesTheRegistrySoTheUserCanSignInAgain() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser browser = new TestBrowser(this.port);
		assertThat(browser.login("stepper", "password").location()).doesNotContain("error");
		String before = browser.cookie("SESSION");
		this.clock.fixAt(start.plus(Duration.ofMinutes(15)));
		Response challenged = browser.get("/api/privileged", TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"");
		assertThat(browser.login("stepper", "password").location()).doesNotContain("error");
		assertThat(browser.cookie("SESSION")).as("the step-up changed the session id").isNotEqualTo(before);
		assertThat(browser.get("/api/privileged", TestBrowser.JSON).status()).isEqualTo(200);

		this.clock.fixAt(start.plus(Duration.ofMinutes(45)));
		Response ended = browser.get("/api/me", TestBrowser.JSON);
		assertThat(ended.status()).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"");

		TestBrowser again = new TestBrowser(this.port);
		Response login = again.login("stepper", "password");
		assertThat(login.location())
			.as("a sign-in after the idle end: the registry must not count the id the session had before the step-up")
			.doesNotContain("error");
	}

	/**
	 * A user who steps up twice in one session (each login in the same session changes
	 * its id): the second step-up is the same user in the same session, which
	 * {@code maximumSessions(1)} allows, as it allows the first.
	 */
	@Test
	void aSecondStepUpInTheSameSessionIsNotRefusedAsASecondSession() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser browser = new TestBrowser(this.port);
		assertThat(browser.login("twice", "password").location()).doesNotContain("error");
		for (int stepUp = 1; stepUp <= 2; stepUp++) {
			this.clock.fixAt(start.plus(Duration.ofMinutes(15L * stepUp)));
			Response challenged = browser.get("/api/privileged", TestBrowser.JSON);
			assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
			assertThat(challenged.body()).contains("\"reason\":\"privileged\"");
			assertThat(browser.login("twice", "password").location()).as("step-up %s in the same session", stepUp)
				.doesNotContain("error");
			assertThat(browser.get("/api/privileged", TestBrowser.JSON).status()).isEqualTo(200);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ConcurrentSessionControlConfiguration.class)
	static class RegistryApplication {

		@Bean
		SessionRegistryImpl sessionRegistry() {
			return new SessionRegistryImpl();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SessionRegistry sessionRegistry) throws Exception {
			return ConcurrentSessionControlConfiguration.limit(http, sessionRegistry, 1);
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return ConcurrentSessionControlConfiguration.users("user", "owner", "stepper", "twice");
		}

	}

}
