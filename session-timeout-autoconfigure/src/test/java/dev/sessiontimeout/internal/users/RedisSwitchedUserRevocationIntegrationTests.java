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
package dev.sessiontimeout.internal.users;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

/**
 * Revocation of a user who switched to another user, as
 * {@link SwitchedUserRevocationIntegrationTests} does it, on Spring Session's default
 * Redis repository, whose sessions the starter's own index in Redis finds by user.
 */
@SpringBootTest(classes = SwitchedUserRevocationIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"spring.session.data.redis.repository-type=default", "session-timeout.absolute=2h",
				"session-timeout.idle=30m" })
class RedisSwitchedUserRevocationIntegrationTests extends SwitchedUserRevocationIntegrationTests {

	private static final String NAMESPACE = "session-timeout-test:" + UUID.randomUUID();

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
