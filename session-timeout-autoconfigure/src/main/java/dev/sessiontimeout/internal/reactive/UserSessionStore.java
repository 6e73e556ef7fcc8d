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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.sessiontimeout.internal.session.SessionAttributeSource;

/**
 * Where the sessions of a WebFlux application are kept, as
 * {@link ReactiveStoreUserSessions} finds and revokes a user's sessions there: Spring
 * Session's reactive repositories ({@link SpringSessionUserSessionStore}), or WebFlux's
 * own in-memory store ({@link InMemoryWebSessionUserSessionStore}); and where a session's
 * last access is kept apart from a request's copy of it, as the
 * {@link SessionTimeoutWebFilter} reads it to adopt a session without the starter's
 * state.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface UserSessionStore {

	/**
	 * Return a store whose sessions cannot be found by user.
	 * @param why what the application keeps its sessions in, or why they cannot be found
	 * @return the store, which answers every lookup with an {@link IllegalStateException}
	 */
	static UserSessionStore unsupported(String why) {
		String reason = "Sessions by user need one of Spring Session's reactive map and Redis repositories, or"
				+ " WebFlux's own InMemoryWebSessionStore: " + why;
		return new UserSessionStore() {

			@Override
			public Mono<Found> sessionsOf(String username, Instant now, Set<String> read) {
				return Mono.error(new IllegalStateException(reason));
			}

			@Override
			public @Nullable String unsupportedReason() {
				return reason;
			}

		};
	}

	/**
	 * Return when a session was last accessed as the store holds it now: before the
	 * current request, whose copy of the session (which Spring Session's WebFlux store
	 * stamps with the request's start) is saved only as the request ends. Read only to
	 * adopt a session without the starter's state: it costs a read of the store.
	 * @param sessionId the id of the session
	 * @return the instant, empty if the store no longer holds the session, or
	 * {@code null} if the store keeps no last access apart from the request's copy
	 */
	default @Nullable Mono<Instant> lastAccessedTime(String sessionId) {
		return null;
	}

	/**
	 * Return why sessions cannot be found by user in this store.
	 * @return the reason, or {@code null} if they can
	 */
	default @Nullable String unsupportedReason() {
		return null;
	}

	/**
	 * Return the sessions the store holds of a user, those whose clocks name that user
	 * (or, found through the store's own index, hold no readable clocks); a session that
	 * cannot be read stops no other.
	 * @param username the user's name
	 * @param now the current instant
	 * @return the sessions, and the failures of those that could not be read
	 */
	default Mono<Found> sessionsOf(String username, Instant now) {
		return sessionsOf(username, now, Set.of());
	}

	/**
	 * Return the sessions the store holds of a user, as
	 * {@link #sessionsOf(String, Instant)} does, except that an index the starter keeps
	 * need not read again the sessions named in {@code read}.
	 * @param username the user's name
	 * @param now the current instant
	 * @param read the ids of sessions read already
	 * @return the sessions, and the failures of those that could not be read
	 */
	Mono<Found> sessionsOf(String username, Instant now, Set<String> read);

	/**
	 * The sessions of a user, and why others could not be read.
	 *
	 * @param sessions the sessions
	 * @param failures the failures
	 */
	record Found(List<StoredSession> sessions, List<Throwable> failures) {

	}

	/**
	 * A session as the store holds it.
	 */
	interface StoredSession {

		/**
		 * Return the session's id.
		 * @return the id
		 */
		String id();

		/**
		 * Return the session's attributes.
		 * @return the attributes
		 */
		SessionAttributeSource attributes();

		/**
		 * Return when the session was created, which a change of its id keeps.
		 * @return the creation time
		 */
		Instant creationTime();

		/**
		 * Mark the session revoked, in the store.
		 * @param revokedAtMillis when, in epoch milliseconds
		 * @param keep how long from now the store keeps it
		 * @return whether the store holds the mark, once it does: {@code false} if the
		 * store no longer holds the session under its id (it ended, or its id changed
		 * since it was read)
		 */
		Mono<Boolean> revoke(long revokedAtMillis, Duration keep);

		/**
		 * Return whether the store keeps copies of the session that a request already
		 * running can save over the revocation (Spring Session's map repository).
		 * @return {@code true} if it does
		 */
		boolean savedAsCopies();

	}

}
