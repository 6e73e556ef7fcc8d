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
import org.springframework.security.oauth2.client.oidc.server.session.InMemoryReactiveOidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.server.session.ReactiveOidcSessionRegistry;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;

import dev.sessiontimeout.internal.reactive.ReactivePendingChallenges;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.security.OidcStepUpServerAuthorizationRequestResolver;
import dev.sessiontimeout.internal.security.ReactiveStoredOidcSessionRegistry;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes with Spring
 * Security's OAuth 2.0 login on WebFlux: an authorization request that asks the provider
 * for a fresh login ({@code prompt=login}, {@code max_age}) when the session's user must
 * authenticate again, and the registry of OpenID Connect back-channel logout kept in the
 * session store. Spring Security's {@code oauth2Login()} takes the resolver bean where no
 * resolver is set on it; an application that declares its own
 * {@link ServerOAuth2AuthorizationRequestResolver} keeps it, and sends no step-up
 * parameters unless it wraps it in an
 * {@link OidcStepUpServerAuthorizationRequestResolver}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(after = SessionTimeoutReactiveAutoConfiguration.class,
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration")
@ConditionalOnWebApplication(type = Type.REACTIVE)
@Conditional(OnSessionTimeoutEnabledCondition.class)
@ConditionalOnClass(DefaultServerOAuth2AuthorizationRequestResolver.class)
@ConditionalOnBean(SessionClocks.class)
public final class SessionTimeoutReactiveOAuth2ClientAutoConfiguration {

	@Bean
	@ConditionalOnBean(ReactiveClientRegistrationRepository.class)
	@ConditionalOnMissingBean(ServerOAuth2AuthorizationRequestResolver.class)
	OidcStepUpServerAuthorizationRequestResolver sessionTimeoutServerOAuth2AuthorizationRequestResolver(
			ReactiveClientRegistrationRepository clientRegistrations, SessionClocks clocks) {
		return new OidcStepUpServerAuthorizationRequestResolver(
				new DefaultServerOAuth2AuthorizationRequestResolver(clientRegistrations),
				new ReactivePendingChallenges(clocks));
	}

	/**
	 * OpenID Connect back-channel logout across nodes: the registry of Spring Security's
	 * reactive {@code oidcLogout().backChannel()} kept in the session store.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveOidcSessionRegistry.class)
	@ConditionalOnBean(ReactiveStoreUserSessions.class)
	static class OidcLogoutConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveOidcSessionRegistry.class)
		ReactiveOidcSessionRegistry sessionTimeoutReactiveOidcSessionRegistry(ReactiveStoreUserSessions userSessions,
				ObjectProvider<ReactiveClientRegistrationRepository> clientRegistrations,
				ObjectProvider<EndedSessions> endedSessions, ObjectProvider<StoredEndedSessions> storedEndedSessions,
				@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
			if (userSessions.unsupportedReason() != null) {
				// Sessions cannot be found by user in this store: Spring Security's own
				// registry, in this node's memory, rather than one that ends none
				return new InMemoryReactiveOidcSessionRegistry();
			}
			return new ReactiveStoredOidcSessionRegistry(userSessions,
					OidcClientRegistrations.notNamingUsersBySubject(clientRegistrations.getIfAvailable()),
					endedSessions.getIfUnique(() -> EndedSessions.NONE), storedEndedSessions.getIfUnique(),
					clock.getIfAvailable(Clock::systemUTC));
		}

	}

}
