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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * The sessions of Spring Session's reactive repositories: found through the store's index
 * by principal name where it has one ({@link ReactiveFindByIndexNameSessionRepository}:
 * Redis indexed), with the sessions in which the user switched to another, which the
 * starter files under the user in records of that store; else through the
 * {@link ReactiveUserSessionIndex} that the starter keeps (map, Redis default), reading
 * each session and forgetting those that are gone once they are older than a login
 * request, which saves its session only as it ends.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SpringSessionUserSessionStore implements UserSessionStore {

	/**
	 * How long after its login a session missing from the store may still be saved by the
	 * login's request.
	 */
	private static final Duration LOGIN_SAVED_WITHIN = Duration.ofMinutes(1);

	private final ReactiveSessionRepository<Session> repository;

	private final ReactiveUserSessionIndex index;

	private final SessionClocks clocks;

	private @Nullable Function<String, Flux<String>> indexedSessionIds;

	/**
	 * Create a new instance.
	 * @param repository the application's session repository
	 * @param index the index the starter keeps, {@link ReactiveUserSessionIndex#NONE} for
	 * a repository with an index of its own
	 * @param clocks the session clocks, which tell whose session it is
	 */
	@SuppressWarnings("unchecked")
	public SpringSessionUserSessionStore(ReactiveSessionRepository<?> repository, ReactiveUserSessionIndex index,
			SessionClocks clocks) {
		this.repository = (ReactiveSessionRepository<Session>) repository;
		this.index = index;
		this.clocks = clocks;
	}

	/**
	 * Set what reads the ids that the store's principal index files under a user, where
	 * its lookup by principal name reads every session it names and fails as a whole for
	 * one that cannot be read (Spring Session's reactive Redis indexed repository): the
	 * user's sessions are then read one by one, so that such a session fails only itself.
	 * @param indexedSessionIds the ids of a user's sessions in the store's index
	 */
	public void setIndexedSessionIds(Function<String, Flux<String>> indexedSessionIds) {
		this.indexedSessionIds = indexedSessionIds;
	}

	@Override
	public @Nullable String unsupportedReason() {
		if (this.repository instanceof ReactiveFindByIndexNameSessionRepository || this.index.isIndex()) {
			return null;
		}
		return "Sessions by user need a session store with a principal index, or one of Spring Session's reactive"
				+ " map and Redis repositories, for which the starter keeps its own; this application uses "
				+ this.repository.getClass().getSimpleName();
	}

	@Override
	public Mono<Instant> lastAccessedTime(String sessionId) {
		return this.repository.findById(sessionId).map(Session::getLastAccessedTime);
	}

	@Override
	@SuppressWarnings("unchecked")
	public Mono<Found> sessionsOf(String username, Instant now, Set<String> read) {
		if (this.repository instanceof ReactiveFindByIndexNameSessionRepository<?> indexed) {
			// A session whose clocks name another user, and no switch from this one, is
			// not this one's; one whose user cannot be read is kept (isIndexedSessionOf)
			Mono<Found> found = findByPrincipalName((ReactiveFindByIndexNameSessionRepository<Session>) indexed,
					username)
				.map((filed) -> new Found(filed.sessions()
					.stream()
					.filter((session) -> this.clocks.isIndexedSessionOf(session::getAttribute, username))
					.map(this::stored)
					.toList(), filed.failures()));
			if (!this.index.keepsSwitchesOnly()) {
				return found;
			}
			// With the sessions in which the user switched to another, which the store
			// files under the user switched to only, and those the application filed
			// under another name than the user's (an email address)
			return found.flatMap((filed) -> {
				Set<String> skipped = new HashSet<>(read);
				filed.sessions().forEach((session) -> skipped.add(session.id()));
				return Mono.defer(() -> indexedSessionsOf(username, now, skipped))
					.map((switched) -> new Found(
							Stream.concat(filed.sessions().stream(), switched.sessions().stream()).toList(),
							Stream.concat(filed.failures().stream(), switched.failures().stream()).toList()));
			});
		}
		String unsupported = unsupportedReason();
		if (unsupported != null) {
			return Mono.error(new IllegalStateException(unsupported));
		}
		return Mono.defer(() -> indexedSessionsOf(username, now, read));
	}

	/**
	 * Return the sessions the store's principal index files under a user; where its
	 * lookup fails as a whole and the ids it names can be read, each of them read on its
	 * own: a session that cannot be read is left out and its failure reported, as the
	 * starter's index does, so that it stops no other (it is never served: its request
	 * cannot read it either).
	 */
	private Mono<Filed> findByPrincipalName(ReactiveFindByIndexNameSessionRepository<Session> indexed,
			String username) {
		Mono<Filed> filed = indexed.findByPrincipalName(username)
			.map((sessions) -> new Filed(List.copyOf(sessions.values()), List.of()));
		Function<String, Flux<String>> ids = this.indexedSessionIds;
		if (ids == null) {
			return filed;
		}
		return filed.onErrorResume((ex) -> {
			List<Session> sessions = new ArrayList<>();
			List<Throwable> failures = new ArrayList<>();
			return Flux.defer(() -> ids.apply(username)).onErrorResume((idsFailure) -> {
				ex.addSuppressed(idsFailure);
				return Mono.error(ex);
			})
				.concatMap((sessionId) -> this.repository.findById(sessionId)
					.doOnNext(sessions::add)
					.onErrorResume((sessionFailure) -> {
						failures.add(sessionFailure);
						return Mono.empty();
					}))
				// No session failed on its own (an index read elsewhere, say): the
				// lookup's failure stands, and nothing is taken for all of them
				.then(Mono.defer(() -> failures.isEmpty() ? Mono.error(ex)
						: Mono.just(new Filed(List.copyOf(sessions), withSuppressed(failures, ex)))));
		});
	}

	/**
	 * Return the failures of the sessions read one by one, the first with the lookup's
	 * own failure suppressed in it, which tells why they were read one by one.
	 */
	private static List<Throwable> withSuppressed(List<Throwable> failures, Throwable lookupFailure) {
		Throwable first = failures.get(0);
		if (first != lookupFailure) {
			first.addSuppressed(lookupFailure);
		}
		return List.copyOf(failures);
	}

	/**
	 * The sessions the store's principal index files under a user, with the failures of
	 * those that could not be read.
	 */
	private record Filed(List<Session> sessions, List<Throwable> failures) {

	}

	private Mono<Found> indexedSessionsOf(String username, Instant now, Set<String> read) {
		Instant savedBy = now.minus(LOGIN_SAVED_WITHIN).minus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		List<StoredSession> sessions = new ArrayList<>();
		List<String> gone = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		return this.index.sessions(username, now)
			.flatMapMany((entries) -> Flux.fromIterable(entries.entrySet()))
			.filter((entry) -> !read.contains(entry.getKey()))
			.concatMap((entry) -> this.repository.findById(entry.getKey())
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.doOnNext((found) -> {
					Session session = found.orElse(null);
					// Signed in as the user, or by the user who then switched to another
					if (session != null && this.clocks.status(session::getAttribute)
						.map((status) -> this.clocks.isSessionOf(session::getAttribute, username))
						.orElse(false)) {
						sessions.add(stored(session));
					}
					else if (entry.getValue().isBefore(savedBy)) {
						gone.add(entry.getKey());
					}
				})
				// A session that cannot be read is kept in the index and stops no other
				.onErrorResume((ex) -> {
					failures.add(ex);
					return Mono.empty();
				}))
			// Forgetting the gone ones is best effort: the next lookup tries again
			.then(Mono.defer(() -> gone.isEmpty() ? Mono.empty()
					: this.index.remove(username, gone, now).onErrorResume((ex) -> Mono.empty())))
			.then(Mono.fromSupplier(() -> new Found(List.copyOf(sessions), List.copyOf(failures))));
	}

	private StoredSession stored(Session session) {
		return new Stored(session, this.repository);
	}

	private record Stored(Session session, ReactiveSessionRepository<Session> repository) implements StoredSession {

		@Override
		public String id() {
			return this.session.getId();
		}

		@Override
		public SessionAttributeSource attributes() {
			return this.session::getAttribute;
		}

		@Override
		public Instant creationTime() {
			return this.session.getCreationTime();
		}

		@Override
		public Mono<Boolean> revoke(long revokedAtMillis, Duration keep) {
			return Mono.defer(() -> {
				// The map counts the interval from the last access, the Redis
				// repositories from the save: the revocation is the last access
				this.session.setAttribute(SessionAttributes.REVOKED_AT, revokedAtMillis);
				this.session.setLastAccessedTime(Instant.now());
				this.session.setMaxInactiveInterval(keep);
				return this.repository.save(this.session).thenReturn(true);
			})
				// Spring Session's Redis default repository refuses to save a session it
				// no
				// longer holds under that id
				.onErrorResume(IllegalStateException.class,
						(ex) -> this.repository.findById(this.session.getId())
							.hasElement()
							.flatMap((held) -> held ? Mono.error(ex) : Mono.just(false)));
		}

		@Override
		public boolean savedAsCopies() {
			return (Object) this.repository instanceof ReactiveMapSessionRepository;
		}

	}

}
