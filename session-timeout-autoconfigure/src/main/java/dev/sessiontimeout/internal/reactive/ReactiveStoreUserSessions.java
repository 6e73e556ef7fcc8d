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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.internal.reactive.UserSessionStore.StoredSession;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.OwnSession;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver.User;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.users.UserSession;
import dev.sessiontimeout.internal.users.UserSessionLookup;

/**
 * The {@link ReactiveUserSessions} of a WebFlux application's session store, as
 * {@code SpringSessionUserSessions} is on servlet: a revoked session holds the time of
 * its revocation, which the clocks of every node end it for at its next request, and the
 * store keeps it for the store grace. A session that cannot be read or revoked stops no
 * other: the first failure is answered once all were tried.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReactiveStoreUserSessions implements ReactiveUserSessions {

	private final UserSessionStore store;

	private final SessionClocks clocks;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private EndedSessions endedSessions = EndedSessions.NONE;

	private @Nullable StoredEndedSessions storedEndedSessions;

	private Function<ServerWebExchange, Mono<User>> exchangeUsers = (exchange) -> exchange.getPrincipal()
		.map((principal) -> new User(principal.getName(), null));

	/**
	 * Create a new instance.
	 * @param store where the sessions are kept
	 * @param clocks the session clocks
	 * @param clock the clock that stamps events
	 * @param eventPublisher publishes a {@link SessionEndedEvent} per revoked session
	 */
	public ReactiveStoreUserSessions(UserSessionStore store, SessionClocks clocks, Clock clock,
			ApplicationEventPublisher eventPublisher) {
		Assert.notNull(store, "'store' must not be null");
		this.store = store;
		this.clocks = clocks;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set what remembers why sessions ended, told of every revoked session that the store
	 * keeps as copies, until it cannot be alive any more: a request of it that was
	 * already running can save its copy over the revocation, and the clocks end such a
	 * revived session again.
	 * @param endedSessions the ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		Assert.notNull(endedSessions, "'endedSessions' must not be null");
		this.endedSessions = endedSessions;
	}

	/**
	 * Set what remembers, in the store every node shares, the revocations of users'
	 * sessions everywhere, for the logins still in their requests
	 * ({@link UserRevocations}); else this node's {@link #setEndedSessions ended
	 * sessions} do.
	 * @param storedEndedSessions the store's ended sessions
	 */
	public void setStoredEndedSessions(StoredEndedSessions storedEndedSessions) {
		Assert.notNull(storedEndedSessions, "'storedEndedSessions' must not be null");
		this.storedEndedSessions = storedEndedSessions;
	}

	/**
	 * Set what tells an exchange's own user as its security context tells it: named as
	 * the user's sessions are filed (Spring Security's authentication's name, which its
	 * principal index and the starter's own use), with the identity provider it signed in
	 * with, as the starter reads it from a session (a user of the same name from another
	 * provider is another user); else the exchange's principal is taken, with no
	 * provider.
	 * @param exchangeUsers gives the user; empty if the exchange tells none; an
	 * {@link IllegalStateException} if it tells an anonymous one, which has no sessions
	 * to revoke
	 */
	public void setExchangeUsers(Function<ServerWebExchange, Mono<User>> exchangeUsers) {
		Assert.notNull(exchangeUsers, "'exchangeUsers' must not be null");
		this.exchangeUsers = exchangeUsers;
	}

	/**
	 * Return why sessions cannot be found by user in this application's store.
	 * @return the reason, or {@code null} if they can
	 */
	public @Nullable String unsupportedReason() {
		return this.store.unsupportedReason();
	}

	/**
	 * Return every session of a user that the store still holds, the revoked ones and
	 * those past a deadline included.
	 * @param username the user's name
	 * @return the sessions
	 */
	public Flux<UserSession> find(String username) {
		return Mono.defer(() -> this.store.sessionsOf(username, this.clocks.now())).flatMapMany((found) -> {
			List<UserSession> sessions = found.sessions()
				.stream()
				.map((session) -> UserSession.of(session.id(), session.attributes(), username, this.clocks))
				.toList();
			return failure(found.failures()).map(Flux::<UserSession>error).orElse(Flux.fromIterable(sessions));
		});
	}

	/**
	 * Return the ids of a user's sessions that the store still holds though they ended:
	 * revoked (kept for the store grace, so that their next request is answered why), or
	 * past a deadline of their clocks without a request since. A session whose clocks
	 * cannot be read, or that cannot be read at all, is not among them.
	 * @param username the user's name
	 * @return the ids
	 */
	public Mono<Set<String>> endedSessionIds(String username) {
		return Mono.defer(() -> {
			Instant now = this.clocks.now();
			return this.store.sessionsOf(username, now).map((found) -> {
				Set<String> ended = new HashSet<>();
				for (StoredSession stored : found.sessions()) {
					UserSession session = UserSession.of(stored.id(), stored.attributes(), username, this.clocks);
					if (session.isEnded(now)) {
						ended.add(stored.id());
					}
				}
				return Set.copyOf(ended);
			});
		});
	}

	@Override
	public Flux<SessionStatus> list(String username) {
		return Flux.defer(() -> {
			Instant now = this.clocks.now();
			return find(username).filter((session) -> session.isLive(now))
				.map((session) -> Objects.requireNonNull(session.status()));
		});
	}

	@Override
	public Mono<Integer> revokeAll(String username) {
		return revoke(username).map(List::size);
	}

	/**
	 * Revoke every session of a user.
	 * @param username the user's name
	 * @return the hashes of the revoked sessions' ids
	 */
	public Mono<List<String>> revoke(String username) {
		return revokeEverywhere(username, (session) -> true, UserRevocations.Everywhere.ALL,
				OwnSession.none(StoredSession::id));
	}

	/**
	 * Revoke the sessions of a user that a condition holds for.
	 * @param username the user's name
	 * @param which tells, from a session's attributes, whether to revoke it
	 * @return the hashes of the revoked sessions' ids
	 */
	public Mono<List<String>> revoke(String username, Predicate<SessionAttributeSource> which) {
		return revokeWhere(username, (session) -> which.test(session.attributes()), (session) -> true);
	}

	/**
	 * Return a view of these sessions whose operations block until the store answered,
	 * for the operations of the actuator endpoint, which WebFlux runs on a scheduler for
	 * blocking work.
	 * @param timeout how long to wait for the store
	 * @return the view
	 */
	public UserSessionLookup blocking(Duration timeout) {
		return new UserSessionLookup() {

			@Override
			public @Nullable String unsupportedReason() {
				return ReactiveStoreUserSessions.this.unsupportedReason();
			}

			@Override
			public List<UserSession> find(String username) {
				return Objects
					.requireNonNull(ReactiveStoreUserSessions.this.find(username).collectList().block(timeout));
			}

			@Override
			public List<String> revoke(String username) {
				return Objects.requireNonNull(ReactiveStoreUserSessions.this.revoke(username).block(timeout));
			}

		};
	}

	@Override
	public Mono<Integer> revokeOthers(ServerWebExchange exchange) {
		return exchange.getSession()
			.flatMap((seen) -> ObservedWebSession.isUserHidden(exchange, seen)
					? Mono.error(new IllegalStateException(
							"The request's user must authenticate again before ending other sessions"))
					: Mono.just(ObservedWebSession.unwrap(exchange, seen)))
			.flatMap((session) -> signedInUser(exchange, session).flatMap((caller) -> {
				String username = caller.name();
				// Only the sessions of the same user: signed in with the same identity
				// provider
				String provider = caller.provider();
				if (holdsOtherUser(session, caller)) {
					// Not the caller's: the session of another user that a bearer token
					// (or HTTP Basic) sends along, perhaps of the same name from another
					// identity provider, which spares none of the caller's
					return revokeEverywhere(username, signedInAs(username, provider),
							UserRevocations.Everywhere.othersOf(provider, Set.of()),
							OwnSession.none(StoredSession::id));
				}
				Set<String> ids = Set.of(session.getId());
				// Its session under a later id too: another request of it (another tab's
				// step-up) may have changed the id since this one loaded it
				OwnSession<StoredSession> own = new OwnSession<>(ids, StoredSession::id,
						this.clocks.mayBeLaterIdOf(session::getAttribute, session::getCreationTime,
								StoredSession::attributes, StoredSession::creationTime));
				return revokeEverywhere(username, signedInAs(username, provider),
						UserRevocations.Everywhere.othersOf(provider, sparedIds(session.getId(), session)), own);
			}))
			.map(List::size);
	}

	/**
	 * Revoke one session of a user, named by its {@link UserSession#handle() handle}.
	 * @param username the user's name
	 * @param provider the identity provider the user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @param handle the session's handle
	 * @return whether a session of that user had that handle and was revoked
	 */
	public Mono<Boolean> revoke(String username, @Nullable String provider, String handle) {
		return revokeWhere(username, signedInAs(username, provider),
				(session) -> SessionIds.hash(session.id()).equals(handle))
			.map((revoked) -> !revoked.isEmpty());
	}

	/**
	 * Return the exchange's own user, with the identity provider it signed in with
	 * ({@link #setExchangeUsers as its security context tells it}, else its principal,
	 * with none), or else, for an exchange that tells none, the user signed in in its
	 * session, with that session's provider.
	 * @param exchange the exchange
	 * @param session its session, as the store keeps it
	 * @return the user; an {@link IllegalStateException} if there is none, or if the
	 * exchange's user is anonymous
	 */
	Mono<User> signedInUser(ServerWebExchange exchange, WebSession session) {
		return Mono.defer(() -> this.exchangeUsers.apply(exchange))
			.switchIfEmpty(Mono.fromSupplier(() -> sessionCaller(session)))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"The request has no signed-in user whose other sessions to revoke")));
	}

	/**
	 * Return what a revocation of the request's other sessions spares: the request's
	 * session, and a login in flight in it (another tab's step-up, which changes its id)
	 * under its new id too ({@link SessionClocks#renamedFrom}).
	 */
	private static Set<String> sparedIds(String own, WebSession session) {
		String renamedFrom = SessionClocks.renamedFrom(session::getAttribute);
		return (renamedFrom != null) ? Set.of(own, renamedFrom) : Set.of(own);
	}

	/**
	 * Return whether a session holds a signed-in user other than the given one: of
	 * another name, or of the same name from another identity provider, which is another
	 * user ({@link SessionClocks#isSessionOf(SessionAttributeSource, String, String)}).
	 * Only the session's own user counts: a session in which the given user switched to
	 * another holds that other user.
	 * @param session the session
	 * @param user the exchange's user ({@link #signedInUser})
	 * @return {@code true} if it holds another user
	 */
	boolean holdsOtherUser(WebSession session, User user) {
		String name = sessionUser(session);
		return name != null && !(name.equals(user.name())
				&& Objects.equals(this.clocks.providerOf(session::getAttribute), user.provider()));
	}

	private @Nullable User sessionCaller(WebSession session) {
		String username = sessionUser(session);
		return (username != null) ? new User(username, this.clocks.providerOf(session::getAttribute)) : null;
	}

	private @Nullable String sessionUser(WebSession session) {
		return session.isStarted() ? this.clocks.status(session::getAttribute)
			.filter(SessionStatus::authenticated)
			.map(SessionStatus::principal)
			.orElse(null) : null;
	}

	private Predicate<StoredSession> signedInAs(String username, @Nullable String provider) {
		return (session) -> this.clocks.isSessionOf(session.attributes(), username, provider);
	}

	/**
	 * Revoke the sessions of a user that two conditions hold for, as below, for no
	 * revocation of the user everywhere, and sparing no request's session.
	 * @param kind the condition on a session's attributes
	 * @param which the condition on the session as it was read, such as its id
	 * @return the hashes of the revoked sessions' ids
	 */
	private Mono<List<String>> revokeWhere(String username, Predicate<StoredSession> kind,
			Predicate<StoredSession> which) {
		return revokeWhere(username, kind, which, null, OwnSession.none(StoredSession::id));
	}

	/**
	 * Revoke a user everywhere, as below: the sessions of a kind but a request's own,
	 * which is spared under a later id too.
	 * @param kind the condition on a session's attributes
	 * @param everywhere which sessions the revocation revokes, also those of logins whose
	 * requests still run
	 * @param own the request's session, {@link OwnSession#none none} for a revocation of
	 * all of them
	 * @return the hashes of the revoked sessions' ids
	 */
	private Mono<List<String>> revokeEverywhere(String username, Predicate<StoredSession> kind,
			UserRevocations.Everywhere everywhere, OwnSession<StoredSession> own) {
		return revokeWhere(username, kind, own::isOther, everywhere, own);
	}

	/**
	 * Revoke the sessions of a user that two conditions hold for, each on its own. A
	 * session found again under a new id is revoked if the condition on its attributes
	 * holds, which its new id keeps. A revocation everywhere is recorded first, for the
	 * logins of the user still in their requests, whose sessions the store holds only
	 * once they end.
	 * @param kind the condition on a session's attributes
	 * @param which the condition on the session as it was read, such as its id
	 * @param everywhere for a revocation of the user everywhere, which sessions it
	 * revokes, also those of logins whose requests still run; else {@code null}
	 * @param own for a revocation of a request's other sessions, the request's session,
	 * spared under a later id too ({@link SessionClocks#laterIdOf}); else
	 * {@link OwnSession#none none}
	 * @return the hashes of the revoked sessions' ids
	 */
	private Mono<List<String>> revokeWhere(String username, Predicate<StoredSession> kind,
			Predicate<StoredSession> which, UserRevocations.@Nullable Everywhere everywhere,
			OwnSession<StoredSession> own) {
		return Mono.defer(() -> {
			Instant now = this.clocks.now();
			List<Throwable> recording = new ArrayList<>(1);
			// A failure fails the revocation once its sessions are revoked
			return recordRevocation(username, everywhere, now).onErrorResume((ex) -> {
				recording.add(ex);
				return Mono.empty();
			}).then(this.store.sessionsOf(username, now)).flatMap((found) -> {
				List<Throwable> failures = new ArrayList<>(recording);
				failures.addAll(found.failures());
				Set<String> read = new HashSet<>();
				found.sessions().forEach((session) -> read.add(session.id()));
				// The request's session under a later id, which the condition on the id
				// misses
				StoredSession laterOwn = own.laterIdIn(found.sessions());
				List<StoredSession> chosen = found.sessions()
					.stream()
					.filter((session) -> session != laterOwn
							&& session.attributes().getAttribute(SessionAttributes.REVOKED_AT) == null
							&& kind.test(session) && which.test(session))
					.toList();
				// Before the writes: a session kept is not ended with a revoked copy of
				// itself under an earlier id
				Set<String> kept = new HashSet<>(read);
				chosen.forEach((session) -> kept.remove(session.id()));
				kept.forEach((sessionId) -> this.endedSessions.kept(sessionId, now));
				// Each chosen session under the id it was last revoked with, if any
				@Nullable StoredSession[] revoked = new StoredSession[chosen.size()];
				return Flux.range(0, chosen.size())
					.concatMap((index) -> mark(chosen.get(index), now, revoked, index, failures))
					.then(Mono.defer(() -> chosen.isEmpty() ? Mono.empty()
							: revokeRenamed(username, kind, chosen, read, revoked, failures, now)))
					.then(Mono.fromCallable(() -> {
						List<String> hashes = new ArrayList<>();
						for (StoredSession session : revoked) {
							if (session == null) {
								continue;
							}
							// Each session on its own: one whose announcement fails stops
							// no other
							try {
								ended(session, username, now);
								hashes.add(SessionIds.hash(session.id()));
							}
							catch (RuntimeException ex) {
								failures.add(ex);
							}
							// Out of this node's ReactiveSessionRegistry at once: its
							// next request ends it before Spring Security sees it
							tellRevoked(session.id(), failures);
						}
						// Revoked already (perhaps by another node): never served again
						found.sessions()
							.stream()
							.filter((
									session) -> session.attributes().getAttribute(SessionAttributes.REVOKED_AT) != null)
							.forEach((session) -> tellRevoked(session.id(), failures));
						return List.copyOf(hashes);
					}))
					.flatMap((hashes) -> failure(failures).map(Mono::<List<String>>error).orElse(Mono.just(hashes)));
			});
		});
	}

	/**
	 * Record a revocation of a user's sessions everywhere for the logins of that user
	 * still in their requests ({@link UserRevocations}): in the store every node shares,
	 * else in this node's memory.
	 */
	private Mono<Void> recordRevocation(String username, UserRevocations.@Nullable Everywhere everywhere, Instant now) {
		if (everywhere == null) {
			return Mono.empty();
		}
		String key = UserRevocations.key(username);
		StoredEndedSessions stored = this.storedEndedSessions;
		Mono<Optional<EndedSessions.Entry>> read = (stored != null)
				? stored.entryInStore(key, now).map(Optional::of).defaultIfEmpty(Optional.empty())
				: Mono.fromCallable(() -> Optional.ofNullable(this.endedSessions.entryOf(key, now)));
		// With the earlier revocations kept: a login in flight since before one of them
		// is ended by it, however this one spares its session. If they cannot be read,
		// with a revocation of all of the user's sessions standing in for them (fail
		// closed)
		Mono<Void> recorded = read.onErrorResume((ex) -> Mono.just(Optional.of(UserRevocations.unread(now))))
			.flatMap((kept) -> {
				EndedSessions.Entry entry = UserRevocations.merged(kept.orElse(null), everywhere.entry(now), now);
				return ((stored != null) ? stored.rememberInStore(key, entry, now)
						: Mono.<Void>fromRunnable(() -> this.endedSessions.remember(key, entry, now)))
					.doOnSuccess((written) -> UserRevocations.recordedHere(entry));
			});
		// A store of the application's own that keeps no text with its records: logins
		// in flight are not ended
		return recorded.onErrorResume(UnsupportedOperationException.class, (ex) -> Mono.empty());
	}

	/**
	 * Revoke again, under its new id, a chosen session whose id changed after it was read
	 * (a login, a step-up, the application's own {@code changeSessionId()}, perhaps on
	 * another node): the revocation's write under the old id may have missed it (Spring
	 * Session's Redis stores; the map's are remembered as ended under every id). A
	 * session of the user that the first lookup did not find is the same if it was
	 * created at the same instant (a change of id keeps it) and the condition on its
	 * attributes holds. Its user's sessions are looked up again for it, after the writes,
	 * so that a change of id saved before that lookup is found, and one saved after it
	 * carries the revocation along (the store's own index reads them all again; the
	 * starter's reads only the sessions it did not read before).
	 */
	private Mono<Void> revokeRenamed(String username, Predicate<StoredSession> kind, List<StoredSession> chosen,
			Set<String> read, @Nullable StoredSession[] revoked, List<Throwable> failures, Instant now) {
		Map<Instant, Integer> createdAt = new HashMap<>();
		for (int index = 0; index < chosen.size(); index++) {
			createdAt.putIfAbsent(chosen.get(index).creationTime(), index);
		}
		return this.store.sessionsOf(username, now, read).flatMapMany((found) -> {
			failures.addAll(found.failures());
			return Flux.fromIterable(found.sessions());
		}).concatMap((session) -> {
			Integer index = read.contains(session.id()) ? null : createdAt.get(session.creationTime());
			if (index == null || session.attributes().getAttribute(SessionAttributes.REVOKED_AT) != null
					|| !kind.test(session)) {
				return Mono.empty();
			}
			return mark(session, now, revoked, index, failures);
		}).onErrorResume((ex) -> {
			failures.add(ex);
			return Mono.empty();
		}).then();
	}

	/**
	 * Write a session's revocation into the store and, if it was written, keep it as the
	 * revoked session at the given index and remember it under the id it was written with
	 * where the store keeps copies (a request of the session that was already running can
	 * save its copy under that id after the revocation, even if the session is revoked
	 * again under a new id); a failure is collected and stops no other.
	 */
	private Mono<Void> mark(StoredSession session, Instant now, @Nullable StoredSession[] revoked, int index,
			List<Throwable> failures) {
		return session.revoke(now.toEpochMilli(), this.clocks.revokedStoreLifetime(session.attributes()))
			.doOnNext((written) -> {
				if (written) {
					revoked[index] = session;
					remember(session, now);
				}
			})
			.onErrorResume((ex) -> {
				failures.add(ex);
				return Mono.empty();
			})
			.then();
	}

	private void remember(StoredSession session, Instant now) {
		if (session.savedAsCopies()) {
			// Its requests save whole copies: one of this session that was
			// already running can save its copy over the revocation, and the
			// clocks end such a revived session again while they remember it
			Instant until = this.clocks.revivableUntil(session.attributes(), now);
			if (now.isBefore(until)) {
				this.endedSessions.remember(session.id(), ExpiryReason.REVOKED, until, now);
			}
		}
	}

	/**
	 * Tell the session end listeners of this node that a revocation ended a session; a
	 * failure is collected and stops no other.
	 */
	private void tellRevoked(String sessionId, List<Throwable> failures) {
		try {
			this.clocks.revoked(sessionId);
		}
		catch (RuntimeException ex) {
			failures.add(ex);
		}
	}

	private void ended(StoredSession session, String username, Instant now) {
		this.eventPublisher.publishEvent(new SessionEndedEvent(this, this.clock, ExpiryReason.REVOKED,
				this.clocks.principalOf(session.attributes(), username), SessionIds.hash(session.id()), now,
				this.clocks.policy(session.attributes()).name()));
	}

	/**
	 * Return the first failure, with the others suppressed.
	 */
	private static Optional<Throwable> failure(List<Throwable> failures) {
		if (failures.isEmpty()) {
			return Optional.empty();
		}
		Throwable first = failures.get(0);
		failures.subList(1, failures.size()).forEach(first::addSuppressed);
		return Optional.of(first);
	}

}
