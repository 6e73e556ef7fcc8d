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
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * Files a session in which a user switched to another (an administrator who impersonates
 * a customer) under the user who switched too, in a Spring Session store that files each
 * session under its own user only (JDBC, Redis' indexed repository): as a session of its
 * own, holding nothing but the switched session's id, found by an index value made of the
 * hash of the user's name, which the store drops once the switched session cannot be
 * alive any more. Written at a switch (or a change of the switched session's id), never
 * at a login; the store's own index finds every other session of a user.
 *
 * @param <S> the type of the store's sessions
 * @author session-timeout
 * @since 0.1.0
 */
final class IndexedRepositorySwitchedSessions<S extends Session> implements UserSessionIndex {

	static final String INDEX_PREFIX = "dev.sessiontimeout.switched:";

	/**
	 * How long a record of a session without an absolute deadline is kept: until a lookup
	 * of its user finds the session gone.
	 */
	private static final Duration WITHOUT_END = Duration.ofSeconds(Integer.MAX_VALUE);

	private final FindByIndexNameSessionRepository<S> repository;

	IndexedRepositorySwitchedSessions(FindByIndexNameSessionRepository<S> repository) {
		this.repository = repository;
	}

	static <S extends Session> IndexedRepositorySwitchedSessions<S> of(FindByIndexNameSessionRepository<S> repository) {
		return new IndexedRepositorySwitchedSessions<>(repository);
	}

	@Override
	public boolean keepsSwitchesOnly() {
		return true;
	}

	/**
	 * File a session under a user who switched in it, unless a record does already.
	 */
	@Override
	public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		for (S record : records(username).values()) {
			if (sessionId.equals(record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD))) {
				return;
			}
		}
		S record = this.repository.createSession();
		record.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, indexValue(username));
		record.setAttribute(SessionAttributes.SWITCHED_SESSION_RECORD, sessionId);
		record.setMaxInactiveInterval(lifetime(until, now));
		this.repository.save(record);
	}

	/**
	 * Return how long the store keeps a record of a switched session: until the session
	 * cannot be alive any more, or, for one without an absolute deadline, until a lookup
	 * of its user finds it gone.
	 */
	static Duration lifetime(@Nullable Instant until, Instant now) {
		return (until != null) ? IndexedRepositoryEndedSessions.roundedUp(Duration.between(now, until)) : WITHOUT_END;
	}

	@Override
	public Map<String, Instant> sessions(String username, Instant now) {
		Map<String, Instant> sessions = new LinkedHashMap<>();
		for (S record : records(username).values()) {
			if (record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD) instanceof String sessionId) {
				sessions.merge(sessionId, record.getCreationTime(),
						(first, second) -> first.isBefore(second) ? first : second);
			}
		}
		return sessions;
	}

	@Override
	public void remove(String username, Collection<String> sessionIds, Instant now) {
		records(username).forEach((recordId, record) -> {
			if (sessionIds.contains(record.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD))) {
				this.repository.deleteById(recordId);
			}
		});
	}

	private Map<String, S> records(String username) {
		return this.repository.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
				indexValue(username));
	}

	static String indexValue(String username) {
		return INDEX_PREFIX + SessionIds.key(username);
	}

}
