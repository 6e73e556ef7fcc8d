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
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.internal.reactive.ReactiveSessionAuthentication.Login;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.UserRevocations;

/**
 * The {@link WebSession} of one request as the application sees it: a user stored in it
 * is a login, refused at once if it does not meet the session's pending challenge, and
 * recorded by the session clocks with the policy that the application's overrides give it
 * before the session is saved or changes its id (an override that fails fails the login,
 * and the session is invalidated). Until then only the request sees the user: the session
 * as the store keeps it gets the user together with the recorded login, so that a store
 * whose sessions every request shares never holds a signed-in session whose login is not
 * recorded, not even while an override decides, or after a login that never completes. A
 * user who must authenticate again is hidden from the request, so that it runs without
 * that user until it is challenged or the user signs in again.
 * <p>
 * The OAuth 2.0 authorized clients that Spring Security's
 * {@code WebSessionServerOAuth2AuthorizedClientRepository} keeps in the session, which it
 * gives whoever asks by registration id, whatever the principal, are hidden as long as
 * the user is: the request sees, stores and removes only clients of its own, which the
 * session gets only if the request stores a user after them, a login (whose callback
 * stores the client of its own registration first), together with the user's
 * ({@link SessionAttributes#authorizedClientsToKeep}).
 *
 * @author session-timeout
 */
final class ObservedWebSession extends ForwardingWebSession {

	private static final String EXCHANGE_ATTRIBUTE = ObservedWebSession.class.getName();

	/**
	 * The attribute of {@code WebSessionServerOAuth2AuthorizedClientRepository}, or
	 * {@code null} without Spring Security's OAuth 2.0 client.
	 */
	static final @Nullable String AUTHORIZED_CLIENTS_ATTRIBUTE = SessionAttributes.authorizedClientsAttribute(
			"org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository");

	private final SessionClocks clocks;

	private final ReactiveSessionAuthentication authentication;

	private final @Nullable String userAttribute;

	private final Map<String, Object> attributes = new Attributes();

	private volatile boolean userHidden;

	/**
	 * The authorized clients the request stored while its user is hidden.
	 */
	private volatile @Nullable Object storedClients;

	private volatile @Nullable SessionState login;

	/**
	 * The decision of the clocks that did not end the session, if they decided on it.
	 */
	private volatile @Nullable SessionDecision decision;

	/**
	 * Whether the session, as the store keeps it, held a user when the clocks decided on
	 * it.
	 */
	private volatile boolean decidedSignedIn;

	/**
	 * Whether the session, as the store keeps it, held a user when the clocks decided on
	 * it or when its id last changed since.
	 */
	private volatile boolean signedIn;

	/**
	 * The login the request stored and that is not recorded yet: the session as the store
	 * keeps it does not hold its user until it is.
	 */
	private final AtomicReference<@Nullable PendingLogin> pendingLogin = new AtomicReference<>();

	private final ServerWebExchange exchange;

	private final String requestedId;

	/**
	 * Whether the request found the session in the store without the starter's state:
	 * only a decision adopts it, its clocks are never started as a new session's.
	 */
	private volatile boolean foundWithoutState;

	private final Function<WebSession, Mono<Void>> indexer;

	private final Function<SessionAttributeSource, Mono<UserRevocations.Seen>> revocationsReader;

	/**
	 * What the request's last login read of its user's revocations, read as the login was
	 * stored: empty if it names no user, {@code null} if there was no login.
	 */
	private volatile @Nullable Mono<UserRevocations.Seen> revocationsAtLogin;

	/**
	 * Create a view of the session of a request.
	 * @param session the session
	 * @param exchange the exchange of the request
	 * @param clocks the session clocks
	 * @param authentication what the clocks need to know of the application's security
	 * @param indexer indexes a session by its user, under its id, once it has a new one
	 * @param revocationsReader reads, as a login is stored, the record of its user's last
	 * revocation everywhere ({@link UserRevocations})
	 */
	ObservedWebSession(WebSession session, ServerWebExchange exchange, SessionClocks clocks,
			ReactiveSessionAuthentication authentication, Function<WebSession, Mono<Void>> indexer,
			Function<SessionAttributeSource, Mono<UserRevocations.Seen>> revocationsReader) {
		super(session);
		this.exchange = exchange;
		this.clocks = clocks;
		this.authentication = authentication;
		this.userAttribute = authentication.attribute();
		this.requestedId = session.getId();
		this.indexer = indexer;
		this.revocationsReader = revocationsReader;
	}

