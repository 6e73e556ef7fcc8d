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
package dev.sessiontimeout.internal.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.server.session.ReactiveOidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.reactive.ReactivePendingLogoutCheck;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The {@link ReactiveOidcSessionRegistry} of WebFlux applications, kept in the session
 * store itself as {@link StoredOidcSessionRegistry} is on servlet: a logout token
 * received by any node revokes the matching sessions in the store, and every node ends
 * them, with reason {@link ExpiryReason#REVOKED revoked}, at their next request. Spring
 * Security's own reactive registry keeps the sessions of the node they signed in on in
 * its memory. A session is its own registration; a logout token finds the sessions of its
 * subject and ends those whose ID token has the token's issuer, shares an audience with
 * it, and has its provider session, or else its subject. The provider session of a login
 * is kept in its session as well, for an ID token that Spring Security refreshes with the
 * access token may name none. A logout token that names a provider session and no subject
 * finds the sessions of the subject that the login of that provider session kept, in the
 * store where it is shared, else in this node's memory. A logout token without a subject
 * whose provider session no kept login names, one for a client whose users are named
 * otherwise than by their subject (by its registration, or as a login on any node that
 * shares the store showed), or a store that fails, is answered with an error, so that the
 * provider does not take the logout for done.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReactiveStoredOidcSessionRegistry implements ReactiveOidcSessionRegistry, ReactivePendingLogoutCheck {

	private static final Log logger = LogFactory.getLog(ReactiveStoredOidcSessionRegistry.class);

	private final ReactiveStoreUserSessions userSessions;

	private final OidcLogoutClients clients;

	private final EndedSessions shared;

	private final @Nullable StoredEndedSessions stored;

	/**
	 * Where the subjects of the logins' provider sessions are kept, where no store is
	 * shared: this node's memory.
	 */
	private final EndedSessions loginsInMemory = new InMemoryEndedSessions(OidcLogouts.LOGINS_IN_MEMORY);

	private final Clock clock;

	/**
	 * Create a new registry.
	 * @param userSessions the sessions of each user in the session store
	 * @param clientsNotNamingUsersBySubject the client ids of the registrations whose
	 * users' principal name is not their subject, whose logout tokens find no session
	 */
	public ReactiveStoredOidcSessionRegistry(ReactiveStoreUserSessions userSessions,
			Collection<String> clientsNotNamingUsersBySubject) {
		this(userSessions, clientsNotNamingUsersBySubject, EndedSessions.NONE, null, Clock.systemUTC());
	}

	/**
	 * Create a new registry that shares with every node, through the session store, the
	 * clients whose logins named a user otherwise than by the subject.
	 * @param userSessions the sessions of each user in the session store
	 * @param clientsNotNamingUsersBySubject the client ids of the registrations whose
	 * users' principal name is not their subject, whose logout tokens find no session
	 * @param shared what this node remembers, and writes into the store for every node
	 * where the store is shared
	 * @param stored what the store keeps for every node, read without blocking, if it is
	 * shared
	 * @param clock the clock of every decision
	 */
	public ReactiveStoredOidcSessionRegistry(ReactiveStoreUserSessions userSessions,
			Collection<String> clientsNotNamingUsersBySubject, EndedSessions shared,
			@Nullable StoredEndedSessions stored, Clock clock) {
		this.userSessions = userSessions;
		this.clients = new OidcLogoutClients(clientsNotNamingUsersBySubject, shared, clock);
		this.shared = OidcLogouts.logoutsKeptIn(shared);
		this.stored = stored;
		this.clock = clock;
	}

	/**
	 * Take note of a login: the session's security context is its registration, and the
	 * session keeps the provider session of the login's ID token, which an ID token
	 * refreshed later may not name; a user named otherwise than by its subject makes the
	 * logout tokens of its client answered with an error, since they can find none of its
	 * sessions. A login that a back-channel logout ended while its callback ran (its ID
	 * token was issued before the logout token, which found no session of it) is revoked
	 * in its session, and ended at its next request.
	 * @param info the session of the login
	 * @return completes once the login's session holds its provider session; an
	 * {@link IllegalStateException} if a login that a logout ended has no session
	 */
	@Override
	public Mono<Void> saveSessionInformation(OidcSessionInformation info) {
		Instant now = this.clock.instant();
		Mono<ServerWebExchange> exchange = Mono.deferContextual(
				// The login's exchange, which Spring Security's filter chain puts in the
				// context
				(context) -> Mono.justOrEmpty(context.getOrEmpty(ServerWebExchange.class)))
			.cast(ServerWebExchange.class);
		return Mono.fromRunnable(() -> this.clients.signedIn(info.getPrincipal()))
			// Kept before the logouts are read: a logout token that names only the
			// provider session finds it, or else a login finds that logout
			.then(rememberLogin(info.getPrincipal(), now))
			.then(loggedOut(info.getPrincipal(), now))
			.flatMap((loggedOut) -> exchange.flatMap(ServerWebExchange::getSession)
				.switchIfEmpty(loggedOut
						? Mono.<WebSession>error(
								new IllegalStateException("A back-channel logout of " + info.getPrincipal().getIssuer()
										+ " ended this login while its callback ran, and it has no session to end"))
						: Mono.empty())
				.doOnNext((session) -> {
					OidcLogouts.signedIn(info.getPrincipal(), loggedOut, now, session.getAttributes()::put,
							session.getAttributes()::remove);
					if (loggedOut) {
						logger.debug(
								"A back-channel logout ended the login while its callback ran: its session is revoked");
					}
				}))
			.then();
	}

	/**
	 * Look again, at the first request after a login, for the logouts kept for the logins
	 * under way: one that arrived after the login looked and before its session was saved
	 * found no session. A session whose login one ends is revoked, and ends with reason
	 * {@link ExpiryReason#REVOKED revoked} at this request; so is one whose first request
	 * comes once such a logout may be forgotten ({@link OidcLogouts#mayBeForgotten}).
	 * @param session a session that its login marked
	 * @param now the current instant of the clock of every decision
	 * @return completes once checked; an error if the store does not answer
	 */
	@Override
	public Mono<Void> check(WebSession session, Instant now) {
		OidcUser user = OidcLogouts.userOf(session::getAttribute,
				WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
		// Too late to tell whether a logout ended the login: never served
		boolean forgotten = user != null && OidcLogouts.mayBeForgotten(user, now);
		return ((user != null && !forgotten) ? loggedOut(user, now) : Mono.just(forgotten)).doOnNext((loggedOut) -> {
			if (loggedOut) {
				session.getAttributes().put(SessionAttributes.REVOKED_AT, now.toEpochMilli());
				logger.debug(forgotten
						? "The first request after the login came once the logouts kept for it may be forgotten:"
								+ " its session is revoked"
						: "A back-channel logout ended the login before its session was saved: its session is revoked");
			}
			session.getAttributes().remove(SessionAttributes.LOGOUT_CHECK_PENDING);
		}).then();
	}

	private Mono<Void> rememberLogin(OidcUser user, Instant now) {
		StoredEndedSessions stored = this.stored;
		return Flux.fromIterable(OidcLogouts.loginKeys(user))
			.concatMap((key) -> loginOf(key, now).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((kept) -> {
				EndedSessions.Entry login = OidcLogouts.login(user, kept.orElse(null), now);
				if (!OidcLogouts.isToWrite(kept.orElse(null), login)) {
					return Mono.<Void>empty();
				}
				return (stored != null) ? stored.rememberInStore(key, login, now)
						: Mono.fromRunnable(() -> this.loginsInMemory.remember(key, login, now));
			}))
			.then();
	}

	private Mono<EndedSessions.Entry> loginOf(String key, Instant now) {
		StoredEndedSessions stored = this.stored;
		return (stored != null) ? stored.entryInStore(key, now)
				: Mono.fromCallable(() -> this.loginsInMemory.entryOf(key, now));
	}

	/**
	 * Return the subject of a logout token, or else the one that the store keeps for its
	 * provider session; an {@link IllegalStateException} if none.
	 */
	private Mono<String> subject(OidcLogoutToken logoutToken) {
		if (logoutToken.getSubject() != null) {
			return Mono.just(logoutToken.getSubject());
		}
		Instant now = this.clock.instant();
		return Flux.fromIterable(OidcLogouts.loginKeys(logoutToken))
			.concatMap((key) -> loginOf(key, now).map(Optional::of).defaultIfEmpty(Optional.empty()))
			.collectList()
			.flatMap((logins) -> Mono
				.justOrEmpty(OidcLogouts.subject(logins.stream().map((login) -> login.orElse(null)).toList())))
			.switchIfEmpty(Mono
				.error(() -> new IllegalStateException(OidcLogouts.noSubject(logoutToken, this.stored != null))));
	}

	private Mono<Boolean> loggedOut(OidcUser user, Instant now) {
		return Flux.fromIterable(OidcLogouts.keys(user))
			.concatMap((key) -> entryOf(key, now))
			.any((logout) -> OidcLogouts.ends(logout, user));
	}

	private Mono<EndedSessions.Entry> entryOf(String key, Instant now) {
		StoredEndedSessions stored = this.stored;
		return (stored != null) ? stored.entryInStore(key, now)
				: Mono.fromCallable(() -> this.shared.entryOf(key, now));
	}

	/**
	 * Keep a logout for the logins under way, before the sessions are read, for a login
	 * whose session is saved after.
	 */
	private Mono<Void> keep(OidcLogoutToken logoutToken) {
		Instant now = this.clock.instant();
		EndedSessions.Entry logout = OidcLogouts.entry(logoutToken, now);
		if (logout == null) {
			return Mono.empty();
		}
		StoredEndedSessions stored = this.stored;
		return Flux.fromIterable(OidcLogouts.keys(logoutToken))
			.concatMap((key) -> entryOf(key, now).map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.filter((kept) -> OidcLogouts.isLater(kept.orElse(null), logout))
				.flatMap((kept) -> (stored != null)
						? stored.rememberInStore(key, logout.reason(), logout.until(), now).thenReturn(key)
						: Mono.fromRunnable(() -> this.shared.remember(key, logout.reason(), logout.until(), now))
							.thenReturn(key)))
			.then();
	}

	@Override
	public Mono<OidcSessionInformation> removeSessionInformation(String clientSessionId) {
		// Ended with its session
		return Mono.empty();
	}

	/**
	 * Revoke the sessions that a logout token names.
	 * @param logoutToken the logout token
	 * @return no session: each is revoked in the store already, and needs no logout
	 * request to the node it signed in on; an {@link IllegalStateException} if the token
	 * has no subject to find the sessions by, nor a provider session whose login kept
	 * one, or is for a client whose users' principal name is not their subject (by its
	 * registration, or as a login on this node showed)
	 */
	@Override
	public Flux<OidcSessionInformation> removeSessionInformation(OidcLogoutToken logoutToken) {
		String refusal = this.clients.refusal(logoutToken);
		if (refusal != null) {
			return Flux.error(new IllegalStateException(refusal));
		}
		return namedOtherwiseInStore(logoutToken).flatMapMany((client) -> {
			// A login on another node showed it
			this.clients.namedOtherwise(String.valueOf(logoutToken.getIssuer()), client);
			return Flux.<OidcSessionInformation>error(
					new IllegalStateException(OidcLogoutClients.namedOtherwise(logoutToken)));
		})
			.switchIfEmpty(Flux.defer(() -> keep(logoutToken).then(subject(logoutToken))
				.flatMapMany((subject) -> revoke(logoutToken, subject))));
	}

	/**
	 * Return the first client of a logout token whose users the store shows to be named
	 * otherwise than by their subject, as a login on another node wrote it.
	 */
	private Mono<String> namedOtherwiseInStore(OidcLogoutToken logoutToken) {
		StoredEndedSessions stored = this.stored;
		if (stored == null) {
			return Mono.empty();
		}
		Instant now = this.clock.instant();
		String issuer = String.valueOf(logoutToken.getIssuer());
		return Flux.fromIterable(logoutToken.getAudience())
			.concatMap((client) -> stored.reasonInStore(OidcLogoutClients.sharedKey(issuer, client), now)
				.map((reason) -> client))
			.next();
	}

	private Flux<OidcSessionInformation> revoke(OidcLogoutToken logoutToken, String subject) {
		return this.userSessions
			.revoke(subject,
					(session) -> OidcLogouts.matches(logoutToken, subject, session.getAttribute(
							WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME),
							session.getAttribute(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE)))
			.doOnNext((revoked) -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Back-channel logout from " + logoutToken.getIssuer() + " revoked " + revoked.size()
							+ " session(s) " + revoked);
				}
			})
			.thenMany(Flux.empty());
	}

}
