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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.reactive.ReactiveSessionStatusHandler;
import dev.sessiontimeout.internal.reactive.SessionTimeoutWebFilter;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes on a reactive
 * (WebFlux) web application: the absolute and idle clocks of every session, whatever
 * store WebFlux's session manager uses (its own in-memory store, or Spring Session's
 * reactive map or Redis repositories), passive requests, and the {@code 302}/{@code 401}
 * answers with their reason. Re-authentication and privileged paths need the time of each
 * login, which the starter does not record on WebFlux yet: setting them fails startup
 * with a failure report, rather than leaving them unenforced;
 * {@code @RequiresPrivilegedSession} methods are not checked there yet, which a warning
 * says.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBooleanProperty(name = "session-timeout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
public final class SessionTimeoutReactiveAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutReactiveAutoConfiguration.class);

	static final String WARNING = "session-timeout enforces the absolute and idle lifetimes on reactive (WebFlux)"
			+ " applications, but not yet streaming responses past a deadline, or what needs the time of each"
			+ " login (policies, re-authentication, privileged operations), which fail startup when configured.";

	private static final String REACTIVE_SESSION_REPOSITORY = "org.springframework.session.ReactiveSessionRepository";

	private static final String NOT_ON_WEBFLUX_FIX = "remove it (or use -1), or run the application on Spring MVC,"
			+ " where it is enforced";

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutSettings sessionTimeoutSettings(SessionTimeoutProperties properties, Environment environment,
			ListableBeanFactory beanFactory) {
		List<Violation> violations = new ArrayList<>();
		check(violations, () -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS,
				properties.getActivity().getPassivePaths()));
		check(violations, () -> SessionTimeoutSettingsFactory
			.acrValues(SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES, properties.getPrivileged().getAcrValues()));
		check(violations, () -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS,
				properties.getPrivileged().getPaths()));
		SessionTimeoutSettings[] settings = new SessionTimeoutSettings[1];
		check(violations, () -> settings[0] = SessionTimeoutSettingsFactory.create(properties,
				platformIdle(environment, beanFactory)));
		if (violations.isEmpty()) {
			violations.addAll(notEnforcedYet(properties, settings[0]));
		}
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
		settings[0].getNotes().forEach((note) -> logger.info(SessionTimeoutMessages.note(note)));
		settings[0].getWarnings().forEach((warning) -> logger.warn(SessionTimeoutMessages.warning(warning)));
		return settings[0];
	}

	/**
	 * Return the idle timeout of the platform: Spring Session's where it keeps the
	 * sessions, else WebFlux's own.
	 */
	private static @Nullable Duration platformIdle(Environment environment, ListableBeanFactory beanFactory) {
		Duration springSession = usesSpringSession(beanFactory)
				? SessionTimeoutSettingsFactory.serverSessionTimeout(environment, "spring.session.timeout") : null;
		return (springSession != null) ? springSession
				: SessionTimeoutSettingsFactory.serverSessionTimeout(environment, "server.reactive.session.timeout");
	}

	private static boolean usesSpringSession(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = SessionTimeoutReactiveAutoConfiguration.class.getClassLoader();
		return ClassUtils.isPresent(REACTIVE_SESSION_REPOSITORY, classLoader) && beanFactory.getBeanNamesForType(
				ClassUtils.resolveClassName(REACTIVE_SESSION_REPOSITORY, classLoader), true, false).length > 0;
	}

	/**
	 * Return the settings that need the time of each login, which the starter does not
	 * record on WebFlux yet.
	 */
	private static List<Violation> notEnforcedYet(SessionTimeoutProperties properties,
			SessionTimeoutSettings settings) {
		List<Violation> violations = new ArrayList<>();
		List<String> privilegedPaths = properties.getPrivileged().getPaths();
		for (int i = 0; i < privilegedPaths.size(); i++) {
			violations
				.add(new Violation(SessionTimeoutPropertyNames.PRIVILEGED_PATHS + "[" + i + "]", privilegedPaths.get(i),
						"privileged paths are not enforced on WebFlux yet: the starter does not record when users"
								+ " sign in there",
						"remove it, or run the application on Spring MVC, where it is enforced"));
		}
		List<String> acrValues = properties.getPrivileged().getAcrValues();
		for (int i = 0; i < acrValues.size(); i++) {
			violations.add(new Violation(SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES + "[" + i + "]",
					acrValues.get(i), "bearer tokens are not checked for privileged operations on WebFlux yet",
					"remove it, or run the application on Spring MVC, where it is enforced"));
		}
		SessionTimeoutPolicy global = settings.getDefaultPolicy();
		if (global.reauthentication() != null) {
			boolean fromPreset = properties.getReauthentication() == null && properties.getPreset() != null;
			violations.add(new Violation(
					fromPreset ? SessionTimeoutPropertyNames.PREFIX + "preset"
							: SessionTimeoutPropertyNames.PREFIX + "reauthentication",
					fromPreset ? String.valueOf(properties.getPreset())
							: String.valueOf(properties.getReauthentication()),
					"re-authentication is not enforced on WebFlux yet: the starter does not record when users sign"
							+ " in there",
					fromPreset ? "set session-timeout.reauthentication=-1 with a preset-deviation, or run the"
							+ " application on Spring MVC, where it is enforced" : NOT_ON_WEBFLUX_FIX));
		}
		List<SessionTimeoutPolicyProperties> policies = properties.getPolicies();
		for (int i = 0; i < policies.size(); i++) {
			violations.add(new Violation(SessionTimeoutPropertyNames.PREFIX + "policies[" + i + "]",
					String.valueOf(policies.get(i).getName()),
					"policies are not applied on WebFlux yet: the starter does not record logins there, so every"
							+ " session would follow the global values",
					"remove it, or run the application on Spring MVC, where it is applied"));
		}
		return violations;
	}

	private static void check(List<Violation> violations, Runnable check) {
		try {
			check.run();
		}
		catch (InvalidSessionTimeoutException ex) {
			violations.addAll(ex.getViolations());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	SessionClocks sessionTimeoutClocks(SessionTimeoutSettings settings,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock, ApplicationEventPublisher eventPublisher,
			ObjectProvider<SessionPrincipalResolver> principalResolver) {
		SessionClocks clocks = new SessionClocks(settings, clock.getIfAvailable(Clock::systemUTC), eventPublisher);
		principalResolver.ifAvailable(clocks::setPrincipalResolver);
		return clocks;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutWebFilter sessionTimeoutWebFilter(SessionClocks clocks, SessionTimeoutProperties properties,
			ObjectProvider<WebSessionManager> sessionManager, ObjectProvider<SessionPrincipalResolver> principals) {
		SessionTimeoutWebFilter filter = new SessionTimeoutWebFilter(clocks, properties.getExpiredUrl(),
				SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS,
						properties.getActivity().getPassivePaths()),
				(sessionManager.getIfAvailable() instanceof DefaultWebSessionManager manager)
						? manager.getSessionIdResolver() : new CookieWebSessionIdResolver());
		if (properties.getStatus().isEnabled()) {
			filter.setStatusPath(properties.getStatus().getPath());
		}
		SessionPrincipalResolver resolver = principals.getIfAvailable();
		if (resolver != null) {
			filter.setAuthenticated((session) -> resolver.resolve(session::getAttribute) != null);
		}
		return filter;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "session-timeout.status.enabled", matchIfMissing = true)
	RouterFunction<ServerResponse> sessionTimeoutStatusRoute(SessionClocks clocks,
			SessionTimeoutProperties properties) {
		ReactiveSessionStatusHandler handler = new ReactiveSessionStatusHandler(clocks);
		String path = properties.getStatus().getPath();
		return RouterFunctions.route(RequestPredicates.GET(path).or(RequestPredicates.POST(path)), handler);
	}

	@Bean
	InitializingBean sessionTimeoutReactiveApplicationWarning() {
		return () -> logger.warn(WARNING);
	}

	/**
	 * Fails startup if a bean has a {@link RequiresPrivilegedSession} method, which
	 * nothing checks on WebFlux yet, rather than let it run for any session.
	 * @param beanFactory the bean factory
	 * @return the check
	 */
	@Bean
	static SmartInitializingSingleton sessionTimeoutReactivePrivilegedOperationsCheck(
			ConfigurableListableBeanFactory beanFactory) {
		return () -> {
			List<Violation> violations = new ArrayList<>();
			for (String name : beanFactory.getBeanDefinitionNames()) {
				Class<?> type = beanFactory.getType(name, false);
				if (type == null || type.getName().startsWith("org.springframework.")) {
					continue;
				}
				Class<?> userType = ClassUtils.getUserClass(type);
				if (MergedAnnotations.from(userType, SearchStrategy.TYPE_HIERARCHY)
					.isPresent(RequiresPrivilegedSession.class)) {
					violations.add(privilegedOperation(userType.getName()));
					continue;
				}
				ReflectionUtils.doWithMethods(userType,
						(method) -> violations.add(privilegedOperation(userType.getName() + "." + method.getName())),
						(method) -> !ReflectionUtils.isObjectMethod(method) && !method.isSynthetic()
								&& MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY)
									.isPresent(RequiresPrivilegedSession.class));
			}
			if (!violations.isEmpty()) {
				throw new InvalidSessionTimeoutException(violations.stream().distinct().toList());
			}
		};
	}

	private static Violation privilegedOperation(String where) {
		return new Violation("@RequiresPrivilegedSession", where,
				"privileged operations are not checked on WebFlux yet: the starter does not record when users"
						+ " sign in there",
				"remove the annotation, or run the application on Spring MVC, where it is checked");
	}

	/**
	 * Spring Security: the user of a session is the one of the {@link SecurityContext} it
	 * holds, under the same attribute name on WebFlux as on servlet.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityContext.class, WebSession.class })
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionPrincipalResolver sessionPrincipalResolver() {
			return new SecurityContextPrincipalResolver();
		}

	}

}
