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

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.internal.reactive.ReactivePendingChallenges;
import dev.sessiontimeout.internal.session.PendingChallenge;

/**
 * Asks the OpenID Connect provider to authenticate the user again when the session of a
 * WebFlux request has a challenge to meet: the authorization request that another
 * resolver, such as {@link DefaultServerOAuth2AuthorizationRequestResolver}, resolves
 * carries {@code prompt=login} and {@code max_age} set to the required maximum age in
 * seconds. The reactive counterpart of {@link OidcStepUpAuthorizationRequestCustomizer},
 * whose customizer sees no exchange on WebFlux. The request is built again from the
 * resolved one with {@link OAuth2AuthorizationRequest#from}, so a custom authorization
 * request URI function of the other resolver does not apply to a step-up. The starter
 * makes it the resolver of {@code oauth2Login()} unless the application declares its own
 * {@link ServerOAuth2AuthorizationRequestResolver}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class OidcStepUpServerAuthorizationRequestResolver implements ServerOAuth2AuthorizationRequestResolver {

	private final ServerOAuth2AuthorizationRequestResolver delegate;

	private final ReactivePendingChallenges challenges;

	/**
	 * Create a new resolver.
	 * @param delegate the resolver of the authorization requests
	 * @param challenges the challenges that the users of sessions must meet
	 */
	public OidcStepUpServerAuthorizationRequestResolver(ServerOAuth2AuthorizationRequestResolver delegate,
			ReactivePendingChallenges challenges) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.notNull(challenges, "'challenges' must not be null");
		this.delegate = delegate;
		this.challenges = challenges;
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
		return this.delegate.resolve(exchange).flatMap((request) -> stepUp(exchange, request));
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String clientRegistrationId) {
		return this.delegate.resolve(exchange, clientRegistrationId).flatMap((request) -> stepUp(exchange, request));
	}

	private Mono<OAuth2AuthorizationRequest> stepUp(ServerWebExchange exchange, OAuth2AuthorizationRequest request) {
		return this.challenges.of(exchange)
			.map((challenge) -> withPromptLogin(request, challenge))
			.defaultIfEmpty(request);
	}

	private static OAuth2AuthorizationRequest withPromptLogin(OAuth2AuthorizationRequest request,
			PendingChallenge challenge) {
		return OAuth2AuthorizationRequest.from(request).additionalParameters((parameters) -> {
			parameters.put("prompt", "login");
			parameters.put("max_age", String.valueOf(challenge.maxAge().toSeconds()));
		}).build();
	}

}
