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

import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The store tests on Spring Session JDBC: the store's own expiry is the
 * {@code EXPIRY_TIME} column that its cleanup job deletes by.
 */
@TestPropertySource(properties = { "spring.session.jdbc.initialize-schema=always",
		"spring.autoconfigure.exclude="
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
				+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
abstract class AbstractJdbcSessionStoreIntegrationTests extends AbstractSpringSessionStoreIntegrationTests {

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Override
	boolean indexed() {
		return true;
	}

	@Override
	Instant storeExpiry(String sessionId) {
		List<Long> expiry = this.jdbcTemplate
			.queryForList("SELECT EXPIRY_TIME FROM SPRING_SESSION WHERE SESSION_ID = ?", Long.class, sessionId);
		return expiry.isEmpty() ? null : Instant.ofEpochMilli(expiry.get(0));
	}

}
