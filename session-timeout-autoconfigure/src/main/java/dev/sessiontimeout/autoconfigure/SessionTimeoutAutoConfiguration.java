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
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
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
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.context.annotation.Role;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.internal.security.LoginFlow;
import dev.sessiontimeout.internal.security.OidcLoginFlow;
import dev.sessiontimeout.internal.security.OidcStepUpAuthorizationRequestCustomizer;
import dev.sessiontimeout.internal.security.PrivilegedSessionAuthorizationManager;
import dev.sessiontimeout.internal.security.PrivilegedSessionExceptionResolver;
import dev.sessiontimeout.internal.security.RequiresPrivilegedSessionPointcut;
import dev.sessiontimeout.internal.security.SecuritySessionAuthenticationSupport;
import dev.sessiontimeout.internal.security.SessionChallengeFilter;
import dev.sessiontimeout.internal.security.SessionAuthenticationRecorder;
import dev.sessiontimeout.internal.security.StepUpSessionAuthenticationStrategy;
import dev.sessiontimeout.internal.web.ContainerSessionCookieWriter;
import dev.sessiontimeout.internal.web.CookieMaxAgeInterceptor;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.SessionCookieWriter;
import dev.sessiontimeout.internal.web.SpringSessionCookieWriter;
import dev.sessiontimeout.internal.web.SessionAuthenticationSupport;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.web.PassiveRequestMatcher;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.SessionEndListener;
import dev.sessiontimeout.internal.web.SessionRegistryEndListener;
import dev.sessiontimeout.internal.web.SessionStatusController;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes: absolute,
 * idle, re-authentication and privileged clocks enforced on any Spring Session store or
 * on the container's sessions.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
		"org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "session-timeout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
