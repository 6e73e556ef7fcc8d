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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.internal.reactive.ReactiveUserSessionIndex;

/**
 * Files a session in which a user switched to another under the user who switched too, in
 * a reactive Spring Session store that files each session under its own user only (Redis'
 * indexed repository), as {@link IndexedRepositorySwitchedSessions} does it on servlet: a
 * record of the store per user and session ({@link SwitchedSessionRecords}), written at a
 * switch (which changes the session's id on WebFlux), never at a login.
 *
 * @param <S> the type of the store's sessions
 * @author session-timeout
 * @since 0.1.0
 */
final class ReactiveIndexedRepositorySwitchedSessions<S extends Session> implements ReactiveUserSessionIndex {

	private final ReactiveFindByIndexNameSessionRepository<S> index;

	private final ReactiveSessionRepository<S> repository;

	private ReactiveIndexedRepositorySwitchedSessions(ReactiveFindByIndexNameSessionRepository<S> index,
			ReactiveSessionRepository<S> repository) {
		this.index = index;
		this.repository = repository;
	}

	/**
	 * Return the records of a reactive store with an index by user.
	 * @param repository the store
	 * @return the records, or {@code null} if the store has no index by user
	 */
	@SuppressWarnings("unchecked")
	static @Nullable ReactiveIndexedRepositorySwitchedSessions<Session> of(ReactiveSessionRepository<?> repository) {
		if (repository instanceof ReactiveFindByIndexNameSessionRepository<?> index) {
			return new ReactiveIndexedRepositorySwitchedSessions<>(
					(ReactiveFindByIndexNameSessionRepository<Session>) index,
					(ReactiveSessionRepository<Session>) repository);
		}
		return null;
	}

	@Override
	public boolean keepsSwitchesOnly() {
		return true;
	}

	@Override
	public boolean isIndex() {
		return true;
	}

	/**
	 * File a session under a user who switched in it, unless a record does already.
	 */
	@Override
	public Mono<Void> add(String username, String sessionId, @Nullable Instant until, Instant now) {
		return records(username).filter((record) -> SwitchedSessionRecords.isRecordOf(record, sessionId))
			.hasElements()
			.flatMap((filed) -> filed ? Mono.empty()
					: this.repository.createSession()
						.flatMap((record) -> this.repository.save(SwitchedSessionRecords.record(record,
								ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, username, sessionId,
								until, now))));
	}

	@Override
	public Mono<Map<String, Instant>> sessions(String username, Instant now) {
		return records(username).collect(LinkedHashMap::new, SwitchedSessionRecords::collect);
	}

	@Override
	public Mono<Void> remove(String username, Collection<String> sessionIds, Instant now) {
		return records(username).filter((record) -> SwitchedSessionRecords.isRecordOfAny(record, sessionIds))
			.concatMap((record) -> this.repository.deleteById(record.getId()))
			.then();
	}

	private Flux<S> records(String username) {
		return this.index
			.findByIndexNameAndIndexValue(ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
					SwitchedSessionRecords.indexValue(username))
			.flatMapIterable(Map::values);
	}

}
