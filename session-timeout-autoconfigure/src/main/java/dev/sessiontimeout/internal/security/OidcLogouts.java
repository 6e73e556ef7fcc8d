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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.oidc.authentication.logout.LogoutTokenClaimNames;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions.Entry;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The back-channel logouts that the store keeps for the logins under way: a logout token
 * that arrives while a login's callback runs (the provider answered, the session is not
 * saved yet) finds no session of the login, so it leaves a record for every node, by
 * issuer, client and its provider session ({@code sid}), or else its subject, kept for
 * {@link #KEPT_FOR} after the token was issued. A login whose ID token names such a
 * record and was issued no later than {@link #SKEW} after the logout token (both by the
 * provider's clock) is ended when it is saved; a login issued after the logout is not.
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

	private static final String KEY_PREFIX = SessionAttributes.PREFIX + "oidcLogout:";

	private OidcLogouts() {
	}

	/**
	 * Return the keys under which a logout token is kept: by its provider session if it
	 * names one, else by its subject, for each of its clients.
	 * @param logoutToken the logout token
	 * @return the keys
	 */
	static List<String> keys(OidcLogoutToken logoutToken) {
		String providerSession = logoutToken.getSessionId();
		List<String> keys = new ArrayList<>();
		for (String client : logoutToken.getAudience()) {
			keys.add((providerSession != null)
					? key(logoutToken.getIssuer().toString(), client, LogoutTokenClaimNames.SID, providerSession)
					: key(logoutToken.getIssuer().toString(), client, LogoutTokenClaimNames.SUB,
							String.valueOf(logoutToken.getSubject())));
		}
		return keys;
	}

	/**
	 * Return the keys of the logouts that end a login: by its subject, and by its
	 * provider session if it has one, for each of its clients.
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
				keys.add(key(issuer, client, LogoutTokenClaimNames.SID, providerSession));
			}
		}
		return keys;
	}

	private static String key(String issuer, String client, String claim, String value) {
		return KEY_PREFIX + issuer.length() + ":" + issuer + client.length() + ":" + client + claim + ":" + value;
	}

	/**
	 * Return the record to keep of a logout token.
	 * @param logoutToken the logout token
	 * @param now the current instant of the clock of every decision
	 * @return the record, or {@code null} if one would be forgotten already (a token
	 * issued more than {@link #KEPT_FOR} ago)
	 */
	static @Nullable Entry entry(OidcLogoutToken logoutToken, Instant now) {
		Instant issuedAt = logoutToken.getIssuedAt();
		Entry entry = new Entry(ExpiryReason.REVOKED, ((issuedAt != null) ? issuedAt : now).plus(KEPT_FOR));
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
	 * Return the later of two records, the one to keep.
	 * @param kept the record kept, if any
	 * @param entry the new record
	 * @return {@code true} if the new one is to be written
	 */
	static boolean isLater(@Nullable Entry kept, Entry entry) {
		return kept == null || entry.until().isAfter(kept.until());
	}

}
