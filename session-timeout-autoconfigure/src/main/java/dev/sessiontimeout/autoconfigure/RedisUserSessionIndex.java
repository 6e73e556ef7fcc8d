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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * A {@link UserSessionIndex} in Redis, next to the sessions of Spring Session's default
 * Redis repository, which keeps no index by principal name: one hash per user, from each
 * session id to when it was added and from when the session cannot be alive any more.
 * Each change is one script on the one key (so it works on a cluster and concurrent
 * logins of a user cannot undo each other): it drops the user's entries past their end,
 * and the key expires with the last of them by itself (it persists while a session has no
 * absolute deadline), so that users who never come back leave nothing behind. An entry
 * without an end is forgotten at a later login of the user once the store no longer holds
 * its session: each login asks the store about
 * {@value UserSessionIndex#CHECKED_AT_A_LOGIN} such entries at most, chosen at random, so
 * that a login costs the same however many sessions its user has. Keys, fields and values
 * are plain UTF-8, whatever serializer the repository uses for its attributes.
 *
 * @param redis the Redis operations of Spring Session's repository
 * @param keyPrefix the prefix of the keys, in the sessions' namespace
 * @param held whether Spring Session's repository still holds the session of an id (it
 * reads the session under the repository's own namespace)
 * @author session-timeout
 * @since 0.1.0
 */
record RedisUserSessionIndex(RedisOperations<String, Object> redis, String keyPrefix,
		Predicate<String> held) implements UserSessionIndex {

	private static final Log logger = LogFactory.getLog(RedisUserSessionIndex.class);

	/**
	 * How long after its login a session missing from the store may still be saved by the
	 * login's request, with a margin for the clocks of other nodes.
	 */
	private static final Duration LOGIN_SAVED_WITHIN = Duration.ofMinutes(1).plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);

	/**
	 * Drops the entries past their end and sets the key's lifetime from those left, or
	 * deletes it (ARGV[1]: now, in epoch milliseconds). An entry whose end is not -1 or a
	 * number of at most 15 digits (edited by hand) is dropped as past its end: a number
	 * Redis does not take as a time to live would fail the script halfway.
	 */
	private static final String EXPIRE = """
			local fields = redis.call('HGETALL', KEYS[1])
			local now = tonumber(ARGV[1])
			local last = now
			local persist = false
			for i = 1, #fields, 2 do
			  local text = string.match(fields[i + 1], ',(%-?%d+)$')
			  local untilMillis = 0
			  if text == '-1' then
			    untilMillis = -1
			  elseif text and #text <= 15 and string.sub(text, 1, 1) ~= '-' then
			    untilMillis = tonumber(text)
			  end
			  if untilMillis < 0 then
			    persist = true
			  elseif untilMillis <= now then
			    redis.call('HDEL', KEYS[1], fields[i])
			  elseif untilMillis > last then
			    last = untilMillis
			  end
			end
			if persist then
			  redis.call('PERSIST', KEYS[1])
			elseif last > now then
			  redis.call('PEXPIRE', KEYS[1], last - now)
			else
			  redis.call('DEL', KEYS[1])
			end
			return 1
			""";

	/**
	 * Adds a session (ARGV[2]: its id, ARGV[3]: "added,until", until -1 for none).
	 */
	static final String ADD = "redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])\n" + EXPIRE;

	/**
	 * Removes sessions (ARGV[2] and on: their ids).
	 */
	static final String REMOVE = "for i = 2, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end\n" + EXPIRE;

	/**
	 * Return an instance for Spring Session's default Redis repository.
	 * @param repository the application's session repository
	 * @param namespace the key namespace of its sessions
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable RedisUserSessionIndex of(@Nullable Object repository, String namespace) {
		if (!(repository instanceof RedisSessionRepository sessions)) {
			return null;
		}
		RedisOperations<String, Object> redis = SpringSessionRedis.operationsOf(repository);
		return (redis != null) ? new RedisUserSessionIndex(redis, namespace + ":sessiontimeout:users:",
				(sessionId) -> isHeld(sessions, sessionId)) : null;
	}

	/**
	 * Return whether the repository holds a session, or cannot tell (a session it cannot
	 * read is kept in the index, as a lookup keeps it).
	 */
	private static boolean isHeld(RedisSessionRepository sessions, String sessionId) {
		try {
			return sessions.findById(sessionId) != null;
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	@Override
	public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		eval(ADD, username, String.valueOf(now.toEpochMilli()), sessionId, entry(until, now));
		forgetGoneWithoutEnd(username, sessionId, now);
	}

	@Override
	public void saved(String username, String sessionId, @Nullable Instant until, Instant now) {
		eval(ADD, username, String.valueOf(now.toEpochMilli()), sessionId, entry(until, now));
	}

	/**
	 * Forget the entries without an end whose session the store no longer holds (it ended
	 * at its idle deadline, by a sign-out, or under an older id), once no login's request
	 * can still save it. Best effort: the login is recorded already, and a lookup of the
	 * user forgets them as well.
	 */
	private void forgetGoneWithoutEnd(String username, String sessionId, Instant now) {
		try {
			byte[] key = bytes(key(username));
			Map<byte[], byte[]> fields = this.redis
				.execute((RedisCallback<Map<byte[], byte[]>>) (connection) -> connection.hashCommands().hGetAll(key));
			List<String> candidates = new ArrayList<>();
			if (fields != null) {
				fields.forEach((field, value) -> {
					String id = new String(field, StandardCharsets.UTF_8);
					if (isSavedWithoutEnd(id, new String(value, StandardCharsets.UTF_8), sessionId, now)) {
						candidates.add(id);
					}
				});
			}
			List<String> gone = new ArrayList<>();
			for (String candidate : UserSessionIndex.checkedAtALogin(candidates)) {
				if (!this.held.test(candidate)) {
					gone.add(candidate);
				}
			}
			remove(username, gone, now);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not forget the ended sessions of a user in the index", ex);
		}
	}

	/**
	 * Return whether an entry has no end and was added long enough ago for its login's
	 * request to have saved its session, so that a session the store does not hold is
	 * gone.
	 * @param field the session's id
	 * @param value its entry
	 * @param addedSessionId the session of the login that asks, never gone
	 * @param now the current instant
	 * @return whether the entry's session is gone if the store does not hold it
	 */
	static boolean isSavedWithoutEnd(String field, String value, String addedSessionId, Instant now) {
		String[] entry = value.split(",", 2);
		Long addedAt = number(entry[0]);
		return !field.equals(addedSessionId) && entry.length == 2 && entry[1].equals("-1") && addedAt != null
				&& addedAt < now.minus(LOGIN_SAVED_WITHIN).toEpochMilli();
	}

	@Override
	public Map<String, Instant> sessions(String username, Instant now) {
		byte[] key = bytes(key(username));
		Map<byte[], byte[]> fields = this.redis
			.execute((RedisCallback<Map<byte[], byte[]>>) (connection) -> connection.hashCommands().hGetAll(key));
		Map<String, Instant> sessions = new HashMap<>();
		if (fields != null) {
			fields.forEach((field, value) -> collect(new String(field, StandardCharsets.UTF_8),
					new String(value, StandardCharsets.UTF_8), now, sessions));
		}
		return sessions;
	}

	@Override
	public void remove(String username, Collection<String> sessionIds, Instant now) {
		if (!sessionIds.isEmpty()) {
			List<String> arguments = new ArrayList<>();
			arguments.add(String.valueOf(now.toEpochMilli()));
			arguments.addAll(sessionIds);
			eval(REMOVE, username, arguments.toArray(String[]::new));
		}
	}

	private void eval(String script, String username, String... arguments) {
		byte[][] keysAndArguments = new byte[arguments.length + 1][];
		keysAndArguments[0] = bytes(key(username));
		for (int i = 0; i < arguments.length; i++) {
			keysAndArguments[i + 1] = bytes(arguments[i]);
		}
		this.redis.execute((RedisCallback<@Nullable Object>) (connection) -> connection.scriptingCommands()
			.eval(bytes(script), ReturnType.INTEGER, 1, keysAndArguments));
	}

	/**
	 * Return the value of a session's entry.
	 * @param until from when the session cannot be alive any more, {@code null} for never
	 * @param now the current instant, when it is added
	 * @return the entry, "added,until", until -1 for none
	 */
	static String entry(@Nullable Instant until, Instant now) {
		return now.toEpochMilli() + "," + ((until != null) ? until.toEpochMilli() : -1);
	}

	/**
	 * Add a session's entry, if it is not past its end, as the id of the session and the
	 * instant it was added at. An entry that cannot be read (cut short, edited by hand)
	 * may be of a session still alive: it is added as added long ago, so that a lookup
	 * reads its session, which a revocation then ends, or forgets it if it is gone; it
	 * fails no lookup of the user's other sessions.
	 * @param field the session's id
	 * @param value its entry
	 * @param now the current instant
	 * @param sessions where to add it
	 */
	static void collect(String field, String value, Instant now, Map<String, Instant> sessions) {
		String[] entry = value.split(",", 2);
		Long until = (entry.length == 2) ? number(entry[1]) : null;
		Long addedAt = number(entry[0]);
		if (until == null || addedAt == null) {
			sessions.put(field, Instant.EPOCH);
		}
		else if (until < 0 || until > now.toEpochMilli()) {
			sessions.put(field, Instant.ofEpochMilli(addedAt));
		}
	}

	private static @Nullable Long number(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	String key(String username) {
		return this.keyPrefix + username;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
