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

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * Files a session in which a user switched to another (an administrator who impersonates
 * a customer) under the user who switched too, in a Spring Session store that files each
 * session under its own user only (JDBC, Redis' indexed repository): as a session of its
 * own ({@link SwitchedSessionRecords}). Written at a switch (or a change of the switched
 * session's id), never at a login; the store's own index finds every other session of a
 * user.
 *
 * @param <S> the type of the store's sessions
 * @author session-timeout
 * @since 0.1.0
 */
final class IndexedRepositorySwitchedSessions<S extends Session> implements UserSessionIndex {

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
			if (SwitchedSessionRecords.isRecordOf(record, sessionId)) {
				return;
			}
		}
		this.repository.save(SwitchedSessionRecords.record(this.repository.createSession(),
				FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, username, sessionId, until, now));
	}

	@Override
	public Map<String, Instant> sessions(String username, Instant now) {
		Map<String, Instant> sessions = new LinkedHashMap<>();
		for (S record : records(username).values()) {
			SwitchedSessionRecords.collect(sessions, record);
		}
		return sessions;
	}

	@Override
	public void remove(String username, Collection<String> sessionIds, Instant now) {
		records(username).forEach((recordId, record) -> {
			if (SwitchedSessionRecords.isRecordOfAny(record, sessionIds)) {
				this.repository.deleteById(recordId);
			}
		});
	}

	private Map<String, S> records(String username) {
		return this.repository.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
				SwitchedSessionRecords.indexValue(username));
	}

}
