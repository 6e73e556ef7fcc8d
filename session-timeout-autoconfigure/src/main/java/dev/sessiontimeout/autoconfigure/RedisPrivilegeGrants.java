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

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;

/**
 * {@link PrivilegeGrants} in Spring Session's Redis stores, default and indexed: the
 * request whose script removes the grant's field from the session's hash, while the field
 * still holds that grant, uses it. Comparing the value matters: Spring Session saves a
 * removed attribute as an empty field, so a plain {@code HDEL} would answer {@code 1}
 * again once the first request saved its copy; and a later authentication's grant is not
 * an older copy's to use. The script marks the grant it used in a field that no copy of
 * the session holds, and never uses a grant marked under the same id again: a copy loaded
 * before the use that writes all its attributes back as it saves (save mode
 * {@code ALWAYS}) brings the grant back, never its use.
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the sessions' keys
 * @author session-timeout
 */
record RedisPrivilegeGrants(RedisOperations<String, Object> redis, String keyPrefix) implements PrivilegeGrants {

	static final String FIELD = "sessionAttr:" + SessionAttributes.PRIVILEGE_GRANT;

	/**
	 * The field of the session's hash that marks the last grant used, under the id the
	 * session had then: no attribute (Spring Session reads only fields with its
	 * {@code sessionAttr:} prefix as attributes), so no copy of the session holds it, and
	 * none writes it back nor removes it as it saves. A later login in the same
	 * millisecond gives the same grant again, under another id (Spring Security's
	 * protection against session fixation changes it), which the mark does not refuse.
	 */
	static final String USED_FIELD = SessionAttributes.PREFIX + "used";

	/**
	 * Refuses a grant marked used under the session's id, which a copy of the session
	 * loaded before the use wrote back as it saved all its attributes (Spring Session's
	 * save mode {@code ALWAYS}); else removes the grant if it is still there as written
	 * (as text, or as a {@code Long}, state format 0.1.0) and marks it used.
	 */
	static final RedisScript<Long> USE = RedisScript.of("""
			if redis.call('HGET', KEYS[1], ARGV[4]) == ARGV[5] then
				return 0
			end
			local grant = redis.call('HGET', KEYS[1], ARGV[1])
			if grant and (grant == ARGV[2] or grant == ARGV[3]) then
				redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
				return redis.call('HDEL', KEYS[1], ARGV[1])
			end
			return 0
			""", Long.class);

	/**
	 * Return an instance for Spring Session's Redis repositories, default or indexed.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions where the repository's own
	 * cannot be read
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisPrivilegeGrants of(@Nullable Object repository, String namespace) {
		RedisOperations<String, Object> redis = SpringSessionRedis.operationsOf(repository);
		return (redis != null)
				? new RedisPrivilegeGrants(redis, SpringSessionRedis.namespaceOf(repository, namespace) + ":sessions:")
				: null;
	}

	@Override
	public boolean use(String sessionId, long grant) {
		byte[] field = serialize(this.redis.getHashKeySerializer(), FIELD);
		byte[] text = serialize(this.redis.getHashValueSerializer(), String.valueOf(grant));
		byte[] number = serialize(this.redis.getHashValueSerializer(), grant);
		byte[] used = serialize(this.redis.getHashKeySerializer(), USED_FIELD);
		byte[] mark = serialize(this.redis.getHashValueSerializer(), mark(sessionId, grant));
		if (field.length == 0 || text.length == 0 || number.length == 0 || used.length == 0 || mark.length == 0) {
			// An empty value is what a removed attribute leaves: never a grant
			return false;
		}
		Long removed = this.redis.execute(USE, RedisSerializer.byteArray(), new GenericToStringSerializer<>(Long.class),
				List.of(this.keyPrefix + sessionId), field, text, number, used, mark);
		return removed != null && removed == 1;
	}

	/**
	 * Return the mark of a grant used under a session id: the grant and the short hash of
	 * the id.
	 * @param sessionId the session's id
	 * @param grant the grant
	 * @return the mark
	 */
	static String mark(String sessionId, long grant) {
		return grant + "@" + SessionIds.hash(sessionId);
	}

	@SuppressWarnings("unchecked")
	private static byte[] serialize(RedisSerializer<?> serializer, Object value) {
		byte[] bytes = ((RedisSerializer<Object>) serializer).serialize(value);
		return (bytes != null) ? bytes : new byte[0];
	}

}
