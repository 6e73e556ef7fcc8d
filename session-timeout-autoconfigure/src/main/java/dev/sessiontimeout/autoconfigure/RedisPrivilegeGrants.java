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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * {@link PrivilegeGrants} in Spring Session's Redis stores, default and indexed: the
 * request whose script removes the grant's field from the session's hash, while the field
 * still holds that grant, uses it. Comparing the value matters: Spring Session saves a
 * removed attribute as an empty field, so a plain {@code HDEL} would answer {@code 1}
 * again once the first request saved its copy; and a later authentication's grant is not
 * an older copy's to use. The script marks the grant it used in a field that no copy of
 * the session holds, and never uses a grant so marked again: a copy loaded before the use
 * that writes all its attributes back as it saves (save mode {@code ALWAYS}) brings the
 * grant back, never its use, also where it changes the session's id (the hash, mark
 * included, is renamed). The mark is the grant's text, whose nonce tells it from the
 * grant of any other login of the session, one in the same millisecond included; and a
 * grant older than the one marked, which such a copy brings back after a later login of
 * the same session used its own, is never used either. The grants used in the marked
 * millisecond are all marked (a handful at most), so that a copy cannot bring back the
 * grant of a login in the millisecond of a later one either.
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the sessions' keys
 * @author session-timeout
 */
record RedisPrivilegeGrants(RedisOperations<String, Object> redis, String keyPrefix) implements PrivilegeGrants {

	static final String FIELD = "sessionAttr:" + SessionAttributes.PRIVILEGE_GRANT;

	/**
	 * The field of the session's hash that marks the last grant used: no attribute
	 * (Spring Session reads only fields with its {@code sessionAttr:} prefix as
	 * attributes), so no copy of the session holds it, and none writes it back nor
	 * removes it as it saves; a change of the session's id renames the hash, mark
	 * included. Versions that wrote the grant without a nonce marked the grant and the
	 * hash of the session's id, which no grant with a nonce matches.
	 */
	static final String USED_FIELD = SessionAttributes.PREFIX + "used";

	/**
	 * The fields of the session's hash that mark the other grants used in the millisecond
	 * of the one {@link #USED_FIELD} marks (logins of the session in the same
	 * millisecond: an identity provider's {@code auth_time} in whole seconds), one grant
	 * each, so that every field holds a value the session's serializer reads (Spring
	 * Session reads every field of the hash as it loads the session; JSON with Jackson 3
	 * refuses trailing values). No attribute either; a later millisecond clears them.
	 */
	static final List<String> SAME_MILLISECOND_FIELDS = List.of(USED_FIELD + ".1", USED_FIELD + ".2", USED_FIELD + ".3",
			USED_FIELD + ".4");

	/**
	 * Refuses a grant marked used, or of an earlier millisecond than the grant marked
	 * used, which a copy of the session loaded before the use wrote back as it saved all
	 * its attributes (Spring Session's save mode {@code ALWAYS}), after a later login of
	 * the session used its own grant too; else removes the grant if it is still there as
	 * written and marks it used. The mark is serialized as the session's attributes are
	 * (a string's text follows a short header with Java serialization, is quoted with
	 * JSON): its millisecond is the digits before its {@code @}; a mark without one is
	 * not the starter's, and refuses every grant (fail closed). A later login in the same
	 * millisecond, whose grant has a nonce of its own, still uses it, and its grant is
	 * marked in the first of the fields of that millisecond ({@code ARGV[5]} on,
	 * {@link #SAME_MILLISECOND_FIELDS}) that holds no grant of it; such a grant is
	 * refused if any of them marks it, or if none is free (fail closed). A grant of a
	 * later millisecond than the mark's replaces it and clears those fields.
	 * {@link #USED_FIELD} always holds a single grant of the marked millisecond, as the
	 * version before read it.
	 */
	static final RedisScript<Long> USE = RedisScript.of("""
			local used = redis.call('HGET', KEYS[1], ARGV[3])
			local free = nil
			if used then
				if used == ARGV[2] then
					return 0
				end
				local at = string.match(used, '(%d+)@')
				if not at or tonumber(at) > tonumber(ARGV[4]) then
					return 0
				end
				if tonumber(at) == tonumber(ARGV[4]) then
					for i = 5, #ARGV do
						local other = redis.call('HGET', KEYS[1], ARGV[i])
						if other == ARGV[2] then
							return 0
						end
						local of = other and string.match(other, '(%d+)@')
						if not free and not (of and tonumber(of) == tonumber(at)) then
							free = ARGV[i]
						end
					end
					if not free then
						return 0
					end
				end
			end
			if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
				if free then
					redis.call('HSET', KEYS[1], free, ARGV[2])
				else
					redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
					if #ARGV >= 5 then
						redis.call('HDEL', KEYS[1], unpack(ARGV, 5))
					end
				end
				return redis.call('HDEL', KEYS[1], ARGV[1])
			end
			return 0
			""", Long.class);

	/**
	 * Return an instance for Spring Session's Redis repositories, default or indexed.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * ({@link SpringSessionRedis#namespaceOf(Object, org.springframework.core.env.Environment)})
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisPrivilegeGrants of(@Nullable Object repository, String namespace) {
		RedisOperations<String, Object> redis = SpringSessionRedis.operationsOf(repository);
		return (redis != null) ? new RedisPrivilegeGrants(redis, namespace + ":sessions:") : null;
	}

	/**
	 * Refuses a grant without the nonce of its authentication, which versions before it
	 * wrote: nothing tells such a grant that a copy of the session brought back after its
	 * use under another id from a later login's (fail closed).
	 */
	@Override
	public boolean use(String sessionId, long grant) {
		return false;
	}

	@Override
	public boolean use(String sessionId, Instant createdAt, String grant) {
		String usable = SessionAttributes.usableGrant(grant);
		if (usable == null) {
			return false;
		}
		byte[] field = serialize(this.redis.getHashKeySerializer(), FIELD);
		byte[] text = serialize(this.redis.getHashValueSerializer(), usable);
		byte[] used = serialize(this.redis.getHashKeySerializer(), USED_FIELD);
		if (field.length == 0 || text.length == 0 || used.length == 0) {
			// An empty value is what a removed attribute leaves: never a grant
			return false;
		}
		List<byte[]> arguments = new ArrayList<>(List.of(field, text, used, epochMilli(usable)));
		for (String sameMillisecond : SAME_MILLISECOND_FIELDS) {
			arguments.add(serialize(this.redis.getHashKeySerializer(), sameMillisecond));
		}
		Long removed = this.redis.execute(USE, RedisSerializer.byteArray(), new GenericToStringSerializer<>(Long.class),
				List.of(this.keyPrefix + sessionId), arguments.toArray());
		return removed != null && removed == 1;
	}

	/**
	 * Return the epoch milliseconds of a usable grant as the claim script reads them:
	 * decimal ASCII text.
	 * @param usable a grant that {@link SessionAttributes#usableGrant(Object)} accepted
	 * @return the text's bytes
	 */
	static byte[] epochMilli(String usable) {
		return usable.substring(0, usable.indexOf('@')).getBytes(StandardCharsets.US_ASCII);
	}

	@SuppressWarnings("unchecked")
	private static byte[] serialize(RedisSerializer<?> serializer, Object value) {
		byte[] bytes = ((RedisSerializer<Object>) serializer).serialize(value);
		return (bytes != null) ? bytes : new byte[0];
	}

}
