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
 * {@link SpringSessionBackedSessionRegistry} on its JDBC store, as Spring Session
 * documents it: {@code maximumSessions(2)} with {@code maxSessionsPreventsLogin(true)}.
 * Sessions the user ended from the self-service endpoint must not count against the limit
 * (docs/security.md, V7.1.2).
 */
@SpringBootTest(classes = SpringSessionBackedRegistryIntegrationTests.BackedRegistryApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"spring.datasource.url=jdbc:h2:mem:session-timeout-backed-registry;DB_CLOSE_DELAY=-1",
				"spring.session.jdbc.initialize-schema=always",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
class SpringSessionBackedRegistryIntegrationTests {

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
			return ConcurrentSessionControlConfiguration.users("user", "idler");
		}

	}

}
