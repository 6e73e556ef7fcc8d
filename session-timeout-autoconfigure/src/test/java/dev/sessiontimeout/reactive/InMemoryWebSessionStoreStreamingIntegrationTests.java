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

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.server.session.InMemoryWebSessionStore;

/**
 * The reactive streaming tests on WebFlux's own {@link InMemoryWebSessionStore}, whose
 * requests all see the session it holds, without Spring Session.
 */
@Import(InMemoryWebSessionStoreIntegrationTests.InMemoryStoreConfiguration.class)
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
		+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
		+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
		+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
		+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class InMemoryWebSessionStoreStreamingIntegrationTests extends AbstractReactiveStreamingIntegrationTests {

}
