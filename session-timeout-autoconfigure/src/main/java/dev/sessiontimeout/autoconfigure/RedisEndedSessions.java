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

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionIds;

/**
 * Remembers why sessions ended in Redis, next to the sessions of Spring Session's Redis
 * repositories: one key per ended session, named after the hash of its id, that Redis
 * expires at the end of the store grace by itself (no keyspace notifications needed).
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the keys, in the sessions' namespace
 * @author session-timeout
 * @since 0.1.0
 */
record RedisEndedSessions(RedisOperations<String, Object> redis, String keyPrefix) implements EndedSessions {

	/**
	 * Return an instance for Spring Session's Redis repositories, default or indexed.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisEndedSessions of(@Nullable Object repository, String namespace) {
		RedisOperations<String, Object> redis = SpringSessionRedis.operationsOf(repository);
		return (redis != null) ? new RedisEndedSessions(redis, namespace + ":sessiontimeout:ended:") : null;
	}

	@Override
	public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		remember(sessionId, new Entry(reason, until), now);
	}

	@Override
	public void remember(String key, Entry entry, Instant now) {
		this.redis.opsForValue()
			.set(key(key), entry.encode(),
					IndexedRepositoryEndedSessions.roundedUp(Duration.between(now, entry.until())));
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		Entry entry = Entry.decode(this.redis.opsForValue().get(key(sessionId)));
		return (entry != null) ? entry.reasonAt(now) : null;
	}

	@Override
	public @Nullable Entry entryOf(String sessionId, Instant now) {
		Entry entry = Entry.decode(this.redis.opsForValue().get(key(sessionId)));
		return (entry != null && entry.reasonAt(now) != null) ? entry : null;
	}

	String key(String sessionId) {
		return this.keyPrefix + SessionIds.key(sessionId);
	}

}
