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
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.PreventLoginServerMaximumSessionsExceededHandler;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedReactiveSessionRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.cookie;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.location;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.login;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.me;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.newUser;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.request;
import static dev.sessiontimeout.reactive.ReactiveConcurrentSessionControlConfiguration.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's reactive concurrent-session control with Spring Session's own
 * {@link SpringSessionBackedReactiveSessionRegistry} on the reactive Redis indexed
 * repository, as Spring Session documents it. Sessions the starter ended (revoked, or
 * past a deadline of their clocks) must not count against the limit (docs/security.md,
 * V7.1.2): not with {@code PreventLoginServerMaximumSessionsExceededHandler}, where they
 * would refuse the user's next sign-in, and not with the default
 * {@code InvalidateLeastUsedServerMaximumSessionsExceededHandler}, where a revoked
 * session (whose revocation is its last access) would outlive a live one.
 */
class ReactiveSpringSessionBackedRegistryIntegrationTests {

	private static final String NAMESPACE = "session-timeout-reactive-registry:" + UUID.randomUUID();

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	@Test
	void sessionsEndedFromTheSelfServiceEndpointDoNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(port(node), user);
			String phone = login(port(node), user);
			EntityExchangeResult<String> ended = request(port(node), HttpMethod.DELETE, "/session/sessions", laptop);
			assertThat(ended.getStatus().value()).as("%s", ended).isEqualTo(200);
			assertThat(ended.getResponseBody()).isEqualTo("{\"ended\":1}");
			// Not at the revocation's very instant, which would end a login in flight
			node.getBean(MutableClock.class).fixAt(start.plusSeconds(1));
			EntityExchangeResult<String> tablet = signIn(port(node), user);
			assertThat(location(tablet))
				.as("a sign-in after the phone's session was ended: two sessions at most, one is live")
				.doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), laptop));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), cookie(tablet)));
			// Still answered as revoked by the starter
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(port(node), phone), ExpiryReason.REVOKED);
		}
	}

	/**
	 * With {@code maximumSessions(1)} the least-used handler invalidates every other
	 * session of the user, so a revoked one cannot outlive a live one there; with two, it
	 * invalidates the one least recently used, which a revocation is not.
	 */
	@Test
	void aSignInOverTheLimitEndsNoLiveSessionWhileARevokedOneIsStillInTheStore() {
		try (ConfigurableApplicationContext node = node(false)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(port(node), user);
			String phone = login(port(node), user);
			EntityExchangeResult<String> ended = request(port(node), HttpMethod.DELETE, "/session/sessions", laptop);
			assertThat(ended.getResponseBody()).isEqualTo("{\"ended\":1}");
			node.getBean(MutableClock.class).fixAt(start.plusSeconds(1));
			EntityExchangeResult<String> tablet = signIn(port(node), user);
			assertThat(location(tablet)).doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), laptop));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), cookie(tablet)));
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(port(node), phone), ExpiryReason.REVOKED);
		}
	}

	@Test
	void aSessionEndedByTheIdleClockAtItsRequestDoesNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			String laptop = login(port(node), user);
			String phone = login(port(node), user);
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(20)));
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), laptop));
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(30)));
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(me(port(node), phone), ExpiryReason.IDLE);
			assertThat(location(signIn(port(node), user)))
				.as("a sign-in after the phone's session ended idle: one session is live")
				.doesNotContain("error");
		}
	}

	/**
	 * Sessions past their idle deadline that sent no request since: the store keeps them
	 * for the grace after it, on its own clock.
	 */
	@Test
	void sessionsPastTheirIdleDeadlineWithoutARequestDoNotCountAgainstTheLimit() {
		try (ConfigurableApplicationContext node = node(true)) {
			Instant start = fixClock(node);
			String user = newUser();
			login(port(node), user);
			login(port(node), user);
			node.getBean(MutableClock.class).fixAt(start.plus(Duration.ofMinutes(30)));
			EntityExchangeResult<String> tablet = signIn(port(node), user);
			assertThat(location(tablet)).as("a sign-in once both sessions ended idle: none is live")
				.doesNotContain("error");
			AbstractReactiveSessionStoreIntegrationTests.assertServed(me(port(node), cookie(tablet)));
		}
	}

	private static Instant fixClock(ConfigurableApplicationContext node) {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		node.getBean(MutableClock.class).fixAt(start);
		return start;
	}

	private static ConfigurableApplicationContext node(boolean preventsLogin) {
		RedisServers.Endpoint redis = RedisServers.get();
		return new SpringApplicationBuilder(RegistryApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "spring.session.data.redis.namespace=" + NAMESPACE,
					"spring.session.data.redis.repository-type=indexed", "test.prevents-login=" + preventsLogin,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveConcurrentSessionControlConfiguration.class)
	static class RegistryApplication {

		@Bean
		<S extends Session> SpringSessionBackedReactiveSessionRegistry<S> sessionRegistry(
				ReactiveSessionRepository<S> sessionRepository,
				ReactiveFindByIndexNameSessionRepository<S> indexedSessionRepository) {
			return new SpringSessionBackedReactiveSessionRegistry<>(sessionRepository, indexedSessionRepository);
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http, @Value("${test.prevents-login}") boolean preventsLogin) {
			return ReactiveConcurrentSessionControlConfiguration.limit(http, 2,
					preventsLogin ? new PreventLoginServerMaximumSessionsExceededHandler() : null);
		}

	}

}
