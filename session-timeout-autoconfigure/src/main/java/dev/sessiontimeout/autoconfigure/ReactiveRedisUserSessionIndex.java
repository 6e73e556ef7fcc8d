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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import dev.sessiontimeout.internal.reactive.ReactiveUserSessionIndex;
import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * The {@link ReactiveUserSessionIndex} in Redis, next to the sessions of Spring Session's
 * reactive default Redis repository, which keeps no index by principal name: the same
 * keys, entries and scripts as the {@link RedisUserSessionIndex} of servlet applications,
 * so that both can share one Redis; a login forgets, as there, the entries without an end
 * whose session the store no longer holds.
 *
 * @param redis the reactive Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the keys, in the sessions' namespace
 * @param held whether Spring Session's repository still holds the session of an id (it
 * reads the session under the repository's own namespace)
 * @author session-timeout
 */
record ReactiveRedisUserSessionIndex(ReactiveRedisOperations<String, Object> redis, String keyPrefix,
		Function<String, Mono<Boolean>> held) implements ReactiveUserSessionIndex {

	/**
	 * Return an instance for Spring Session's reactive default Redis repository.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable ReactiveRedisUserSessionIndex of(@Nullable Object repository, String namespace) {
		if (!(repository instanceof ReactiveRedisSessionRepository redis)) {
			return null;
		}
		return new ReactiveRedisUserSessionIndex(redis.getSessionRedisOperations(),
				namespace + ":sessiontimeout:users:",
				(sessionId) -> redis.findById(sessionId).hasElement().onErrorReturn(true));
	}

	@Override
	public Mono<Void> add(String username, String sessionId, @Nullable Instant until, Instant now) {
		return eval(RedisUserSessionIndex.ADD, username, String.valueOf(now.toEpochMilli()), sessionId,
				RedisUserSessionIndex.entry(until, now))
			.then(forgetGoneWithoutEnd(username, sessionId, now));
	}

	/**
	 * Forget the entries without an end whose session the store no longer holds, once no
	 * login's request can still save it; best effort, as on servlet.
	 */
	private Mono<Void> forgetGoneWithoutEnd(String username, String sessionId, Instant now) {
		ByteBuffer key = bytes(key(username));
		return this.redis.execute((connection) -> connection.hashCommands().hGetAll(key))
			.map((field) -> Map.entry(text(field.getKey()), text(field.getValue())))
			.filter((entry) -> RedisUserSessionIndex.isSavedWithoutEnd(entry.getKey(), entry.getValue(), sessionId,
					now))
			.map(Map.Entry::getKey)
			.collectList()
			.flatMapIterable(UserSessionIndex::checkedAtALogin)
			.concatMap((candidate) -> this.held.apply(candidate).filter(Boolean.FALSE::equals).map((held) -> candidate))
			.collectList()
			.flatMap((gone) -> remove(username, gone, now))
			.onErrorResume((ex) -> Mono.empty());
	}

	@Override
	public Mono<Map<String, Instant>> sessions(String username, Instant now) {
		ByteBuffer key = bytes(key(username));
		return this.redis.execute((connection) -> connection.hashCommands().hGetAll(key))
			.<Map<String, Instant>>collect(HashMap::new, (sessions, field) -> RedisUserSessionIndex
				.collect(text(field.getKey()), text(field.getValue()), now, sessions));
	}

	@Override
	public Mono<Void> remove(String username, Collection<String> sessionIds, Instant now) {
		if (sessionIds.isEmpty()) {
			return Mono.empty();
		}
		List<String> arguments = new ArrayList<>();
		arguments.add(String.valueOf(now.toEpochMilli()));
		arguments.addAll(sessionIds);
		return eval(RedisUserSessionIndex.REMOVE, username, arguments.toArray(String[]::new));
	}

	@Override
	public boolean isIndex() {
		return true;
	}

	private Mono<Void> eval(String script, String username, String... arguments) {
		ByteBuffer[] keysAndArguments = new ByteBuffer[arguments.length + 1];
		keysAndArguments[0] = bytes(key(username));
		for (int i = 0; i < arguments.length; i++) {
			keysAndArguments[i + 1] = bytes(arguments[i]);
		}
		return this.redis
			.execute((connection) -> connection.scriptingCommands()
				.eval(bytes(script), ReturnType.INTEGER, 1, keysAndArguments))
			.then();
	}

	String key(String username) {
		return this.keyPrefix + username;
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
	}

}
