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

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.internal.security.PrivilegedDispatchFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Checks, once every singleton exists, that each of the starter's servlet filters is
 * registered once, for the dispatches it must see, also by a registration of the
 * application's own, and that the {@link SessionTimeoutFilter} runs after Spring
 * Session's {@code SessionRepositoryFilter}, which gives it the session, and before
 * Spring Security's filter chain, which authorizes the request with the session's user: a
 * startup failure, reported by {@link SessionTimeoutFailureAnalyzer}, rather than
 * requests let past it. A registration that is disabled is left out: the application
 * turned the filter off on purpose.
 *
 * @author session-timeout
 */
final class SessionTimeoutFilterRegistrations implements SmartInitializingSingleton {

	/**
	 * The enforcement filter: a request's own dispatch, its asynchronous dispatch and its
	 * error page.
	 */
	static final Filter SESSION_TIMEOUT_FILTER = new Filter(SessionTimeoutFilter.class,
			EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR),
			"sessionTimeoutFilterRegistration",
			"without ASYNC a request's asynchronous dispatch is not checked against its session again, without"
					+ " ERROR an error page sees the user of a request that runs without them (re-authentication due)");

	/**
	 * How far after Spring Session's filter the auto-configured registration orders the
	 * {@link SessionTimeoutFilter}: {@code SessionRepositoryFilter.DEFAULT_ORDER}
	 * ({@code Integer.MIN_VALUE + 50}) and this make
	 * {@link SessionTimeoutFilter#DEFAULT_ORDER}.
	 */
	static final int SPRING_SESSION_STEP = 10;

	/**
	 * Spring Boot's registration of Spring Session's filter.
	 */
	static final String SPRING_SESSION_REGISTRATION = "sessionRepositoryFilterRegistration";

	/**
	 * The property that orders Spring Boot's registration of Spring Session's filter.
	 */
	static final String SPRING_SESSION_ORDER = "spring.session.servlet.filter-order";

	/**
	 * Spring Boot's registration of Spring Security's filter chain.
	 */
	static final String SPRING_SECURITY_REGISTRATION = "securityFilterChainRegistration";

	/**
	 * The property that orders Spring Boot's registration of Spring Security's filter
	 * chain.
	 */
	static final String SPRING_SECURITY_ORDER = "spring.security.filter.order";

	/**
	 * Spring Boot's default for {@link #SPRING_SECURITY_ORDER}.
	 */
	static final int SPRING_SECURITY_DEFAULT_ORDER = -100;

	private static final String SESSION_REPOSITORY_FILTER = "org.springframework.session.web.http.SessionRepositoryFilter";

	private static final String FILTER_CHAIN_PROXY = "org.springframework.security.web.FilterChainProxy";

	private static final boolean PRIVILEGED_DISPATCH_FILTER_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.core.Authentication",
			SessionTimeoutFilterRegistrations.class.getClassLoader());

	private final ListableBeanFactory beanFactory;

	private final Environment environment;

	SessionTimeoutFilterRegistrations(ListableBeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	/**
	 * Return the order of the auto-configured registration of the
	 * {@link SessionTimeoutFilter}: right after Spring Boot's registration of Spring
	 * Session's filter ({@code spring.session.servlet.filter-order}), so that the filter
	 * follows it where that property moves it; {@link SessionTimeoutFilter#DEFAULT_ORDER}
	 * without it.
	 * @param beanFactory the bean factory
	 * @return the order
	 */
	static int order(ListableBeanFactory beanFactory) {
		Integer springSession = null;
		if (beanFactory.containsBean(SPRING_SESSION_REGISTRATION)
				&& beanFactory.isTypeMatch(SPRING_SESSION_REGISTRATION, AbstractFilterRegistrationBean.class)) {
			AbstractFilterRegistrationBean<?> registration = beanFactory.getBean(SPRING_SESSION_REGISTRATION,
					AbstractFilterRegistrationBean.class);
			springSession = registration.isEnabled() ? registration.getOrder() : null;
		}
		return (springSession != null) ? after(springSession, SPRING_SESSION_STEP) : SessionTimeoutFilter.DEFAULT_ORDER;
	}

	/**
	 * Return an order a step after another, {@code Integer.MAX_VALUE} at most.
	 * @param order the order
	 * @param step the step
	 * @return the later order
	 */
	static int after(int order, int step) {
		return (order > Integer.MAX_VALUE - step) ? Integer.MAX_VALUE : order + step;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String sessionTimeoutRegistration = check(SESSION_TIMEOUT_FILTER);
		if (PRIVILEGED_DISPATCH_FILTER_PRESENT) {
			check(PrivilegedDispatch.FILTER);
		}
		if (sessionTimeoutRegistration != null) {
			checkOrder(sessionTimeoutRegistration);
		}
	}

	private @Nullable String check(Filter filter) {
		List<String> beans = new ArrayList<>();
		List<EnumSet<DispatcherType>> dispatcherTypes = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForType(AbstractFilterRegistrationBean.class, false, false)) {
			AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(name,
					AbstractFilterRegistrationBean.class);
			if (registration.isEnabled() && filter.type().isInstance(registration.getFilter())) {
				beans.add(name);
				dispatcherTypes.add(registration.determineDispatcherTypes());
			}
		}
		if (beans.size() > 1) {
			throw InvalidFilterRegistrationException.registeredMoreThanOnce(filter, beans.stream().sorted().toList());
		}
		if (beans.size() == 1 && !dispatcherTypes.get(0).containsAll(filter.dispatcherTypes())) {
			throw InvalidFilterRegistrationException.dispatcherTypes(filter, beans.get(0), dispatcherTypes.get(0));
		}
		return beans.isEmpty() ? null : beans.get(0);
	}

	/**
	 * Fail unless the {@link SessionTimeoutFilter} runs after Spring Session's filter and
	 * before Spring Security's: before the one it sees the container's request without
	 * Spring Session's session, after the other the request has been authorized with the
	 * session's user, and either way nothing is enforced.
	 */
	private void checkOrder(String bean) {
		int order = this.beanFactory.getBean(bean, AbstractFilterRegistrationBean.class).getOrder();
		Bound springSession = springSessionBound();
		Bound springSecurity = springSecurityBound();
		if (isAutoConfigured(bean)) {
			// The privileged dispatch filter follows it by one, before Spring Security
			int last = PRIVILEGED_DISPATCH_FILTER_PRESENT ? after(order, 1) : order;
			if ((springSession != null && order <= springSession.order())
					|| (springSecurity != null && last >= springSecurity.order())) {
				List<Violation> violations = orderViolations(order, last, springSession, springSecurity);
				if (!violations.isEmpty()) {
					throw new InvalidSessionTimeoutException(violations);
				}
				// Set by registrations of the application's own rather than properties
				throw InvalidFilterRegistrationException.order(SESSION_TIMEOUT_FILTER, bean, order, springSession,
						springSecurity);
			}
		}
		else if ((springSession != null && order <= springSession.order())
				|| (springSecurity != null && order >= springSecurity.order())) {
			throw InvalidFilterRegistrationException.order(SESSION_TIMEOUT_FILTER, bean, order, springSession,
					springSecurity);
		}
	}

	/**
	 * The violations of Spring Session's and Spring Security's orders between which the
	 * auto-configured registration cannot place the filter.
	 */
	private static List<Violation> orderViolations(int order, int last, @Nullable Bound springSession,
			@Nullable Bound springSecurity) {
		String rule = "the " + SESSION_TIMEOUT_FILTER.name() + " runs " + SPRING_SESSION_STEP
				+ " after Spring Session's" + " SessionRepositoryFilter, which gives it the session, at " + order
				+ (PRIVILEGED_DISPATCH_FILTER_PRESENT ? " (and the PrivilegedDispatchFilter at " + last + ")" : "")
				+ ", and must run before Spring Security's filter chain"
				+ ((springSecurity != null) ? " (" + springSecurity.order() + ")" : "")
				+ ", which authorizes the request with the session's user: else no session's clocks are enforced";
		List<Violation> violations = new ArrayList<>();
		int gap = last - order + SPRING_SESSION_STEP + 1;
		if (springSession != null && springSession.property() != null) {
			String most = (springSecurity != null && springSecurity.order() > Integer.MIN_VALUE + gap)
					? "at most " + (springSecurity.order() - gap) + ", at least " + gap + " before Spring Security's"
							+ " filter chain"
					: "before Spring Security's filter chain";
			violations.add(new Violation(springSession.property(), String.valueOf(springSession.order()), rule,
					"order Spring Session's filter " + most + " (Spring Boot's default is Integer.MIN_VALUE + 50)"));
		}
		if (springSecurity != null && springSecurity.property() != null) {
			violations.add(new Violation(springSecurity.property(), String.valueOf(springSecurity.order()), rule,
					"order Spring Security's filter chain at least " + after(last, 1) + " (Spring Boot's default is "
							+ SPRING_SECURITY_DEFAULT_ORDER + ")"));
		}
		return violations;
	}

	/**
	 * Spring Session's filter: Spring Boot's registration of it, or one of the
	 * application's own.
	 */
	private @Nullable Bound springSessionBound() {
		for (String name : this.beanFactory.getBeanNamesForType(AbstractFilterRegistrationBean.class, false, false)) {
			AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(name,
					AbstractFilterRegistrationBean.class);
			if (!registration.isEnabled()) {
				continue;
			}
			if (name.equals(SPRING_SESSION_REGISTRATION)) {
				return new Bound(registration.getOrder(), SPRING_SESSION_ORDER, name);
			}
			if (isNamed(registration.getFilter().getClass(), SESSION_REPOSITORY_FILTER)) {
				return new Bound(registration.getOrder(), null, name);
			}
		}
		return null;
	}

	/**
	 * Spring Security's filter chain: Spring Boot's registration of it, else, with Spring
	 * Security's servlet support on the class path, where Spring Boot would register it.
	 */
	private @Nullable Bound springSecurityBound() {
		if (this.beanFactory.containsBean(SPRING_SECURITY_REGISTRATION)) {
			AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(SPRING_SECURITY_REGISTRATION,
					AbstractFilterRegistrationBean.class);
			return registration.isEnabled()
					? new Bound(registration.getOrder(), SPRING_SECURITY_ORDER, SPRING_SECURITY_REGISTRATION) : null;
		}
		if (!ClassUtils.isPresent(FILTER_CHAIN_PROXY, SessionTimeoutFilterRegistrations.class.getClassLoader())) {
			return null;
		}
		Integer order = Binder.get(this.environment).bind(SPRING_SECURITY_ORDER, Integer.class).orElse(null);
		return new Bound((order != null) ? order : SPRING_SECURITY_DEFAULT_ORDER, SPRING_SECURITY_ORDER, null);
	}

	private boolean isAutoConfigured(String bean) {
		if (this.beanFactory instanceof ConfigurableListableBeanFactory configurable
				&& configurable.containsBeanDefinition(bean)) {
			BeanDefinition definition = configurable.getBeanDefinition(bean);
			MethodMetadata method = (definition instanceof AnnotatedBeanDefinition annotated)
					? annotated.getFactoryMethodMetadata() : null;
			return method != null
					&& SessionTimeoutAutoConfiguration.class.getName().equals(method.getDeclaringClassName());
		}
		return false;
	}

	private static boolean isNamed(Class<?> type, String name) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The order of a filter the {@link SessionTimeoutFilter} must run after or before.
	 *
	 * @param order its order
	 * @param property the property that sets it, {@code null} if none does
	 * @param bean the name of its registration, {@code null} if there is none yet
	 */
	record Bound(int order, @Nullable String property, @Nullable String bean) {

		/**
		 * Describe it in a report: the property that sets it, or its registration.
		 * @return the description
		 */
		String describe() {
			if (this.property != null) {
				return this.property + "=" + this.order;
			}
			return "registration '" + this.bean + "', order " + this.order;
		}

	}

	/**
	 * The filter of a request's later dispatches to privileged paths, apart so that its
	 * type, which needs Spring Security, is loaded only where that is present.
	 */
	static final class PrivilegedDispatch {

		/**
		 * The privileged paths of a request's later dispatches (with Spring Security
		 * only).
		 */
		static final Filter FILTER = new Filter(PrivilegedDispatchFilter.class,
				EnumSet.of(DispatcherType.FORWARD, DispatcherType.INCLUDE, DispatcherType.ERROR, DispatcherType.ASYNC),
				"sessionTimeoutPrivilegedDispatchFilterRegistration",
				"without one of them a privileged path that a request reaches that way (a forward, an include, an"
						+ " error page, an asynchronous dispatch to another path) is served without a recent"
						+ " authentication");

		private PrivilegedDispatch() {
		}

	}

	/**
	 * One of the starter's servlet filters, as its registrations are checked.
	 *
	 * @param type the filter's type
	 * @param dispatcherTypes the dispatches it must see
	 * @param beanName the name of its auto-configured registration, which one of the
	 * application's own of that name replaces
	 * @param why what a registration without one of those dispatches lets past
	 */
	record Filter(Class<? extends jakarta.servlet.Filter> type, Set<DispatcherType> dispatcherTypes, String beanName,
			String why) {

		String name() {
			return this.type.getSimpleName();
		}

	}

}
