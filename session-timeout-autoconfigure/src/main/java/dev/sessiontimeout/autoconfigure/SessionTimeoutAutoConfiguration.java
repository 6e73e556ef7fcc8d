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
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.PendingLogoutCheck;
import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionEndListener;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.session.StoredSessions;
import dev.sessiontimeout.internal.session.PrivilegedOperations;
import dev.sessiontimeout.internal.web.PassiveRequestMatcher;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionAuthenticationSupport;
import dev.sessiontimeout.internal.web.SessionCookieWriter;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes: absolute,
 * idle, re-authentication and privileged clocks enforced on any Spring Session store or
 * on the container's sessions. It registers the session clocks and the filter that
 * enforces them, and imports the configurations for Spring Session, the status endpoint
 * and the browser script; {@link SessionTimeoutSecurityAutoConfiguration} adds what
 * Spring Security needs.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@Conditional(OnSessionTimeoutEnabledCondition.class)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
@Import({ SpringSessionConfigurations.PlatformSessionTimeoutConfiguration.class,
		SpringSessionConfigurations.EndedSessionsConfiguration.class,
		SpringSessionConfigurations.UserSessionsConfiguration.class,
		SpringSessionConfigurations.PrivilegeGrantsConfiguration.class,
		SpringSessionConfigurations.StoredSessionsConfiguration.class,
		SpringSessionConfigurations.CookieConfiguration.class, SpringSessionConfigurations.RedisConfiguration.class,
		SpringSessionConfigurations.JdbcConfiguration.class, SessionTimeoutWebConfigurations.StatusConfiguration.class,
		SessionTimeoutWebConfigurations.SessionsConfiguration.class,
		SessionTimeoutWebConfigurations.ScriptConfiguration.class })
