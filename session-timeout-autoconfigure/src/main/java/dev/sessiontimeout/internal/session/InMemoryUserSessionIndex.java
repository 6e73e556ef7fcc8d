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

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.sessiontimeout.internal.policy.SessionTimeline;

/**
 * A {@link UserSessionIndex} in this node's memory, for Spring Session's map repository,
 * whose sessions live in this node's memory too. Every {@value #SWEEP_EVERY} additions it
 * also forgets the entries of every user whose sessions are past their {@code until}, so
 * that users who never come back leave nothing behind. Given what tells whether the store
 * still holds a session, a login also forgets its user's entries without an {@code until}
 * whose session the store no longer holds (it ended at its idle deadline, by a sign-out,
 * or under an older id), so that they do not pile up one per login.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class InMemoryUserSessionIndex implements UserSessionIndex {

	static final int SWEEP_EVERY = 1024;

	/**
	 * How long after its login a session missing from the store may still be saved by the
	 * login's request.
	 */
	private static final Duration LOGIN_SAVED_WITHIN = Duration.ofMinutes(1).plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);

	private final Map<String, Map<String, Entry>> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger additions = new AtomicInteger();

	private final Predicate<String> held;

	/**
	 * Create an index that forgets entries without an {@code until} only when a lookup
	 * finds their session gone.
	 */
	public InMemoryUserSessionIndex() {
		this((sessionId) -> true);
	}

	/**
	 * Create an index whose logins forget their user's entries without an {@code until}
	 * whose session the store no longer holds, once the login that added them saved it.
	 * @param held whether the store holds the session of an id
	 */
	public InMemoryUserSessionIndex(Predicate<String> held) {
		Assert.notNull(held, "'held' must not be null");
		this.held = held;
	}

	@Override
	public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		this.sessions.compute(username, (name, entries) -> {
			Map<String, Entry> current = (entries != null) ? entries : new HashMap<>();
			current.values().removeIf((entry) -> !entry.isAliveAt(now));
			Instant savedBy = now.minus(LOGIN_SAVED_WITHIN);
			List<String> candidates = current.entrySet()
				.stream()
				.filter((added) -> added.getValue().until() == null && added.getValue().addedAt().isBefore(savedBy)
						&& !added.getKey().equals(sessionId))
				.map(Map.Entry::getKey)
				.toList();
			for (String candidate : UserSessionIndex.checkedAtALogin(candidates)) {
				if (!this.held.test(candidate)) {
					current.remove(candidate);
				}
			}
			current.put(sessionId, new Entry(now, until));
			return current;
		});
		if (this.additions.incrementAndGet() % SWEEP_EVERY == 0) {
			sweep(now);
		}
	}

	@Override
	public void saved(String username, String sessionId, @Nullable Instant until, Instant now) {
		this.sessions.compute(username, (name, entries) -> {
			Map<String, Entry> current = (entries != null) ? entries : new HashMap<>();
			current.put(sessionId, new Entry(now, until));
			return current;
		});
	}

	@Override
	public Map<String, Instant> sessions(String username, Instant now) {
		Map<String, Instant> alive = new HashMap<>();
		this.sessions.computeIfPresent(username, (name, entries) -> {
			entries.forEach((sessionId, entry) -> {
				if (entry.isAliveAt(now)) {
					alive.put(sessionId, entry.addedAt());
				}
			});
			return entries;
		});
		return alive;
	}

	@Override
	public void remove(String username, Collection<String> sessionIds, Instant now) {
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

	private void sweep(Instant now) {
		for (String username : this.sessions.keySet()) {
			this.sessions.computeIfPresent(username, (name, entries) -> {
				entries.values().removeIf((entry) -> !entry.isAliveAt(now));
				return entries.isEmpty() ? null : entries;
			});
		}
	}

	/**
	 * A session of a user: when it was added, and from when it cannot be alive any more
	 * ({@code null} for never).
	 */
	private record Entry(Instant addedAt, @Nullable Instant until) {

		boolean isAliveAt(Instant now) {
			return this.until == null || now.isBefore(this.until);
		}

	}

}
