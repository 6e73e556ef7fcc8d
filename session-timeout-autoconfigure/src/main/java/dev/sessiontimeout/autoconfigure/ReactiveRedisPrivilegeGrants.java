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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisElementReader;
import org.springframework.data.redis.serializer.RedisElementWriter;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import dev.sessiontimeout.internal.reactive.ReactivePrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * {@link ReactivePrivilegeGrants} in Spring Session's reactive Redis stores, default and
 * indexed: the request whose script removes the grant's field from the session's hash,
 * while the field still holds that grant, uses it. The script and the encoding of the
 * grant are those of the servlet {@link RedisPrivilegeGrants}, run without blocking.
 *
 * @param redis the reactive Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the sessions' keys
 * @author session-timeout
 */
record ReactiveRedisPrivilegeGrants(ReactiveRedisOperations<String, Object> redis,
		String keyPrefix) implements ReactivePrivilegeGrants {

	/**
	 * Return an instance for Spring Session's reactive Redis repositories, default or
	 * indexed.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * ({@link SpringSessionRedis#namespaceOf(Object, org.springframework.core.env.Environment)})
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable ReactiveRedisPrivilegeGrants of(@Nullable Object repository, String namespace) {
		ReactiveRedisOperations<String, Object> redis = null;
		if (repository instanceof ReactiveRedisSessionRepository found) {
			redis = found.getSessionRedisOperations();
		}
		else if (repository instanceof ReactiveRedisIndexedSessionRepository found) {
			redis = found.getSessionRedisOperations();
		}
		return (redis != null) ? new ReactiveRedisPrivilegeGrants(redis, namespace + ":sessions:") : null;
	}

	@Override
	public Mono<Boolean> use(String sessionId, String grant) {
		String usable = SessionAttributes.usableGrant(grant);
		if (usable == null) {
			// A grant of an earlier version: never used (fail closed)
			return Mono.just(false);
		}
		RedisSerializationContext<String, Object> context = this.redis.getSerializationContext();
		byte[] field = bytes(context.getHashKeySerializationPair().write(RedisPrivilegeGrants.FIELD));
		byte[] text = bytes(context.getHashValueSerializationPair().write(usable));
		byte[] used = bytes(context.getHashKeySerializationPair().write(RedisPrivilegeGrants.USED_FIELD));
		if (field.length == 0 || text.length == 0 || used.length == 0) {
			// An empty value is what a removed attribute leaves: never a grant
			return Mono.just(false);
		}
		List<byte[]> arguments = new ArrayList<>(List.of(field, text, used, RedisPrivilegeGrants.epochMilli(usable)));
		for (String sameMillisecond : RedisPrivilegeGrants.SAME_MILLISECOND_FIELDS) {
			arguments.add(bytes(context.getHashKeySerializationPair().write(sameMillisecond)));
		}
		return this.redis
			.execute(RedisPrivilegeGrants.USE, List.of(this.keyPrefix + sessionId), arguments,
					RedisElementWriter.from(RedisSerializer.byteArray()),
					RedisElementReader.from(new GenericToStringSerializer<>(Long.class)))
			.next()
			.map((removed) -> removed == 1)
			.defaultIfEmpty(false);
	}

	private static byte[] bytes(@Nullable ByteBuffer buffer) {
		if (buffer == null) {
			return new byte[0];
		}
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

}
