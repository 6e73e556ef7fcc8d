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

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionRegistry;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;

import dev.sessiontimeout.internal.security.OidcLoginFlow;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.security.StoredOidcSessionRegistry;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.security.OidcStepUpAuthorizationRequestCustomizer;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes with Spring
 * Security's OAuth 2.0 login: the authentication time an OpenID Connect provider reports
 * ({@code auth_time}), and an authorization request that asks the provider for a fresh
 * login ({@code prompt=login}, {@code max_age}) when a challenge is pending.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(after = { SessionTimeoutAutoConfiguration.class, SessionTimeoutSecurityAutoConfiguration.class },
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@Conditional(OnSessionTimeoutEnabledCondition.class)
@ConditionalOnClass({ OAuth2AuthenticationToken.class, OAuth2AuthorizationRequestResolver.class })
@ConditionalOnBean(ServletSessionClocks.class)
public final class SessionTimeoutOAuth2ClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OidcLoginFlow sessionTimeoutOidcLoginFlow(SessionTimeoutProperties properties) {
		OidcLoginFlow flow = new OidcLoginFlow();
		flow.setCallbackTimeAsAuthenticationTime(properties.getOauth2().isCallbackTimeAsAuthenticationTime());
		return flow;
	}

	@Bean
	@ConditionalOnMissingBean
	OidcStepUpAuthorizationRequestCustomizer sessionTimeoutOidcStepUpAuthorizationRequestCustomizer(
			ServletSessionClocks clocks) {
		return new OidcStepUpAuthorizationRequestCustomizer(clocks);
	}

	@Bean
	@ConditionalOnBean(ClientRegistrationRepository.class)
	@ConditionalOnMissingBean(OAuth2AuthorizationRequestResolver.class)
	DefaultOAuth2AuthorizationRequestResolver sessionTimeoutOAuth2AuthorizationRequestResolver(
			ClientRegistrationRepository clientRegistrations,
			OidcStepUpAuthorizationRequestCustomizer stepUpCustomizer) {
		DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(
				clientRegistrations, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
		resolver.setAuthorizationRequestCustomizer(stepUpCustomizer);
		return resolver;
	}

	/**
	 * OpenID Connect back-channel logout across nodes: the registry of Spring Security's
	 * {@code oidcLogout().backChannel()} kept in the session store.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(OidcSessionRegistry.class)
	@ConditionalOnBean(SpringSessionUserSessions.class)
	static class OidcLogoutConfiguration {

		@Bean
		@ConditionalOnMissingBean(OidcSessionRegistry.class)
		StoredOidcSessionRegistry sessionTimeoutOidcSessionRegistry(SpringSessionUserSessions userSessions,
				ObjectProvider<ClientRegistrationRepository> clientRegistrations,
				ObjectProvider<EndedSessions> endedSessions,
				@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
			return new StoredOidcSessionRegistry(userSessions,
					OidcClientRegistrations.notNamingUsersBySubject(clientRegistrations.getIfAvailable()),
					endedSessions.getIfUnique(() -> EndedSessions.NONE), clock.getIfAvailable(Clock::systemUTC));
		}

	}

}
