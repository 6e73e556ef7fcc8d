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
package dev.sessiontimeout.stores;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sessiontimeout.testsupport.PostgresServers;

/**
 * The store tests on Spring Session JDBC with a PostgreSQL server, in a schema of their
 * own. Skipped loudly when no server answers, and failed instead in CI.
 */
class JdbcPostgresSessionStoreIntegrationTests extends AbstractJdbcSessionStoreIntegrationTests {

	private static PostgresServers.Database database;

	@BeforeAll
	static void findPostgres() {
		database = PostgresServers.newSchema();
	}

	@Override
	String[] secondInstanceProperties() {
		return new String[] { "server.port=0", "spring.datasource.url=" + database.url(),
				"spring.datasource.username=" + database.user(), "spring.datasource.password=" + database.password(),
				"spring.session.jdbc.initialize-schema=never",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" };
	}

	@Override
	String[] dataSourceProperties() {
		return new String[] { "spring.datasource.url=" + database.url(),
				"spring.datasource.username=" + database.user(), "spring.datasource.password=" + database.password(),
				"spring.session.jdbc.initialize-schema=never" };
	}

	@DynamicPropertySource
	static void postgresProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> database.url());
		registry.add("spring.datasource.username", () -> database.user());
		registry.add("spring.datasource.password", () -> database.password());
	}

}
