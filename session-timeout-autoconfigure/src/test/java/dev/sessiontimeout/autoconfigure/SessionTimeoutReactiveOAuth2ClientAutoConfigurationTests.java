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

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.internal.security.OidcStepUpServerAuthorizationRequestResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutReactiveOAuth2ClientAutoConfiguration}.
 *
 * @author session-timeout
 */
class SessionTimeoutReactiveOAuth2ClientAutoConfigurationTests {

	private static final AutoConfigurations ALL = AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
			SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class,
			SessionTimeoutReactiveAutoConfiguration.class, SessionTimeoutReactiveOAuth2ClientAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(ALL);

	@Test
	void reactiveApplicationWhenClientRegistrationsThenOAuth2LoginResolvesStepUpAuthorizationRequests() {
		this.contextRunner.withBean(ReactiveClientRegistrationRepository.class, () -> registrations())
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(ServerOAuth2AuthorizationRequestResolver.class)
				.isInstanceOf(OidcStepUpServerAuthorizationRequestResolver.class));
	}

	@Test
	void reactiveApplicationWhenItsOwnResolverThenKeepsIt() {
		this.contextRunner.withBean(ReactiveClientRegistrationRepository.class, () -> registrations())
			.withBean(ServerOAuth2AuthorizationRequestResolver.class, OwnResolver::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(ServerOAuth2AuthorizationRequestResolver.class)
				.isInstanceOf(OwnResolver.class));
	}

	@Test
	void reactiveApplicationWhenNoClientRegistrationsThenNoResolver() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(ServerOAuth2AuthorizationRequestResolver.class));
	}

	@Test
	void reactiveApplicationWhenNoOAuth2ClientThenNoResolver() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(DefaultServerOAuth2AuthorizationRequestResolver.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionTimeoutReactiveOAuth2ClientAutoConfiguration.class));
	}

	@Test
	void reactiveApplicationWhenDisabledThenNoResolver() {
		this.contextRunner.withPropertyValues("session-timeout.enabled=false")
			.withBean(ReactiveClientRegistrationRepository.class, () -> registrations())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ServerOAuth2AuthorizationRequestResolver.class));
	}

	@Test
	void servletApplicationWhenClientRegistrationsThenNoReactiveResolver() {
		new WebApplicationContextRunner().withConfiguration(ALL)
			.withBean(ReactiveClientRegistrationRepository.class, () -> registrations())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ServerOAuth2AuthorizationRequestResolver.class));
	}

	private static ReactiveClientRegistrationRepository registrations() {
		return new InMemoryReactiveClientRegistrationRepository(ClientRegistration.withRegistrationId("idp")
			.clientId("relying-party")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid")
			.authorizationUri("https://idp.example/authorize")
			.tokenUri("https://idp.example/token")
			.build());
	}

	static class OwnResolver implements ServerOAuth2AuthorizationRequestResolver {

		@Override
		public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
			return Mono.empty();
		}

		@Override
		public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String clientRegistrationId) {
			return Mono.empty();
		}

	}

}
