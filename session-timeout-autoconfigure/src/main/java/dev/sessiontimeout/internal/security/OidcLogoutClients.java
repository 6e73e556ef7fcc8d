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

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * What the registries of OpenID Connect back-channel logout, servlet and reactive, refuse
 * to take a logout token for: they find sessions by the token's subject, as the sessions'
 * principal name, so a token without a subject, or for a client whose users are named
 * otherwise, finds none of them, and must not be answered as if its sessions had ended. A
 * client names its users otherwise where its registration says so (a
 * {@code user-name-attribute} other than {@code sub}), or where a login on this node
 * shows it (a user service of the application's own that names users by another claim).
 *
 * @author session-timeout
 */
final class OidcLogoutClients {

	private static final Log logger = LogFactory.getLog(OidcLogoutClients.class);

	private final Set<String> notNamingUsersBySubject = ConcurrentHashMap.newKeySet();

	/**
	 * Create a new instance.
	 * @param notNamingUsersBySubject the client ids of the registrations that name their
	 * users by another claim than the subject
	 */
	OidcLogoutClients(Collection<String> notNamingUsersBySubject) {
		this.notNamingUsersBySubject.addAll(notNamingUsersBySubject);
	}

	/**
	 * Take note of a user who signed in: if its name is not its subject, no logout token
	 * can find its sessions, nor any other of its clients' users' on this node from now
	 * on, so those are refused.
	 * @param user the user
	 */
	void signedIn(OidcUser user) {
		if (user.getName().equals(user.getSubject())) {
			return;
		}
		List<String> audience = user.getAudience();
		for (String client : (audience != null) ? audience : List.<String>of()) {
			if (this.notNamingUsersBySubject.add(client)) {
				logger.warn("OpenID Connect back-channel logout finds sessions by the subject (sub) of the logout"
						+ " token, as their principal name; a user of client '" + client + "' of " + user.getIssuer()
						+ " signed in under another name than its subject (a user service that names users by"
						+ " another claim), so logout tokens for that client are answered with an error and end"
						+ " none of its sessions: name the users by sub");
			}
		}
	}

	/**
	 * Return why a logout token cannot find the sessions it names.
	 * @param logoutToken the logout token
	 * @return the reason, or {@code null} if it can find them
	 */
	@Nullable String refusal(OidcLogoutToken logoutToken) {
		if (logoutToken.getSubject() == null) {
			return "The logout token of " + logoutToken.getIssuer()
					+ " names no subject: sessions are found by their user, a provider session (sid) alone"
					+ " finds none";
		}
		if (!Collections.disjoint(logoutToken.getAudience(), this.notNamingUsersBySubject)) {
			return "The logout token of " + logoutToken.getIssuer() + " is for client " + logoutToken.getAudience()
					+ ", whose users are named by another claim than their subject:"
					+ " sessions are found by their user, its subject finds none";
		}
		return null;
	}

}
