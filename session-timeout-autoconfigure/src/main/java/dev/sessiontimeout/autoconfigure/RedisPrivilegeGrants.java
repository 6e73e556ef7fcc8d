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

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * {@link PrivilegeGrants} in Spring Session's Redis stores, default and indexed: the
 * request whose {@code HDEL} removes the grant's field from the session's hash uses it.
 * The other request's copy of the session still holds the field, but Spring Session saves
 * only the attributes a request changed, so it is not written back.
 *
 * @author session-timeout
 */
final class RedisPrivilegeGrants implements PrivilegeGrants {

	private static final String FIELD = "sessionAttr:" + SessionAttributes.PRIVILEGE_GRANT;

	private final RedisOperations<String, Object> redis;

	private final String keyPrefix;

	RedisPrivilegeGrants(RedisOperations<String, Object> redis, String namespace) {
		this.redis = redis;
		this.keyPrefix = namespace + ":sessions:";
	}

	/**
	 * Return an instance for Spring Session's Redis repositories, default or indexed.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisPrivilegeGrants of(@Nullable Object repository, String namespace) {
		if (repository instanceof RedisSessionRepository redis) {
			return new RedisPrivilegeGrants(redis.getSessionRedisOperations(), namespace);
		}
		if (repository instanceof RedisIndexedSessionRepository redis) {
			return new RedisPrivilegeGrants(redis.getSessionRedisOperations(), namespace);
		}
		return null;
	}

	@Override
	public boolean use(String sessionId, long grant) {
		Long removed = this.redis.opsForHash().delete(this.keyPrefix + sessionId, FIELD);
		return removed != null && removed == 1;
	}

}
