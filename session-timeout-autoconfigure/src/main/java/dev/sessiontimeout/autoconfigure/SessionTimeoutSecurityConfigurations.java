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

import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.MappedInterceptor;

import dev.sessiontimeout.internal.security.AuthenticationPolicies;
import dev.sessiontimeout.internal.security.BearerPrivilegedPathFilter;
import dev.sessiontimeout.internal.security.BearerTokenCarriedAuthoritiesFilter;
import dev.sessiontimeout.internal.security.LoginFlow;
import dev.sessiontimeout.internal.security.PrivilegedSessionAuthorizationManager;
import dev.sessiontimeout.internal.security.PrivilegedSessionExceptionResolver;
import dev.sessiontimeout.internal.security.ReauthenticationDenialFilter;
import dev.sessiontimeout.internal.session.PrivilegedOperations;
import dev.sessiontimeout.internal.security.SessionChallengeFilter;
import dev.sessiontimeout.internal.security.SessionTimeoutAuthenticationStrategy;
import dev.sessiontimeout.internal.security.UncoveredPathChallengeInterceptor;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * Configurations for Spring Security that {@link SessionTimeoutSecurityAutoConfiguration}
 * imports.
 *
 * @author session-timeout
 */
final class SessionTimeoutSecurityConfigurations {

	private SessionTimeoutSecurityConfigurations() {
	}

	/**
	 * {@code @RequiresPrivilegedSession}: an infrastructure advisor after
	 * {@code @PreAuthorize} and {@code @RolesAllowed}, and an auto-proxy creator to apply
	 * it when Spring Boot registers none.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(AutoProxyRegistrar.class)
	static class MethodSecurityConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static AuthorizationManagerBeforeMethodInterceptor sessionTimeoutPrivilegedSessionInterceptor(
				ObjectProvider<ServletSessionClocks> clocks, ObjectProvider<LoginFlow> loginFlows,
				ObjectProvider<PrivilegedOperations> privilegedOperations,
				ObjectProvider<AuthenticationPolicies> policies, Environment environment) {
			// The role hierarchy that session logins choose their policies with
			SingletonSupplier<AuthenticationPolicies> authenticationPolicies = SingletonSupplier
				.of(policies::getObject);
			AuthorizationManagerBeforeMethodInterceptor interceptor = new AuthorizationManagerBeforeMethodInterceptor(
					PrivilegedSessionPointcuts.pointcut(privilegedOperations.getIfAvailable(PrivilegedOperations::new),
							environment),
					new PrivilegedSessionAuthorizationManager(clocks::getObject,
							() -> loginFlows.orderedStream().toList(),
							() -> authenticationPolicies.obtain().getRoleHierarchy()));
			interceptor.setOrder(AuthorizationInterceptorsOrder.JSR250.getOrder() + 1);
			return interceptor;
		}

	}

	/**
	 * Every {@code SecurityFilterChain} built with {@link HttpSecurity}: the step-up
	 * check at login, challenges answered after authorization, the reason shown on Spring
	 * Security's generated login page, and no remember-me login for a passive request.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpSecurity.class)
	static class HttpSecurityConfiguration {

		@SuppressWarnings("unchecked")
		private static final @Nullable Class<? extends Filter> BEARER_TOKEN_AUTHENTICATION_FILTER = ClassUtils
			.isPresent(BearerTokenCarriedAuthoritiesFilter.BEARER_TOKEN_AUTHENTICATION_FILTER,
					HttpSecurityConfiguration.class.getClassLoader())
							? (Class<? extends Filter>) ClassUtils.resolveClassName(
									BearerTokenCarriedAuthoritiesFilter.BEARER_TOKEN_AUTHENTICATION_FILTER,
									HttpSecurityConfiguration.class.getClassLoader())
							: null;

		@Bean
		Customizer<HttpSecurity> sessionTimeoutHttpSecurityCustomizer(
				SessionTimeoutAuthenticationStrategy authenticationStrategy, ServletSessionAnswers answers,
				SessionTimeoutResponder responder, MessageSource messageSource, ServletSessionClocks clocks,
				ObjectProvider<LoginFlow> loginFlows, AuthenticationPolicies policies) {
			return (http) -> {
				http.sessionManagement((sessions) -> sessions.addSessionAuthenticationStrategy(authenticationStrategy));
				http.addFilterBefore(new ReauthenticationDenialFilter(answers), AuthorizationFilter.class);
				http.addFilterAfter(new SessionChallengeFilter(answers, clocks), AuthorizationFilter.class);
				http.addFilterAfter(new BearerPrivilegedPathFilter(clocks, answers,
						() -> loginFlows.orderedStream().toList(), policies::getRoleHierarchy),
						AuthorizationFilter.class);
				if (BEARER_TOKEN_AUTHENTICATION_FILTER != null) {
					// Tells the authorities that Spring Security adds to a bearer token's
					// authentication from the session's user apart from the token's own;
					// the login flows are looked up once, at the first request, not per
					// request
					http.addFilterBefore(
							new BearerTokenCarriedAuthoritiesFilter(
									SingletonSupplier.of(() -> loginFlows.orderedStream().toList())),
							BEARER_TOKEN_AUTHENTICATION_FILTER);
				}
				http.with(new GeneratedLoginPageConfigurer(responder.getExpiredUrl(), messageSource));
				// With remember-me: no passive request signs in by it, and a
				// remember-me login is dated from before its token check
				http.with(new PassiveRememberMeConfigurer(clocks));
			};
		}

	}

	/**
	 * A privileged method called from a Spring MVC handler is answered with a challenge,
	 * before the application's own exception handlers turn it into a 403; with privileged
	 * paths, a path that a filter of the application rewrote to a privileged one after
	 * Spring Security's filter chain and the filter that follows it is judged right
	 * before the handler.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherServlet.class)
	static class WebMvcConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PrivilegedSessionExceptionResolver sessionTimeoutPrivilegedSessionExceptionResolver(
				ServletSessionAnswers answers) {
			return new PrivilegedSessionExceptionResolver(answers);
		}

		/**
		 * The interceptor as a {@link MappedInterceptor} bean of all paths, which every
		 * handler mapping detects: an actuator endpoint's, an application's own, and
		 * those of an application that configures Spring MVC itself, not only the ones
		 * that {@code WebMvcConfigurationSupport} builds with its
		 * {@code InterceptorRegistry}. A handler mapping puts the detected beans ahead of
		 * the interceptors it was given (a registry's, whatever their order), so no
		 * handler of the application runs on a path it was not judged on; among such
		 * beans of the application it comes in bean definition order, after the
		 * application's own. Without privileged paths it lets every request through at
		 * once.
		 * @param answers answers requests whose user must authenticate again
		 * @param clocks the session clocks of servlet requests
		 * @return the interceptor of all paths
		 */
		@Bean
		MappedInterceptor sessionTimeoutUncoveredPathInterceptor(ServletSessionAnswers answers,
				ServletSessionClocks clocks) {
			return new MappedInterceptor(null, new UncoveredPathChallengeInterceptor(answers, clocks));
		}

	}

}
