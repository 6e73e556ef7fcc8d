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

import org.springframework.test.context.TestPropertySource;

/**
 * The reactive store tests on Spring Session's default
 * {@code ReactiveRedisSessionRepository}, where the session hash carries the store's
 * expiry.
 */
@TestPropertySource(properties = "spring.session.data.redis.repository-type=default")
class ReactiveRedisSessionStoreIntegrationTests extends AbstractReactiveRedisSessionStoreIntegrationTests {

	@Override
	String repositoryType() {
		return "default";
	}

	@Override
	String expiringKey(String sessionId) {
		return NAMESPACE + ":sessions:" + sessionId;
	}

}
