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

import org.springframework.test.context.TestPropertySource;

/**
 * The concurrent-session control tests with Spring Session's
 * {@code SpringSessionBackedSessionRegistry} on its JDBC store (H2).
 */
@TestPropertySource(
		properties = { "spring.datasource.url=jdbc:h2:mem:session-timeout-backed-registry;DB_CLOSE_DELAY=-1",
				"spring.session.jdbc.initialize-schema=always",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
class SpringSessionBackedRegistryIntegrationTests extends AbstractSpringSessionBackedRegistryIntegrationTests {

}
