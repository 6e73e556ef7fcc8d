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
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.session.Session;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;

/**
 * The records of switched sessions, as {@link IndexedRepositorySwitchedSessions} and
 * {@link ReactiveIndexedRepositorySwitchedSessions} keep them in the store: a session of
 * its own per user who switched and switched session, holding nothing but the switched
 * session's id, found by an index value made of the hash of the user's name, which the
 * store drops once the switched session cannot be alive any more.
 *
 * @author session-timeout
 */
final class SwitchedSessionRecords {

	static final String INDEX_PREFIX = "dev.sessiontimeout.switched:";

	/**
	 * How long a record of a session without an absolute deadline is kept: until a lookup
	 * of its user finds the session gone.
	 */
	private static final Duration WITHOUT_END = Duration.ofSeconds(Integer.MAX_VALUE);

	private SwitchedSessionRecords() {
	}

	/**
	 * Return the index value that files the records of a user.
	 * @param username the user's name
	 * @return the index value
	 */
	static String indexValue(String username) {
		return INDEX_PREFIX + SessionIds.key(username);
	}

	/**
	 * Make a new session of the store the record of a switched session, filed under a
	 * user who switched in it.
	 * @param <S> the type of the store's sessions
	 * @param record the new session
	 * @param indexName the name of the store's index by user
	 * @param username the user's name
	 * @param sessionId the switched session's id
	 * @param until the instant from which the switched session cannot be alive any more,
	 * or {@code null} if it has no absolute deadline
	 * @param now the current instant
	 * @return the record
	 */
	static <S extends Session> S record(S record, String indexName, String username, String sessionId,
			@Nullable Instant until, Instant now) {
		record.setAttribute(indexName, indexValue(username));
		record.setAttribute(SessionAttributes.SWITCHED_SESSION_RECORD, sessionId);
		record.setMaxInactiveInterval(lifetime(until, now));
		return record;
	}

	/**
	 * Return how long the store keeps a record of a switched session: until the session
	 * cannot be alive any more, or, for one without an absolute deadline, until a lookup
	 * of its user finds it gone.
	 */
	static Duration lifetime(@Nullable Instant until, Instant now) {
		return (until != null) ? IndexedRepositoryEndedSessions.roundedUp(Duration.between(now, until)) : WITHOUT_END;
	}

	/**
	 * Return whether a record is one of a switched session.
	 * @param record the record
	 * @param sessionId the switched session's id
	 * @return {@code true} if the record files that session
	 */
	static boolean isRecordOf(Session record, String sessionId) {
		return sessionId.equals(record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD));
	}

	/**
	 * Return whether a record is one of any of some switched sessions.
	 * @param record the record
	 * @param sessionIds the switched sessions' ids
	 * @return {@code true} if the record files one of them
	 */
	static boolean isRecordOfAny(Session record, Collection<String> sessionIds) {
		return sessionIds.contains(record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD));
	}

	/**
	 * Add the session that a record files to the sessions of its user, with the instant
	 * it was first filed at: the earliest of the records of that session.
	 * @param sessions the sessions of the user, with the instant each was added at
	 * @param record a record of the user
	 */
	static void collect(Map<String, Instant> sessions, Session record) {
		if (record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD) instanceof String sessionId) {
			sessions.merge(sessionId, record.getCreationTime(),
					(first, second) -> first.isBefore(second) ? first : second);
		}
	}

}
