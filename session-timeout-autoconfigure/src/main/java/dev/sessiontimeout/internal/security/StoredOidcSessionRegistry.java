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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionRegistry;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.PendingLogoutCheck;
import dev.sessiontimeout.internal.session.SessionAccess;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

/**
 * An {@link OidcSessionRegistry} kept in the session store itself, for OpenID Connect
 * back-channel logout ({@code oidcLogout().backChannel()}): a logout token received by
 * any node revokes the matching sessions in the store, and every node ends them, with
 * reason {@link ExpiryReason#REVOKED revoked}, at their next request. Spring Security's
 * own registry keeps the sessions of the node they signed in on in its memory, and ends
 * them by calling that node's logout endpoint with a {@code JSESSIONID} cookie.
 * <p>
 * A session is its own registration: its security context holds the {@link OidcUser} with
 * the ID token's issuer, audience, subject and provider session ({@code sid}). A logout
 * token finds the sessions of its subject, which must be their principal name (Spring
 * Security's default for OpenID Connect), through the
 * {@link dev.sessiontimeout.UserSessions user's sessions}, and ends those whose ID token
 * has the token's issuer, shares an audience with it, and has its provider session, or
 * else its subject. The provider session of a login is kept in its session as well, for
 * an ID token that Spring Security refreshes with the access token may name none. A
 * logout token that names a provider session and no subject finds the sessions of the
 * subject that the login of that provider session kept ({@link OidcLogouts}), in the
 * store where it is shared, else in this node's memory. A logout token without a subject
 * whose provider session no kept login names, one for a client whose users are named
 * otherwise than by their subject (by its registration's {@code user-name-attribute}, or
 * by a user service of the application's own, as a login on this node shows), or a store
 * that fails, is answered with an error, so that the provider does not take the logout
 * for done.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class StoredOidcSessionRegistry implements OidcSessionRegistry, PendingLogoutCheck {

	private static final Log logger = LogFactory.getLog(StoredOidcSessionRegistry.class);

	/**
	 * The provider session ({@code sid}) of the ID token of the session's login, kept for
	 * as long as a refreshed ID token that names none replaces it.
	 */
	static final String PROVIDER_SESSION_ATTRIBUTE = SessionAttributes.PREFIX + "oidcProviderSession";

	private final SpringSessionUserSessions userSessions;

	private final OidcLogoutClients clients;

	private final EndedSessions shared;

	/**
	 * Where the subjects of the logins' provider sessions are kept: the store that every
	 * node shares, or else this node's memory.
	 */
	private final EndedSessions logins;

	private final Clock clock;

	/**
	 * Create a new registry.
	 * @param userSessions the sessions of each user in the session store
	 * @param clientsNotNamingUsersBySubject the client ids of the registrations whose
	 * users' principal name is not their subject, whose logout tokens find no session
	 */
	public StoredOidcSessionRegistry(SpringSessionUserSessions userSessions,
			Collection<String> clientsNotNamingUsersBySubject) {
		this(userSessions, clientsNotNamingUsersBySubject, EndedSessions.NONE, Clock.systemUTC());
	}

	/**
	 * Create a new registry that shares with every node, through the session store, the
	 * clients whose logins named a user otherwise than by the subject.
	 * @param userSessions the sessions of each user in the session store
	 * @param clientsNotNamingUsersBySubject the client ids of the registrations whose
	 * users' principal name is not their subject, whose logout tokens find no session
	 * @param shared what the session store keeps for every node
	 * @param clock the clock of every decision
	 */
	public StoredOidcSessionRegistry(SpringSessionUserSessions userSessions,
			Collection<String> clientsNotNamingUsersBySubject, EndedSessions shared, Clock clock) {
		this.userSessions = userSessions;
		this.clients = new OidcLogoutClients(clientsNotNamingUsersBySubject, shared, clock);
		this.shared = OidcLogouts.logoutsKeptIn(shared);
		this.logins = isShared(shared) ? shared : new InMemoryEndedSessions(OidcLogouts.LOGINS_IN_MEMORY);
		this.clock = clock;
	}

	static boolean isShared(EndedSessions endedSessions) {
		return endedSessions != EndedSessions.NONE && !(endedSessions instanceof InMemoryEndedSessions);
	}

	/**
	 * Take note of a login: the session's security context is its registration, and the
	 * session keeps the provider session of the login's ID token, which an ID token
	 * refreshed later may not name; a user named otherwise than by its subject makes the
	 * logout tokens of its client answered with an error, since they can find none of its
	 * sessions. A login that a back-channel logout ended while its callback ran (its ID
	 * token was issued before the logout token, which found no session of it) is revoked
	 * in its session, and ended at its next request; any other session is marked, so that
	 * its next request looks for such logouts again ({@link #check}).
	 * @param info the session of the login
	 * @throws IllegalStateException if such a login has no session to revoke
	 */
	@Override
	public void saveSessionInformation(OidcSessionInformation info) {
		this.clients.signedIn(info.getPrincipal());
		HttpSession session = (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)
				? request.getRequest().getSession(false) : null;
		Instant now = this.clock.instant();
		// Kept before the logouts are read: a logout token that names only the provider
		// session finds it, or else a login finds that logout
		for (String key : OidcLogouts.loginKeys(info.getPrincipal())) {
			EndedSessions.Entry kept = this.logins.entryOf(key, now);
			EndedSessions.Entry login = OidcLogouts.login(info.getPrincipal(), kept, now);
			if (OidcLogouts.isToWrite(kept, login)) {
				this.logins.remember(key, login, now);
			}
		}
		boolean loggedOut = loggedOut(info.getPrincipal(), now);
		if (loggedOut && session == null) {
			throw new IllegalStateException("A back-channel logout of " + info.getPrincipal().getIssuer()
					+ " ended this login while its callback ran, and it has no session to end");
		}
		if (session != null) {
			OidcLogouts.signedIn(info.getPrincipal(), loggedOut, now, session::setAttribute, session::removeAttribute);
			if (loggedOut) {
				logger.debug("A back-channel logout ended the login while its callback ran: its session is revoked");
			}
		}
	}

	/**
	 * Look again, at the first request after a login, for the logouts kept for the logins
	 * under way: one that arrived after the login looked and before its session was saved
	 * found no session. A session whose login one ends is revoked, and ends with reason
	 * {@link ExpiryReason#REVOKED revoked} at this request; so is one whose first request
	 * comes once such a logout may be forgotten ({@link OidcLogouts#mayBeForgotten}).
	 * @param session a session that its login marked
	 * @param now the current instant of the clock of every decision
	 * @throws RuntimeException if the store does not answer, which fails the request
	 */
	@Override
	public void check(SessionAccess session, Instant now) {
		OidcUser user = OidcLogouts.userOf(session, HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		if (user != null && OidcLogouts.mayBeForgotten(user, now)) {
			// Too late to tell whether a logout ended the login: never served
			session.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			logger.debug("The first request after the login came once the logouts kept for it may be forgotten:"
					+ " its session is revoked");
		}
		else if (user != null && loggedOut(user, now)) {
			session.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			logger.debug("A back-channel logout ended the login before its session was saved: its session is revoked");
		}
		session.removeAttribute(SessionAttributes.LOGOUT_CHECK_PENDING);
	}

	private boolean loggedOut(OidcUser user, Instant now) {
		for (String key : OidcLogouts.keys(user)) {
			if (OidcLogouts.ends(this.shared.entryOf(key, now), user)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public @Nullable OidcSessionInformation removeSessionInformation(String clientSessionId) {
		// Ended with its session
		return null;
	}

	/**
	 * Revoke the sessions that a logout token names.
	 * @param logoutToken the logout token
	 * @return no session: each is revoked in the store already, and needs no logout
	 * request to the node it signed in on
	 * @throws IllegalStateException if the token has no subject to find the sessions by,
	 * nor a provider session whose login kept one, or is for a client whose users'
	 * principal name is not their subject (by its registration, or as a login showed)
	 */
	@Override
	public Iterable<OidcSessionInformation> removeSessionInformation(OidcLogoutToken logoutToken) {
		String refusal = this.clients.refusal(logoutToken);
		if (refusal != null) {
			throw new IllegalStateException(refusal);
		}
		// Kept before the sessions are read, for a login whose session is saved after
		Instant now = this.clock.instant();
		EndedSessions.Entry logout = OidcLogouts.entry(logoutToken, now);
		if (logout != null) {
			for (String key : OidcLogouts.keys(logoutToken)) {
				if (OidcLogouts.isLater(this.shared.entryOf(key, now), logout)) {
					this.shared.remember(key, logout.reason(), logout.until(), now);
				}
			}
		}
		String subject = subject(logoutToken, now);
		List<String> revoked = this.userSessions.revoke(subject,
				(session) -> OidcLogouts.matches(logoutToken, subject,
						session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY),
						session.getAttribute(PROVIDER_SESSION_ATTRIBUTE)));
		if (logger.isDebugEnabled()) {
			logger.debug("Back-channel logout from " + logoutToken.getIssuer() + " revoked " + revoked.size()
					+ " session(s) " + revoked);
		}
		return Collections.emptyList();
	}

	/**
	 * Return the subject of a logout token, or else the one that the store keeps for its
	 * provider session.
	 */
	private String subject(OidcLogoutToken logoutToken, Instant now) {
		if (logoutToken.getSubject() != null) {
			return logoutToken.getSubject();
		}
		List<EndedSessions.@Nullable Entry> logins = new ArrayList<>();
		for (String key : OidcLogouts.loginKeys(logoutToken)) {
			logins.add(this.logins.entryOf(key, now));
		}
		String subject = OidcLogouts.subject(logins);
		if (subject == null) {
			throw new IllegalStateException(OidcLogouts.noSubject(logoutToken, isShared(this.shared)));
		}
		return subject;
	}

	static boolean matches(OidcLogoutToken logoutToken, @Nullable Object securityContext) {
		return matches(logoutToken, securityContext, null);
	}

	static boolean matches(OidcLogoutToken logoutToken, @Nullable Object securityContext,
			@Nullable Object loginProviderSession) {
		return OidcLogouts.matches(logoutToken, Objects.requireNonNull(logoutToken.getSubject()), securityContext,
				loginProviderSession);
	}

}