	/**
	 * Return the session itself, as the store keeps it.
	 * @param session a session of a request
	 * @return the session itself
	 */
	static WebSession unwrap(WebSession session) {
		return (session instanceof ObservedWebSession observed) ? observed.delegate() : session;
	}

	/**
	 * Make this view the one that the exchange's filters and handlers find behind a view
	 * of another filter's: Spring Security's {@code oidcLogout()} and concurrent session
	 * control wrap the request's session in a {@link WebSession} of their own.
	 * @param exchange the exchange
	 */
	void exposeTo(ServerWebExchange exchange) {
		exchange.getAttributes().put(EXCHANGE_ATTRIBUTE, this);
	}

	/**
	 * Return the session itself, as the store keeps it, behind this view or behind a view
	 * of another filter's around it.
	 * @param exchange the exchange of the request
	 * @param session the session as the request sees it
	 * @return the session itself
	 */
	static WebSession unwrap(ServerWebExchange exchange, WebSession session) {
		ObservedWebSession observed = of(exchange, session);
		return (observed != null) ? observed.delegate() : session;
	}

	/**
	 * Return whether a request's session hides its user from the request, behind a view
	 * of another filter's too.
	 * @param exchange the exchange of the request
	 * @param session the session as the request sees it
	 * @return {@code true} if it is a view that hides its user
	 */
	static boolean isUserHidden(ServerWebExchange exchange, WebSession session) {
		ObservedWebSession observed = of(exchange, session);
		return observed != null && observed.isUserHidden();
	}

	private static @Nullable ObservedWebSession of(ServerWebExchange exchange, WebSession session) {
		if (session instanceof ObservedWebSession observed) {
			return observed;
		}
		// A view of another filter's around this one delegates to it, the id included
		return (exchange.getAttribute(EXCHANGE_ATTRIBUTE) instanceof ObservedWebSession observed
				&& observed.getId().equals(session.getId())) ? observed : null;
	}

	/**
	 * Return whether this is a view of a session.
	 * @param session the session
	 * @return {@code true} if this views it
	 */
	boolean views(WebSession session) {
		return delegate() == session;
	}

	/**
	 * Remember that the clocks decided on the session, under the id the request found it
	 * under, and did not end it: if the application invalidates it (a logout), the clocks
	 * are told.
	 * @param decision the decision
	 */
	void decided(SessionDecision decision) {
		this.decision = decision;
		this.decidedSignedIn = holdsUser();
		this.signedIn = this.decidedSignedIn;
	}

	/**
	 * Return whether the session, as the store keeps it, holds a user (hidden from the
	 * request or not).
	 */
	private boolean holdsUser() {
		return this.authentication.isAuthenticated(this.authentication.userOf(delegate()));
	}

	/**
	 * Return the state of the session as the last login of the request left it.
	 * @return the state, or {@code null} if no user signed in with the request
	 */
	@Nullable SessionState login() {
		return this.login;
	}

	/**
	 * Return what the request's last login read of its user's revocations everywhere, as
	 * it was stored: a revocation that ran while the request did could not find the
	 * session, which the store holds only from the end of the request (or a change of its
	 * id) on.
	 * @return what was read, empty if the login names no user, or {@code null} if no user
	 * signed in with the request
	 */
	@Nullable Mono<UserRevocations.Seen> revocationsAtLogin() {
		return this.revocationsAtLogin;
	}

