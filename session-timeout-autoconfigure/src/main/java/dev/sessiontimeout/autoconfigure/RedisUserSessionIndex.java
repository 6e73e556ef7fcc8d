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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * A {@link UserSessionIndex} in Redis, next to the sessions of Spring Session's default
 * Redis repository, which keeps no index by principal name: one sorted set per user, of
 * session ids scored by the instant from which each session cannot be alive any more. An
 * addition drops the user's entries past it, and the key expires with the last of them by
 * itself (it persists while a session has no absolute deadline), so that users who never
 * come back leave nothing behind; every operation is on the one key.
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the keys, in the sessions' namespace
 * @author session-timeout
 * @since 0.1.0
 */
record RedisUserSessionIndex(RedisOperations<String, Object> redis, String keyPrefix) implements UserSessionIndex {

	/**
	 * Return an instance for Spring Session's default Redis repository.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisUserSessionIndex of(@Nullable Object repository, String namespace) {
		if (!(repository instanceof RedisSessionRepository)) {
			return null;
		}
		RedisOperations<String, Object> redis = SpringSessionRedis.operationsOf(repository);
		return (redis != null) ? new RedisUserSessionIndex(redis, namespace + ":sessiontimeout:users:") : null;
	}

	@Override
	public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		byte[] key = bytes(key(username));
		this.redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
			RedisZSetCommands sessions = connection.zSetCommands();
			sessions.zRemRangeByScore(key, Double.NEGATIVE_INFINITY, now.toEpochMilli());
			sessions.zAdd(key, (until != null) ? until.toEpochMilli() : Double.POSITIVE_INFINITY, bytes(sessionId));
			Set<Tuple> last = sessions.zRevRangeWithScores(key, 0, 0);
			Double lastUntil = (last != null && !last.isEmpty()) ? last.iterator().next().getScore() : null;
			if (lastUntil == null || lastUntil.isInfinite()) {
				connection.keyCommands().persist(key);
			}
			else {
				// Relative, as the other keys of the starter: Redis' clock is not this
				// node's
				connection.keyCommands()
					.expire(key, IndexedRepositoryEndedSessions
						.roundedUp(Duration.between(now, Instant.ofEpochMilli(lastUntil.longValue()))));
			}
			return null;
		});
	}

	@Override
	public Set<String> sessionIds(String username, Instant now) {
		Set<byte[]> members = this.redis.execute((RedisCallback<Set<byte[]>>) (connection) -> connection.zSetCommands()
			.zRangeByScore(bytes(key(username)), Math.nextUp((double) now.toEpochMilli()), Double.POSITIVE_INFINITY));
		Set<String> ids = new LinkedHashSet<>();
		if (members != null) {
			members.forEach((member) -> ids.add(new String(member, StandardCharsets.UTF_8)));
		}
		return ids;
	}

	@Override
	public void remove(String username, Collection<String> sessionIds) {
		if (!sessionIds.isEmpty()) {
			byte[][] members = sessionIds.stream().map(RedisUserSessionIndex::bytes).toArray(byte[][]::new);
			this.redis.execute((RedisCallback<@Nullable Long>) (connection) -> connection.zSetCommands()
				.zRem(bytes(key(username)), members));
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	String key(String username) {
		return this.keyPrefix + username;
	}

}
