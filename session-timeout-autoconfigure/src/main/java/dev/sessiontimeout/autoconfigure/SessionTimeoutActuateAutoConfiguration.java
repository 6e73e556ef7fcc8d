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
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.events.SessionExpiredEvent;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;

import dev.sessiontimeout.internal.actuate.SessionTimeoutAuditListener;
import dev.sessiontimeout.internal.actuate.SessionTimeoutMetrics;
import dev.sessiontimeout.internal.actuate.SessionTimeoutsEndpoint;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.actuate.StoreExpiryEventListener;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the operations side of session
 * lifetimes: the {@code sessiontimeouts} endpoint, Micrometer counters and audit events,
 * on servlet and reactive (WebFlux) web applications alike.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(after = { SessionTimeoutAutoConfiguration.class, SessionTimeoutReactiveAutoConfiguration.class },
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration" })
@ConditionalOnWebApplication
@Conditional(OnSessionTimeoutEnabledCondition.class)
public final class SessionTimeoutActuateAutoConfiguration {

	static final String NO_USER_SESSIONS_ON_WEBFLUX = "Sessions by user are not found on this WebFlux application:"
			+ " it has a ReactiveUserSessions bean of its own";

	/**
	 * How long an operation of the endpoint waits for a reactive session store.
	 */
	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionTimeoutMetrics sessionTimeoutMetrics(MeterRegistry registry) {
			return new SessionTimeoutMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class ServletEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		SessionTimeoutsEndpoint sessionTimeoutsEndpoint(SessionTimeoutSettings settings,
				ObjectProvider<SpringSessionUserSessions> userSessions) {
			return new SessionTimeoutsEndpoint(settings, userSessions.getIfAvailable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class ReactiveEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		SessionTimeoutsEndpoint sessionTimeoutsEndpoint(SessionTimeoutSettings settings,
				ObjectProvider<ReactiveStoreUserSessions> userSessions) {
			ReactiveStoreUserSessions found = userSessions.getIfAvailable();
			return (found != null) ? new SessionTimeoutsEndpoint(settings, found.blocking(STORE_TIMEOUT))
					: SessionTimeoutsEndpoint.withoutUserSessions(settings, NO_USER_SESSIONS_ON_WEBFLUX);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ SessionExpiredEvent.class, HttpSessionSecurityContextRepository.class })
	static class ServletStoreEventsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StoreExpiryEventListener sessionTimeoutStoreExpiryEventListener(SessionTimeoutSettings settings,
				SessionTimeoutProperties properties, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock,
				ApplicationEventPublisher eventPublisher, ObjectProvider<EndedSessions> endedSessions) {
			return storeExpiryEventListener(settings, properties, clock, eventPublisher, endedSessions);
		}

	}

	/**
	 * Spring Session's reactive Redis indexed repository publishes the same
	 * {@link SessionExpiredEvent}s, with the {@code SecurityContext} under the same
	 * session attribute.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ SessionExpiredEvent.class, WebSessionServerSecurityContextRepository.class })
	static class ReactiveStoreEventsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StoreExpiryEventListener sessionTimeoutStoreExpiryEventListener(SessionTimeoutSettings settings,
				SessionTimeoutProperties properties, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock,
				ApplicationEventPublisher eventPublisher, ObjectProvider<EndedSessions> endedSessions) {
			return storeExpiryEventListener(settings, properties, clock, eventPublisher, endedSessions);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuditEventRepository.class)
	@ConditionalOnBean(AuditEventRepository.class)
	static class AuditConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionTimeoutAuditListener sessionTimeoutAuditListener(AuditEventRepository repository) {
			return new SessionTimeoutAuditListener(repository);
		}

	}

	private static StoreExpiryEventListener storeExpiryEventListener(SessionTimeoutSettings settings,
			SessionTimeoutProperties properties, ObjectProvider<Clock> clock, ApplicationEventPublisher eventPublisher,
			ObjectProvider<EndedSessions> endedSessions) {
		StoreExpiryEventListener listener = new StoreExpiryEventListener(settings,
				clock.getIfAvailable(Clock::systemUTC), eventPublisher);
		endedSessions.ifUnique(listener::setEndedSessions);
		listener.setPrincipalLogFormat(SessionTimeoutSettingsFactory.principalLogFormat(properties));
		return listener;
	}

}