	/**
	 * Record the login that the request stored in the session and that is not recorded
	 * yet, with the policy that the application's overrides give it: the session gets its
	 * user and the recorded login at once. A login that cannot be recorded (an override
	 * failed, or named its policy with other than letters, digits, {@code -}, {@code _}
	 * and {@code .}) must not stay signed in: the session is invalidated, and the login
	 * fails with the error.
	 * @return the completion of the recording
	 */
	Mono<Void> recordLogin() {
		return Mono.defer(() -> {
			// Taken once: a login is recorded, and its overrides asked, only once
			PendingLogin pending = this.pendingLogin.getAndSet(null);
			if (pending == null) {
				return Mono.empty();
			}
			WebSessionAccess access = new WebSessionAccess(delegate());
			return this.authentication
				.adjust(pending.authenticated(), pending.login().policy(), this.exchange, SessionIds.hash(getId()))
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("No policy for the login")))
				.doOnNext((policy) -> {
					delegate().getAttributes().put(Objects.requireNonNull(this.userAttribute), pending.user());
					this.login = this.clocks.recordAuthentication(access, pending.login().reportedAuthenticatedAt(),
							policy);
				})
				.then()
				.onErrorResume(this::invalidateThenFail);
		});
	}

	/**
	 * Remember that the request found the session in the store without the starter's
	 * state, to be adopted by the clocks' decision.
	 */
	void foundWithoutState() {
		this.foundWithoutState = true;
	}

	/**
	 * Return whether the session is one the request found in the store without the
	 * starter's state: if no decision adopted it (the store did not answer), its clocks
	 * are not started as a new session's, from now.
	 * @return {@code true} if it is
	 */
	boolean isFoundWithoutState() {
		return this.foundWithoutState;
	}

	/**
	 * Return whether the session has another id than the one the request found it under.
	 * @return {@code true} if its id changed
	 */
	boolean idChanged() {
		return !this.requestedId.equals(delegate().getId());
	}

	/**
	 * Return whether the session's user is hidden from the request: the user must
	 * authenticate again, and has not yet.
	 * @return {@code true} if the user is hidden
	 */
	boolean isUserHidden() {
		return this.userHidden;
	}

	/**
	 * Hide the session's user from the request until a user is stored again.
	 */
	void hideUser() {
		this.userHidden = this.userAttribute != null;
	}

	/**
	 * Return whether an attribute is hidden from the request: the user, or the authorized
	 * clients, while the user is hidden.
	 */
	private boolean isHidden(@Nullable Object name) {
		return this.userHidden && (isUser(name) || isClients(name));
	}

	private static boolean isClients(@Nullable Object name) {
		return AUTHORIZED_CLIENTS_ATTRIBUTE != null && AUTHORIZED_CLIENTS_ATTRIBUTE.equals(name);
	}

	/**
	 * Return what the request sees of an attribute hidden from it: nothing of the user,
	 * the authorized clients it stored itself.
	 */
	private @Nullable Object seenWhileHidden(@Nullable Object name) {
		return isClients(name) ? this.storedClients : null;
	}

	/**
	 * Store, or remove, the authorized clients of a request whose user is hidden: for the
	 * request only, until it stores a user.
	 */
	private @Nullable Object storeWhileHidden(@Nullable Object clients) {
		Object previous = this.storedClients;
		this.storedClients = clients;
		return previous;
	}

	/**
	 * Give the session the authorized clients that the request stored while its user was
	 * hidden, now that it stored a user, such as a login callback's.
	 */
	private void keepStoredClients(Map<String, Object> target) {
		Object stored = this.storedClients;
		String clients = AUTHORIZED_CLIENTS_ATTRIBUTE;
		this.storedClients = null;
		if (stored != null && clients != null) {
			target.put(clients, SessionAttributes.authorizedClientsToKeep(target.get(clients), stored));
		}
	}

	private boolean isUser(@Nullable Object name) {
		return this.userAttribute != null && this.userAttribute.equals(name);
	}

	private @Nullable Object store(String name, Object value) {
		Map<String, Object> target = delegate().getAttributes();
		if (!name.equals(this.userAttribute)) {
			return isHidden(name) ? storeWhileHidden(value) : target.put(name, value);
		}
		PendingLogin pending = this.pendingLogin.get();
		Object previous = (pending != null) ? pending.user() : target.get(name);
		Instant now = this.clocks.now();
		Login login = this.authentication.login(previous, value,
				this.clocks.challengeToMeet(new WebSessionAccess(delegate()), now), now);
		boolean hidden = this.userHidden;
		this.userHidden = false;
		if (hidden) {
			keepStoredClients(target);
		}
		if (login != null) {
			// Recorded once the policy overrides answered, before the session is saved
			// or changes its id; until then only the request sees the user
			this.pendingLogin.set(new PendingLogin(value, login, value));
			readRevocations(value);
		}
		else if (pending != null) {
			// Not a login (the same user saved again, a switch of user): the pending
			// login is still recorded, the session gets this user with it
			this.pendingLogin.set(pending.storing(value));
		}
		else {
			target.put(name, value);
		}
		return hidden ? null : previous;
	}

	/**
	 * Start reading, as a login is stored, the record of its user's last revocation
	 * everywhere: now, not once the login is recorded, which the end of a request that
	 * runs on after it may be.
	 */
	private void readRevocations(Object user) {
		Mono<UserRevocations.Seen> read = this.revocationsReader
			.apply((name) -> isUser(name) ? user : delegate().getAttribute(name))
			.cache();
		read.subscribe();
		this.revocationsAtLogin = read;
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public boolean isStarted() {
		return delegate().isStarted() || this.pendingLogin.get() != null;
	}

	/**
	 * Change the session's id, tell what remembers ended sessions (a revocation that read
	 * the session under its old id ends it under the new one), and index the session by
	 * its user under the new id at once: Spring Session's stores save the session as they
	 * change its id, and a revocation of the user from then on must find it. A login the
	 * request stored is recorded first. A failure fails the change, and with it the login
	 * that asked for it; the session, which the store may have saved under its new id
	 * already, is invalidated, so that no session its user's revocations cannot find
	 * stays signed in.
	 * <p>
	 * A change of id after the user left the session (Spring Security's default logout,
	 * which keeps the session) is a sign-out: the old id is remembered like an
	 * invalidation, before the change, so that a copy that a request which loaded the
	 * session signed in saves under it after (Spring Session's map, whose saves are whole
	 * copies) is ended at its next request; so is the id the request found the session
	 * under, if the user held it then and it changed before. The new id is not recorded
	 * as a rename of the old one, which would end the session, signed out, under it too.
	 */
	@Override
	public Mono<Void> changeSessionId() {
		return recordLogin().then(Mono.defer(() -> {
			String previousId = delegate().getId();
			boolean signedOut = this.signedIn && !holdsUser();
			if (signedOut) {
				signedOut(previousId);
			}
			return delegate().changeSessionId().then(Mono.defer(() -> {
				this.signedIn = holdsUser();
				if (!signedOut) {
					this.clocks.renamed(previousId, new WebSessionAccess(delegate()));
				}
				return this.indexer.apply(delegate());
			})).onErrorResume(this::invalidateThenFail);
		}));
	}

	/**
	 * Tell the clocks that the user signed out of the session, which keeps it under a new
	 * id.
	 * @param previousId the id the user held the session under
	 */
	private void signedOut(String previousId) {
		SessionDecision decision = this.decision;
		SessionState state = (decision != null) ? decision.state() : this.login;
		this.clocks.invalidated(previousId, state);
		if (this.decidedSignedIn && !this.requestedId.equals(previousId)) {
			this.clocks.invalidated(this.requestedId, state);
		}
	}

	/**
	 * Tell the clocks if the session's user signed out of it in the request while it
	 * keeps its id (a logout handler of the application's that removes the security
	 * context itself; Spring Security's repository changes the id, see
	 * {@link #changeSessionId()}), where the store keeps sign-outs: a request that loaded
	 * the session signed in before saves its copy after under the same id (Spring
	 * Session's map, whose saves are whole copies), and the clocks end that copy at its
	 * next request, while the session signed out is served. Asked once the request's
	 * login is recorded, before the session is saved.
	 */
	void rememberIfSignedOut() {
		SessionDecision decision = this.decision;
		if (decision == null || !this.signedIn || !this.clocks.keepsSignOuts() || holdsUser()) {
			return;
		}
		this.signedIn = false;
		SessionState state = (decision.state() != null) ? decision.state() : this.login;
		this.clocks.signedOut(delegate().getId(), new WebSessionAccess(delegate()), state);
	}

	/**
	 * Invalidate the session, then fail with the error that made it necessary (with a
	 * failure of the invalidation suppressed in it).
	 */
	private Mono<Void> invalidateThenFail(Throwable ex) {
		return invalidateThenFail(delegate(), ex);
	}

	/**
	 * Invalidate a session, then fail with the error that made it necessary (with a
	 * failure of the invalidation suppressed in it).
	 * @param <T> the type of what the failure stands for
	 * @param session the session, as the store keeps it
	 * @param ex the error
	 * @return the failure, once the session is invalidated
	 */
	static <T> Mono<T> invalidateThenFail(WebSession session, Throwable ex) {
		return session.invalidate().onErrorResume((invalidation) -> {
			ex.addSuppressed(invalidation);
			return Mono.empty();
		}).then(Mono.error(ex));
	}

	/**
	 * Invalidate the session, after telling the clocks, if they decided on it and did not
	 * end it (a logout), so that a copy of it that a request which loaded it before saves
	 * after (Spring Session's map, whose saves are whole copies) is ended at its next
	 * request; a change of its id is no invalidation.
	 */
	@Override
	public Mono<Void> invalidate() {
		// A login the request stored and that is not recorded yet ends with the session
		this.pendingLogin.set(null);
		SessionDecision decision = this.decision;
		if (decision != null) {
			this.clocks.invalidated(this.requestedId, decision.state());
		}
		return delegate().invalidate();
	}

	@Override
	public Mono<Void> save() {
		return recordLogin().then(Mono.defer(delegate()::save));
	}

	/**
	 * The attributes of the session as the request sees them.
	 */
	private final class Attributes extends AbstractMap<String, Object> {

		private Map<String, Object> target() {
			return ObservedWebSession.this.delegate().getAttributes();
		}

		@Override
		public @Nullable Object get(Object name) {
			PendingLogin pending = ObservedWebSession.this.pendingLogin.get();
			if (pending != null && isUser(name)) {
				return pending.user();
			}
			return isHidden(name) ? seenWhileHidden(name) : target().get(name);
		}

		@Override
		public boolean containsKey(Object name) {
			if (ObservedWebSession.this.pendingLogin.get() != null && isUser(name)) {
				return true;
			}
			return isHidden(name) ? seenWhileHidden(name) != null : target().containsKey(name);
		}

		@Override
		public @Nullable Object put(String name, Object value) {
			return store(name, value);
		}

		@Override
		public @Nullable Object remove(Object name) {
			if (!name.equals(ObservedWebSession.this.userAttribute)) {
				return isHidden(name) ? storeWhileHidden(null) : target().remove(name);
			}
			// The user signs out: a challenge to that user is for no one any more, so
			// that
			// another user may sign in with the session
			boolean hidden = ObservedWebSession.this.userHidden;
			ObservedWebSession.this.userHidden = false;
			ObservedWebSession.this.storedClients = null;
			PendingLogin pending = ObservedWebSession.this.pendingLogin.getAndSet(null);
			PendingChallenge.removeFrom(new WebSessionAccess(ObservedWebSession.this.delegate()));
			Object removed = target().remove(name);
			if (hidden) {
				return null;
			}
			return (pending != null) ? pending.user() : removed;
		}

		@Override
		public void clear() {
			ObservedWebSession.this.userHidden = false;
			ObservedWebSession.this.storedClients = null;
			ObservedWebSession.this.pendingLogin.set(null);
			target().clear();
		}

		@Override
		public int size() {
			return isOverlaid() ? super.size() : target().size();
		}

		@Override
		public boolean isEmpty() {
			return isOverlaid() ? super.isEmpty() : target().isEmpty();
		}

		/**
		 * Return whether the request sees other attributes than the session holds: its
		 * user hidden, or a login not recorded yet.
		 */
		private boolean isOverlaid() {
			return ObservedWebSession.this.userHidden || ObservedWebSession.this.pendingLogin.get() != null;
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			Set<Entry<String, Object>> entries = target().entrySet();
			if (!isOverlaid()) {
				return entries;
			}
			return new AbstractSet<>() {

				@Override
				public Iterator<Entry<String, Object>> iterator() {
					List<Entry<String, Object>> visible = visible(entries);
					Iterator<Entry<String, Object>> iterator = visible.iterator();
					return new Iterator<>() {

						private @Nullable Entry<String, Object> last;

						@Override
						public boolean hasNext() {
							return iterator.hasNext();
						}

						@Override
						public Entry<String, Object> next() {
							this.last = iterator.next();
							return this.last;
						}

						@Override
						public void remove() {
							Entry<String, Object> last = this.last;
							if (last == null) {
								throw new IllegalStateException();
							}
							Attributes.this.remove(last.getKey());
							this.last = null;
						}

					};
				}

				@Override
				public int size() {
					return visible(entries).size();
				}

			};
		}

		/**
		 * Return the attributes the request sees: without a hidden user, with the user of
		 * a login not recorded yet.
		 */
		private List<Entry<String, Object>> visible(Set<Entry<String, Object>> entries) {
			PendingLogin pending = ObservedWebSession.this.pendingLogin.get();
			List<Entry<String, Object>> visible = new ArrayList<>();
			for (Entry<String, Object> entry : entries) {
				if (pending == null ? !isHidden(entry.getKey()) : !isUser(entry.getKey())) {
					visible.add(entry);
				}
			}
			if (pending != null) {
				visible.add(new SimpleImmutableEntry<>(Objects.requireNonNull(ObservedWebSession.this.userAttribute),
						pending.user()));
			}
			Object storedClients = ObservedWebSession.this.storedClients;
			if (storedClients != null && isHidden(AUTHORIZED_CLIENTS_ATTRIBUTE)) {
				visible.add(new SimpleImmutableEntry<>(Objects.requireNonNull(AUTHORIZED_CLIENTS_ATTRIBUTE),
						storedClients));
			}
			return visible;
		}

	}

	/**
	 * A login stored in the session and not recorded yet.
	 *
	 * @param authenticated the user stored by the login, whose authentication the policy
	 * overrides are asked about
	 * @param login the login
	 * @param user the user the session gets once the login is recorded: the one the
	 * request stored last
	 */
	private record PendingLogin(Object authenticated, Login login, Object user) {

		PendingLogin storing(Object user) {
			return new PendingLogin(this.authenticated, this.login, user);
		}

	}

}
