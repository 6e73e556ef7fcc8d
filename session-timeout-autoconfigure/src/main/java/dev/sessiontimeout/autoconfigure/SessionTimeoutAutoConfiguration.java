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
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.DispatcherServlet;

import dev.sessiontimeout.policy.ConfiguredClocks;
import dev.sessiontimeout.policy.Limits;
import dev.sessiontimeout.policy.SessionTimeoutSettings;
import dev.sessiontimeout.web.PassiveRequestMatcher;
import dev.sessiontimeout.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.web.SessionEndListener;
import dev.sessiontimeout.web.SessionRegistryEndListener;
import dev.sessiontimeout.web.SessionStatusController;
import dev.sessiontimeout.web.SessionPrincipalResolver;
import dev.sessiontimeout.web.SessionTimeoutFilter;
import dev.sessiontimeout.web.SessionTimeoutResponder;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes: absolute,
 * idle, re-authentication and privileged clocks enforced on any Spring Session store or
 * on the container's sessions.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "session-timeout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
public final class SessionTimeoutAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutAutoConfiguration.class);

	private static final String SERVER_SESSION_TIMEOUT = "server.servlet.session.timeout";

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutSettings sessionTimeoutSettings(SessionTimeoutProperties properties,
			ObjectProvider<PlatformSessionTimeout> platformSessionTimeout, Environment environment) {
		SessionTimeoutProperties.Limits limits = properties.getLimits();
		Duration platformIdle = platformSessionTimeout.getIfAvailable(() -> () -> serverSessionTimeout(environment))
			.get();
		SessionTimeoutSettings settings = SessionTimeoutSettings.resolve(
				ConfiguredClocks.global(properties.getAbsolute(), properties.getIdle(),
						properties.getReauthentication(), properties.getPrivileged().getMaxAge()),
				platformIdle, properties.getPreset(), properties.getPresetDeviation(),
				new Limits(limits.getAbsolute(), limits.getIdle(), limits.getReauthentication()),
				properties.getStoreGrace());
		settings.getNotes().forEach(logger::info);
		settings.getWarnings().forEach(logger::warn);
		return settings;
	}

	private static @Nullable Duration serverSessionTimeout(Environment environment) {
		return Binder.get(environment)
			.bind(SERVER_SESSION_TIMEOUT, String.class)
			.map((value) -> DurationStyle.detectAndParse(value, ChronoUnit.SECONDS))
			.orElse(null);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutResponder sessionTimeoutResponder(SessionTimeoutProperties properties) {
		return new SessionTimeoutResponder(properties.getExpiredUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutFilter sessionTimeoutFilter(SessionTimeoutSettings settings,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock, SessionTimeoutResponder responder,
			ObjectProvider<SessionPrincipalResolver> principalResolver, ApplicationEventPublisher eventPublisher,
			SessionTimeoutProperties properties, ObjectProvider<SessionEndListener> sessionEndListeners) {
		SessionTimeoutFilter filter = new SessionTimeoutFilter(settings, clock.getIfAvailable(Clock::systemUTC),
				responder, principalResolver.getIfAvailable(() -> SessionPrincipalResolver.NONE), eventPublisher,
				new PassiveRequestMatcher(properties.getActivity().getPassivePaths(),
						properties.getStatus().isEnabled() ? properties.getStatus().getPath() : null));
		filter.setSessionEndListeners(sessionEndListeners.orderedStream().toList());
		return filter;
	}

	@Bean
	@ConditionalOnMissingBean(name = "sessionTimeoutFilterRegistration")
	FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
		FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(SessionTimeoutFilter.DEFAULT_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

	/**
	 * The session timeout of the platform, the default idle timeout.
	 */
	@FunctionalInterface
	interface PlatformSessionTimeout extends Supplier<@Nullable Duration> {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionTimeout.class)
	static class SpringSessionConfiguration {

		@Bean
		PlatformSessionTimeout sessionTimeoutPlatformTimeout(ObjectProvider<SessionTimeout> sessionTimeout,
				Environment environment) {
			return () -> {
				SessionTimeout timeout = sessionTimeout.getIfAvailable();
				Duration duration = (timeout != null) ? timeout.getTimeout() : null;
				return (duration != null) ? duration : serverSessionTimeout(environment);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnBooleanProperty(name = "session-timeout.status.enabled", matchIfMissing = true)
	static class SessionStatusConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionStatusController sessionStatusController(SessionTimeoutSettings settings,
				@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock,
				ObjectProvider<SessionPrincipalResolver> principalResolver, SessionTimeoutResponder responder) {
			return new SessionStatusController(settings, clock.getIfAvailable(Clock::systemUTC),
					principalResolver.getIfAvailable(() -> SessionPrincipalResolver.NONE), responder);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisSessionRepository.class)
	static class SpringSessionDataRedisConfiguration {

		@Bean
		@Order(0)
		SessionRepositoryCustomizer<RedisSessionRepository> sessionTimeoutRedisSessionRepositoryCustomizer() {
			return (repository) -> repository.setRedisSessionMapper(new IncompleteSessionTolerantRedisSessionMapper());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpSessionSecurityContextRepository.class)
	static class SpringSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionPrincipalResolver sessionPrincipalResolver() {
			return new SecurityContextPrincipalResolver();
		}

		@Bean
		@ConditionalOnBean(SessionRegistry.class)
		SessionRegistryEndListener sessionTimeoutSessionRegistryEndListener(SessionRegistry sessionRegistry) {
			return new SessionRegistryEndListener(sessionRegistry);
		}

		@Bean
		ApplicationListener<InteractiveAuthenticationSuccessEvent> sessionTimeoutAuthenticationListener(
				SessionTimeoutFilter filter) {
			return (event) -> {
				if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
					HttpSession session = attributes.getRequest().getSession(false);
					if (session != null) {
						filter.recordAuthentication(session);
					}
				}
			};
		}

	}

}
