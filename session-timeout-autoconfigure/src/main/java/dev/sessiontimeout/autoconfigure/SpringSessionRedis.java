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
package dev.sessiontimeout.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The Redis operations of Spring Session's Redis repositories, default and indexed, for
 * what the starter keeps next to their sessions.
 *
 * @author session-timeout
 */
final class SpringSessionRedis {

	private SpringSessionRedis() {
	}

	/**
	 * Return the Redis operations of a session repository.
	 * @param repository the application's session repository
	 * @return its operations, or {@code null} if it is none of Spring Session's Redis
	 * repositories
	 */
	static @Nullable RedisOperations<String, Object> operationsOf(@Nullable Object repository) {
		if (repository instanceof RedisSessionRepository redis) {
			return redis.getSessionRedisOperations();
		}
		if (repository instanceof RedisIndexedSessionRepository redis) {
			return redis.getSessionRedisOperations();
		}
		return null;
	}

}
