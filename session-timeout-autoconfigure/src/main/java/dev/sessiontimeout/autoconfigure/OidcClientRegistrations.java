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
package dev.sessiontimeout.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;

/**
 * What OpenID Connect back-channel logout needs to know of the client registrations, on
 * servlet and WebFlux alike: logout tokens find sessions by their subject, as their
 * principal name.
 *
 * @author session-timeout
 */
final class OidcClientRegistrations {

	private static final Log logger = LogFactory.getLog(OidcClientRegistrations.class);

	private OidcClientRegistrations() {
	}

	/**
	 * Return the client ids of the registrations whose users' principal name is not their
	 * subject, warning of each.
	 * @param clientRegistrations the client registrations, servlet or reactive, if any
	 * @return the client ids
	 */
	static List<String> notNamingUsersBySubject(@Nullable Object clientRegistrations) {
		List<String> notNamedBySubject = new ArrayList<>();
		if (clientRegistrations instanceof Iterable<?> registrations) {
			for (Object registration : registrations) {
				if (!namesUsersBySubject((ClientRegistration) registration)) {
					notNamedBySubject.add(((ClientRegistration) registration).getClientId());
				}
			}
		}
		return notNamedBySubject;
	}

	private static boolean namesUsersBySubject(ClientRegistration registration) {
		String nameAttribute = registration.getProviderDetails().getUserInfoEndpoint().getUserNameAttributeName();
		if (registration.getScopes().contains(OidcScopes.OPENID) && nameAttribute != null
				&& !IdTokenClaimNames.SUB.equals(nameAttribute)) {
			logger.warn("OpenID Connect back-channel logout finds sessions by the subject (sub) of the logout"
					+ " token, as their principal name; client registration '" + registration.getRegistrationId()
					+ "' names users by '" + nameAttribute + "', so its provider's logout tokens are answered"
					+ " with an error and end none of its sessions: leave its user-name-attribute unset, or set"
					+ " it to sub");
			return false;
		}
		return true;
	}

}
