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

import org.springframework.test.context.TestPropertySource;

/**
 * The store tests on Spring Session's {@code RedisIndexedSessionRepository}, where the
 * {@code sessions:expires:} key carries the store's expiry (the session hash itself is
 * kept five minutes longer so that expiry events can carry its attributes; it is never
 * served after the expiry).
 */
@TestPropertySource(properties = "spring.session.data.redis.repository-type=indexed")
class RedisIndexedSessionStoreIntegrationTests extends AbstractRedisSessionStoreIntegrationTests {

	@Override
	boolean indexed() {
		return true;
	}

	@Override
	String[] secondInstanceProperties() {
		return new String[] { "server.port=0", "spring.session.data.redis.repository-type=indexed",
				"spring.session.data.redis.namespace=" + NAMESPACE, "spring.data.redis.host=" + redis().host(),
				"spring.data.redis.port=" + redis().port(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };
	}

	@Override
	String repositoryType() {
		return "indexed";
	}

	@Override
	String expiringKey(String sessionId) {
		return NAMESPACE + ":sessions:expires:" + sessionId;
	}

}
