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

import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.session.SessionDestroyedEvent;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.RememberMeAuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.NullRememberMeServices;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationFilter;
import org.springframework.security.web.authentication.rememberme.TokenBasedRememberMeServices;
import dev.sessiontimeout.internal.security.LiveSessionsSessionRegistry;
import dev.sessiontimeout.internal.security.PassiveRememberMeFilter;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.oauth2.client.oidc.session.InMemoryOidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionRegistry;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.autoconfigure.FixedClockRequests.FixedClockConfiguration;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.security.BearerTokenLoginFlow;
import dev.sessiontimeout.internal.security.StoredOidcSessionRegistry;
import dev.sessiontimeout.internal.security.OidcLoginFlow;
import dev.sessiontimeout.internal.security.OidcStepUpAuthorizationRequestCustomizer;
import dev.sessiontimeout.internal.security.PrivilegedSessionExceptionResolver;
import dev.sessiontimeout.internal.security.RequiresPrivilegedSessionPointcut;
import dev.sessiontimeout.internal.security.SecuritySessionAuthenticationSupport;
import dev.sessiontimeout.internal.security.SessionAuthenticationRecorder;
import dev.sessiontimeout.internal.security.SessionTimeoutAuthenticationStrategy;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.web.SessionRegistryEndListener;
import dev.sessiontimeout.internal.web.SessionStatusController;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

import static dev.sessiontimeout.autoconfigure.FixedClockRequests.FIXED;
import static dev.sessiontimeout.autoconfigure.FixedClockRequests.filter;
import static dev.sessiontimeout.autoconfigure.FixedClockRequests.sessionCreatedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.BDDMockito.mock;

