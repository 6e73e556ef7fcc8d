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
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisOperations;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserRevocations;

/**
 * Remembers why sessions ended in Redis, next to the sessions of Spring Session's
 * reactive Redis repositories, with the keys and entries of {@link RedisEndedSessions},
 * so that any node, reactive or servlet, tells a request with an ended session's id why
 * it ended. The clocks decide without waiting for a store: an ended session is remembered
 * in this node's memory at once and written to Redis in the background, and a node that
 * does not remember a session reads Redis before it answers, without blocking
 * ({@link #reasonInStore}).
 *
 * @author session-timeout
 */
final class ReactiveRedisEndedSessions implements EndedSessions, StoredEndedSessions {

	private static final Log logger = LogFactory.getLog(ReactiveRedisEndedSessions.class);

	private final ReactiveRedisOperations<String, Object> redis;

	private final String keyPrefix;

	private final EndedSessions memory = new InMemoryEndedSessions();

	/**
	 * Create an instance next to the sessions of Spring Session's reactive Redis
	 * repository.
	 * @param redis the Redis operations of the repository
	 * @param namespace the key namespace of its sessions
	 */
	ReactiveRedisEndedSessions(ReactiveRedisOperations<String, Object> redis, String namespace) {
		this.redis = redis;
		this.keyPrefix = namespace + ":sessiontimeout:ended:";
	}

	@Override
	public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		this.memory.remember(sessionId, reason, until, now);
		this.redis.opsForValue()
			.set(key(sessionId), new Entry(reason, until).encode(),
					IndexedRepositoryEndedSessions.roundedUp(Duration.between(now, until)))
			.subscribe(null, (ex) -> logger.warn("Why a session ended could not be kept in Redis for other nodes; they"
					+ " answer its requests with reason invalid", ex));
	}

	/**
	 * Announce a session's end if this node claims it with one {@code SET key NX PX},
	 * once Redis answers, without waiting for it on the calling thread. If Redis cannot
	 * be asked, this node announces it.
	 */
	@Override
	public void announceOnce(String sessionId, Instant until, Instant now, Runnable announcement) {
		this.redis.opsForValue()
			.setIfAbsent(RedisEndedSessions.announcedKey(this.keyPrefix, sessionId), Long.toString(now.toEpochMilli()),
					RedisEndedSessions.claimLifetime(until, now))
			.onErrorResume((ex) -> {
				logger.warn("The announcement of a session's end could not be claimed in Redis; announced by this"
						+ " node, perhaps by another too", ex);
				return Mono.just(true);
			})
			.defaultIfEmpty(true)
			.subscribe((claimed) -> {
				if (claimed) {
					announcement.run();
				}
			}, (ex) -> logger.warn("The end of a session could not be announced", ex));
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		return this.memory.reasonOf(sessionId, now);
	}

	/**
	 * Return why a session ended, as Redis remembers it for every node.
	 * @param sessionId the id of a session that the store does not know
	 * @param now the current instant of the clock of every decision
	 * @return the reason, or empty if Redis does not remember the session (any more)
	 */
	@Override
	public Mono<ExpiryReason> reasonInStore(String sessionId, Instant now) {
		return this.redis.opsForValue().get(key(sessionId)).mapNotNull((value) -> {
			Entry entry = Entry.decode(value);
			return (entry != null) ? entry.reasonAt(now) : null;
		});
	}

	@Override
	public Mono<Entry> entryInStore(String sessionId, Instant now) {
		return this.redis.opsForValue().get(key(sessionId)).mapNotNull((value) -> {
			Entry entry = UserRevocations.decode(sessionId, value, now);
			return (entry != null && entry.reasonAt(now) != null) ? entry : null;
		});
	}

	@Override
	public Mono<Void> rememberInStore(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		return rememberInStore(sessionId, new Entry(reason, until), now);
	}

	@Override
	public Mono<Void> rememberInStore(String key, Entry entry, Instant now) {
		return this.redis.opsForValue()
			.set(key(key), entry.encode(),
					IndexedRepositoryEndedSessions.roundedUp(Duration.between(now, entry.until())))
			.then();
	}

	String key(String sessionId) {
		return this.keyPrefix + SessionIds.key(sessionId);
	}

}
