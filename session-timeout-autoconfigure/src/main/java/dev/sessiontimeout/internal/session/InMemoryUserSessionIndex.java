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
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A {@link UserSessionIndex} in this node's memory, for Spring Session's map repository,
 * whose sessions live in this node's memory too. Every {@value #SWEEP_EVERY} additions it
 * also forgets the entries of every user whose sessions are past their {@code until}, so
 * that users who never come back leave nothing behind.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class InMemoryUserSessionIndex implements UserSessionIndex {

	static final int SWEEP_EVERY = 1024;

	private static final long UNTIL_NEVER = Long.MAX_VALUE;

	private final Map<String, Map<String, Long>> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger additions = new AtomicInteger();

	@Override
	public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		long nowMillis = now.toEpochMilli();
		this.sessions.compute(username, (name, entries) -> {
			Map<String, Long> current = (entries != null) ? entries : new ConcurrentHashMap<>();
			current.values().removeIf((entryUntil) -> entryUntil <= nowMillis);
			current.put(sessionId, (until != null) ? until.toEpochMilli() : UNTIL_NEVER);
			return current;
		});
		if (this.additions.incrementAndGet() % SWEEP_EVERY == 0) {
			sweep(nowMillis);
		}
	}

	@Override
	public Set<String> sessionIds(String username, Instant now) {
		Map<String, Long> entries = this.sessions.get(username);
		if (entries == null) {
			return Set.of();
		}
		long nowMillis = now.toEpochMilli();
		return entries.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > nowMillis)
			.map(Map.Entry::getKey)
			.collect(Collectors.toUnmodifiableSet());
	}

	@Override
	public void remove(String username, Collection<String> sessionIds) {
		this.sessions.computeIfPresent(username, (name, entries) -> {
			sessionIds.forEach(entries::remove);
			return entries.isEmpty() ? null : entries;
		});
	}

	/**
	 * Return how many users have entries, for tests.
	 */
	int users() {
		return this.sessions.size();
	}

	private void sweep(long nowMillis) {
		for (String username : this.sessions.keySet()) {
			this.sessions.computeIfPresent(username, (name, entries) -> {
				entries.values().removeIf((entryUntil) -> entryUntil <= nowMillis);
				return entries.isEmpty() ? null : entries;
			});
		}
	}

}
