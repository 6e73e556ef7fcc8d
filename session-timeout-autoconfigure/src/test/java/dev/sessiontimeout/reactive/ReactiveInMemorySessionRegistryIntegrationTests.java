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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

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
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.PreventLoginServerMaximumSessionsExceededHandler;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.cookie;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.location;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.login;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.me;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.newUser;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.request;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's reactive concurrent-session control with its own
 * {@link InMemoryReactiveSessionRegistry}, on WebFlux's own session store:
 * {@code maximumSessions(1)} with
 * {@code PreventLoginServerMaximumSessionsExceededHandler}. A session the starter ended
 * must not lock its user out (docs/security.md, V7.1.2), also once the store no longer
 * holds it: the starter ends it before Spring Security's filter chain, whose own
 * invalidation would leave the registry.
 */
@SpringBootTest(classes = ReactiveInMemorySessionRegistryIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude=" + ReactiveOperationsIntegrationTests.NO_SPRING_SESSION,
				"session-timeout.idle=30m", "session-timeout.absolute=2h" })
class ReactiveInMemorySessionRegistryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	ReactiveUserSessions userSessions;

	@Autowired
	ReactiveSessionRegistry registry;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
	}

	@Test
	void aSessionEndedByTheIdleClockAtItsRequestLeavesTheRegistrySoTheUserCanSignInAgain() {
		String user = newUser();
		String laptop = login(this.port, user);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(this.port, laptop), ExpiryReason.IDLE);
		EntityExchangeResult<String> phone = signIn(this.port, user);
		assertThat(location(phone)).as("a sign-in after the laptop's session ended idle").doesNotContain("error");
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, cookie(phone)));
	}

	@Test
	void aRevokedSessionLeavesTheRegistrySoTheUserCanSignInAgainAlsoAfterItsNextRequest() {
		String user = newUser();
		String laptop = login(this.port, user);
		assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isOne();
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(this.port, laptop), ExpiryReason.REVOKED);
		// Not at the revocation's very instant, which would end a login in flight
		this.clock.fixAt(this.start.plusSeconds(1));
		EntityExchangeResult<String> phone = signIn(this.port, user);
		assertThat(location(phone)).as("a sign-in after the laptop's session was revoked").doesNotContain("error");
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, cookie(phone)));
	}

	/**
	 * Spring Security's own {@code SessionRegistryWebFilter}, which
	 * {@code concurrentSessions} puts in the chain, moves a session's entry to its new id
	 * whenever the session's id changes in a request, the starter's session under it: a
	 * step-up (a login in the signed-in session) or the application's own
	 * {@code changeSessionId()}. So the registry holds the session under its id now, and
	 * the starter removes it under that id when a clock ends it.
	 */
	@Test
	void theRegistryFollowsTheIdOfASessionThroughAStepUpAndAChangeOfIdSoItsEndLeavesIt() {
		String user = newUser();
		String signedIn = login(this.port, user);
		assertThat(registeredIds(user)).containsExactly(signedIn);
		EntityExchangeResult<String> stepUp = signIn(this.port, user, signedIn);
		assertThat(location(stepUp)).as("a step-up in the signed-in session").doesNotContain("error");
		String steppedUp = cookie(stepUp);
		assertThat(steppedUp).isNotEqualTo(signedIn);
		assertThat(registeredIds(user)).as("after the step-up").containsExactly(steppedUp);
		assertThat(this.registry.getSessionInformation(signedIn).blockOptional(Duration.ofSeconds(10))).isEmpty();
		EntityExchangeResult<String> rotate = request(this.port, HttpMethod.POST, "/api/rotate", steppedUp);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(rotate);
		String rotated = cookie(rotate);
		assertThat(rotated).isNotEqualTo(steppedUp);
		assertThat(registeredIds(user)).as("after the application's change of id").containsExactly(rotated);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(this.port, rotated), ExpiryReason.IDLE);
		assertThat(registeredIds(user)).as("after the idle clock ended the session").isEmpty();
		EntityExchangeResult<String> phone = signIn(this.port, user);
		assertThat(location(phone)).as("a sign-in after the session ended idle").doesNotContain("error");
		AbstractReactiveSessionStoreIntegrationTests.assertServed(me(this.port, cookie(phone)));
	}

	private List<String> registeredIds(String user) {
		UserDetails principal = User.withUsername(user).password("{noop}password").roles("USER").build();
		return this.registry.getAllSessions(principal)
			.map(ReactiveSessionInformation::getSessionId)
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveConcurrentSessionControlConfiguration.class)
	static class Application {

		@Bean
		InMemoryReactiveSessionRegistry sessionRegistry() {
			return new InMemoryReactiveSessionRegistry();
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http) {
			return ReactiveConcurrentSessionControlConfiguration.limit(http, 1,
					new PreventLoginServerMaximumSessionsExceededHandler());
		}

	}

}
