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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.UserRevocations;

/**
 * Remembers why sessions ended in a Spring Session store that finds sessions by index
 * (JDBC, Redis' indexed repository), so that every node reads it: as a session of its
 * own, holding nothing but the reason, found by an index value made of the hash of the
 * ended session's id, which the store drops at the end of the store grace. The ended
 * session itself is gone; a request that loaded it before it ended cannot write into this
 * one.
 *
 * @param <S> the type of the store's sessions
 * @author session-timeout
 * @since 0.1.0
 */
final class IndexedRepositoryEndedSessions<S extends Session> implements EndedSessions {

	static final String INDEX_PREFIX = "dev.sessiontimeout.ended:";

	static final String REASON_ATTRIBUTE = SessionAttributes.ENDED_SESSION_RECORD;

	private final FindByIndexNameSessionRepository<S> repository;

	IndexedRepositoryEndedSessions(FindByIndexNameSessionRepository<S> repository) {
		this.repository = repository;
	}

	static <S extends Session> IndexedRepositoryEndedSessions<S> of(FindByIndexNameSessionRepository<S> repository) {
		return new IndexedRepositoryEndedSessions<>(repository);
	}

	@Override
	public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		remember(sessionId, new Entry(reason, until), now);
	}

	@Override
	public void remember(String key, Entry entry, Instant now) {
		S record = this.repository.createSession();
		record.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, indexValue(key));
		record.setAttribute(REASON_ATTRIBUTE, entry.encode());
		record.setMaxInactiveInterval(roundedUp(Duration.between(now, entry.until())));
		this.repository.save(record);
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		for (S record : this.repository
			.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
					indexValue(sessionId))
			.values()) {
			Entry entry = Entry.decode(record.getAttribute(REASON_ATTRIBUTE));
			ExpiryReason reason = (entry != null) ? entry.reasonAt(now) : null;
			if (reason != null) {
				return reason;
			}
		}
		return null;
	}

	/**
	 * Return what is remembered under a key: the record written last, by when it is
	 * forgotten; for the records of a user's revocations ({@link UserRevocations}), each
	 * written as a session of its own, all of them in one
	 * ({@link UserRevocations#combined}), so that a revocation is read whichever node,
	 * with whichever clock, wrote a record after it.
	 */
	@Override
	public @Nullable Entry entryOf(String sessionId, Instant now) {
		Collection<S> records = this.repository
			.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
					indexValue(sessionId))
			.values();
		if (UserRevocations.isKey(sessionId)) {
			List<Entry> kept = new ArrayList<>();
			for (S record : records) {
				Entry entry = UserRevocations.decode(sessionId, record.getAttribute(REASON_ATTRIBUTE), now);
				if (entry != null && entry.reasonAt(now) != null) {
					kept.add(entry);
				}
			}
			return UserRevocations.combined(kept);
		}
		Entry latest = null;
		for (S record : records) {
			Entry entry = Entry.decode(record.getAttribute(REASON_ATTRIBUTE));
			if (entry != null && entry.reasonAt(now) != null
					&& (latest == null || entry.until().isAfter(latest.until()))) {
				latest = entry;
			}
		}
		return latest;
	}

	static String indexValue(String sessionId) {
		return INDEX_PREFIX + SessionIds.key(sessionId);
	}

	static Duration roundedUp(Duration duration) {
		Duration seconds = Duration.ofSeconds(duration.getSeconds());
		return seconds.equals(duration) ? seconds : seconds.plusSeconds(1);
	}

}
