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

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests on Spring Session's default {@code RedisSessionRepository}, where the
 * session hash carries the store's expiry.
 */
@TestPropertySource(properties = "spring.session.data.redis.repository-type=default")
class RedisSessionStoreIntegrationTests extends AbstractRedisSessionStoreIntegrationTests {

	@Override
	String repositoryType() {
		return "default";
	}

	/**
	 * Spring Session's {@code RedisSessionRepository} refuses to save a session that a
	 * concurrent request deleted ({@code IllegalStateException: Session was invalidated},
	 * a {@code 500}, or a response cut off when the save happens as the response is
	 * committed, status {@code 0} here): a request that read the clock before the
	 * deadline but saves after another one ended the session fails there instead of being
	 * served.
	 */
	/**
	 * Tomcat logs each of those failed saves at {@code ERROR}, twice (the request and its
	 * error page), under the host's logger: that is the behaviour under test here, so the
	 * host's logger is off for this test only.
	 */
	@Test
	@Override
	void noneOfFiftyParallelRequestsStraddlingTheAbsoluteDeadlineIsServedAfterIt() throws Exception {
		withTomcatErrorsOff(super::noneOfFiftyParallelRequestsStraddlingTheAbsoluteDeadlineIsServedAfterIt);
	}

	@Override
	void assertServedBeforeTheDeadline(int served, String summary) {
		assertThat(served).as("requests decided before the deadline: %s", summary).isBetween(1, 25);
	}

	@Override
	void assertRefused(Response response) {
		if (response.status() != 500 && response.status() != 0) {
			super.assertRefused(response);
		}
	}

	@Override
	String[] secondInstanceProperties() {
		return new String[] { "server.port=0", "spring.session.data.redis.repository-type=default",
				"spring.session.data.redis.namespace=" + NAMESPACE, "spring.data.redis.host=" + redis().host(),
				"spring.data.redis.port=" + redis().port(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };
	}

	@Override
	String expiringKey(String sessionId) {
		return NAMESPACE + ":sessions:" + sessionId;
	}

}
