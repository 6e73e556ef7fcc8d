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

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

/**
 * The concurrent-session control tests with Spring Session's
 * {@code SpringSessionBackedSessionRegistry} on its Redis indexed repository, in a key
 * namespace of their own that is emptied after them.
 */
@TestPropertySource(properties = { "spring.session.data.redis.repository-type=indexed",
		"spring.autoconfigure.exclude="
				+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class RedisIndexedSpringSessionBackedRegistryIntegrationTests
		extends AbstractSpringSessionBackedRegistryIntegrationTests {

	private static final String NAMESPACE = "session-timeout-backed-registry:" + UUID.randomUUID();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		RedisServers.register(registry, NAMESPACE);
	}

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

}
