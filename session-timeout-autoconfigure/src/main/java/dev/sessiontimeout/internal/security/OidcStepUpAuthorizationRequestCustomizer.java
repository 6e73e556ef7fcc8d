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

import java.util.function.Consumer;

import jakarta.servlet.http.HttpSession;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Asks the OpenID Connect provider to authenticate the user again when the session has a
 * challenge to meet, the pending one or a due re-authentication that no request recorded
 * yet (a browser that goes straight to the authorization endpoint): the authorization
 * request carries {@code prompt=login} and {@code max_age} set to the required maximum
 * age in seconds, as {@link OidcStepUpServerAuthorizationRequestResolver} asks on
 * WebFlux. Give it to
 * {@code DefaultOAuth2AuthorizationRequestResolver#setAuthorizationRequestCustomizer};
 * the starter does so unless the application declares its own
 * {@code OAuth2AuthorizationRequestResolver}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class OidcStepUpAuthorizationRequestCustomizer implements Consumer<OAuth2AuthorizationRequest.Builder> {

	private final ServletSessionClocks clocks;

	/**
	 * Create a new customizer.
	 * @param clocks the session clocks of servlet requests, which tell the challenge a
	 * session's user must meet
	 */
	public OidcStepUpAuthorizationRequestCustomizer(ServletSessionClocks clocks) {
		Assert.notNull(clocks, "'clocks' must not be null");
		this.clocks = clocks;
	}

	@Override
	public void accept(OAuth2AuthorizationRequest.Builder builder) {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return;
		}
		HttpSession session = attributes.getRequest().getSession(false);
		PendingChallenge challenge = (session != null) ? this.clocks.challengeToMeet(session, this.clocks.now()) : null;
		if (challenge != null) {
			builder.additionalParameters((parameters) -> {
				parameters.put("prompt", "login");
				parameters.put("max_age", String.valueOf(challenge.maxAge().toSeconds()));
			});
		}
	}

}
