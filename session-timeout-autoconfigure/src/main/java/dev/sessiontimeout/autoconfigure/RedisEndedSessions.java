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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserRevocations;

/**
 * Remembers why sessions ended in Redis, next to the sessions of Spring Session's Redis
 * repositories: one key per ended session, named after the hash of its id, that Redis
 * expires at the end of the store grace by itself (no keyspace notifications needed); and
 * claims the announcement of a session's end for one node of all that share the store,
 * with one {@code SET NX PX} when a session ends.
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the keys, in the sessions' namespace
 * @author session-timeout
 * @since 0.1.0
 */
record RedisEndedSessions(RedisOperations<String, Object> redis, String keyPrefix) implements EndedSessions {

	/**
	 * The shortest time a claim of an announcement is kept.
	 */
	static final Duration MIN_CLAIM_LIFETIME = Duration.ofMinutes(5);

	private static final Log logger = LogFactory.getLog(RedisEndedSessions.class);

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

	/**
	 * Claim the announcement of a session's end with one {@code SET key NX PX}: the node
	 * that sets the key announces it. If Redis cannot be asked, this node announces it.
	 */
	@Override
	public boolean claimAnnouncement(String sessionId, Instant until, Instant now) {
		try {
			return !Boolean.FALSE.equals(this.redis.opsForValue()
				.setIfAbsent(announcedKey(this.keyPrefix, sessionId), Long.toString(now.toEpochMilli()),
						claimLifetime(until, now)));
		}
		catch (RuntimeException ex) {
			logger.warn("The announcement of a session's end could not be claimed in Redis; announced by this node,"
					+ " perhaps by another too", ex);
			return true;
		}
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		Entry entry = Entry.decode(this.redis.opsForValue().get(key(sessionId)));
		return (entry != null) ? entry.reasonAt(now) : null;
	}

	@Override
	public @Nullable Entry entryOf(String sessionId, Instant now) {
		Entry entry = UserRevocations.decode(sessionId, this.redis.opsForValue().get(key(sessionId)), now);
		return (entry != null && entry.reasonAt(now) != null) ? entry : null;
	}

	/**
	 * Return the key that claims the announcement of a session's end.
	 * @param keyPrefix the prefix of the keys of ended sessions
	 * @param sessionId the session's id
	 * @return the key
	 */
	static String announcedKey(String keyPrefix, String sessionId) {
		return keyPrefix.replaceFirst("ended:$", "announced:") + SessionIds.key(sessionId);
	}

	/**
	 * Return how long a claim of an announcement is kept: until the given instant, and at
	 * least {@link #MIN_CLAIM_LIFETIME} (the nodes that decide the same end at once do so
	 * within moments; a session's id is not used again).
	 * @param until when the claim may be forgotten
	 * @param now the current instant
	 * @return the lifetime, in whole seconds
	 */
	static Duration claimLifetime(Instant until, Instant now) {
		Duration lifetime = Duration.between(now, until);
		return IndexedRepositoryEndedSessions
			.roundedUp((lifetime.compareTo(MIN_CLAIM_LIFETIME) < 0) ? MIN_CLAIM_LIFETIME : lifetime);
	}

	String key(String sessionId) {
		return this.keyPrefix + SessionIds.key(sessionId);
	}

}
