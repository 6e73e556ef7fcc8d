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
package dev.sessiontimeout.internal.security;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;

/**
 * What the browser tests of an application on Spring Session's map store share: the
 * auto-configurations they exclude ({@link #MAP_STORE_ONLY}), the store and the clock
 * ({@link MapStore}, to import), and, besides what {@link AbstractLiveApplicationTests}
 * gives (a new browser and the clock fixed at the current instant before each test), that
 * instant as {@link #start}.
 */
abstract class AbstractMapStoreBrowserIntegrationTests extends AbstractLiveApplicationTests {

	/**
	 * Excludes the auto-configurations of Spring Session's JDBC and Redis stores, of
	 * Redis and of a data source, so that the application's map store serves.
	 */
	static final String MAP_STORE_ONLY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
			+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	Instant start;

	@BeforeEach
	void rememberTheStart() {
		this.start = this.clock.instant();
	}

	/**
	 * Spring Session's map store and the starter's clock, {@code sessionTimeoutClock},
	 * for the tests to move.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MapStore {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

}
