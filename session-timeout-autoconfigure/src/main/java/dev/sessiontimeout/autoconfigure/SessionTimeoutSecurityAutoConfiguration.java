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

import java.util.Arrays;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.session.SessionRepository;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.security.AuthenticationPolicies;
import dev.sessiontimeout.internal.security.BearerTokenLoginFlow;
import dev.sessiontimeout.internal.security.LiveSessionsSessionRegistry;
import dev.sessiontimeout.internal.security.LoginFlow;
import dev.sessiontimeout.internal.security.PrivilegedDispatchFilter;
import dev.sessiontimeout.internal.security.SecuritySessionAuthenticationSupport;
import dev.sessiontimeout.internal.security.SessionAuthenticationRecorder;
import dev.sessiontimeout.internal.security.SessionChallengeFilter;
import dev.sessiontimeout.internal.security.SessionTimeoutAuthenticationStrategy;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionAuthenticationSupport;
import dev.sessiontimeout.internal.web.SessionRegistryEndListener;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes with Spring
 * Security: who a session belongs to, when its user authenticated, who may meet a
 * re-authentication or privileged challenge, and where the browser goes to meet it. It
 * imports the configurations for {@code @RequiresPrivilegedSession} (method security),
 * for Spring Security's filter chains and for Spring MVC;
 * {@link SessionTimeoutOAuth2ClientAutoConfiguration} adds OAuth 2.0 login.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(after = SessionTimeoutAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@Conditional(OnSessionTimeoutEnabledCondition.class)
@ConditionalOnClass(HttpSessionSecurityContextRepository.class)
@ConditionalOnBean(ServletSessionClocks.class)
@Import({ SessionTimeoutSecurityConfigurations.MethodSecurityConfiguration.class,
		SessionTimeoutSecurityConfigurations.HttpSecurityConfiguration.class,
		SessionTimeoutSecurityConfigurations.WebMvcConfiguration.class })
public final class SessionTimeoutSecurityAutoConfiguration {

	/**
	 * What a {@link ReactiveSessionPolicyOverride} needs on the class path: one can be
	 * declared only where Reactor is.
	 */
	private static final String REACTIVE_SESSION_POLICY_OVERRIDE_DEPENDENCY = "reactor.core.publisher.Mono";

	/**
	 * Fails startup if a security filter chain keeps the signed-in user under a session
	 * attribute of its own, where the starter would not see it.
	 * @param beanFactory the bean factory
	 * @return the check
	 */
	@Bean
	static SmartInitializingSingleton sessionTimeoutSecurityContextAttributeCheck(ListableBeanFactory beanFactory) {
		return new SecurityContextAttributeCheck(beanFactory);
	}

	/**
	 * Warns at startup of a security filter chain whose remember-me filter the
	 * application added itself, without {@code http.rememberMe()}, where the starter
	 * neither dates its logins from before their token check nor keeps it from passive
	 * requests.
	 * @param beanFactory the bean factory
	 * @return the check
	 */
	@Bean
	static SmartInitializingSingleton sessionTimeoutRememberMeChainCheck(ListableBeanFactory beanFactory) {
		return new RememberMeChainCheck(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionPrincipalResolver sessionPrincipalResolver() {
		return new SecurityContextPrincipalResolver();
	}

	@Bean
	@ConditionalOnBean(SessionRegistry.class)
	SessionRegistryEndListener sessionTimeoutSessionRegistryEndListener(SessionRegistry sessionRegistry) {
		// Spring Session's registry, however decorated, is told nothing
		return new SessionRegistryEndListener(LiveSessionsSessionRegistry.undecorated(sessionRegistry));
	}

	@Bean
	@ConditionalOnMissingBean
	AuthenticationPolicies sessionTimeoutAuthenticationPolicies(SessionTimeoutSettings settings,
			ObjectProvider<SessionPolicyOverride> overrides, ObjectProvider<RoleHierarchy> roleHierarchy,
			ListableBeanFactory beanFactory) {
		if (ClassUtils.isPresent(REACTIVE_SESSION_POLICY_OVERRIDE_DEPENDENCY,
				SessionTimeoutSecurityAutoConfiguration.class.getClassLoader())) {
			String[] reactiveOverrides = beanFactory.getBeanNamesForType(ReactiveSessionPolicyOverride.class, true,
					false);
			if (reactiveOverrides.length > 0) {
				throw new InvalidSessionTimeoutException(Arrays.stream(reactiveOverrides)
					.map((name) -> new Violation("ReactiveSessionPolicyOverride", name,
							"a ReactiveSessionPolicyOverride is applied on WebFlux only, and this is a servlet"
									+ " application",
							"declare a dev.sessiontimeout.SessionPolicyOverride instead, which servlet applications"
									+ " apply"))
					.toList());
			}
		}
		// The role hierarchy that Spring Security's URL rules and method security apply
		return new AuthenticationPolicies(settings, overrides.orderedStream().toList(), roleHierarchy.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean(SessionAuthenticationSupport.class)
	SecuritySessionAuthenticationSupport sessionTimeoutAuthenticationSupport(
			ObjectProvider<WebInvocationPrivilegeEvaluator> privilegeEvaluator,
			ObjectProvider<RequestCache> requestCache, ObjectProvider<LoginFlow> loginFlows,
			ObjectProvider<FilterChainProxy> filterChainProxy, AuthenticationPolicies policies) {
		return new SecuritySessionAuthenticationSupport(privilegeEvaluator::getIfAvailable,
				requestCache.getIfAvailable(HttpSessionRequestCache::new), loginFlows.orderedStream().toList(),
				filterChainProxy::getIfUnique, policies);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionAuthenticationRecorder sessionTimeoutAuthenticationRecorder(ServletSessionClocks clocks,
			ObjectProvider<LoginFlow> loginFlows, AuthenticationPolicies policies) {
		return new SessionAuthenticationRecorder(clocks, loginFlows.orderedStream().toList(), policies);
	}

	@Bean
	@ConditionalOnMissingBean(name = "sessionTimeoutPrivilegedDispatchFilterRegistration")
	FilterRegistrationBean<PrivilegedDispatchFilter> sessionTimeoutPrivilegedDispatchFilterRegistration(
			ServletSessionClocks clocks, ServletSessionAnswers answers, ObjectProvider<LoginFlow> loginFlows,
			AuthenticationPolicies policies, ListableBeanFactory beanFactory) {
		FilterRegistrationBean<PrivilegedDispatchFilter> registration = new FilterRegistrationBean<>(
				new PrivilegedDispatchFilter(clocks, answers, () -> loginFlows.orderedStream().toList(),
						policies::getRoleHierarchy));
		// Right after the SessionTimeoutFilter (the application's own registration
		// too), which answers an asynchronous dispatch of an ended session first
		registration.setOrder(SessionTimeoutFilterRegistrations.privilegedDispatchOrder(beanFactory));
		// FORWARD, INCLUDE, ERROR and ASYNC (to another path than the request's own)
		registration.setDispatcherTypes(PrivilegedDispatchFilter.DISPATCHER_TYPES[0], Arrays.copyOfRange(
				PrivilegedDispatchFilter.DISPATCHER_TYPES, 1, PrivilegedDispatchFilter.DISPATCHER_TYPES.length));
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean(name = SessionTimeoutFilterRegistrations.AFTER_SECURITY_CHAINS_REGISTRATION)
	FilterRegistrationBean<Filter> sessionTimeoutAfterSecurityChainsFilterRegistration(ServletSessionClocks clocks,
			ServletSessionAnswers answers, ListableBeanFactory beanFactory, Environment environment) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
				SessionChallengeFilter.afterSecurityChains(answers, clocks));
		registration.setName("sessionTimeoutAfterSecurityChainsFilter");
		// Right after Spring Security's filter chain: a path that a filter of the
		// application rewrote to a privileged one that no chain covers is judged
		// there, and a zero-age grant that no chain claimed is claimed there
		SessionTimeoutFilterRegistrations.AfterSecurityChains afterSecurityChains = SessionTimeoutFilterRegistrations
			.afterSecurityChains(beanFactory, environment);
		registration.setOrder(afterSecurityChains.order());
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		// Also without privileged paths: a challenge to authenticate again that the
		// decision left to a chain is answered there when no chain ran (a path an
		// application's filter rewrote to an ignored one); a request costs one read
		// of a request attribute then
		// Nothing is ordered after a Spring Security ordered last: the filter could run
		// before its chain, answering what the chain decides (a request of another user
		// by HTTP Basic) and claiming a grant that its authorization refuses
		registration.setEnabled(afterSecurityChains.hasRoom());
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutAuthenticationStrategy sessionTimeoutAuthenticationStrategy(ServletSessionClocks clocks,
			SessionAuthenticationRecorder recorder) {
		return new SessionTimeoutAuthenticationStrategy(clocks, recorder);
	}

	/**
	 * Spring Security's resource server: the authentication time of a bearer token is its
	 * {@code auth_time} claim.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AbstractOAuth2TokenAuthenticationToken.class)
	static class ResourceServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BearerTokenLoginFlow sessionTimeoutBearerTokenLoginFlow() {
			return new BearerTokenLoginFlow();
		}

	}

	/**
	 * Spring Security's concurrent-session control: the application's
	 * {@link SessionRegistry} counts no session that the starter ended and the store
	 * still holds (past a deadline with no request since, or revoked), which Spring
	 * Session's {@code SpringSessionBackedSessionRegistry} would. The registry keeps its
	 * class where it can be subclassed, so that it may still be injected as the class
	 * declared.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	static class ConcurrentSessionsConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static BeanPostProcessor sessionTimeoutSessionRegistryPostProcessor(
				ObjectProvider<SpringSessionUserSessions> userSessions) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof SessionRegistry registry && !LiveSessionsSessionRegistry.isDecorated(bean)) {
						return LiveSessionsSessionRegistry.decorate(registry, userSessions::getIfUnique);
					}
					return bean;
				}

			};
		}

	}

}
