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

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

/**
 * The ids that Spring Session's Redis indexed repository files under a user in its
 * principal index, read without the sessions: its lookup by principal name reads every
 * session it names and fails as a whole for one that cannot be read, so the starter reads
 * them one by one then.
 *
 * @param redis the Redis operations of the repository
 * @param keyPrefix the prefix of the principal index's keys
 * @author session-timeout
 */
record RedisIndexedSessionIds(RedisOperations<String, Object> redis,
		String keyPrefix) implements Function<String, Collection<String>> {

	/**
	 * Return an instance for Spring Session's Redis indexed repository.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisIndexedSessionIds of(@Nullable Object repository, String namespace) {
		if (!(repository instanceof RedisIndexedSessionRepository indexed)) {
			return null;
		}
		// The repository's own key of the index (getPrincipalKey)
		return new RedisIndexedSessionIds(indexed.getSessionRedisOperations(),
				namespace + ":index:" + FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME + ":");
	}

	@Override
	public Collection<String> apply(String username) {
		Set<Object> members = this.redis.opsForSet().members(this.keyPrefix + username);
		return (members != null) ? members.stream().map(String::valueOf).toList() : List.of();
	}

}
