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
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * What the registries of OpenID Connect back-channel logout, servlet and reactive, refuse
 * to take a logout token for: they find sessions by the token's subject (or the one kept
 * for its provider session), as the sessions' principal name, so a token that names
 * neither, or one for a client whose users are named otherwise, finds none of them, and
 * must not be answered as if its sessions had ended. A client names its users otherwise
 * where its registration says so (a {@code user-name-attribute} other than {@code sub}),
 * or where a login on this node shows it (a user service of the application's own that
 * names users by another claim). Such a login is also written into the session store,
 * where the store is shared (Spring Session's Redis and JDBC stores), so that every node
 * refuses that client's logout tokens, not only the node the user signed in on: each node
 * writes it at such a login unless the store holds it for half a year more, again at one
 * once half a year has passed, and the store keeps it for a year.
 *
 * @author session-timeout
 */
final class OidcLogoutClients {

	private static final Log logger = LogFactory.getLog(OidcLogoutClients.class);

	/**
	 * How long the store keeps a client whose login named a user otherwise than by the
	 * subject, after the last such login.
	 */
	static final Duration SHARED_FOR = Duration.ofDays(366);

	private static final String SHARED_KEY_PREFIX = SessionAttributes.PREFIX + "oidcClientNamingUsersOtherwise:";

	private final Set<String> notNamingUsersBySubject = ConcurrentHashMap.newKeySet();

	/**
	 * The clients, each with its issuer, whose logins showed users named otherwise: a
	 * client id is the provider's, and another provider may give the application the same
	 * one for users it names by their subject.
	 */
	private final Set<String> shownNamingUsersOtherwise = ConcurrentHashMap.newKeySet();

	/**
	 * When this node last wrote each client whose logins named a user otherwise into the
	 * store.
	 */
	private final Map<String, Instant> sharedAt = new ConcurrentHashMap<>();

	private final EndedSessions shared;

	private final Clock clock;

	/**
	 * Create a new instance that keeps what logins show in this node's memory only.
	 * @param notNamingUsersBySubject the client ids of the registrations that name their
	 * users by another claim than the subject
	 */
	OidcLogoutClients(Collection<String> notNamingUsersBySubject) {
		this(notNamingUsersBySubject, EndedSessions.NONE, Clock.systemUTC());
	}

	/**
	 * Create a new instance.
	 * @param notNamingUsersBySubject the client ids of the registrations that name their
	 * users by another claim than the subject
	 * @param shared where the session store keeps, for every node, the clients whose
	 * logins named a user otherwise
	 * @param clock the clock of every decision
	 */
	OidcLogoutClients(Collection<String> notNamingUsersBySubject, EndedSessions shared, Clock clock) {
		this.notNamingUsersBySubject.addAll(notNamingUsersBySubject);
		this.shared = shared;
		this.clock = clock;
	}

	/**
	 * Take note of a user who signed in: if its name is not its subject, no logout token
	 * can find its sessions, nor any other of its clients' users' from now on, so those
	 * are refused, on every node that shares the store.
	 * @param user the user
	 */
	void signedIn(OidcUser user) {
		if (user.getName().equals(user.getSubject())) {
			return;
		}
		List<String> audience = user.getAudience();
		Instant now = this.clock.instant();
		String issuer = String.valueOf(user.getIssuer());
		for (String client : (audience != null) ? audience : List.<String>of()) {
			String key = sharedKey(issuer, client);
			// Again at a login once half its keep has passed, so that the store keeps it
			// while logins go on; not at every login, for a store may keep a record per
			// write (JDBC)
			Instant written = this.sharedAt.get(key);
			if (written == null && isSharedFor(key, now.plus(SHARED_FOR.dividedBy(2)))) {
				// Another node, or this one before it started, wrote it: kept long enough
				this.sharedAt.put(key, now);
			}
			else if (written == null || !now.isBefore(written.plus(SHARED_FOR.dividedBy(2)))) {
				this.shared.remember(key, ExpiryReason.REVOKED, now.plus(SHARED_FOR), now);
				this.sharedAt.put(key, now);
			}
			if (this.shownNamingUsersOtherwise.add(key)) {
				logger.warn("OpenID Connect back-channel logout finds sessions by the subject (sub) of the logout"
						+ " token, as their principal name; a user of client '" + client + "' of " + user.getIssuer()
						+ " signed in under another name than its subject (a user service that names users by"
						+ " another claim), so logout tokens for that client are answered with an error and end"
						+ " none of its sessions: name the users by sub");
			}
		}
	}

	/**
	 * Return whether the store still holds a client's record at an instant; a store that
	 * does not answer is taken as holding none, so that the record is written.
	 */
	private boolean isSharedFor(String key, Instant instant) {
		try {
			return this.shared.reasonOf(key, instant) != null;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Return why a logout token cannot find the sessions it names.
	 * @param logoutToken the logout token
	 * @return the reason, or {@code null} if it can find them
	 */
	@Nullable String refusal(OidcLogoutToken logoutToken) {
		if (logoutToken.getSubject() == null && logoutToken.getSessionId() == null) {
			return "The logout token of " + logoutToken.getIssuer()
					+ " names no subject and no provider session (sid): it finds no session";
		}
		if (!Collections.disjoint(logoutToken.getAudience(), this.notNamingUsersBySubject)) {
			return namedOtherwise(logoutToken);
		}
		String issuer = String.valueOf(logoutToken.getIssuer());
		for (String client : logoutToken.getAudience()) {
			if (this.shownNamingUsersOtherwise.contains(sharedKey(issuer, client))) {
				return namedOtherwise(logoutToken);
			}
		}
		Instant now = this.clock.instant();
		for (String client : logoutToken.getAudience()) {
			// A login on another node showed it (a store that fails, fails the logout)
			if (this.shared.reasonOf(sharedKey(issuer, client), now) != null) {
				namedOtherwise(issuer, client);
				return namedOtherwise(logoutToken);
			}
		}
		return null;
	}

	/**
	 * Take note of a client whose users the store shows to be named otherwise than by
	 * their subject, as a login on another node wrote it.
	 * @param issuer the client's issuer
	 * @param client the client id
	 */
	void namedOtherwise(String issuer, String client) {
		this.shownNamingUsersOtherwise.add(sharedKey(issuer, client));
	}

	/**
	 * Return why a logout token for a client whose users are named otherwise than by
	 * their subject is refused.
	 * @param logoutToken the logout token
	 * @return the reason
	 */
	static String namedOtherwise(OidcLogoutToken logoutToken) {
		return "The logout token of " + logoutToken.getIssuer() + " is for client " + logoutToken.getAudience()
				+ ", whose users are named by another claim than their subject:"
				+ " sessions are found by their user, its subject finds none";
	}

	/**
	 * Return the key under which the store keeps a client whose users a login named
	 * otherwise than by their subject: the client id of an issuer, since another issuer
	 * may use the same client id.
	 * @param issuer the issuer
	 * @param client the client id
	 * @return the key
	 */
	static String sharedKey(String issuer, String client) {
		return SHARED_KEY_PREFIX + issuer + " " + client;
	}

}
