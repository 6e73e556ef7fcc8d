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

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.DelegatingFilterProxy;

import dev.sessiontimeout.internal.security.SessionChallengeFilter;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutFilterRegistrations}: where the starter's filters go
 * against Spring Session's and Spring Security's, however the application registers them,
 * and the report when they do not fit.
 *
 * @author session-timeout
 */
class SessionTimeoutFilterRegistrationsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class));

	/**
	 * The application registers Spring Session's filter itself, with a
	 * {@link FilterRegistrationBean}, at -200: the starter's filters follow it, still
	 * before Spring Security's filter chain (-100), as they follow Spring Boot's
	 * registration that {@code spring.session.servlet.filter-order} moves.
	 */
	@Test
	void filterRegistrationWhenTheApplicationRegistersSpringSessionsFilterThenTheStartersFiltersFollowIt() {
		this.contextRunner.withUserConfiguration(OwnSpringSessionFilterRegistration.class)
			.withPropertyValues("test.spring-session-order=-200")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-190);
				assertThat(order(context.getBean("sessionTimeoutPrivilegedDispatchFilterRegistration")))
					.isEqualTo(-189);
			});
	}

	/**
	 * The application's registration of Spring Session's filter leaves no room before
	 * Spring Security's filter chain: the report names that registration and its order,
	 * which the application set, with a fix that works; not only Spring Security's.
	 */
	@Test
	void analyzeWhenTheApplicationsSpringSessionRegistrationIsTooCloseToSpringSecurityThenReportNamesIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withUserConfiguration(OwnSpringSessionFilterRegistration.class)
					.withPropertyValues("test.spring-session-order=-105"));
		assertThat(analysis.getDescription()).contains("Bean: ownSessionRepositoryFilterRegistration", "Order: -105",
				"spring.security.filter.order=-100");
		assertThat(analysis.getAction()).contains("ownSessionRepositoryFilterRegistration: order it at most -112"
				+ " (setOrder), or set spring.security.filter.order to at least -93");
	}

	/**
	 * The application registers the {@code SessionTimeoutFilter} itself, at -150: the
	 * auto-configured {@code PrivilegedDispatchFilter} must follow it, not Spring
	 * Session's filter, so that an ended session's asynchronous or error dispatch is
	 * answered with why it ended before a privileged path's challenge.
	 */
	@Test
	void filterRegistrationWhenTheApplicationOrdersTheFilterThenThePrivilegedDispatchFilterFollowsIt() {
		this.contextRunner.withUserConfiguration(OwnFilterRegistration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-150);
			assertThat(order(context.getBean("sessionTimeoutPrivilegedDispatchFilterRegistration"))).isEqualTo(-149);
		});
	}

	/**
	 * The application registers Spring Security's filter chain itself, under another name
	 * than Spring Boot's, ahead of the starter's filter: recognised by its target, not
	 * assumed at {@code spring.security.filter.order}'s default (-100).
	 */
	@Test
	void analyzeWhenTheApplicationRegistersSpringSecurityAheadOfTheFilterThenReportNamesIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withUserConfiguration(OwnSpringSecurityFilterRegistration.class));
		assertThat(analysis.getDescription()).contains("Bean: ownSecurityFilterChainRegistration",
				"Order: " + (Integer.MIN_VALUE + 55));
		assertThat(analysis.getAction()).contains("ownSecurityFilterChainRegistration: order it at least "
				+ (SessionTimeoutFilter.DEFAULT_ORDER + 2) + " (setOrder)");
	}

	/**
	 * The application registers Spring Session's filter as a
	 * {@code DelegatingFilterProxy} of a bean of its own name: recognised by the target
	 * bean's type, and followed.
	 */
	@Test
	void filterRegistrationWhenTheApplicationProxiesSpringSessionsFilterOfAnotherNameThenTheStartersFiltersFollowIt() {
		this.contextRunner.withUserConfiguration(ProxiedSpringSessionFilterRegistration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-190);
			assertThat(order(context.getBean("sessionTimeoutPrivilegedDispatchFilterRegistration"))).isEqualTo(-189);
		});
	}

	/**
	 * Spring Boot's own registration of Spring Security's filter chain, which
	 * {@code spring.security.filter.order} moves: the report names the property, not the
	 * registration, though the registration is a {@code DelegatingFilterProxy} of the
	 * chain as the application's own may be.
	 */
	@Test
	void analyzeWhenSpringBootsSecurityRegistrationIsMovedAheadOfTheFilterThenReportNamesTheProperty() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withConfiguration(AutoConfigurations.of(SecurityFilterAutoConfiguration.class))
					.withBean("springSecurityFilterChain", FilterChainProxy.class,
							() -> new FilterChainProxy(List.of()))
					.withPropertyValues("spring.security.filter.order=" + (Integer.MIN_VALUE + 55)));
		assertThat(analysis.getDescription())
			.contains("Property: spring.security.filter.order", "Value: \"" + (Integer.MIN_VALUE + 55) + "\"")
			.doesNotContain("Bean: ");
		assertThat(analysis.getAction()).contains("spring.security.filter.order: order Spring Security's filter chain"
				+ " at least " + (SessionTimeoutFilter.DEFAULT_ORDER + 2));
	}

	/**
	 * The application registers Spring Security's filter chain itself as a
	 * {@link FilterRegistrationBean} of a {@link DelegatingFilterProxy} of
	 * {@code springSecurityFilterChain}, ahead of the starter's filter: it must be
	 * recognised as Spring Security's chain and refused, as the same proxy registered
	 * with a {@link DelegatingFilterProxyRegistrationBean} is; else the starter's filter
	 * runs after the request was authorized with the session's user.
	 */
	@Test
	void analyzeWhenTheApplicationRegistersADelegatingFilterProxyOfSpringSecurityAheadOfTheFilterThenReportNamesIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withUserConfiguration(ProxyFilterSpringSecurityFilterRegistration.class));
		assertThat(analysis.getDescription()).contains("Bean: ownSecurityFilterChainRegistration",
				"Order: " + (Integer.MIN_VALUE + 55));
	}

	/**
	 * The application registers Spring Session's filter as a
	 * {@link FilterRegistrationBean} of a {@link DelegatingFilterProxy} of
	 * {@code springSessionRepositoryFilter} at -200: the starter's filters must follow
	 * it, else they see the container's request without Spring Session's session.
	 */
	@Test
	void filterRegistrationWhenTheApplicationRegistersADelegatingFilterProxyOfSpringSessionThenTheStartersFiltersFollowIt() {
		this.contextRunner.withUserConfiguration(ProxyFilterSpringSessionFilterRegistration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-190);
		});
	}

	/**
	 * The application registers a {@link DelegatingFilterProxy} given Spring Security's
	 * filter chain itself, ahead of the starter's filter: the proxy has no target bean
	 * name, its delegate tells what it runs.
	 */
	@Test
	void analyzeWhenTheApplicationRegistersADelegatingFilterProxyGivenSpringSecuritysChainAheadOfTheFilterThenReportNamesIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withUserConfiguration(DelegateProxyFilterSpringSecurityFilterRegistration.class));
		assertThat(analysis.getDescription()).contains("Bean: ownSecurityFilterChainRegistration",
				"Order: " + (Integer.MIN_VALUE + 55));
	}

	/**
	 * The application registers a {@link DelegatingFilterProxy} of a bean of Spring
	 * Session's filter under a name of its own: the type of the target bean tells it.
	 */
	@Test
	void filterRegistrationWhenTheApplicationRegistersADelegatingFilterProxyOfABeanOfSpringSessionsFilterThenTheStartersFiltersFollowIt() {
		this.contextRunner.withUserConfiguration(ProxyFilterSessionFilterBeanRegistration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-190);
		});
	}

	/**
	 * The application registers a {@link DelegatingFilterProxy} without a target bean
	 * name under the filter name {@code springSessionRepositoryFilter}: the proxy takes
	 * its filter's name as its target when it is initialized.
	 */
	@Test
	void filterRegistrationWhenTheApplicationRegistersAnUnnamedDelegatingFilterProxyUnderSpringSessionsFilterNameThenTheStartersFiltersFollowIt() {
		this.contextRunner.withUserConfiguration(UnnamedProxyFilterSpringSessionFilterRegistration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(order(context.getBean("sessionTimeoutFilterRegistration"))).isEqualTo(-190);
			});
	}

	/**
	 * With privileged paths, the filter that judges a path no security filter chain
	 * judged (one that a filter of the application rewrote to a privileged path) goes
	 * right after Spring Security's filter chain, wherever
	 * {@code spring.security.filter.order} moves it, for a request's own dispatch only.
	 */
	@Test
	void filterRegistrationWhenPrivilegedPathsAreSetThenTheAfterSecurityChainsFilterFollowsSpringSecurity() {
		this.contextRunner.withUserConfiguration(SpringSessionFilter.class)
			.withPropertyValues("session-timeout.privileged.paths=/account/transfer",
					"spring.security.filter.order=-50")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FilterRegistrationBean<?> registration = afterSecurityChainsRegistration(context);
				assertThat(registration.isEnabled()).isTrue();
				assertThat(registration.getOrder()).isEqualTo(-49);
				assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
			});
	}

	/**
	 * Without privileged paths a challenge to authenticate again that the session's
	 * decision left to a security filter chain may still find none (a path rewritten to
	 * an ignored one): the filter that answers it goes right after Spring Security's
	 * filter chain all the same.
	 */
	@Test
	void filterRegistrationWhenNoPrivilegedPathsAreSetThenTheAfterSecurityChainsFilterFollowsSpringSecurity() {
		this.contextRunner.withUserConfiguration(SpringSessionFilter.class).run((context) -> {
			assertThat(context).hasNotFailed();
			FilterRegistrationBean<?> registration = afterSecurityChainsRegistration(context);
			assertThat(registration.isEnabled()).isTrue();
			assertThat(registration.getOrder()).isEqualTo(-99);
		});
	}

	/**
	 * The application registers the filter that goes after Spring Security's filter chain
	 * itself, ahead of that chain: it would judge every request before a chain could, so
	 * the report names the registration and the order it must have.
	 */
	@Test
	void analyzeWhenTheApplicationOrdersTheAfterSecurityChainsFilterAheadOfSpringSecurityThenReportNamesIt() {
		FailureAnalysis analysis = analyze(this.contextRunner
			.withUserConfiguration(SpringSessionFilter.class, OwnAfterSecurityChainsFilterRegistration.class)
			.withPropertyValues("session-timeout.privileged.paths=/account/transfer"));
		assertThat(analysis.getDescription()).contains(
				"Bean: " + SessionTimeoutFilterRegistrations.AFTER_SECURITY_CHAINS_REGISTRATION, "Order: -200",
				"spring.security.filter.order=-100");
		assertThat(analysis.getAction()).contains("order it at least -99 (setOrder)");
	}

	/**
	 * Spring Security's filter chain ordered last ({@code spring.security.filter.order}
	 * at {@code Integer.MAX_VALUE}, a value Spring Boot takes): the auto-configured
	 * registration of the filter that goes after it cannot be ordered after it, and the
	 * application registered nothing of its own, so startup is not to fail with a report
	 * that tells it to remove its own registration.
	 */
	@Test
	void filterRegistrationWhenSpringSecurityIsOrderedLastThenTheAutoConfiguredAfterSecurityChainsFilterStartsUp() {
		this.contextRunner.withUserConfiguration(SpringSessionFilter.class)
			.withPropertyValues("session-timeout.privileged.paths=/account/transfer",
					"spring.security.filter.order=" + Integer.MAX_VALUE)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * The filter that goes after Spring Security's filter chain is ordered one after it,
	 * and has room there unless Spring Security is ordered {@code Integer.MAX_VALUE}:
	 * just before, at and just after the step where there is no room.
	 */
	@Test
	void afterSecurityChainsWhenSpringSecurityIsOrderedLateThenRoomUntilTheLatestOrder() {
		assertThat(SessionTimeoutFilterRegistrations.AfterSecurityChains.after(-100))
			.isEqualTo(new SessionTimeoutFilterRegistrations.AfterSecurityChains(-99, true));
		assertThat(SessionTimeoutFilterRegistrations.AfterSecurityChains.after(Integer.MAX_VALUE - 2))
			.isEqualTo(new SessionTimeoutFilterRegistrations.AfterSecurityChains(Integer.MAX_VALUE - 1, true));
		assertThat(SessionTimeoutFilterRegistrations.AfterSecurityChains.after(Integer.MAX_VALUE - 1))
			.isEqualTo(new SessionTimeoutFilterRegistrations.AfterSecurityChains(Integer.MAX_VALUE, true));
		assertThat(SessionTimeoutFilterRegistrations.AfterSecurityChains.after(Integer.MAX_VALUE))
			.isEqualTo(new SessionTimeoutFilterRegistrations.AfterSecurityChains(Integer.MAX_VALUE, false));
	}

	/**
	 * Spring Security ordered last: the auto-configured registration of the filter that
	 * goes after it is disabled rather than ordered at the same order.
	 */
	@Test
	void filterRegistrationWhenSpringSecurityIsOrderedLastThenTheAfterSecurityChainsFilterIsDisabled() {
		this.contextRunner.withUserConfiguration(SpringSessionFilter.class)
			.withPropertyValues("spring.security.filter.order=" + Integer.MAX_VALUE)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FilterRegistrationBean<?> registration = afterSecurityChainsRegistration(context);
				assertThat(registration.isEnabled()).isFalse();
				assertThat(registration.getOrder()).isEqualTo(Integer.MAX_VALUE);
			});
	}

	private static FilterRegistrationBean<?> afterSecurityChainsRegistration(BeanFactory context) {
		return context.getBean(SessionTimeoutFilterRegistrations.AFTER_SECURITY_CHAINS_REGISTRATION,
				FilterRegistrationBean.class);
	}

	private static int order(Object registration) {
		return ((FilterRegistrationBean<?>) registration).getOrder();
	}

	private static FailureAnalysis analyze(WebApplicationContextRunner runner) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.withInitializer((context) -> environment.set(context.getEnvironment())).run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(new SessionTimeoutFailureAnalyzer(environment.get()).analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	/**
	 * Spring Session's filter, without Spring Boot's registration of it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SpringSessionFilter {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new HashMap<>());
		}

		@Bean
		SessionRepositoryFilter<MapSession> springSessionRepositoryFilter(MapSessionRepository sessionRepository) {
			return new SessionRepositoryFilter<>(sessionRepository);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSpringSessionFilterRegistration extends SpringSessionFilter {

		@Bean
		FilterRegistrationBean<SessionRepositoryFilter<MapSession>> ownSessionRepositoryFilterRegistration(
				SessionRepositoryFilter<MapSession> filter, Environment environment) {
			FilterRegistrationBean<SessionRepositoryFilter<MapSession>> registration = new FilterRegistrationBean<>(
					filter);
			registration.setOrder(environment.getRequiredProperty("test.spring-session-order", Integer.class));
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedSpringSessionFilterRegistration {

		@Bean
		SessionRepositoryFilter<MapSession> sessionFilter() {
			return new SessionRepositoryFilter<>(new MapSessionRepository(new HashMap<>()));
		}

		@Bean
		DelegatingFilterProxyRegistrationBean sessionFilterRegistration() {
			DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(
					"sessionFilter");
			registration.setOrder(-200);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(-150);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAfterSecurityChainsFilterRegistration {

		@Bean(SessionTimeoutFilterRegistrations.AFTER_SECURITY_CHAINS_REGISTRATION)
		FilterRegistrationBean<Filter> ownAfterSecurityChainsFilterRegistration(ServletSessionAnswers answers,
				ServletSessionClocks clocks) {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
					SessionChallengeFilter.afterSecurityChains(answers, clocks));
			registration.setOrder(-200);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSpringSecurityFilterRegistration {

		@Bean
		FilterChainProxy springSecurityFilterChain() {
			return new FilterChainProxy(List.of());
		}

		@Bean
		DelegatingFilterProxyRegistrationBean ownSecurityFilterChainRegistration() {
			DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(
					"springSecurityFilterChain");
			registration.setOrder(Integer.MIN_VALUE + 55);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyFilterSpringSecurityFilterRegistration {

		@Bean
		FilterChainProxy springSecurityFilterChain() {
			return new FilterChainProxy(List.of());
		}

		@Bean
		FilterRegistrationBean<DelegatingFilterProxy> ownSecurityFilterChainRegistration() {
			FilterRegistrationBean<DelegatingFilterProxy> registration = new FilterRegistrationBean<>(
					new DelegatingFilterProxy("springSecurityFilterChain"));
			registration.setOrder(Integer.MIN_VALUE + 55);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyFilterSpringSessionFilterRegistration extends SpringSessionFilter {

		@Bean
		FilterRegistrationBean<DelegatingFilterProxy> ownSessionRepositoryFilterRegistration() {
			FilterRegistrationBean<DelegatingFilterProxy> registration = new FilterRegistrationBean<>(
					new DelegatingFilterProxy("springSessionRepositoryFilter"));
			registration.setOrder(-200);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DelegateProxyFilterSpringSecurityFilterRegistration {

		@Bean
		FilterRegistrationBean<DelegatingFilterProxy> ownSecurityFilterChainRegistration() {
			FilterRegistrationBean<DelegatingFilterProxy> registration = new FilterRegistrationBean<>(
					new DelegatingFilterProxy(new FilterChainProxy(List.of())));
			registration.setOrder(Integer.MIN_VALUE + 55);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyFilterSessionFilterBeanRegistration {

		@Bean
		SessionRepositoryFilter<MapSession> sessionFilter() {
			return new SessionRepositoryFilter<>(new MapSessionRepository(new HashMap<>()));
		}

		@Bean
		FilterRegistrationBean<DelegatingFilterProxy> sessionFilterRegistration() {
			FilterRegistrationBean<DelegatingFilterProxy> registration = new FilterRegistrationBean<>(
					new DelegatingFilterProxy("sessionFilter"));
			registration.setOrder(-200);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnnamedProxyFilterSpringSessionFilterRegistration extends SpringSessionFilter {

		@Bean
		FilterRegistrationBean<DelegatingFilterProxy> ownSessionRepositoryFilterRegistration() {
			FilterRegistrationBean<DelegatingFilterProxy> registration = new FilterRegistrationBean<>(
					new DelegatingFilterProxy());
			registration.setName("springSessionRepositoryFilter");
			registration.setOrder(-200);
			return registration;
		}

	}

}
