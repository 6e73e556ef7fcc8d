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

import java.time.Duration;
import java.time.Instant;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.client.oidc.authentication.logout.LogoutTokenClaimNames;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.EndedSessions.Entry;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.KeptLogouts;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The back-channel logouts that the store keeps for the logins under way: a logout token
 * that arrives while a login's callback runs (the provider answered, the session is not
 * saved yet) finds no session of the login, so it leaves a record for every node, by
 * issuer, client and its provider session ({@code sid}) and subject, or the one of them
 * it names, kept for {@link #KEPT_FOR} after the token was issued. A login whose ID token
 * names such a record and was issued no later than {@link #SKEW} after the logout token
 * (both by the provider's clock) is ended when it is saved; a login issued after the
 * logout is not. A logout token that arrives after the login looked and before its
 * session is saved finds neither the session nor the login's look: the first request
 * after the login looks again, and ends the session that such a record names.
 * <p>
 * It also keeps the subject of each login's provider session, by issuer, client and
 * {@code sid}, for {@link #LOGIN_KEPT_FOR} after the login, so that a logout token that
 * names a provider session and no subject finds the sessions of its user: a provider
 * session that no record names (never seen, forgotten, or named by logins of two
 * subjects) finds none, and its logout token is answered with an error.
 *
 * @author session-timeout
 */
final class OidcLogouts {

	/**
	 * How long after its logout token was issued the store keeps a logout for the logins
	 * under way; the token's issue time is the record's {@code until} less this.
	 */
	static final Duration KEPT_FOR = Duration.ofHours(1);

	/**
	 * How much later than the logout token the provider may have issued an ID token that
	 * the logout still ends (the clocks of the provider's nodes).
	 */
	static final Duration SKEW = Duration.ofSeconds(5);

	/**
	 * How far ahead of this node's clock a logout token's issue time counts: Spring
	 * Security checks no issue time of a logout token, and refuses an ID token issued
	 * further ahead than this (its {@code OidcIdTokenValidator}'s default clock skew), so
	 * no login ends that a logout issued later would; a provider's clock set ahead (a
	 * month) ends no login issued well after its logout token arrived, and its record is
	 * kept no longer than one issued now.
	 */
	static final Duration AHEAD = Duration.ofSeconds(60);

	/**
	 * How long after a login the store keeps the subject of its provider session, for the
	 * logout tokens that name that provider session only.
	 */
	static final Duration LOGIN_KEPT_FOR = Duration.ofDays(30);

	/**
	 * How much shorter than {@link #LOGIN_KEPT_FOR} the record of a provider session's
	 * subject may have left before a login of the same subject writes it again: in the
	 * indexed stores each write is a record of its own, which every later login of that
	 * provider session reads, so a login within a day of the last write writes none.
	 */
	static final Duration LOGIN_REWRITTEN_AFTER = Duration.ofDays(1);

	/**
	 * How many logins' provider sessions a node keeps in its memory, where no store is
	 * shared: a logout token that names only the provider session of one it forgot is
	 * answered with an error.
	 */
	static final int LOGINS_IN_MEMORY = 100_000;

	/**
	 * What the key of a logout token that names a provider session and a subject names
	 * them by: a login of another subject under that provider session is not ended, as
	 * its live session would not be.
	 */
	private static final String SID_AND_SUB = "sid+sub";

	/**
	 * The most switches of user (Spring Security's {@code SwitchUserFilter}) that a
	 * session's authentication is walked back through to its login.
	 */
	private static final int MAX_SWITCHES = 8;

	private static final String LOGIN_KEY_PREFIX = SessionAttributes.PREFIX + "oidcLogin:";

	/**
	 * What a login's record carries before its subject.
	 */
	private static final String SUBJECT = "=";

	/**
	 * What a login's record carries for a provider session that logins of two subjects
	 * named.
	 */
	private static final String AMBIGUOUS = "*";

	private OidcLogouts() {
	}

	/**
	 * Return where the logouts kept for the logins under way are kept: what the session
	 * store keeps for every node, or else, without a store, this node's memory, as the
	 * logins' records are, rather than nowhere.
	 * @param shared what the session store keeps for every node, or
	 * {@link EndedSessions#NONE}
	 * @return where the logouts are kept
	 */
	static EndedSessions logoutsKeptIn(EndedSessions shared) {
		return (shared != EndedSessions.NONE) ? shared : new InMemoryEndedSessions(LOGINS_IN_MEMORY);
	}

	/**
	 * Return the keys under which a logout token is kept: by its provider session and
	 * subject, or by the one of them it names, for each of its clients.
	 * @param logoutToken the logout token
	 * @return the keys
	 */
	static List<String> keys(OidcLogoutToken logoutToken) {
		String providerSession = logoutToken.getSessionId();
		String subject = logoutToken.getSubject();
		List<String> keys = new ArrayList<>();
		for (String client : logoutToken.getAudience()) {
			String issuer = logoutToken.getIssuer().toString();
			if (providerSession == null) {
				keys.add(key(issuer, client, LogoutTokenClaimNames.SUB, String.valueOf(subject)));
			}
			else {
				keys.add((subject != null) ? key(issuer, client, SID_AND_SUB, sidAndSub(providerSession, subject))
						: key(issuer, client, LogoutTokenClaimNames.SID, providerSession));
			}
		}
		return keys;
	}

	private static String sidAndSub(String providerSession, String subject) {
		return providerSession.length() + ":" + providerSession + subject;
	}

	/**
	 * Return the keys of the logouts that end a login: by its subject, and if it has a
	 * provider session by that and its subject, and by that alone, for each of its
	 * clients.
	 * @param user the user of the login
	 * @return the keys, none if the ID token names no issuer or audience
	 */
	static List<String> keys(OidcUser user) {
		List<String> keys = new ArrayList<>();
		List<String> audience = user.getAudience();
		if (user.getIssuer() == null || audience == null) {
			return keys;
		}
		String issuer = user.getIssuer().toString();
		String providerSession = user.getClaimAsString(LogoutTokenClaimNames.SID);
		for (String client : audience) {
			keys.add(key(issuer, client, LogoutTokenClaimNames.SUB, user.getSubject()));
			if (providerSession != null) {
				keys.add(key(issuer, client, SID_AND_SUB, sidAndSub(providerSession, user.getSubject())));
				keys.add(key(issuer, client, LogoutTokenClaimNames.SID, providerSession));
			}
		}
		return keys;
	}

	private static String key(String issuer, String client, String claim, String value) {
		return KeptLogouts.key(issuer.length() + ":" + issuer + client.length() + ":" + client + claim + ":" + value);
	}

	/**
	 * Return the keys under which the store keeps the subject of a login's provider
	 * session, for each of its clients.
	 * @param user the user of the login
	 * @return the keys, none if the ID token names no provider session, issuer or
	 * audience
	 */
	static List<String> loginKeys(OidcUser user) {
		List<String> keys = new ArrayList<>();
		List<String> audience = user.getAudience();
		String providerSession = user.getClaimAsString(LogoutTokenClaimNames.SID);
		if (user.getIssuer() == null || audience == null || providerSession == null) {
			return keys;
		}
		for (String client : audience) {
			keys.add(loginKey(user.getIssuer().toString(), client, providerSession));
		}
		return keys;
	}

	/**
	 * Return the keys of the logins whose subject a logout token that names a provider
	 * session finds its sessions by, for each of its clients.
	 * @param logoutToken the logout token, with a provider session
	 * @return the keys
	 */
	static List<String> loginKeys(OidcLogoutToken logoutToken) {
		List<String> keys = new ArrayList<>();
		String providerSession = logoutToken.getSessionId();
		if (providerSession == null) {
			return keys;
		}
		for (String client : logoutToken.getAudience()) {
			keys.add(loginKey(logoutToken.getIssuer().toString(), client, providerSession));
		}
		return keys;
	}

	private static String loginKey(String issuer, String client, String providerSession) {
		return LOGIN_KEY_PREFIX + issuer.length() + ":" + issuer + client.length() + ":" + client + "sid:"
				+ providerSession;
	}

	/**
	 * Return the record to keep of a login's provider session: its subject, until
	 * {@link #LOGIN_KEPT_FOR} from now, or later if the record kept says so; a record
	 * kept of another subject makes the provider session ambiguous, which finds no
	 * session.
	 * @param user the user of the login
	 * @param kept the record kept, if any
	 * @param now the current instant of the clock of every decision
	 * @return the record to write
	 */
	static Entry login(OidcUser user, @Nullable Entry kept, Instant now) {
		Instant until = now.plus(LOGIN_KEPT_FOR);
		String value = SUBJECT + user.getSubject();
		if (kept != null) {
			if (!value.equals(kept.value())) {
				value = AMBIGUOUS;
			}
			if (kept.until().isAfter(until)) {
				until = kept.until();
			}
		}
		return new Entry(ExpiryReason.REVOKED, until, value);
	}

	/**
	 * Return whether the record of a login's provider session is to be written: if none
	 * is kept, if it names another subject, or if it is kept for less than
	 * {@link #LOGIN_KEPT_FOR} less {@link #LOGIN_REWRITTEN_AFTER}; a record is then kept
	 * at least {@code LOGIN_KEPT_FOR - LOGIN_REWRITTEN_AFTER} after each login.
	 * @param kept the record kept, if any
	 * @param login the record to keep, as {@link #login} returns it
	 * @return {@code true} if it is to be written
	 */
	static boolean isToWrite(@Nullable Entry kept, Entry login) {
		return kept == null || !Objects.equals(login.value(), kept.value())
				|| kept.until().isBefore(login.until().minus(LOGIN_REWRITTEN_AFTER));
	}

	/**
	 * Return the subject that the records of a provider session name, one per client of
	 * its logout token.
	 * @param logins the records, {@code null} where none is kept
	 * @return the subject, or {@code null} unless every record is kept and names the same
	 * one subject
	 */
	static @Nullable String subject(List<@Nullable Entry> logins) {
		String subject = null;
		for (Entry login : logins) {
			String value = (login != null) ? login.value() : null;
			if (value == null || !value.startsWith(SUBJECT)
					|| (subject != null && !subject.equals(value.substring(SUBJECT.length())))) {
				return null;
			}
			subject = value.substring(SUBJECT.length());
		}
		return subject;
	}

	/**
	 * Return why a logout token that names a provider session and no subject finds no
	 * session.
	 * @param logoutToken the logout token
	 * @param inStore whether the session store keeps the records of logins, else this
	 * node's memory
	 * @return the reason
	 */
	static String noSubject(OidcLogoutToken logoutToken, boolean inStore) {
		return "The logout token of " + logoutToken.getIssuer() + " names no subject, and "
				+ (inStore ? "the session store" : "this node's memory")
				+ " keeps no login of one subject with its provider session (sid): sessions are found by their user";
	}

	/**
	 * Return the record to keep of a logout token.
	 * @param logoutToken the logout token
	 * @param now the current instant of the clock of every decision
	 * @return the record, or {@code null} if one would be forgotten already (a token
	 * issued more than {@link #KEPT_FOR} ago); a token issued more than {@link #AHEAD}
	 * ahead of now is taken as issued then
	 */
	static @Nullable Entry entry(OidcLogoutToken logoutToken, Instant now) {
		Instant issuedAt = logoutToken.getIssuedAt();
		Instant latest = now.plus(AHEAD);
		Instant loggedOut = (issuedAt == null) ? now : (issuedAt.isAfter(latest) ? latest : issuedAt);
		Entry entry = new Entry(ExpiryReason.REVOKED, loggedOut.plus(KEPT_FOR));
		return (entry.reasonAt(now) != null) ? entry : null;
	}

	/**
	 * Return whether a record of a logout ends a login.
	 * @param logout the record of the logout, if any
	 * @param user the user of the login
	 * @return {@code true} if the login's ID token was issued before the logout, or
	 * within {@link #SKEW} after it, or names no issue time
	 */
	static boolean ends(@Nullable Entry logout, OidcUser user) {
		if (logout == null) {
			return false;
		}
		Instant issuedAt = (user.getIdToken() != null) ? user.getIdToken().getIssuedAt() : null;
		return issuedAt == null || !issuedAt.isAfter(logout.until().minus(KEPT_FOR).plus(SKEW));
	}

	/**
	 * Return whether a logout kept for the logins under way that ends a login may be
	 * forgotten by now: each is kept until {@link #KEPT_FOR} after its issue, and ends
	 * only a login whose ID token was issued at most {@link #SKEW} after it, so all are
	 * kept until {@code KEPT_FOR - SKEW} after the ID token's issue; one without an issue
	 * time may be ended by any.
	 * @param user the user of the login
	 * @param now the current instant of the clock of every decision
	 * @return {@code true} if a look at the kept logouts can no longer tell whether one
	 * ended the login
	 */
	static boolean mayBeForgotten(OidcUser user, Instant now) {
		Instant issuedAt = (user.getIdToken() != null) ? user.getIdToken().getIssuedAt() : null;
		return issuedAt == null || !now.isBefore(issuedAt.minus(SKEW).plus(KEPT_FOR));
	}

	/**
	 * Return the user of the login that a session's security context holds, whose kept
	 * logouts the first request after the login looks for again.
	 * @param session the session
	 * @param contextAttribute the attribute that holds its security context
	 * @return the user, or {@code null} if the session holds no OpenID Connect login
	 */
	static @Nullable OidcUser userOf(SessionAttributeSource session, String contextAttribute) {
		Authentication authentication = (session.getAttribute(contextAttribute) instanceof SecurityContext context)
				? context.getAuthentication() : null;
		return (authentication != null && authentication.getPrincipal() instanceof OidcUser user) ? user : null;
	}

	/**
	 * Return the mark of a session whose login looked for the kept logouts, which the
	 * first request after the login looks for again.
	 * @param now when the login looked
	 * @return the value of {@link SessionAttributes#LOGOUT_CHECK_PENDING}
	 */
	static String pendingCheck(Instant now) {
		return Long.toString(now.toEpochMilli());
	}

	/**
	 * Write into the session of a login what the login leaves there: its
	 * {@link SessionAttributes#REVOKED_AT revocation} if a back-channel logout ended it
	 * while its callback ran, else the {@link #pendingCheck mark} that makes its first
	 * request look for such logouts again (one that arrives from now on until the session
	 * is saved finds no session); and the provider session of its ID token, which an ID
	 * token refreshed later may not name.
	 * @param user the user of the login
	 * @param loggedOut whether a kept logout ends the login
	 * @param now the current instant of the clock of every decision
	 * @param setAttribute sets an attribute of the session
	 * @param removeAttribute removes an attribute of the session
	 */
	static void signedIn(OidcUser user, boolean loggedOut, Instant now, BiConsumer<String, Object> setAttribute,
			Consumer<String> removeAttribute) {
		if (loggedOut) {
			setAttribute.accept(SessionAttributes.REVOKED_AT, now.toEpochMilli());
		}
		else {
			setAttribute.accept(SessionAttributes.LOGOUT_CHECK_PENDING, pendingCheck(now));
		}
		String providerSession = user.getClaimAsString(LogoutTokenClaimNames.SID);
		if (providerSession != null) {
			setAttribute.accept(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE, providerSession);
		}
		else {
			removeAttribute.accept(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE);
		}
	}

	/**
	 * Return whether a logout token names a session: the login of its authentication, or
	 * of one that its user switched to another user from.
	 * @param logoutToken the logout token
	 * @param subject its subject, or else the one of its provider session's logins
	 * @param securityContext the session's security context
	 * @param loginProviderSession the provider session of the session's login, as the
	 * session keeps it, if any: the session's if its ID token names none (a refreshed
	 * one)
	 * @return {@code true} if the token names the session
	 */
	static boolean matches(OidcLogoutToken logoutToken, String subject, @Nullable Object securityContext,
			@Nullable Object loginProviderSession) {
		Authentication authentication = (securityContext instanceof SecurityContext context)
				? context.getAuthentication() : null;
		// The login's user may have switched to another user (SwitchUserFilter or
		// SwitchUserWebFilter): the session is still its login's. A bounded walk: a
		// switch chain is short, and a cycle (edited by hand) ends it
		for (int depth = 0; authentication != null && depth < MAX_SWITCHES; depth++) {
			if (authentication.getPrincipal() instanceof OidcUser user
					&& matches(logoutToken, subject, user, loginProviderSession)) {
				return true;
			}
			authentication = switchedFrom(authentication);
		}
		return false;
	}

	private static @Nullable Authentication switchedFrom(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof SwitchUserGrantedAuthority switchUser) {
				return switchUser.getSource();
			}
		}
		return null;
	}

	private static boolean matches(OidcLogoutToken logoutToken, String subject, OidcUser user,
			@Nullable Object loginProviderSession) {
		URL issuer = user.getIssuer();
		List<String> audience = user.getAudience();
		if (issuer == null || audience == null || !logoutToken.getIssuer().toString().equals(issuer.toString())
				|| Collections.disjoint(logoutToken.getAudience(), audience) || !subject.equals(user.getSubject())) {
			return false;
		}
		String providerSession = logoutToken.getSessionId();
		if (providerSession == null) {
			return true;
		}
		String sessionsProviderSession = user.getClaimAsString(LogoutTokenClaimNames.SID);
		return providerSession.equals((sessionsProviderSession != null) ? sessionsProviderSession
				: (loginProviderSession instanceof String login) ? login : null);
	}

	/**
	 * Return the later of two records, the one to keep.
	 * @param kept the record kept, if any
	 * @param entry the new record
	 * @return {@code true} if the new one is to be written
	 */
	static boolean isLater(@Nullable Entry kept, Entry entry) {
		return kept == null || entry.until().isAfter(kept.until());
	}

}