public final class SessionTimeoutAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutAutoConfiguration.class);

	/**
	 * The name of the advisor that checks {@code @RequiresPrivilegedSession} methods.
	 */
	static final String PRIVILEGED_SESSION_INTERCEPTOR = "sessionTimeoutPrivilegedSessionInterceptor";

	private static final String METHOD_INTERCEPTOR = "org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor";

	private static final String SECURITY_CONTEXT_REPOSITORY = "org.springframework.security.web.context.HttpSessionSecurityContextRepository";

	private static final String SERVER_SESSION_TIMEOUT = "server.servlet.session.timeout";

	private static final String SERVER_SESSION_COOKIE_MAX_AGE = "server.servlet.session.cookie.max-age";

	private static final ConfigurationPropertyName SPRING_BOOT_3_REDIS_SESSION = ConfigurationPropertyName
		.of("spring.session.redis");

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	static SessionDurationBindHandlerAdvisor sessionDurationBindHandlerAdvisor(Environment environment) {
		return new SessionDurationBindHandlerAdvisor(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutSettings sessionTimeoutSettings(SessionTimeoutProperties properties,
			ObjectProvider<PlatformSessionTimeout> platformSessionTimeout, Environment environment) {
		SessionTimeoutSettings settings;
		try {
			Duration platformIdle = platformSessionTimeout
				.getIfAvailable(() -> (configured) -> serverSessionTimeout(environment))
				.idle(properties);
			settings = SessionTimeoutSettingsFactory.create(properties, platformIdle);
		}
		catch (InvalidSessionTimeoutException ex) {
			List<Violation> violations = new ArrayList<>(ex.getViolations());
			try {
				SessionTimeoutSettingsFactory.serverSessionCookieMaxAge(environment, SERVER_SESSION_COOKIE_MAX_AGE);
			}
			catch (InvalidSessionTimeoutException cookie) {
				violations.addAll(cookie.getViolations());
				throw new InvalidSessionTimeoutException(violations, ex);
			}
			throw ex;
		}
		SessionTimeoutSettingsFactory.serverSessionCookieMaxAge(environment, SERVER_SESSION_COOKIE_MAX_AGE);
		settings.getNotes().forEach((note) -> logger.info(SessionTimeoutMessages.note(note)));
		settings.getWarnings().forEach((warning) -> logger.warn(SessionTimeoutMessages.warning(warning)));
		warnOfSpringBoot3SessionProperties(environment);
		UnknownSessionTimeoutProperties.warn(environment, logger);
		return settings;
	}

	/**
	 * Spring Boot 4 renamed {@code spring.session.redis.*} to
	 * {@code spring.session.data.redis.*} and ignores the old names, so that a Redis
	 * repository type or namespace set the Spring Boot 3 way silently does nothing.
	 */
	private static void warnOfSpringBoot3SessionProperties(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(SPRING_BOOT_3_REDIS_SESSION) == ConfigurationPropertyState.PRESENT) {
				logger.warn("spring.session.redis.* is a Spring Boot 3 name that Spring Boot 4 ignores: "
						+ "use spring.session.data.redis.* (for example spring.session.data.redis.repository-type)");
				return;
			}
		}
	}

	static @Nullable Duration serverSessionTimeout(Environment environment) {
		return SessionTimeoutSettingsFactory.serverSessionTimeout(environment, SERVER_SESSION_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutResponder sessionTimeoutResponder(SessionTimeoutProperties properties) {
		return new SessionTimeoutResponder(SessionTimeoutSettingsFactory.expiredUrl(properties.getExpiredUrl()));
	}

	/**
	 * Records the privileged operations as their beans are proxied, which happens before
	 * most beans exist, so it depends on none.
	 * @return the record
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static PrivilegedOperations sessionTimeoutPrivilegedOperations() {
		return new PrivilegedOperations();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionClocks sessionTimeoutClocks(SessionTimeoutSettings settings, SessionTimeoutProperties properties,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock, ApplicationEventPublisher eventPublisher,
			ObjectProvider<SessionPrincipalResolver> principalResolver,
			ObjectProvider<SessionEndListener> sessionEndListeners, ObjectProvider<EndedSessions> endedSessions,
			ObjectProvider<PrivilegeGrants> privilegeGrants, ObjectProvider<PrivilegedOperations> privilegedOperations,
			ObjectProvider<UserSessionIndex> userSessionIndex) {
		SessionClocks clocks = new SessionClocks(settings, clock.getIfAvailable(Clock::systemUTC), eventPublisher);
		privilegedOperations.ifAvailable(clocks::setPrivilegedOperations);
		clocks.setPrincipalLogFormat(SessionTimeoutSettingsFactory.principalLogFormat(properties));
		principalResolver.ifAvailable(clocks::setPrincipalResolver);
		clocks.setSessionEndListeners(sessionEndListeners.orderedStream().toList());
		endedSessions.ifAvailable(clocks::setEndedSessions);
		privilegeGrants.ifAvailable(clocks::setPrivilegeGrants);
		userSessionIndex.ifAvailable(clocks::setUserSessionIndex);
		return clocks;
	}

	@Bean
	@ConditionalOnMissingBean
	ServletSessionClocks sessionTimeoutServletClocks(SessionClocks clocks, SessionTimeoutResponder responder,
			SessionTimeoutProperties properties, ObjectProvider<SessionAuthenticationSupport> authenticationSupport,
			ObjectProvider<SessionCookieWriter> cookieWriter, ObjectProvider<StoredSessions> storedSessions,
			ObjectProvider<PendingLogoutCheck> pendingLogoutCheck) {
		PathPatterns passivePaths = SessionTimeoutSettingsFactory
			.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS, properties.getActivity().getPassivePaths());
		List<String> passiveGetPaths = SessionTimeoutSettingsFactory.passiveEndpointPaths(properties);
		ServletSessionClocks servletClocks = new ServletSessionClocks(clocks, responder.getExpiredUrl(),
				new PassiveRequestMatcher(passivePaths, passiveGetPaths,
						SessionTimeoutSettingsFactory.activityAtEndpointPaths(properties)));
		servletClocks.setRecordedAtLogin(properties.getSessions().isEnabled(), properties.getSessions().isRecordIp());
		authenticationSupport.ifAvailable(servletClocks::setAuthenticationSupport);
		cookieWriter.ifAvailable(servletClocks::setCookieWriter);
		storedSessions.ifAvailable(servletClocks::setStoredSessions);
		// Asked for at the first request after an OpenID Connect login only: the registry
		// of back-channel logout, configured after this
		servletClocks.setPendingLogoutCheck(pendingLogoutCheck::getIfUnique);
		servletClocks.setPrivilegedPaths(SessionTimeoutSettingsFactory
			.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS, properties.getPrivileged().getPaths()));
		servletClocks.setPrivilegedAcrValues(SessionTimeoutSettingsFactory
			.acrValues(SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES, properties.getPrivileged().getAcrValues()));
		return servletClocks;
	}

	@Bean
	@ConditionalOnMissingBean
	ServletSessionAnswers sessionTimeoutServletAnswers(SessionClocks clocks, SessionTimeoutResponder responder,
			ObjectProvider<SessionAuthenticationSupport> authenticationSupport,
			ObjectProvider<SessionCookieWriter> cookieWriter) {
		ServletSessionAnswers answers = new ServletSessionAnswers(clocks, responder);
		authenticationSupport.ifAvailable(answers::setAuthenticationSupport);
		cookieWriter.ifAvailable(answers::setCookieWriter);
		return answers;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutFilter sessionTimeoutFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			SessionTimeoutProperties properties) {
		SessionTimeoutFilter filter = new SessionTimeoutFilter(clocks, answers);
		filter.setWatchStreamedResponses(properties.isWatchStreamedResponses());
		return filter;
	}

	@Bean
	@ConditionalOnMissingBean(name = "sessionTimeoutFilterRegistration")
	FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter,
			ListableBeanFactory beanFactory) {
		FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
		// Right after Spring Session's filter, wherever
		// spring.session.servlet.filter-order or the application's own registration
		// of it moves it: by default DEFAULT_ORDER
		registration.setOrder(SessionTimeoutFilterRegistrations.order(beanFactory));
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	@Bean
	static SessionTimeoutFilterRegistrations sessionTimeoutFilterRegistrations(ListableBeanFactory beanFactory,
			Environment environment) {
		return new SessionTimeoutFilterRegistrations(beanFactory, environment);
	}

	/**
	 * Fails startup rather than let a {@code @RequiresPrivilegedSession} method run
	 * unchecked: without Spring Security, which checks them (and records when the user
	 * authenticated, which privileged paths need), any such method and any privileged
	 * path; with it, a privileged method of a bean that was created before the auto-proxy
	 * creator, so that the starter's advisor does not check it.
	 * @param beanFactory the bean factory
	 * @param properties the properties
	 * @return the check
	 */
	@Bean
	static SmartInitializingSingleton sessionTimeoutPrivilegedOperationsCheck(
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SessionTimeoutProperties> properties) {
		// The application's class loader, as the conditions of the configuration that
		// checks them see it
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		boolean checked = ClassUtils.isPresent(METHOD_INTERCEPTOR, classLoader)
				&& ClassUtils.isPresent(SECURITY_CONTEXT_REPOSITORY, classLoader);
		return () -> {
			List<Violation> violations = new ArrayList<>();
			if (checked) {
				violations
					.addAll(PrivilegedBeans.unadvised(beanFactory, PRIVILEGED_SESSION_INTERCEPTOR, (method) -> true));
			}
			else {
				for (String method : PrivilegedBeans.uncheckedMethodsOfDefinitions(beanFactory, (candidate) -> true)) {
					violations.add(new Violation(PrivilegedBeans.ANNOTATION, method,
							"privileged operations are checked on servlet applications by Spring Security's method"
									+ " security, which is not on the classpath",
							"add spring-boot-starter-security, or remove the annotation"));
				}
				List<String> paths = properties.getObject().getPrivileged().getPaths();
				if (!paths.isEmpty()) {
					violations.add(PrivilegedBeans.pathsWithoutSpringSecurity(paths));
				}
			}
			if (!violations.isEmpty()) {
				throw new InvalidSessionTimeoutException(violations);
			}
		};
	}

	/**
	 * The session timeout of the platform, the default idle timeout.
	 */
	@FunctionalInterface
	interface PlatformSessionTimeout {

		/**
		 * Return the session timeout of the platform.
		 * @param properties the properties, which tell whether the idle clock inherits it
		 * @return the timeout, or {@code null} if none is set
		 * @throws InvalidSessionTimeoutException if the idle clock would inherit a
		 * timeout that the store reads otherwise
		 */
		@Nullable Duration idle(SessionTimeoutProperties properties);

	}

}
