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
package dev.sessiontimeout.internal.session;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;

/**
 * Remembers why sessions ended in this node's memory: right for stores that live in one
 * node's memory themselves (the container's sessions, Spring Session's
 * {@code MapSessionRepository}). It keeps at most a bounded number of sessions, keyed by
 * the hash of their id (the oldest go first when it is full), and forgets each at the end
 * of its store grace.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InMemoryEndedSessions implements EndedSessions {

	private static final int DEFAULT_CAPACITY = 10_000;

	private final Map<String, Entry> entries;

	/**
	 * Create an instance that remembers up to 10,000 sessions.
	 */
	public InMemoryEndedSessions() {
		this(DEFAULT_CAPACITY);
	}

	/**
	 * Create an instance.
	 * @param capacity how many sessions to remember at most
	 */
	public InMemoryEndedSessions(int capacity) {
		this.entries = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
				return size() > capacity;
			}

		});
	}

	@Override
	public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		this.entries.put(SessionIds.key(sessionId), new Entry(reason, until));
	}

	/**
	 * Return why a session that its store holds again ended: in this node's memory the
	 * answer costs no round trip, so every request asks.
	 */
	@Override
	public @Nullable ExpiryReason reasonOfRevived(String sessionId, Instant now) {
		return reasonOf(sessionId, now);
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		if (this.entries.isEmpty()) {
			// No hash of the id for the usual request
			return null;
		}
		String key = SessionIds.key(sessionId);
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		ExpiryReason reason = entry.reasonAt(now);
		if (reason == null) {
			this.entries.remove(key, entry);
		}
		return reason;
	}

}
