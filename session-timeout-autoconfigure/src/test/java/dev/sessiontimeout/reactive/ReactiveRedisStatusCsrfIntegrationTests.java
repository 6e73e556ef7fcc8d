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

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

/**
 * {@link ReactiveStatusCsrfIntegrationTests} on Spring Session's reactive Redis
 * repository, as Spring Boot configures it.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveStatusCsrfIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveRedisStatusCsrfIntegrationTests extends ReactiveStatusCsrfIntegrationTests {

	private static final String NAMESPACE = "session-timeout-reactive-csrf:" + UUID.randomUUID();

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

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		RedisServers.register(registry, NAMESPACE);
	}

}
