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

import java.util.Map;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.session.MapSession;
import org.springframework.session.data.redis.RedisSessionMapper;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Maps a Redis hash to a session like {@link RedisSessionMapper}, but answers
 * {@code null} for an incomplete hash instead of throwing, which
 * {@link RedisSessionRepository} documents as "treat as missing" (and then deletes the
 * hash), and {@code RedisIndexedSessionRepository} treats as missing too. An incomplete
 * hash is what a request leaves when it saves its changes after a concurrent request
 * invalidated the session, which session clocks make routine, and what a revocation
 * leaves on the indexed store when it writes under an id that a concurrent change of id
 * had just moved.
 *
 * @author session-timeout
 */
class IncompleteSessionTolerantRedisSessionMapper implements BiFunction<String, Map<String, Object>, MapSession> {

	private final RedisSessionMapper delegate = new RedisSessionMapper();

	/**
	 * Return the same mapping for Spring Session's reactive Redis repositories, whose
	 * {@code findById} treats an empty answer as missing too (and deletes the hash).
	 * @return the reactive mapping
	 */
	static BiFunction<String, Map<String, Object>, Mono<MapSession>> reactive() {
		IncompleteSessionTolerantRedisSessionMapper mapper = new IncompleteSessionTolerantRedisSessionMapper();
		return (sessionId, map) -> Mono.fromSupplier(() -> mapper.apply(sessionId, map));
	}

	@Override
	public @Nullable MapSession apply(String sessionId, Map<String, Object> map) {
		try {
			return this.delegate.apply(sessionId, map);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

}
