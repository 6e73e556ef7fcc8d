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

import java.io.IOException;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.RedisCommandCounter;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive streaming tests on Spring Session Data Redis's default reactive
 * repository, which a stream reads its session from again without blocking, in a key
 * namespace of its own that is emptied after it.
 */
@TestPropertySource(properties = { "spring.session.data.redis.repository-type=default",
		"spring.autoconfigure.exclude=org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveRedisStreamingIntegrationTests extends AbstractReactiveStreamingIntegrationTests {

	static final String NAMESPACE = "session-timeout-reactive-streaming-test:" + UUID.randomUUID();

	@BeforeAll
	static void findRedis() {
		RedisServers.get();
	}

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	static @Nullable RedisCommandCounter counter;

	@AfterAll
	static void closeTheCounter() throws IOException {
		if (counter != null) {
			counter.close();
		}
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) throws IOException {
		RedisServers.register(registry, NAMESPACE);
		counter = new RedisCommandCounter(RedisServers.get().host(), RedisServers.get().port());
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", counter::port);
	}

	/**
	 * A stream reads its session from Redis once per check interval, not once per event.
	 */
	@Test
	void aStreamReadsItsSessionFromRedisOncePerCheckIntervalNotPerEvent() throws Exception {
		RedisCommandCounter counter = Objects.requireNonNull(ReactiveRedisStreamingIntegrationTests.counter);
		addToCart("apple");
		openEvents();
		counter.drain();
		for (int i = 0; i < 20; i++) {
			assertEventSent("early " + i);
		}
		assertThat(counter.drain()).as("Redis commands of 20 events within the check interval").isEmpty();
		at(CHECK_INTERVAL);
		for (int i = 0; i < 20; i++) {
			assertEventSent("late " + i);
		}
		assertThat(counter.drain()).as("Redis commands of 20 events once the check interval passed")
			.containsExactly("HGETALL");
	}

}