public final class SessionTimeoutAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutAutoConfiguration.class);

	private static final String SERVER_SESSION_TIMEOUT = "server.servlet.session.timeout";

	private static final ConfigurationPropertyName SPRING_BOOT_3_REDIS_SESSION = ConfigurationPropertyName
		.of("spring.session.redis");

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutSettings sessionTimeoutSettings(SessionTimeoutProperties properties,
			ObjectProvider<PlatformSessionTimeout> platformSessionTimeout, Environment environment) {
		Duration platformIdle = platformSessionTimeout.getIfAvailable(() -> () -> serverSessionTimeout(environment))
			.get();
		SessionTimeoutSettings settings = SessionTimeoutSettingsFactory.create(properties, platformIdle);
		settings.getNotes().forEach((note) -> logger.info(SessionTimeoutMessages.note(note)));
		settings.getWarnings().forEach((warning) -> logger.warn(SessionTimeoutMessages.warning(warning)));
		warnOfSpringBoot3SessionProperties(environment);
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

	private static @Nullable Duration serverSessionTimeout(Environment environment) {
		return SessionTimeoutSettingsFactory.serverSessionTimeout(environment, SERVER_SESSION_TIMEOUT);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutResponder sessionTimeoutResponder(SessionTimeoutProperties properties) {
		return new SessionTimeoutResponder(properties.getExpiredUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	SessionClocks sessionTimeoutClocks(SessionTimeoutSettings settings,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock, ApplicationEventPublisher eventPublisher,
			ObjectProvider<SessionPrincipalResolver> principalResolver,
			ObjectProvider<SessionEndListener> sessionEndListeners, ObjectProvider<EndedSessions> endedSessions) {
		SessionClocks clocks = new SessionClocks(settings, clock.getIfAvailable(Clock::systemUTC), eventPublisher);
		principalResolver.ifAvailable(clocks::setPrincipalResolver);
		clocks.setSessionEndListeners(sessionEndListeners.orderedStream().toList());
		endedSessions.ifAvailable(clocks::setEndedSessions);
		return clocks;
	}

	@Bean
	@ConditionalOnMissingBean
	ServletSessionClocks sessionTimeoutServletClocks(SessionClocks clocks, SessionTimeoutResponder responder,
			SessionTimeoutProperties properties, ObjectProvider<SessionAuthenticationSupport> authenticationSupport,
			ObjectProvider<SessionCookieWriter> cookieWriter) {
		ServletSessionClocks servletClocks = new ServletSessionClocks(clocks, responder,
				new PassiveRequestMatcher(properties.getActivity().getPassivePaths(),
						properties.getStatus().isEnabled() ? properties.getStatus().getPath() : null));
		authenticationSupport.ifAvailable(servletClocks::setAuthenticationSupport);
		cookieWriter.ifAvailable(servletClocks::setCookieWriter);
		servletClocks.setPrivilegedPaths(
				PathPatterns.parse("session-timeout.privileged.paths", properties.getPrivileged().getPaths()));
		return servletClocks;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutFilter sessionTimeoutFilter(ServletSessionClocks clocks) {
		return new SessionTimeoutFilter(clocks);
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
	@ConditionalOnClass(SessionRepository.class)
	static class SpringSessionEndedSessionsConfiguration {

		private static final boolean REDIS_PRESENT = ClassUtils.isPresent(
				"org.springframework.session.data.redis.RedisSessionRepository",
				SpringSessionEndedSessionsConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean
		EndedSessions sessionTimeoutEndedSessions(ObjectProvider<SessionRepository<?>> repositories,
				Environment environment) {
			SessionRepository<?> repository = repositories.getIfUnique();
			EndedSessions redis = REDIS_PRESENT ? RedisEndedSessions.of(repository,
					environment.getProperty("spring.session.data.redis.namespace", "spring:session")) : null;
			if (redis != null) {
				return redis;
			}
			if (repository instanceof FindByIndexNameSessionRepository<?> indexed) {
				return IndexedRepositoryEndedSessions.of(indexed);
			}
			if (repository != null && !(repository instanceof MapSessionRepository)) {
				logger.warn("Why sessions ended is remembered in this node's memory only: "
						+ repository.getClass().getName() + " is none of Spring Session's JDBC and Redis stores, "
						+ "so other nodes answer requests with an ended session's id with reason invalid "
						+ "(declare an EndedSessions bean to remember it in your store)");
			}
			return new InMemoryEndedSessions();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CookieSerializer.class)
	static class SpringSessionCookieConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static BeanPostProcessor sessionTimeoutCookieSerializerPostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof CookieSerializer) ? CookieMaxAgeInterceptor.decorate(bean) : bean;
				}

			};
		}

		@Bean
		@ConditionalOnMissingBean
		SessionCookieWriter sessionTimeoutCookieWriter(ObjectProvider<CookieSerializer> cookieSerializer) {
			return new SpringSessionCookieWriter(cookieSerializer::getIfUnique, new ContainerSessionCookieWriter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnBooleanProperty(name = "session-timeout.status.enabled", matchIfMissing = true)
	static class SessionStatusConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionStatusController sessionStatusController(ServletSessionClocks clocks) {
			return new SessionStatusController(clocks);
		}

	}

	/**
	 * Serves the countdown banner's browser script ahead of Spring Session and Spring
	 * Security, see {@link SessionTimeoutScriptFilter}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "session-timeout.script.enabled", matchIfMissing = true)
	static class ScriptConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "sessionTimeoutScriptFilterRegistration")
		FilterRegistrationBean<SessionTimeoutScriptFilter> sessionTimeoutScriptFilterRegistration() {
			FilterRegistrationBean<SessionTimeoutScriptFilter> registration = new FilterRegistrationBean<>(
					new SessionTimeoutScriptFilter());
			registration.setOrder(SessionTimeoutScriptFilter.ORDER);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			registration.addUrlPatterns(SessionTimeoutScriptFilter.PATH);
			return registration;
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
	@Import(AutoProxyRegistrar.class)
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
		@ConditionalOnMissingBean(SessionAuthenticationSupport.class)
		SecuritySessionAuthenticationSupport sessionTimeoutAuthenticationSupport(
				ObjectProvider<WebInvocationPrivilegeEvaluator> privilegeEvaluator,
				ObjectProvider<RequestCache> requestCache, ObjectProvider<LoginFlow> loginFlows,
				ObjectProvider<FilterChainProxy> filterChainProxy) {
			return new SecuritySessionAuthenticationSupport(privilegeEvaluator::getIfAvailable,
					requestCache.getIfAvailable(HttpSessionRequestCache::new), loginFlows.orderedStream().toList(),
					filterChainProxy::getIfUnique);
		}

		@Bean
		@ConditionalOnMissingBean
		SessionAuthenticationRecorder sessionTimeoutAuthenticationRecorder(SessionTimeoutSettings settings,
				ServletSessionClocks clocks, ObjectProvider<LoginFlow> loginFlows,
				ObjectProvider<SessionPolicyOverride> overrides) {
			return new SessionAuthenticationRecorder(settings, clocks, loginFlows.orderedStream().toList(),
					overrides.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		StepUpSessionAuthenticationStrategy sessionTimeoutStepUpSessionAuthenticationStrategy(
				ServletSessionClocks clocks, SessionAuthenticationRecorder recorder) {
			return new StepUpSessionAuthenticationStrategy(clocks, recorder);
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static AuthorizationManagerBeforeMethodInterceptor sessionTimeoutPrivilegedSessionInterceptor(
				ObjectProvider<ServletSessionClocks> clocks) {
			AuthorizationManagerBeforeMethodInterceptor interceptor = new AuthorizationManagerBeforeMethodInterceptor(
					new RequiresPrivilegedSessionPointcut(),
					new PrivilegedSessionAuthorizationManager(clocks::getObject));
			interceptor.setOrder(AuthorizationInterceptorsOrder.JSR250.getOrder() + 1);
			return interceptor;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(HttpSecurity.class)
		static class HttpSecurityConfiguration {

			@Bean
			Customizer<HttpSecurity> sessionTimeoutHttpSecurityCustomizer(
					StepUpSessionAuthenticationStrategy stepUpStrategy, ServletSessionClocks clocks,
					SessionTimeoutResponder responder, MessageSource messageSource) {
				return (http) -> {
					http.sessionManagement((sessions) -> sessions.addSessionAuthenticationStrategy(stepUpStrategy));
					http.addFilterAfter(new SessionChallengeFilter(clocks), AuthorizationFilter.class);
					http.with(new GeneratedLoginPageConfigurer(responder.getExpiredUrl(), messageSource));
				};
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(DispatcherServlet.class)
		static class WebMvcConfiguration {

			@Bean
			@ConditionalOnMissingBean
			PrivilegedSessionExceptionResolver sessionTimeoutPrivilegedSessionExceptionResolver(
					ServletSessionClocks clocks) {
				return new PrivilegedSessionExceptionResolver(clocks);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ OAuth2AuthenticationToken.class, OAuth2AuthorizationRequestResolver.class })
		static class OAuth2LoginConfiguration {

			@Bean
			@ConditionalOnMissingBean
			OidcLoginFlow sessionTimeoutOidcLoginFlow() {
				return new OidcLoginFlow();
			}

			@Bean
			@ConditionalOnMissingBean
			OidcStepUpAuthorizationRequestCustomizer sessionTimeoutOidcStepUpAuthorizationRequestCustomizer() {
				return new OidcStepUpAuthorizationRequestCustomizer();
			}

			@Bean
			@ConditionalOnBean(ClientRegistrationRepository.class)
			@ConditionalOnMissingBean(OAuth2AuthorizationRequestResolver.class)
			DefaultOAuth2AuthorizationRequestResolver sessionTimeoutOAuth2AuthorizationRequestResolver(
					ClientRegistrationRepository clientRegistrations,
					OidcStepUpAuthorizationRequestCustomizer stepUpCustomizer) {
				DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(
						clientRegistrations,
						OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
				resolver.setAuthorizationRequestCustomizer(stepUpCustomizer);
				return resolver;
			}

		}

	}

}
