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
package dev.sessiontimeout.internal.users;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.OwnSession;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver.User;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.web.ContainerSessions;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SpringSessionBackedRegistry;

/**
 * The {@link UserSessions} of a Spring Session store: through its principal index where
 * it has one ({@link FindByIndexNameSessionRepository}: Redis indexed, JDBC), else
 * through the {@link UserSessionIndex} that the starter keeps (map, Redis default); and
 * on the container's sessions, found among the live ones.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SpringSessionUserSessions implements UserSessions, UserSessionLookup {

	/**
	 * How long after its login a session missing from the store may still be saved by the
	 * login's request.
	 */
	private static final Duration LOGIN_SAVED_WITHIN = Duration.ofMinutes(1);

	private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.core.context.SecurityContextHolder",
			SpringSessionUserSessions.class.getClassLoader());

	private final Supplier<@Nullable SessionRepository<?>> repository;

	private final SessionClocks clocks;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private Consumer<String> signInRevoker = (username) -> {
	};

	private UserSessionIndex userSessionIndex = UserSessionIndex.NONE;

	private EndedSessions endedSessions = EndedSessions.NONE;

	private @Nullable SessionRepository<Session> containerSessions;

	private @Nullable Function<String, Collection<String>> indexedSessionIds;

	/**
	 * Create a new instance.
	 * @param repository supplies the application's session repository, if any
	 * @param clocks the session clocks
	 * @param clock the clock that stamps events
	 * @param eventPublisher publishes a {@link SessionTimeoutEvent} per revoked session
	 */
	public SpringSessionUserSessions(Supplier<@Nullable SessionRepository<?>> repository, SessionClocks clocks,
			Clock clock, ApplicationEventPublisher eventPublisher) {
		this.repository = repository;
		this.clocks = clocks;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set what removes whatever else would sign a revoked user straight back in, such as
	 * Spring Security's persistent remember-me tokens; it is told the user's name before
	 * the sessions are revoked, and for a revocation of the user everywhere before the
	 * revocation is recorded and the user's sessions are read.
	 * @param signInRevoker told the name of every revoked user
	 */
	public void setSignInRevoker(Consumer<String> signInRevoker) {
		Assert.notNull(signInRevoker, "'signInRevoker' must not be null");
		this.signInRevoker = signInRevoker;
	}

	/**
	 * Set the index of each user's sessions that the starter keeps where the store has
	 * none (Spring Session's map and Redis default repositories).
	 * @param userSessionIndex the index
	 */
	public void setUserSessionIndex(UserSessionIndex userSessionIndex) {
		Assert.notNull(userSessionIndex, "'userSessionIndex' must not be null");
		this.userSessionIndex = userSessionIndex;
	}

	/**
	 * Set what remembers why sessions ended, told of every revoked session until it
	 * cannot be alive any more: where a store saves whole copies of a session (the map),
	 * a request of a revoked session that was already running can save its copy over the
	 * revocation, and the clocks end such a revived session again.
	 * @param endedSessions the ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		Assert.notNull(endedSessions, "'endedSessions' must not be null");
		this.endedSessions = endedSessions;
	}

	/**
	 * Set what reads the ids that the store's principal index files under a user, where
	 * its lookup by principal name reads every session it names and fails as a whole for
	 * one that cannot be read (Spring Session's Redis indexed repository): the user's
	 * sessions are then read one by one, so that such a session fails only itself.
	 * @param indexedSessionIds the ids of a user's sessions in the store's index
	 */
	public void setIndexedSessionIds(Function<String, Collection<String>> indexedSessionIds) {
		Assert.notNull(indexedSessionIds, "'indexedSessionIds' must not be null");
		this.indexedSessionIds = indexedSessionIds;
	}

	/**
	 * Set the container's live sessions, found and revoked where the application uses no
	 * Spring Session repository.
	 * @param containerSessions the container's sessions
	 */
	public void setContainerSessions(ContainerSessions containerSessions) {
		Assert.notNull(containerSessions, "'containerSessions' must not be null");
		this.containerSessions = new ContainerSessionRepository(containerSessions, (session,
				username) -> this.clocks.status(session).isPresent() && this.clocks.isSessionOf(session, username));
	}

	/**
	 * Return why sessions cannot be looked up by user, or {@code null} if they can.
	 * @return the reason, for example that the store keeps no principal index
	 */
	@Override
	public @Nullable String unsupportedReason() {
		SessionRepository<?> repository = repositoryInUse();
		if (repository instanceof FindByIndexNameSessionRepository
				|| (repository != null && this.userSessionIndex != UserSessionIndex.NONE)) {
			return null;
		}
		return "Sessions by user need a session store with a principal index, one of Spring Session's map "
				+ "and Redis repositories, for which the starter keeps its own, or the container's sessions with "
				+ "spring-session-core on the classpath; this application uses "
				+ ((repository != null) ? repository.getClass().getSimpleName() : "container sessions");
	}

	/**
	 * Return every session of a user that the store still holds, the revoked ones and
	 * those past a deadline included.
	 * @param username the user's name
	 * @return the sessions
	 */
	@Override
	public List<UserSession> find(String username) {
		CollectedFailures failures = new CollectedFailures();
		List<UserSession> sessions = new ArrayList<>();
		for (Session session : sessionsOf(repository(), username, failures, Set.of())) {
			sessions.add(describe(session, username));
		}
		failures.throwIfAny();
		return sessions;
	}

	/**
	 * Return the ids of a user's sessions that the store still holds though they ended:
	 * revoked (kept for the store grace, so that their next request is answered why), or
	 * past a deadline of their clocks without a request since. A session whose clocks
	 * cannot be read, or that cannot be read at all, is not among them.
	 * @param username the user's name
	 * @return the ids
	 */
	public Set<String> endedSessionIds(String username) {
		Instant now = this.clocks.now();
		Set<String> ended = new HashSet<>();
		for (Session session : sessionsOf(repository(), username, new CollectedFailures(), Set.of())) {
			if (describe(session, username).isEnded(now)) {
				ended.add(session.getId());
			}
		}
		return Set.copyOf(ended);
	}

	@Override
	public List<SessionStatus> list(String username) {
		Instant now = this.clocks.now();
		return find(username).stream()
			.filter((session) -> session.isLive(now))
			.map((session) -> Objects.requireNonNull(session.status()))
			.toList();
	}

	@Override
	public int revokeAll(String username) {
		return revoke(username).size();
	}

	@Override
	public int revokeOthers(HttpServletRequest request) {
		if (ServletSessionClocks.reauthenticationPending(request) != null) {
			throw new IllegalStateException("The request's user must authenticate again before ending other sessions");
		}
		HttpSession sent = request.getSession(false);
		User caller = signedInUser(request, sent);
		String username = caller.name();
		// The request's session is the caller's only if it holds the caller: not the
		// session of another user that a bearer token (or HTTP Basic) sends along, nor
		// that of a user of the same name from another identity provider
		HttpSession current = ownSession(request, caller);
		boolean anothers = sent != null && current == null;
		// The store may still hold the request's session under the id the request came
		// with, if the request changed it
		Set<String> ids = new HashSet<>();
		if (current != null) {
			ids.add(current.getId());
		}
		if (!anothers && request.getRequestedSessionId() != null) {
			ids.add(request.getRequestedSessionId());
		}
		// Only the sessions of the same user: signed in with the same identity provider
		String provider = caller.provider();
		// Its session under a later id too: another request of it (another tab's
		// step-up) may have changed the id since this one loaded it
		Predicate<Session> mayBeOwn = (current != null) ? this.clocks.mayBeLaterIdOf(HttpSessionAccess.of(current),
				() -> Instant.ofEpochMilli(current.getCreationTime()), (session) -> session::getAttribute,
				Session::getCreationTime) : (session) -> false;
		OwnSession<Session> own = new OwnSession<>(ids, Session::getId, mayBeOwn);
		// A login in flight in the request's session (another tab's step-up, which
		// changes its id) is spared under its new id too
		Set<String> spared = new HashSet<>(ids);
		String renamedFrom = (current != null) ? SessionClocks.renamedFrom(HttpSessionAccess.of(current)) : null;
		if (renamedFrom != null) {
			spared.add(renamedFrom);
		}
		return revokeEverywhere(username, signedInAs(username, provider),
				UserRevocations.Everywhere.othersOf(provider, spared), own)
			.size();
	}

	/**
	 * Revoke every session of a user.
	 * @param username the user's name
	 * @return the hashes of the revoked sessions' ids
	 */
	@Override
	public List<String> revoke(String username) {
		return revokeEverywhere(username, (session) -> true, UserRevocations.Everywhere.ALL,
				OwnSession.none(Session::getId));
	}

	/**
	 * Revoke one session of a user, named by its {@link UserSession#handle() handle}.
	 * @param username the user's name
	 * @param provider the identity provider the user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @param handle the session's handle
	 * @return whether a session of that user had that handle and was revoked
	 */
	public boolean revoke(String username, @Nullable String provider, String handle) {
		return !revokeSessions(username, signedInAs(username, provider),
				(session) -> SessionIds.hash(session.getId()).equals(handle))
			.isEmpty();
	}

	private Predicate<Session> signedInAs(String username, @Nullable String provider) {
		return (session) -> this.clocks.isSessionOf(session::getAttribute, username, provider);
	}

	/**
	 * Revoke the sessions of a user that a condition holds for.
	 * @param username the user's name
	 * @param which tells, from a session's attributes, whether to revoke it
	 * @return the hashes of the revoked sessions' ids
	 */
	public List<String> revoke(String username, Predicate<SessionAttributeSource> which) {
		return revokeSessions(username, (session) -> which.test(session::getAttribute), (session) -> true);
	}

	/**
	 * Return the request's own user, with the identity provider it signed in with: the
	 * current security context's authentication under Spring Security (whose name its
	 * principal index and the starter's own file the user's sessions under, whatever the
	 * request's {@code getRemoteUser()} tells; its provider the OAuth 2.0 client
	 * registration of an {@code oauth2Login()}, else none), else the request's remote
	 * user (with no provider), or else, for a request that tells none (an application
	 * filter ahead of Spring Security's), the user signed in in its session, with that
	 * session's provider.
	 * @param request the request
	 * @param session its session, if any
	 * @return the user
	 * @throws IllegalStateException if the request has no signed-in user, or if Spring
	 * Security runs it for an anonymous user, whatever its session holds
	 */
	User signedInUser(HttpServletRequest request, @Nullable HttpSession session) {
		// Named as the user's sessions are filed, which getRemoteUser() need not tell
		User user = SECURITY_PRESENT ? SecurityContextUser.user() : null;
		if (user == null && request.getRemoteUser() != null) {
			user = new User(request.getRemoteUser(), null);
		}
		if (user == null && session != null) {
			String username = sessionUser(session);
			if (username != null) {
				user = new User(username, this.clocks.providerOf(HttpSessionAccess.of(session)));
			}
		}
		if (user == null) {
			throw new IllegalStateException("The request has no signed-in user whose other sessions to revoke");
		}
		return user;
	}

	/**
	 * Revoke the sessions of a user that two conditions hold for, as below, for no
	 * revocation of the user everywhere, and sparing no request's session.
	 * @param kind the condition on a session's attributes
	 * @param which the condition on the session as it was read, such as its id
	 * @return the hashes of the revoked sessions' ids
	 */
	private List<String> revokeSessions(String username, Predicate<Session> kind, Predicate<Session> which) {
		return revokeSessions(username, kind, which, null, OwnSession.none(Session::getId));
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
	private List<String> revokeEverywhere(String username, Predicate<Session> kind,
			UserRevocations.Everywhere everywhere, OwnSession<Session> own) {
		return revokeSessions(username, kind, own::isOther, everywhere, own);
	}

	/**
	 * Return the request's session if it is the session of the request's user: not if it
	 * holds another signed-in user, whose session a request of that user (a bearer token,
	 * HTTP Basic) carries along.
	 * @param request the request
	 * @param user the request's user ({@link #signedInUser})
	 * @return the session, or {@code null} if the request has none of that user
	 */
	@Nullable HttpSession ownSession(HttpServletRequest request, User user) {
		HttpSession session = request.getSession(false);
		return (session != null && !holdsOtherUser(session, user)) ? session : null;
	}

	/**
	 * Return whether a session holds a signed-in user other than the given one: of
	 * another name, or of the same name from another identity provider, which is another
	 * user ({@link SessionClocks#isSessionOf(SessionAttributeSource, String, String)}).
	 * Only the session's own user counts: a session in which the given user switched to
	 * another holds that other user.
	 */
	private boolean holdsOtherUser(HttpSession session, User user) {
		String name = sessionUser(session);
		return name != null && !(name.equals(user.name())
				&& Objects.equals(this.clocks.providerOf(HttpSessionAccess.of(session)), user.provider()));
	}

	private @Nullable String sessionUser(HttpSession session) {
		return this.clocks.status(HttpSessionAccess.of(session))
			.filter(SessionStatus::authenticated)
			.map(SessionStatus::principal)
			.orElse(null);
	}

	/**
	 * Revoke the sessions of a user that two conditions hold for, removing first whatever
	 * else would sign the user straight back in: for a revocation of the user everywhere
	 * always, before anything else, else only once a session was found to revoke. A
	 * session found again under a new id is revoked if the condition on its attributes
	 * holds, which its new id keeps. A revocation everywhere is recorded next (dated
	 * after that removal), before the user's sessions are read, for the logins of the
	 * user still in their requests, whose sessions the store holds only once they end.
	 * @param kind the condition on a session's attributes
	 * @param which the condition on the session as it was read, such as its id
	 * @param everywhere for a revocation of the user everywhere, which sessions it
	 * revokes, also those of logins whose requests still run; else {@code null}
	 * @param own for a revocation of a request's other sessions, the request's session,
	 * spared under a later id too ({@link SessionClocks#laterIdOf}); else
	 * {@link OwnSession#none none}
	 */
	private List<String> revokeSessions(String username, Predicate<Session> kind, Predicate<Session> which,
			UserRevocations.@Nullable Everywhere everywhere, OwnSession<Session> own) {
		SessionRepository<Session> repository = repository();
		CollectedFailures failures = new CollectedFailures();
		Instant now = this.clocks.now();
		List<Session> chosen = new ArrayList<>();
		// By creation time, which a change of id keeps, the index of the first chosen
		// session created then; read as chosen (a container session that ends meanwhile
		// tells it no more)
		Map<Instant, Integer> createdAt = new HashMap<>();
		Set<String> read = new HashSet<>();
		if (everywhere != null) {
			// First of all, before the record and the read: a remember-me login that
			// still succeeds checked its token before this, so before the record, from
			// which it is therefore not spared (a remember-me login is dated from just
			// before its token check, and counts the records written here before it);
			// if it ends its request before the read, the read finds it. Removed after
			// the record, a remember-me login in between would be dated after the
			// record, spared by it, and, ending its request after the read, missed by
			// both. The sessions are revoked all the same if it fails
			failures.run(() -> this.signInRevoker.accept(username));
			// Before the user's sessions are read: a login whose request ends before the
			// read is found by it, one whose request ends after reads this record as it
			// ends (UserRevocations); recorded after the read, a login whose request
			// ended in between would be neither. Dated from now, after the tokens'
			// removal, not from the revocation's beginning: a remember-me login that
			// checked its token in between is dated after that beginning, and would
			// be spared by the record
			failures.run(() -> recordRevocation(username, everywhere, this.clocks.now()));
		}
		// Revoked already (perhaps by another node): never served again
		List<String> revokedBefore = new ArrayList<>();
		Collection<Session> found = sessionsOf(repository, username, failures, Set.of());
		found.forEach((session) -> read.add(session.getId()));
		// The request's session under a later id, which the condition on the id misses
		Session laterOwn = own.laterIdIn(found);
		for (Session session : found) {
			failures.run(() -> {
				if (session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
					revokedBefore.add(session.getId());
				}
				else if (session != laterOwn && kind.test(session) && which.test(session)) {
					createdAt.putIfAbsent(session.getCreationTime(), chosen.size());
					chosen.add(session);
				}
			});
		}
		if (everywhere == null && !chosen.isEmpty()) {
			// Before the revocations, so that no revoked session's next request signs its
			// user in again (a revocation everywhere removed them first of all); the
			// sessions are revoked all the same if it fails
			failures.run(() -> this.signInRevoker.accept(username));
		}
		// Before the writes: a session kept is not ended with a revoked copy of itself
		// under an earlier id
		Set<String> kept = new HashSet<>(read);
		chosen.forEach((session) -> kept.remove(session.getId()));
		kept.forEach((sessionId) -> this.endedSessions.kept(sessionId, now));
		// Each chosen session under the id it was last revoked with, if any
		Session[] revoked = new Session[chosen.size()];
		for (int i = 0; i < revoked.length; i++) {
			Session session = chosen.get(i);
			int index = i;
			// Each session on its own: one that fails stops no other
			failures.run(() -> {
				if (mark(repository, session, now)) {
					revoked[index] = session;
				}
			});
		}
		if (!chosen.isEmpty()) {
			revokeRenamed(repository, username, kind, createdAt, read, revoked, failures, now);
		}
		List<String> hashes = new ArrayList<>();
		for (Session session : revoked) {
			if (session == null) {
				continue;
			}
			failures.run(() -> {
				ended(session, username, now);
				hashes.add(SessionIds.hash(session.getId()));
			});
			// Out of this node's SessionRegistry at once: a revoked session may send no
			// request again, which would end it there
			failures.run(() -> this.clocks.revoked(session.getId()));
		}
		revokedBefore.forEach((sessionId) -> failures.run(() -> this.clocks.revoked(sessionId)));
		failures.throwIfAny();
		return hashes;
	}

	private void recordRevocation(String username, UserRevocations.Everywhere everywhere, Instant now) {
		if (this.endedSessions == EndedSessions.NONE) {
			return;
		}
		String key = UserRevocations.key(username);
		EndedSessions.Entry kept;
		try {
			kept = this.endedSessions.entryOf(key, now);
		}
		catch (RuntimeException ex) {
			// Recorded with a revocation of all of the user's sessions standing in for
			// the earlier ones it replaces, which could not be read (fail closed)
			kept = UserRevocations.unread(now);
		}
		try {
			// With the earlier revocations kept: a login in flight since before one of
			// them is ended by it, however this one spares its session
			EndedSessions.Entry entry = UserRevocations.merged(kept, everywhere.entry(now), now);
			this.endedSessions.remember(key, entry, now);
			UserRevocations.recordedHere(entry, requestMaySignInAfter(username));
		}
		catch (UnsupportedOperationException ex) {
			// An application's own store that keeps no text with its records: logins in
			// flight are not ended
		}
	}

	/**
	 * Return whether the request this thread runs, if any, may sign the revoked user in
	 * after the revocation (a password reset's auto-login): its session holds no
	 * signed-in user of that name. A request whose session holds that user signed it in
	 * before, and a revocation outside any request precedes no sign-in of its own.
	 */
	private boolean requestMaySignInAfter(String username) {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return false;
		}
		try {
			HttpSession session = attributes.getRequest().getSession(false);
			return session == null || !this.clocks.isSessionOf(HttpSessionAccess.of(session), username);
		}
		catch (IllegalStateException ex) {
			// Invalidated: it holds nobody
			return true;
		}
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
	private void revokeRenamed(SessionRepository<Session> repository, String username, Predicate<Session> kind,
			Map<Instant, Integer> createdAt, Set<String> read, @Nullable Session[] revoked, CollectedFailures failures,
			Instant now) {
		for (Session session : sessionsOf(repository, username, failures, read)) {
			failures.run(() -> {
				Integer index = read.contains(session.getId()) ? null : createdAt.get(session.getCreationTime());
				if (index != null && session.getAttribute(SessionAttributes.REVOKED_AT) == null && kind.test(session)
						&& mark(repository, session, now)) {
					revoked[index] = session;
				}
			});
		}
	}

	/**
	 * Write a session's revocation into the store, and remember it under the id it was
	 * written with where the store keeps copies: a request of the session that was
	 * already running can save its copy under that id after the revocation, even if the
	 * session is revoked again under a new id. A session that the store cannot save for
	 * another reason than that is deleted instead, so that it is never served again. A
	 * session of a Spring Session store is marked
	 * {@link SpringSessionBackedRegistry#EXPIRED_ATTRIBUTE expired} for a registry backed
	 * by the store too.
	 * @return whether it was written, or deleted: {@code false} if the store no longer
	 * holds the session under its id (it ended, or its id changed since it was read)
	 */
	private boolean mark(SessionRepository<Session> repository, Session session, Instant now) {
		try {
			session.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			Duration keep = this.clocks.revokedStoreLifetime(session::getAttribute);
			if ((Object) repository instanceof ContainerSessionRepository containerSessions) {
				// Only a request accesses a container session
				containerSessions.keepFromNow(session, keep);
			}
			else {
				// JDBC, the map and Redis' default repository count the interval from
				// the last access, Redis' indexed repository from the save: the
				// revocation is the last access
				session.setLastAccessedTime(Instant.now());
				session.setMaxInactiveInterval(keep);
				// Expired for a registry backed by the store, in the same save, so that
				// the session no longer counts against the user's limit on any node;
				// the starter still ends it, as revoked, at its next request
				session.setAttribute(SpringSessionBackedRegistry.EXPIRED_ATTRIBUTE, Boolean.TRUE);
			}
			repository.save(session);
		}
		catch (IllegalStateException ex) {
			// Spring Session's Redis default repository refuses to save a session it no
			// longer holds under that id, and a container session invalidated since it
			// was read refuses any change
			if (repository.findById(session.getId()) == null) {
				return false;
			}
			throw ex;
		}
		catch (RuntimeException ex) {
			// A session the store cannot save, such as one whose security context no
			// longer deserializes, which Spring Session's JDBC store reads to index it:
			// deleted instead (a store that does not answer fails this too)
			repository.deleteById(session.getId());
			return true;
		}
		remember(repository, session, now);
		return true;
	}

	private void remember(SessionRepository<Session> repository, Session session, Instant now) {
		if ((Object) repository instanceof MapSessionRepository) {
			// Its requests save whole copies: one of this session that was already
			// running can save its copy over the revocation, and the clocks end such a
			// revived session again while they remember it
			Instant until = this.clocks.revivableUntil(session::getAttribute, now);
			if (now.isBefore(until)) {
				this.endedSessions.remember(session.getId(), ExpiryReason.REVOKED, until, now);
			}
		}
	}

	private void ended(Session session, String username, Instant now) {
		this.eventPublisher.publishEvent(new SessionEndedEvent(this, this.clock, ExpiryReason.REVOKED,
				this.clocks.principalOf(session::getAttribute, username), SessionIds.hash(session.getId()), now,
				this.clocks.policy(session::getAttribute).name()));
	}

	/**
	 * Return the sessions of a user: from the store's own index, with those the starter's
	 * records of switches file under the user, else from the starter's index, reading
	 * each session the starter's index or records name, keeping only those that still
	 * hold the clocks of that user's authentication (a session whose clocks cannot be
	 * read is never served again, so it needs no revocation), and forgetting the others
	 * once they are older than a login request, which saves its session only as it ends.
	 * A session that cannot be read is kept in the index and its failure collected, so
	 * that it stops no other. The starter's index skips the sessions named in
	 * {@code read}: read already.
	 */
	private Collection<Session> sessionsOf(SessionRepository<Session> repository, String username,
			CollectedFailures failures, Set<String> read) {
		List<Session> sessions = new ArrayList<>();
		Set<String> found = new HashSet<>(read);
		if (repository instanceof FindByIndexNameSessionRepository<Session> indexed) {
			// A session whose clocks name another user, and no switch from this one, is
			// not this one's; one whose user cannot be read is kept (isIndexedSessionOf)
			findByPrincipalName(indexed, username, failures).values()
				.stream()
				.filter((session) -> this.clocks.isIndexedSessionOf(session::getAttribute, username))
				.forEach(sessions::add);
			if (!this.userSessionIndex.keepsSwitchesOnly()) {
				return sessions;
			}
			// With the sessions in which the user switched to another, which the store
			// files under the user switched to only, and those the application filed
			// under another name than the user's (an email address)
			sessions.forEach((session) -> found.add(session.getId()));
		}
		Instant now = this.clocks.now();
		Instant savedBy = now.minus(LOGIN_SAVED_WITHIN).minus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		List<String> gone = new ArrayList<>();
		this.userSessionIndex.sessions(username, now).forEach((sessionId, addedAt) -> failures.run(() -> {
			if (found.contains(sessionId)) {
				return;
			}
			Session session = repository.findById(sessionId);
			// Signed in as the user, or by the user who then switched to another: an
			// administrator's session stays the administrator's while it impersonates
			if (session != null && this.clocks.status(session::getAttribute)
				.map((status) -> this.clocks.isSessionOf(session::getAttribute, username))
				.orElse(false)) {
				sessions.add(session);
			}
			else if (addedAt.isBefore(savedBy)) {
				gone.add(sessionId);
			}
		}));
		if (!gone.isEmpty()) {
			try {
				this.userSessionIndex.remove(username, gone, now);
			}
			catch (RuntimeException ex) {
				// Forgetting the gone ones is best effort, as on WebFlux: the next lookup
				// tries again, and the sessions found are revoked all the same
			}
		}
		return sessions;
	}

	/**
	 * Return the sessions the store's principal index files under a user; where its
	 * lookup fails as a whole and the ids it names can be read, each of them read on its
	 * own: a session that cannot be read is left out and its failure collected, as the
	 * starter's index does, so that it stops no other (it is never served: its request
	 * cannot read it either).
	 */
	private Map<String, Session> findByPrincipalName(FindByIndexNameSessionRepository<Session> indexed, String username,
			CollectedFailures failures) {
		try {
			return indexed.findByPrincipalName(username);
		}
		catch (RuntimeException ex) {
			if (this.indexedSessionIds == null) {
				throw ex;
			}
			Collection<String> ids;
			try {
				ids = this.indexedSessionIds.apply(username);
			}
			catch (RuntimeException idsFailure) {
				ex.addSuppressed(idsFailure);
				throw ex;
			}
			Map<String, Session> sessions = new HashMap<>();
			CollectedFailures unread = new CollectedFailures();
			for (String sessionId : ids) {
				unread.run(() -> {
					Session session = indexed.findById(sessionId);
					if (session != null) {
						sessions.put(sessionId, session);
					}
				});
			}
			if (!unread.any()) {
				// No session failed on its own (an index read elsewhere, say): the
				// lookup's failure stands, and nothing is taken for all of them
				throw ex;
			}
			// With the lookup's own failure, which tells why they were read one by one
			unread.suppress(ex);
			failures.run(unread::throwIfAny);
			return sessions;
		}
	}

	@SuppressWarnings("unchecked")
	private SessionRepository<Session> repository() {
		String unsupported = unsupportedReason();
		if (unsupported != null) {
			throw new IllegalStateException(unsupported);
		}
		return (SessionRepository<Session>) Objects.requireNonNull(repositoryInUse());
	}

	private @Nullable SessionRepository<?> repositoryInUse() {
		SessionRepository<?> repository = this.repository.get();
		return (repository != null) ? repository : this.containerSessions;
	}

	private UserSession describe(Session session, String username) {
		return UserSession.of(session.getId(), session::getAttribute, username, this.clocks);
	}

	/**
	 * The user of Spring Security's current security context, loaded only when Spring
	 * Security is on the class path.
	 */
	private static final class SecurityContextUser {

		private static final AuthenticationTrustResolver TRUST_RESOLVER = new AuthenticationTrustResolverImpl();

		/**
		 * Return the user of the current authentication: named as Spring Session's
		 * principal index takes it ({@code Authentication.getName()}), with the identity
		 * provider it signed in with, as the starter reads it from a session's
		 * ({@link SecurityContextPrincipalResolver#providerOf}).
		 * @return the user, or {@code null} if the security context holds none
		 * @throws IllegalStateException for an anonymous or unauthenticated one
		 */
		static @Nullable User user() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null) {
				return null;
			}
			if (TRUST_RESOLVER.isAnonymous(authentication) || !authentication.isAuthenticated()) {
				throw new IllegalStateException(
						"The request has no signed-in user whose other sessions to revoke: its user is anonymous");
			}
			return new User(authentication.getName(), SecurityContextPrincipalResolver.providerOf(authentication));
		}

	}

}
