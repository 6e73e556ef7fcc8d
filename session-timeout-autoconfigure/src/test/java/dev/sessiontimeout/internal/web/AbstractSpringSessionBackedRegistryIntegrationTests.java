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
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's concurrent-session control with Spring Session's own
 * {@link SpringSessionBackedSessionRegistry}, as Spring Session documents it (the
 * registry declared and injected as its class): {@code maximumSessions(2)} with
 * {@code maxSessionsPreventsLogin(true)}, on each store with a principal index. Sessions
 * the starter ended must not count against the limit (docs/security.md, V7.1.2): those
 * the user ended from the self-service endpoint, those a clock ended at their request,
 * and those past a deadline of their clocks that sent no request since, which the store
 * keeps until its own expiry.
 */
@SpringBootTest(classes = AbstractSpringSessionBackedRegistryIntegrationTests.BackedRegistryApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m" })
abstract class AbstractSpringSessionBackedRegistryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Test
	void sessionsEndedFromTheSelfServiceEndpointDoNotCountAgainstTheLimit() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login("user", "password").location()).doesNotContain("error");
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login("user", "password").location()).doesNotContain("error");
		Response ended = laptop.delete("/session/sessions");
		assertThat(ended.status()).as("%s", ended).isEqualTo(200);
		assertThat(ended.body()).isEqualTo("{\"ended\":1}");
		TestBrowser tablet = new TestBrowser(this.port);
		assertThat(tablet.login("user", "password").location())
			.as("a sign-in after the phone's session was ended: two sessions at most, one is live")
			.doesNotContain("error");
		// Marked expired for the registry too: the starter still answers first
		Response revoked = phone.get("/api/me", TestBrowser.JSON);
		assertThat(revoked.status()).as("%s", revoked).isEqualTo(401);
		assertThat(revoked.body()).contains("\"reason\":\"revoked\"");
	}

	@Test
	void aSessionEndedByTheIdleClockAndTheRecordOfWhyDoNotCountAgainstTheLimit() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login("idler", "password").location()).doesNotContain("error");
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login("idler", "password").location()).doesNotContain("error");
		this.clock.fixAt(start.plus(Duration.ofMinutes(20)));
		assertThat(laptop.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		this.clock.fixAt(start.plus(Duration.ofMinutes(30)));
		Response idle = phone.get("/api/me", TestBrowser.JSON);
		assertThat(idle.status()).as("%s", idle).isEqualTo(401);
		assertThat(idle.body()).contains("\"reason\":\"idle\"");
		TestBrowser tablet = new TestBrowser(this.port);
		assertThat(tablet.login("idler", "password").location())
			.as("a sign-in after the phone's session ended idle: one session is live")
			.doesNotContain("error");
	}

	@Test
	void sessionsPastTheirIdleDeadlineWithoutARequestDoNotCountAgainstTheLimit() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		assertThat(new TestBrowser(this.port).login("away", "password").location()).doesNotContain("error");
		assertThat(new TestBrowser(this.port).login("away", "password").location()).doesNotContain("error");
		this.clock.fixAt(start.plus(Duration.ofMinutes(30)));
		TestBrowser tablet = new TestBrowser(this.port);
		assertThat(tablet.login("away", "password").location())
			.as("a sign-in once both sessions ended idle: none is live")
			.doesNotContain("error");
		Response me = tablet.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
	}

	@Test
	void sessionsPastTheirAbsoluteDeadlineWithoutARequestDoNotCountAgainstTheLimit() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login("busy", "password").location()).doesNotContain("error");
		TestBrowser phone = new TestBrowser(this.port);
		assertThat(phone.login("busy", "password").location()).doesNotContain("error");
		for (int minutes = 20; minutes < 120; minutes += 20) {
			this.clock.fixAt(start.plus(Duration.ofMinutes(minutes)));
			assertThat(laptop.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
			assertThat(phone.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		}
		this.clock.fixAt(start.plus(Duration.ofHours(2)));
		TestBrowser tablet = new TestBrowser(this.port);
		assertThat(tablet.login("busy", "password").location())
			.as("a sign-in once both sessions reached their absolute deadline: none is live")
			.doesNotContain("error");
		Response me = tablet.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		Response absolute = laptop.get("/api/me", TestBrowser.JSON);
		assertThat(absolute.status()).as("%s", absolute).isEqualTo(401);
		assertThat(absolute.body()).contains("\"reason\":\"absolute\"");
	}

	@Test
	void aLiveSessionStillCountsAgainstTheLimitWhileAnotherIsPastItsIdleDeadline() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(start);
		TestBrowser laptop = new TestBrowser(this.port);
		assertThat(laptop.login("counted", "password").location()).doesNotContain("error");
		assertThat(new TestBrowser(this.port).login("counted", "password").location()).doesNotContain("error");
		this.clock.fixAt(start.plus(Duration.ofMinutes(20)));
		assertThat(laptop.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		this.clock.fixAt(start.plus(Duration.ofMinutes(30)));
		assertThat(new TestBrowser(this.port).login("counted", "password").location())
			.as("the phone's session ended idle, the laptop's is live: two at most")
			.doesNotContain("error");
		assertThat(new TestBrowser(this.port).login("counted", "password").location())
			.as("the laptop's session and the tablet's are live: a third is refused")
			.contains("error");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ConcurrentSessionControlConfiguration.class)
	static class BackedRegistryApplication {

		@Bean
		<S extends Session> SpringSessionBackedSessionRegistry<S> sessionRegistry(
				FindByIndexNameSessionRepository<S> sessions) {
			return new SpringSessionBackedSessionRegistry<>(sessions);
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http,
				SpringSessionBackedSessionRegistry<?> sessionRegistry) throws Exception {
			return ConcurrentSessionControlConfiguration.limit(http, sessionRegistry, 2);
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return ConcurrentSessionControlConfiguration.users("user", "idler", "away", "busy", "counted");
		}

	}

}
