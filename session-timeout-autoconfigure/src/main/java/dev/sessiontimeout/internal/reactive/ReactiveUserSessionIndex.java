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
package dev.sessiontimeout.internal.reactive;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.sessiontimeout.internal.session.UserSessionIndex;

/**
 * The {@link UserSessionIndex} of a WebFlux application: the sessions of each user, kept
 * by the starter where the session store has no index of its own by principal name
 * (Spring Session's reactive map and Redis default repositories), written once a login's
 * session has its final id, never per request.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface ReactiveUserSessionIndex {

	/**
	 * No index: the store finds a user's sessions by itself, or not at all.
	 */
	ReactiveUserSessionIndex NONE = of(UserSessionIndex.NONE);

	/**
	 * Return an index that keeps its entries in memory, for a store in memory.
	 * @param index the index in memory, which never blocks
	 * @return the reactive index
	 */
	static ReactiveUserSessionIndex of(UserSessionIndex index) {
		return new ReactiveUserSessionIndex() {

			@Override
			public Mono<Void> add(String username, String sessionId, @Nullable Instant until, Instant now) {
				return Mono.fromRunnable(() -> index.add(username, sessionId, until, now));
			}

			@Override
			public Mono<Map<String, Instant>> sessions(String username, Instant now) {
				return Mono.fromSupplier(() -> index.sessions(username, now));
			}

			@Override
			public Mono<Void> remove(String username, Collection<String> sessionIds, Instant now) {
				return Mono.fromRunnable(() -> index.remove(username, sessionIds, now));
			}

			@Override
			public boolean isIndex() {
				return index != UserSessionIndex.NONE;
			}

		};
	}

	/**
	 * Return this index as the session clocks write it, where they decide without waiting
	 * for a store: for a session whose login the starter did not see (one signed in
	 * before it was added), which the clocks adopt at its first request. Each entry is
	 * written in the background; a failure is logged, and the session is indexed again at
	 * its next login or change of id.
	 * @return the index as the clocks see it, which only adds
	 */
	default UserSessionIndex detached() {
		ReactiveUserSessionIndex index = this;
		return new UserSessionIndex() {

			@Override
			public boolean keepsSwitchesOnly() {
				return index.keepsSwitchesOnly();
			}

			@Override
			public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
				index.add(username, sessionId, until, now)
					.subscribe(null, (ex) -> LogFactory.getLog(ReactiveUserSessionIndex.class)
						.warn("A signed-in session could not be indexed by its user", ex));
			}

			@Override
			public Map<String, Instant> sessions(String username, Instant now) {
				throw new UnsupportedOperationException("The clocks only add to the index");
			}

			@Override
			public void remove(String username, Collection<String> sessionIds, Instant now) {
				throw new UnsupportedOperationException("The clocks only add to the index");
			}

		};
	}

	/**
	 * Add a session of a user, when the user authenticated in it.
	 * @param username the user's name
	 * @param sessionId the session's id
	 * @param until the instant from which the session cannot be alive any more, or
	 * {@code null} if it has no absolute deadline
	 * @param now the current instant
	 * @return completes once the session is added
	 * @see UserSessionIndex#add
	 */
	Mono<Void> add(String username, String sessionId, @Nullable Instant until, Instant now);

	/**
	 * Return the sessions of a user that may still be alive.
	 * @param username the user's name
	 * @param now the current instant
	 * @return the id of each session, with the instant it was added at
	 * @see UserSessionIndex#sessions
	 */
	Mono<Map<String, Instant>> sessions(String username, Instant now);

	/**
	 * Forget sessions of a user that are gone from the store.
	 * @param username the user's name
	 * @param sessionIds the ids of the sessions
	 * @param now the current instant
	 * @return completes once they are forgotten
	 * @see UserSessionIndex#remove
	 */
	Mono<Void> remove(String username, Collection<String> sessionIds, Instant now);

	/**
	 * Return whether the index keeps a session only under the users who switched to its
	 * user, where the store files each session under its own user itself (Redis
	 * {@code indexed}).
	 * @return {@code true} if the index keeps switched sessions only
	 * @see UserSessionIndex#keepsSwitchesOnly()
	 */
	default boolean keepsSwitchesOnly() {
		return false;
	}

	/**
	 * Return whether this index keeps anything.
	 * @return {@code false} for {@link #NONE}
	 */
	boolean isIndex();

}