/**
 * Tests for {@link SessionTimeoutSecurityAutoConfiguration} and
 * {@link SessionTimeoutOAuth2ClientAutoConfiguration}.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionTimeoutSecurityAutoConfigurationTests {

	private static final String[] SECURITY_BEANS = { "sessionTimeoutPrivilegedDispatchFilterRegistration",
			"sessionTimeoutAuthenticationSupport", "sessionTimeoutAuthenticationRecorder",
			"sessionTimeoutAuthenticationStrategy", "sessionTimeoutPrivilegedSessionInterceptor",
			"sessionTimeoutHttpSecurityCustomizer", "sessionTimeoutPrivilegedSessionExceptionResolver" };

	private static final String[] OAUTH2_BEANS = { "sessionTimeoutOidcLoginFlow",
			"sessionTimeoutOidcStepUpAuthorizationRequestCustomizer",
			"sessionTimeoutOAuth2AuthorizationRequestResolver" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class));

	/**
	 * The startup check of the attribute that a chain keeps the security context under
	 * asks Spring Security's session repository only: a repository of the application's
	 * own (a store of its own, say) is never made to save anything at startup.
	 */
	@Test
	void securityContextAttributeCheckWhenTheChainHoldsARepositoryOfItsOwnThenNeverSavesThroughIt() {
		RecordingSecurityContextRepository own = new RecordingSecurityContextRepository();
		this.contextRunner
			.withBean("ownChain", SecurityFilterChain.class,
					() -> new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE,
							new SecurityContextHolderFilter(new DelegatingSecurityContextRepository(
									new HttpSessionSecurityContextRepository(), own))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(own.saved).as("contexts saved through the application's own repository").isZero();
			});
	}

	@Test
	void reactivePolicyOverrideWhenDeclaredInAServletApplicationThenStartupFailsRatherThanLeaveItUnapplied() {
		AtomicReference<Environment> environment = new AtomicReference<>();
		this.contextRunner
			.withBean("unknownDevices", ReactiveSessionPolicyOverride.class,
					() -> (policy, authentication, exchange) -> Mono.just(policy))
			.withInitializer((context) -> environment.set(context.getEnvironment()))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(environment.get())
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: ReactiveSessionPolicyOverride",
						"Value: \"unknownDevices\"",
						"Rule: a ReactiveSessionPolicyOverride is applied on WebFlux only, and this is a servlet application");
				assertThat(analysis.getAction()).contains("declare a dev.sessiontimeout.SessionPolicyOverride instead");
			});
	}

	@Test
	void principalResolverWhenUserDefinedThenAutoConfigurationBacksOffAndFilterUsesIt() {
		this.contextRunner
			.withUserConfiguration(UserPrincipalResolverConfiguration.class, FixedClockConfiguration.class,
					EventsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionPrincipalResolver.class)
					.doesNotHaveBean(SecurityContextPrincipalResolver.class);
				filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				List<SessionTimeoutEvent> events = context.getBean(EventsConfiguration.class).events;
				assertThat(events).singleElement().satisfies((event) -> {
					assertThat(event.getReason()).isEqualTo(ExpiryReason.ABSOLUTE);
					assertThat(event.getPrincipal()).isEqualTo("alice");
				});
			});
	}

	@Test
	void autoConfigurationWhenSpringSecurityMissingThenNoSecurityPrincipalResolver() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionPrincipalResolver.class)
				.hasSingleBean(SessionTimeoutSettings.class)
				.hasSingleBean(SessionTimeoutFilter.class)
				.hasSingleBean(SessionTimeoutResponder.class)
				.hasBean("sessionTimeoutFilterRegistration");
			MockHttpSession session = new MockHttpSession();
			assertThat(filter(context, session).getStatus()).isEqualTo(HttpServletResponse.SC_OK);
			assertThat(SessionAttributes.hasState(session::getAttribute)).isTrue();
		});
	}

	@Test
	void autoConfigurationWhenSpringSecurityMissingThenEndedSessionHasNoPrincipal() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withUserConfiguration(FixedClockConfiguration.class, EventsConfiguration.class)
			.run((context) -> {
				filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				assertThat(context.getBean(EventsConfiguration.class).events).singleElement()
					.satisfies((event) -> assertThat(event.getPrincipal()).isNull());
			});
	}

	@Test
	void authenticationListenerWhenSpringSecurityPresentThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("sessionTimeoutAuthenticationRecorder"));
	}

	@Test
	void authenticationListenerWhenSpringSecurityAbsentThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("sessionTimeoutAuthenticationRecorder")
				.hasSingleBean(SessionStatusController.class));
	}

	@Test
	void sessionRegistryListenerWhenRegistryPresentThenRegistered() {
		this.contextRunner.withBean(SessionRegistry.class, SessionRegistryImpl::new)
			.run((context) -> assertThat(context).hasSingleBean(SessionRegistryEndListener.class));
	}

	/**
	 * The registry keeps its class, so that it may be injected as the class declared (as
	 * Spring Session's reference does with its
	 * {@code SpringSessionBackedSessionRegistry}).
	 */
	@Test
	void sessionRegistryWhenItsClassCanBeSubclassedThenDecoratedAsItsClass() {
		this.contextRunner.withBean("sessionRegistry", SessionRegistryImpl.class, SessionRegistryImpl::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionRegistry registry = context.getBean(SessionRegistryImpl.class);
				assertThat(LiveSessionsSessionRegistry.isDecorated(registry)).isTrue();
				assertThat(context).hasSingleBean(SessionRegistryEndListener.class);
			});
	}

	/**
	 * Spring Session's reference calls the registry's {@code @Bean} method in a proxied
	 * configuration, which must answer a bean of the method's class.
	 */
	@Test
	void sessionRegistryWhenItsBeanMethodIsCalledInAProxiedConfigurationThenAnswersItsClass() {
		this.contextRunner.withUserConfiguration(RegistryBeanMethodCall.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("registryUser", SessionRegistryImpl.class))
				.isSameAs(context.getBean("sessionRegistry"));
			assertThat(LiveSessionsSessionRegistry.isDecorated(context.getBean("sessionRegistry"))).isTrue();
		});
	}

	@Configuration
	static class RegistryBeanMethodCall {

		@Bean
		SessionRegistryImpl sessionRegistry() {
			return new SessionRegistryImpl();
		}

		@Bean
		SessionRegistryImpl registryUser() {
			return sessionRegistry();
		}

	}

	/**
	 * Spring Security's {@code SessionRegistryImpl} listens to session events (a
	 * destroyed session leaves it). A registry of a class that cannot be subclassed is
	 * decorated without its class, yet must still hear them: the context keeps the bean's
	 * name as a listener of the events its class declares.
	 */
	@Test
	void sessionRegistryWhenItsClassIsFinalThenItStillHearsSessionEvents() {
		this.contextRunner.withBean("sessionRegistry", FinalSessionRegistry.class, FinalSessionRegistry::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionRegistry registry = context.getBean(SessionRegistry.class);
				assertThat(LiveSessionsSessionRegistry.isDecorated(registry)).isTrue();
				registry.registerNewSession("destroyed-session", "alice");
				context.publishEvent(new DestroyedSession("destroyed-session"));
				assertThat(registry.getSessionInformation("destroyed-session"))
					.as("the session the registry heard of as destroyed")
					.isNull();
			});
	}

	static final class FinalSessionRegistry extends SessionRegistryImpl {

	}

	/**
	 * A session destroyed, as the servlet container's event tells it.
	 */
	static final class DestroyedSession extends SessionDestroyedEvent {

		private final String id;

		DestroyedSession(String id) {
			super(id);
			this.id = id;
		}

		@Override
		public List<SecurityContext> getSecurityContexts() {
			return List.of();
		}

		@Override
		public String getId() {
			return this.id;
		}

	}

	@Test
	void sessionRegistryWhenSpringSessionAbsentThenNotDecorated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
			.withBean(SessionRegistry.class, SessionRegistryImpl::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(LiveSessionsSessionRegistry.isDecorated(context.getBean(SessionRegistry.class))).isFalse();
				assertThat(context).hasSingleBean(SessionRegistryEndListener.class);
			});
	}

	@Test
	void sessionRegistryListenerWhenNoRegistryThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionRegistryEndListener.class));
	}

	@Test
	void securityBeansWhenSpringSecurityPresentThenRegistered() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SecuritySessionAuthenticationSupport.class)
				.hasSingleBean(SessionAuthenticationRecorder.class)
				.hasSingleBean(SessionTimeoutAuthenticationStrategy.class)
				.hasSingleBean(PrivilegedSessionExceptionResolver.class)
				.hasSingleBean(OidcLoginFlow.class)
				.hasSingleBean(OidcStepUpAuthorizationRequestCustomizer.class)
				.hasBean("sessionTimeoutHttpSecurityCustomizer")
				.doesNotHaveBean(OAuth2AuthorizationRequestResolver.class);
			assertThat(context.getBean("sessionTimeoutHttpSecurityCustomizer")).isInstanceOf(Customizer.class);
			assertThat(context.getBean("sessionTimeoutPrivilegedSessionInterceptor")).isInstanceOfSatisfying(
					AuthorizationManagerBeforeMethodInterceptor.class,
					(interceptor) -> assertThat(interceptor.getPointcut())
						.isInstanceOf(RequiresPrivilegedSessionPointcut.class));
			assertThat(
					context.getBeanFactory().getBeanDefinition("sessionTimeoutPrivilegedSessionInterceptor").getRole())
				.isEqualTo(BeanDefinition.ROLE_INFRASTRUCTURE);
		});
	}

	@Test
	void privilegedDispatchFilterRegistrationThenForEveryLaterDispatchRightAfterTheSessionTimeoutFilter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			FilterRegistrationBean<?> registration = context
				.getBean("sessionTimeoutPrivilegedDispatchFilterRegistration", FilterRegistrationBean.class);
			assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.FORWARD,
					DispatcherType.INCLUDE, DispatcherType.ERROR, DispatcherType.ASYNC);
			assertThat(registration.getOrder()).isEqualTo(SessionTimeoutFilter.DEFAULT_ORDER + 1);
		});
	}

	@Test
	void securityBeansWhenSpringSecurityMissingThenAbsentAndContextStarts() {
		// Privileged paths fail startup without Spring Security, which records when the
		// user authenticated (PrivilegedAnnotationWithoutSpringSecurityTests)
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("session-timeout.activity.passive-paths=/api/poll")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SessionTimeoutFilter.class);
				for (String name : SECURITY_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
				for (String name : OAUTH2_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
			});
	}

	@Test
	void oauth2BeansWhenOAuth2ClientMissingThenAbsentAndOtherSecurityBeansPresent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2"))
			.withBean(ClientRegistrationRepository.class,
					SessionTimeoutSecurityAutoConfigurationTests::clientRegistrations)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String name : SECURITY_BEANS) {
					assertThat(context).hasBean(name);
				}
				for (String name : OAUTH2_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
			});
	}

	@Test
	void bearerTokenLoginFlowWhenTheResourceServerIsOnTheClasspathThenPresentElseAbsent() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(BearerTokenLoginFlow.class));
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2.server.resource"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BearerTokenLoginFlow.class));
	}

	@Test
	void oidcSessionRegistryWhenSpringSessionIsPresentThenKeptInTheStoreAndBacksOffForTheApplicationsOwn() {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class,
					SessionTimeoutSecurityAutoConfigurationTests::clientRegistrations)
			.run((context) -> assertThat(context).getBean(OidcSessionRegistry.class)
				.isInstanceOf(StoredOidcSessionRegistry.class));
		this.contextRunner.withBean(OidcSessionRegistry.class, InMemoryOidcSessionRegistry::new)
			.run((context) -> assertThat(context).getBean(OidcSessionRegistry.class)
				.isInstanceOf(InMemoryOidcSessionRegistry.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OidcSessionRegistry.class));
	}

	@Test
	void oidcSessionRegistryWhenARegistrationNamesUsersByAnotherClaimThenWarnsThatBackChannelLogoutFindsNone(
			CapturedOutput output) {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class,
					() -> new InMemoryClientRegistrationRepository(
							clientRegistration().userNameAttributeName("preferred_username").build()))
			.run((context) -> assertThat(context).hasSingleBean(OidcSessionRegistry.class));
		assertThat(output).contains("client registration 'idp' names users by 'preferred_username'");
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenClientRegistrationsThenAsksForFreshLoginOnPendingChallenge() {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class,
					SessionTimeoutSecurityAutoConfigurationTests::clientRegistrations)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(OAuth2AuthorizationRequestResolver.class)
					.hasBean("sessionTimeoutOAuth2AuthorizationRequestResolver");
				OAuth2AuthorizationRequestResolver resolver = context.getBean(OAuth2AuthorizationRequestResolver.class);
				MockHttpServletRequest plain = new MockHttpServletRequest("GET", "/oauth2/authorization/idp");
				plain.setSession(new MockHttpSession());
				assertThat(resolve(resolver, plain).getAdditionalParameters()).doesNotContainKeys("prompt", "max_age");
				MockHttpServletRequest stepUp = new MockHttpServletRequest("GET", "/oauth2/authorization/idp");
				MockHttpSession session = new MockHttpSession();
				session.setAttribute(SessionAttributes.CHALLENGE,
						new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), FIXED, "alice").encode());
				stepUp.setSession(session);
				assertThat(resolve(resolver, stepUp).getAdditionalParameters())
					.as("the challenge of a user who signed out is for no one")
					.doesNotContainKeys("prompt", "max_age");
				session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
						new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("alice", null,
								AuthorityUtils.createAuthorityList("ROLE_USER"))));
				assertThat(resolve(resolver, stepUp).getAdditionalParameters()).containsEntry("prompt", "login")
					.containsEntry("max_age", "300");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenUserDefinedThenAutoConfigurationBacksOff() {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class,
					SessionTimeoutSecurityAutoConfigurationTests::clientRegistrations)
			.withBean("userAuthorizationRequestResolver", OAuth2AuthorizationRequestResolver.class,
					() -> mock(OAuth2AuthorizationRequestResolver.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean("sessionTimeoutOAuth2AuthorizationRequestResolver")
					.hasSingleBean(OidcStepUpAuthorizationRequestCustomizer.class);
				assertThat(context).getBeanNames(OAuth2AuthorizationRequestResolver.class)
					.containsExactly("userAuthorizationRequestResolver");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenNoClientRegistrationsThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean("sessionTimeoutOAuth2AuthorizationRequestResolver"));
	}

	@Test
	void privilegedAnnotationWhenMaxAgeValidThenBeanProxied() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(AopUtils.isAopProxy(context.getBean(ValidMaxAgeService.class))).isTrue();
			});
	}

	@Test
	void privilegedAnnotationWhenOutsideRequestThenNewestFactorMustBeYoungerThanMaxAge() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(FixedClockConfiguration.class)
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				ValidMaxAgeService service = context.getBean(ValidMaxAgeService.class);
				try {
					authenticateWithPasswordAt(FIXED.minus(Duration.ofMinutes(5)).plusMillis(1));
					assertThat(service.transfer()).isEqualTo("transferred");
					authenticateWithPasswordAt(FIXED.minus(Duration.ofMinutes(5)));
					assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(service::transfer);
					assertThat(service.balance()).isEqualTo("balance");
					SecurityContextHolder.clearContext();
					assertThatExceptionOfType(AuthenticationCredentialsNotFoundException.class)
						.isThrownBy(service::transfer);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			});
	}

	@Test
	void privilegedAnnotationWhenOutsideRequestAndThePlainOAuth2LoginTimeIsUnknownThenNeverPrivileged() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(FixedClockConfiguration.class)
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				ValidMaxAgeService service = context.getBean(ValidMaxAgeService.class);
				try {
					authenticateWithPlainOAuth2At(FIXED);
					assertThatExceptionOfType(AccessDeniedException.class)
						.as("a fresh callback factor, but an unknown authentication time")
						.isThrownBy(service::transfer);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			});
	}

	@Test
	void privilegedAnnotationWhenOutsideRequestAndTheApplicationTrustsTheCallbackTimeThenTheFactorDecides() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(FixedClockConfiguration.class)
			.withPropertyValues("session-timeout.oauth2.callback-time-as-authentication-time=true")
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				ValidMaxAgeService service = context.getBean(ValidMaxAgeService.class);
				try {
					authenticateWithPlainOAuth2At(FIXED.minus(Duration.ofMinutes(5)).plusMillis(1));
					assertThat(service.transfer()).isEqualTo("transferred");
					authenticateWithPlainOAuth2At(FIXED.minus(Duration.ofMinutes(5)));
					assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(service::transfer);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			});
	}

	/**
	 * A chain with remember-me gets the filter that hides its cookie (the configured
	 * name) from passive requests, right before Spring Security's remember-me login; a
	 * chain without remember-me gets no filter.
	 */
	@Test
	void httpSecurityCustomizerWhenTheChainHasRememberMeThenHidesItsCookieFromPassiveRequestsElseAddsNoFilter(
			CapturedOutput output) {
		this.contextRunner.withUserConfiguration(RememberMeChainsConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("has a RememberMeAuthenticationFilter without");
			List<SecurityFilterChain> chains = context.getBean(FilterChainProxy.class).getFilterChains();
			assertThat(chains).hasSize(2);
			List<Filter> remembered = chains.get(0).getFilters();
			int rememberMe = indexOf(remembered, RememberMeAuthenticationFilter.class);
			assertThat(rememberMe).isPositive();
			assertThat(remembered.get(rememberMe - 1)).isInstanceOf(PassiveRememberMeFilter.class)
				.hasFieldOrPropertyWithValue("cookieName", "keep-me");
			assertThat(chains.get(1).getFilters()).noneMatch(PassiveRememberMeFilter.class::isInstance)
				.noneMatch(RememberMeAuthenticationFilter.class::isInstance);
		});
	}

	/**
	 * Guard: a chain whose remember-me uses the application's own
	 * {@code RememberMeServices} bean (a {@code TokenBasedRememberMeServices} with a
	 * cookie name of its own) hides that cookie from passive requests.
	 */
	@Test
	void httpSecurityCustomizerWhenTheChainUsesItsOwnRememberMeServicesThenHidesTheirCookie() {
		this.contextRunner.withUserConfiguration(OwnRememberMeServicesConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			List<Filter> filters = context.getBean(FilterChainProxy.class).getFilterChains().get(0).getFilters();
			int rememberMe = indexOf(filters, RememberMeAuthenticationFilter.class);
			assertThat(rememberMe).isPositive();
			assertThat(filters.get(rememberMe - 1)).isInstanceOf(PassiveRememberMeFilter.class)
				.hasFieldOrPropertyWithValue("cookieName", "own-remember-me");
		});
	}

	/**
	 * A chain whose remember-me services are no {@code AbstractRememberMeServices} (their
	 * cookie not known) gets the filter all the same, to date their logins from before
	 * their token check, without a cookie to hide; a warning tells that passive requests
	 * may be signed in.
	 */
	@Test
	void httpSecurityCustomizerWhenTheRememberMeServicesAreNoAbstractRememberMeServicesThenOnlyDatesTheirLogins(
			CapturedOutput output) {
		this.contextRunner.withUserConfiguration(NoAbstractRememberMeServicesConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			List<Filter> filters = context.getBean(FilterChainProxy.class).getFilterChains().get(0).getFilters();
			int rememberMe = indexOf(filters, RememberMeAuthenticationFilter.class);
			assertThat(rememberMe).isPositive();
			assertThat(filters.get(rememberMe - 1)).isInstanceOf(PassiveRememberMeFilter.class)
				.hasFieldOrPropertyWithValue("cookieName", null);
			assertThat(output).contains("are no AbstractRememberMeServices")
				.contains("passive requests (session-timeout.activity.passive-paths) may be signed in");
		});
	}

	/**
	 * A chain whose {@code AbstractRememberMeServices} fail to tell their cookie (their
	 * {@code getCookieName} throws: advice on a proxy, say) starts, as one whose services
	 * are no {@code AbstractRememberMeServices}: the filter dates their logins all the
	 * same, without a cookie to hide, and a warning tells that passive requests may be
	 * signed in.
	 */
	@Test
	void httpSecurityCustomizerWhenTheRememberMeServicesFailToTellTheirCookieThenOnlyDatesTheirLogins(
			CapturedOutput output) {
		this.contextRunner.withUserConfiguration(FailingCookieNameRememberMeServicesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<Filter> filters = context.getBean(FilterChainProxy.class).getFilterChains().get(0).getFilters();
				int rememberMe = indexOf(filters, RememberMeAuthenticationFilter.class);
				assertThat(rememberMe).isPositive();
				assertThat(filters.get(rememberMe - 1)).isInstanceOf(PassiveRememberMeFilter.class)
					.hasFieldOrPropertyWithValue("cookieName", null);
				assertThat(output).contains("their cookie name could not be read")
					.contains("passive requests (session-timeout.activity.passive-paths) may be signed in");
			});
	}

	/**
	 * A chain whose {@code AbstractRememberMeServices} read their token from more than
	 * their cookie (an {@code extractRememberMeCookie} of their own: a header of a mobile
	 * client, say) gets the filter that only dates their logins: one without the cookie
	 * must be dated too, and hiding the cookie would not keep it from passive requests.
	 */
	@Test
	void httpSecurityCustomizerWhenTheRememberMeServicesReadTheirTokenThemselvesThenOnlyDatesTheirLogins(
			CapturedOutput output) {
		this.contextRunner.withUserConfiguration(HeaderRememberMeServicesConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			List<Filter> filters = context.getBean(FilterChainProxy.class).getFilterChains().get(0).getFilters();
			int rememberMe = indexOf(filters, RememberMeAuthenticationFilter.class);
			assertThat(rememberMe).isPositive();
			assertThat(filters.get(rememberMe - 1)).isInstanceOf(PassiveRememberMeFilter.class)
				.hasFieldOrPropertyWithValue("cookieName", null);
			assertThat(output).contains("read their token themselves")
				.contains("passive requests (session-timeout.activity.passive-paths) may be signed in");
		});
	}

	/**
	 * A chain whose remember-me filter the application added itself, without
	 * {@code http.rememberMe()}, gets no filter of the starter's: a warning at startup
	 * names the chain and what the starter cannot do there.
	 */
	@Test
	void rememberMeChainCheckWhenTheApplicationAddsItsOwnRememberMeFilterThenWarns(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(OwnRememberMeFilterConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			List<Filter> filters = context.getBean(FilterChainProxy.class).getFilterChains().get(0).getFilters();
			assertThat(filters).anyMatch(RememberMeAuthenticationFilter.class::isInstance)
				.noneMatch(PassiveRememberMeFilter.class::isInstance);
			assertThat(output)
				.contains("The security filter chain 'ownRememberMeFilterChain' has a RememberMeAuthenticationFilter"
						+ " without session-timeout's PassiveRememberMeFilter right before it")
				.contains("Configure remember-me with http.rememberMe(...) instead");
		});
	}

	private static int indexOf(List<Filter> filters, Class<?> type) {
		for (int i = 0; i < filters.size(); i++) {
			if (type.isInstance(filters.get(i))) {
				return i;
			}
		}
		return -1;
	}

	@Test
	void httpSecurityCustomizerWhenSecurityConfigMissingThenAbsentAndOtherSecurityBeansPresent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security.config"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean("sessionTimeoutHttpSecurityCustomizer")
					.hasBean("sessionTimeoutAuthenticationStrategy")
					.hasBean("sessionTimeoutPrivilegedSessionInterceptor");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenClientRegistrationsFromSpringBootThenRegistered() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class))
			.withPropertyValues("spring.security.oauth2.client.registration.idp.client-id=client",
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.registration.idp.authorization-grant-type=authorization_code",
					"spring.security.oauth2.client.registration.idp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
					"spring.security.oauth2.client.provider.idp.authorization-uri=https://idp.example.com/authorize",
					"spring.security.oauth2.client.provider.idp.token-uri=https://idp.example.com/token",
					"spring.security.oauth2.client.provider.idp.jwk-set-uri=https://idp.example.com/jwks")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ClientRegistrationRepository.class)
				.hasBean("sessionTimeoutOAuth2AuthorizationRequestResolver"));
	}

	/**
	 * Authenticate as a plain OAuth 2.0 login (GitHub style) would: Spring Security
	 * stamps its authorization-code factor with the time of the callback.
	 */
	private static void authenticateWithPlainOAuth2At(Instant callbackAt) {
		List<GrantedAuthority> authorities = List
			.of(FactorGrantedAuthority.withAuthority("FACTOR_AUTHORIZATION_CODE").issuedAt(callbackAt).build());
		DefaultOAuth2User user = new DefaultOAuth2User(authorities, Map.of("login", "octocat"), "login");
		SecurityContextHolder.getContext()
			.setAuthentication(new OAuth2AuthenticationToken(user, authorities, "github"));
	}

	private static void authenticateWithPasswordAt(Instant issuedAt) {
		FactorGrantedAuthority password = FactorGrantedAuthority
			.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
			.issuedAt(issuedAt)
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of(password)));
	}

	private static OAuth2AuthorizationRequest resolve(OAuth2AuthorizationRequestResolver resolver,
			MockHttpServletRequest request) {
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		try {
			OAuth2AuthorizationRequest authorizationRequest = resolver.resolve(request);
			assertThat(authorizationRequest).isNotNull();
			return authorizationRequest;
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
	}

	private static ClientRegistrationRepository clientRegistrations() {
		return new InMemoryClientRegistrationRepository(clientRegistration().build());
	}

	private static ClientRegistration.Builder clientRegistration() {
		return ClientRegistration.withRegistrationId("idp")
			.clientId("client")
			.clientSecret("secret")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid")
			.authorizationUri("https://idp.example.com/authorize")
			.tokenUri("https://idp.example.com/token")
			.jwkSetUri("https://idp.example.com/jwks");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserPrincipalResolverConfiguration {

		@Bean
		SessionPrincipalResolver userSessionPrincipalResolver() {
			return (session) -> "alice";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventsConfiguration {

		final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<SessionTimeoutEvent> sessionTimeoutEventRecorder() {
			return this.events::add;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class RememberMeChainsConfiguration {

		@Bean
		@Order(1)
		SecurityFilterChain rememberedChain(HttpSecurity http) {
			http.securityMatcher("/remembered/**");
			http.rememberMe((rememberMe) -> rememberMe.key("key")
				.rememberMeCookieName("keep-me")
				.userDetailsService(new InMemoryUserDetailsManager()));
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain plainChain(HttpSecurity http) {
			http.formLogin(Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class OwnRememberMeServicesConfiguration {

		@Bean
		TokenBasedRememberMeServices rememberMeServices() {
			TokenBasedRememberMeServices services = new TokenBasedRememberMeServices("key",
					new InMemoryUserDetailsManager());
			services.setCookieName("own-remember-me");
			return services;
		}

		@Bean
		SecurityFilterChain ownRememberMeChain(HttpSecurity http, TokenBasedRememberMeServices rememberMeServices) {
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(rememberMeServices).key("key"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class HeaderRememberMeServicesConfiguration {

		@Bean
		SecurityFilterChain headerRememberMeChain(HttpSecurity http) {
			TokenBasedRememberMeServices services = new TokenBasedRememberMeServices("key",
					new InMemoryUserDetailsManager()) {

				@Override
				protected String extractRememberMeCookie(HttpServletRequest request) {
					return request.getHeader("X-Remember-Me");
				}

			};
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(services).key("key"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class OwnRememberMeFilterConfiguration {

		@Bean
		SecurityFilterChain ownRememberMeFilterChain(HttpSecurity http) {
			TokenBasedRememberMeServices services = new TokenBasedRememberMeServices("key",
					new InMemoryUserDetailsManager());
			http.formLogin(Customizer.withDefaults());
			http.addFilterBefore(
					new RememberMeAuthenticationFilter(new ProviderManager(new RememberMeAuthenticationProvider("key")),
							services),
					AnonymousAuthenticationFilter.class);
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class NoAbstractRememberMeServicesConfiguration {

		@Bean
		SecurityFilterChain ownRememberMeChain(HttpSecurity http) {
			RememberMeServices services = new NullRememberMeServices();
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(services).key("key"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class FailingCookieNameRememberMeServicesConfiguration {

		@Bean
		SecurityFilterChain failingCookieNameChain(HttpSecurity http) {
			TokenBasedRememberMeServices services = new TokenBasedRememberMeServices("key",
					new InMemoryUserDetailsManager()) {

				@Override
				protected String getCookieName() {
					throw new IllegalStateException("No cookie name outside a request");
				}

			};
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(services).key("key"));
			return http.build();
		}

	}

	static class ValidMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "5m")
		public String transfer() {
			return "transferred";
		}

		public String balance() {
			return "balance";
		}

	}

	static class RecordingSecurityContextRepository implements SecurityContextRepository {

		int saved;

		@Override
		@SuppressWarnings("deprecation")
		public org.springframework.security.core.context.SecurityContext loadContext(
				org.springframework.security.web.context.HttpRequestResponseHolder holder) {
			return SecurityContextHolder.createEmptyContext();
		}

		@Override
		public void saveContext(org.springframework.security.core.context.SecurityContext context,
				jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
			this.saved++;
		}

		@Override
		public boolean containsContext(jakarta.servlet.http.HttpServletRequest request) {
			return false;
		}

	}

}
