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

import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.InvalidateLeastUsedServerMaximumSessionsExceededHandler;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.login;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.me;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guard: Spring Security's reactive concurrent-session control as its reference shows it,
 * an {@code InMemoryReactiveSessionRegistry} bean declared as
 * {@code ReactiveSessionRegistry} (which the starter decorates),
 * {@code maximumSessions(1)} and the handler that invalidates the least used session in
 * the store of the {@code DefaultWebSessionManager} (Boot's {@code WebSessionManager}
 * bean): a sign-in on a second device ends the first session, and the second is served.
 */
@SpringBootTest(classes = ReactiveWebSessionStoreRegistryIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude=" + ReactiveOperationsIntegrationTests.NO_SPRING_SESSION,
				"session-timeout.idle=30m", "session-timeout.absolute=2h" })
class ReactiveWebSessionStoreRegistryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
	}

	@Test
	void aSignInOnASecondDeviceEndsTheFirstSession() {
		String user = newUser();
		String laptop = login(this.port, user);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, laptop));
		this.clock.fixAt(this.start.plusSeconds(1));
		String phone = login(this.port, user);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, phone));
		assertThat(me(this.port, laptop).getStatus().value()).as("the least used session, ended").isNotEqualTo(200);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, phone));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveConcurrentSessionControlConfiguration.class)
	static class Application {

		@Bean
		ReactiveSessionRegistry reactiveSessionRegistry() {
			return new InMemoryReactiveSessionRegistry();
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http, WebSessionManager webSessionManager) {
			return ReactiveConcurrentSessionControlConfiguration.limit(http, 1,
					new InvalidateLeastUsedServerMaximumSessionsExceededHandler(
							((DefaultWebSessionManager) webSessionManager).getSessionStore()));
		}

	}

}
