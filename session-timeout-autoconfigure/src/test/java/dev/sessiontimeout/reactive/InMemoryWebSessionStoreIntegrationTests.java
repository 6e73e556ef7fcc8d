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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive store tests on WebFlux's own {@link InMemoryWebSessionStore}, without
 * Spring Session.
 */
@Import(InMemoryWebSessionStoreIntegrationTests.InMemoryStoreConfiguration.class)
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class InMemoryWebSessionStoreIntegrationTests extends AbstractReactiveSessionStoreIntegrationTests {

	@Autowired
	InMemoryWebSessionStore store;

	@Autowired
	MutableClock clock;

	@Autowired
	EndedSessions endedSessions;

	/**
	 * The WebFlux side of {@code MapSessionStoreIntegrationTests
	 * .aLoginInFlightIsEndedByARevocationAfterManySessionsEndedMeanwhile}: the record of
	 * a revocation everywhere, which ends a login still in its request as its request
	 * ends, is kept with the ended sessions in this node's memory (at most 10,000
	 * entries, the oldest dropped first). 10,000 sessions ending while the login runs
	 * drop it, and the login's session is served afterwards. Red on WebFlux'
	 * {@code InMemoryWebSessionStore}.
	 */
	@Test
	void aLoginStillInItsRequestWhenItsUserIsRevokedIsNotServedAfterManySessionsEndedMeanwhile() throws Exception {
		String user = newUser();
		assertNotServedAfterARevocationWhileInFlight(() -> loginFrom(user, "gated"), 302, () -> {
			assertThat(this.userSessions.revokeAll(user).block(Duration.ofSeconds(10))).isZero();
			// As the clocks and logouts of 10,000 other sessions end them
			Instant now = this.clock.instant();
			for (int i = 0; i < 10_000; i++) {
				this.endedSessions.remember("other-session-" + i, ExpiryReason.IDLE, now.plus(Duration.ofMinutes(1)),
						now);
			}
		});
	}

	@Override
	@Nullable Duration storeLifetime(String sessionId) {
		WebSession session = this.store.getSessions().get(sessionId);
		return (session != null)
				? Duration.between(this.clock.instant(), session.getLastAccessTime().plus(session.getMaxIdleTime()))
				: null;
	}

	@Override
	void assertNoUserStored(String sessionId) {
		WebSession session = this.store.getSessions().get(sessionId);
		assertThat(
				(session != null)
						? session.getAttributes()
							.get(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME)
						: null)
			.as("the user in session %s of the store", sessionId)
			.isNull();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemoryStoreConfiguration {

		/**
		 * The store on the tests' clock, so that it also lets sessions expire by itself
		 * as that clock moves.
		 */
		@Bean
		InMemoryWebSessionStore webSessionStore(MutableClock clock) {
			InMemoryWebSessionStore store = new InMemoryWebSessionStore();
			store.setClock(clock);
			return store;
		}

		@Bean
		WebSessionManager webSessionManager(InMemoryWebSessionStore store) {
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

	}

}
