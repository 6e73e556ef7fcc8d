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
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.testsupport.MutableClock;

/**
 * The reactive store tests on Spring Session's {@link ReactiveMapSessionRepository}.
 */
@Import(ReactiveMapSessionStoreIntegrationTests.ReactiveMapStoreConfiguration.class)
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class ReactiveMapSessionStoreIntegrationTests extends AbstractReactiveSessionStoreIntegrationTests {

	static final ConcurrentHashMap<String, Session> SESSIONS = new ConcurrentHashMap<>();

	@Autowired
	MutableClock clock;

	@Override
	@Nullable Duration storeLifetime(String sessionId) {
		Session session = SESSIONS.get(sessionId);
		return (session != null) ? Duration.between(this.clock.instant(),
				session.getLastAccessedTime().plus(session.getMaxInactiveInterval())) : null;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ReactiveMapStoreConfiguration {

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(SESSIONS);
		}

		/**
		 * Spring Session's WebFlux store on the tests' clock, which it stamps each
		 * session's last access with.
		 */
		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository, MutableClock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

	}

}
