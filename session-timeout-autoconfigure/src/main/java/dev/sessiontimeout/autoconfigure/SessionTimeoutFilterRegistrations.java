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

import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.filter.DelegatingFilterProxy;

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

	/**
	 * The usual name of Spring Session's filter's bean.
	 */
	private static final String SPRING_SESSION_FILTER_BEAN = "springSessionRepositoryFilter";

	/**
	 * The usual name of Spring Security's filter chain's bean.
	 */
	private static final String SPRING_SECURITY_FILTER_BEAN = "springSecurityFilterChain";

	/**
	 * The auto-configured registration of the {@link PrivilegedDispatchFilter}, by name:
	 * its type needs Spring Security.
	 */
	private static final String SECURITY_AUTO_CONFIGURATION = "dev.sessiontimeout.autoconfigure.SessionTimeoutSecurityAutoConfiguration";

	private static final String PRIVILEGED_DISPATCH_REGISTRATION = "sessionTimeoutPrivilegedDispatchFilterRegistration";

	/**
	 * The auto-configured registration of the filter that goes right after Spring
	 * Security's filter chain ({@code SessionChallengeFilter.afterSecurityChains}).
	 */
	static final String AFTER_SECURITY_CHAINS_REGISTRATION = "sessionTimeoutAfterSecurityChainsFilterRegistration";

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
	 * {@link SessionTimeoutFilter}: right after Spring Session's filter (Spring Boot's
	 * registration, which {@code spring.session.servlet.filter-order} moves, or one of
	 * the application's own), so that the filter follows it wherever it is;
	 * {@link SessionTimeoutFilter#DEFAULT_ORDER} without it.
	 * @param beanFactory the bean factory
	 * @return the order
	 */
	static int order(ListableBeanFactory beanFactory) {
		Bound springSession = springSession(beanFactory);
		return (springSession != null) ? after(springSession.order(), SPRING_SESSION_STEP)
				: SessionTimeoutFilter.DEFAULT_ORDER;
	}

	/**
	 * Return the order of the auto-configured registration of the
	 * {@link PrivilegedDispatchFilter}: right after the {@link SessionTimeoutFilter},
	 * which answers an ended session's dispatch with its reason first, wherever its
	 * registration (the application's own too) orders it.
	 * @param beanFactory the bean factory
	 * @return the order
	 */
	static int privilegedDispatchOrder(ListableBeanFactory beanFactory) {
		String bean = SESSION_TIMEOUT_FILTER.beanName();
		if (beanFactory.containsBean(bean) && beanFactory.isTypeMatch(bean, AbstractFilterRegistrationBean.class)) {
			AbstractFilterRegistrationBean<?> registration = beanFactory.getBean(bean,
					AbstractFilterRegistrationBean.class);
			if (registration.isEnabled()) {
				return after(registration.getOrder(), 1);
			}
		}
		return after(order(beanFactory), 1);
	}

	/**
	 * Return where the auto-configured registration of the filter that goes right after
	 * Spring Security's filter chain goes, from one read of Spring Security's order
	 * (Spring Boot's registration, which {@code spring.security.filter.order} moves, or
	 * one of the application's own, else where Spring Boot would register it).
	 * @param beanFactory the bean factory
	 * @param environment the environment
	 * @return its order and whether there is room for it
	 */
	static AfterSecurityChains afterSecurityChains(ListableBeanFactory beanFactory, Environment environment) {
		return AfterSecurityChains.after(springSecurityOrder(beanFactory, environment));
	}

	private static int springSecurityOrder(ListableBeanFactory beanFactory, Environment environment) {
		Bound springSecurity = new SessionTimeoutFilterRegistrations(beanFactory, environment).springSecurity();
		return (springSecurity != null) ? springSecurity.order() : SPRING_SECURITY_DEFAULT_ORDER;
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
		checkAfterSecurityChainsOrder();
	}

	/**
	 * Fail if the application's own registration of the filter that goes after Spring
	 * Security's filter chain (a bean of that name) orders it before that chain, which it
	 * must follow, or at its order unless that is {@code Integer.MAX_VALUE}: nothing can
	 * be ordered after it then, and the filter may run before the chain too. The
	 * auto-configured registration is ordered after the chain by construction, and
	 * disabled where Spring Security's is ordered {@code Integer.MAX_VALUE}
	 * ({@link AfterSecurityChains#hasRoom()}), so it is never reported as the
	 * application's.
	 */
	private void checkAfterSecurityChainsOrder() {
		String bean = AFTER_SECURITY_CHAINS_REGISTRATION;
		if (!this.beanFactory.containsBean(bean)
				|| !this.beanFactory.isTypeMatch(bean, AbstractFilterRegistrationBean.class)
				|| isAutoConfigured(bean, SECURITY_AUTO_CONFIGURATION)) {
			return;
		}
		AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(bean,
				AbstractFilterRegistrationBean.class);
		Bound springSecurity = springSecurity();
		if (registration.isEnabled() && springSecurity != null
				&& !isAfterSecurityChains(registration.getOrder(), springSecurity.order())) {
			throw InvalidFilterRegistrationException.beforeSpringSecurity(bean, registration.getOrder(),
					springSecurity);
		}
	}

	/**
	 * Whether an order is after Spring Security's, or both are {@code Integer.MAX_VALUE},
	 * the latest there is.
	 */
	private static boolean isAfterSecurityChains(int order, int springSecurityOrder) {
		return order > springSecurityOrder || (order == Integer.MAX_VALUE && springSecurityOrder == Integer.MAX_VALUE);
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
	 * it and the auto-configured {@link PrivilegedDispatchFilter}, which follows it, run
	 * before Spring Security's: before the one it sees the container's request without
	 * Spring Session's session, after the other the request has been authorized with the
	 * session's user, and either way nothing is enforced.
	 */
	private void checkOrder(String bean) {
		int order = this.beanFactory.getBean(bean, AbstractFilterRegistrationBean.class).getOrder();
		int last = Math.max(order, privilegedDispatchRegistrationOrder(order));
		Bound springSession = springSession(this.beanFactory);
		Bound springSecurity = springSecurity();
		if ((springSession == null || order > springSession.order())
				&& (springSecurity == null || last < springSecurity.order())) {
			return;
		}
		if (!isAutoConfigured(bean, SessionTimeoutAutoConfiguration.class.getName())) {
			throw InvalidFilterRegistrationException.order(SESSION_TIMEOUT_FILTER, bean, order, last, springSession,
					springSecurity);
		}
		Bound registration = (springSession != null && springSession.property() == null) ? springSession
				: (springSecurity != null && springSecurity.property() == null) ? springSecurity : null;
		if (registration != null) {
			String rule = orderRule(order, last, springSession, springSecurity, true);
			throw InvalidFilterRegistrationException.noRoom(registration, rule,
					fixes(order, last, registration, springSession, springSecurity));
		}
		String rule = orderRule(order, last, springSession, springSecurity, false);
		throw new InvalidSessionTimeoutException(orderViolations(order, last, rule, springSession, springSecurity));
	}

	/**
	 * The order of the auto-configured registration of the
	 * {@link PrivilegedDispatchFilter}, or the given order without it.
	 */
	private int privilegedDispatchRegistrationOrder(int order) {
		String bean = PRIVILEGED_DISPATCH_REGISTRATION;
		if (PRIVILEGED_DISPATCH_FILTER_PRESENT && this.beanFactory.containsBean(bean)
				&& isAutoConfigured(bean, SECURITY_AUTO_CONFIGURATION)) {
			AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(bean,
					AbstractFilterRegistrationBean.class);
			return registration.isEnabled() ? registration.getOrder() : order;
		}
		return order;
	}

	/**
	 * The rule the auto-configured registration cannot keep, which tells where Spring
	 * Session's filter and Spring Security's filter chain are, by property or
	 * registration when {@code describe}, else the orders of their properties only.
	 */
	private static String orderRule(int order, int last, @Nullable Bound springSession, @Nullable Bound springSecurity,
			boolean describe) {
		return "the " + SESSION_TIMEOUT_FILTER.name() + " runs "
				+ ((springSession != null) ? SPRING_SESSION_STEP + " after Spring Session's SessionRepositoryFilter"
						+ (describe ? " (" + springSession.describe() + ")" : "") + ", which gives it the session, at "
						: "at ")
				+ order + ((last != order) ? " (and the PrivilegedDispatchFilter at " + last + ")" : "")
				+ ", and must run before Spring Security's filter chain"
				+ ((springSecurity != null)
						? " (" + (describe ? springSecurity.describe() : String.valueOf(springSecurity.order())) + ")"
						: "")
				+ ", which authorizes the request with the session's user: else no session's clocks are enforced";
	}

	/**
	 * The latest order of Spring Session's filter that leaves room for the starter's
	 * filters before Spring Security's, {@code null} if there is none.
	 */
	private static @Nullable Integer latestSpringSessionOrder(int order, int last, @Nullable Bound springSecurity) {
		int gap = last - order + SPRING_SESSION_STEP + 1;
		int high = (springSecurity != null) ? springSecurity.order() : Integer.MAX_VALUE;
		return (high > Integer.MIN_VALUE + gap) ? high - gap : null;
	}

	/**
	 * The fixes, one per filter that can be moved, for a registration of the
	 * application's own that leaves no room for the auto-configured one.
	 */
	private static List<String> fixes(int order, int last, Bound subject, @Nullable Bound springSession,
			@Nullable Bound springSecurity) {
		List<String> fixes = new ArrayList<>();
		Integer latest = latestSpringSessionOrder(order, last, springSecurity);
		if (springSession != null) {
			fixes.add(move(subject, springSession,
					(latest != null) ? "at most " + latest : "before Spring Security's filter chain"));
		}
		if (springSecurity != null) {
			fixes.add(move(subject, springSecurity, "at least " + after(last, 1)));
		}
		return fixes;
	}

	private static String move(Bound subject, Bound bound, String where) {
		if (bound.property() != null) {
			return "set " + bound.property() + " to " + where;
		}
		return ((bound == subject) ? "order it " : "order registration '" + bound.bean() + "' ") + where
				+ " (setOrder)";
	}

	/**
	 * The violations of Spring Session's and Spring Security's orders between which the
	 * auto-configured registration cannot place the filter.
	 */
	private static List<Violation> orderViolations(int order, int last, String rule, @Nullable Bound springSession,
			@Nullable Bound springSecurity) {
		List<Violation> violations = new ArrayList<>();
		if (springSession != null && springSession.property() != null) {
			Integer latest = latestSpringSessionOrder(order, last, springSecurity);
			String most = (springSecurity != null && latest != null) ? "at most " + latest + ", at least "
					+ (last - order + SPRING_SESSION_STEP + 1) + " before Spring Security's filter chain"
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
	 * Spring Session's filter, where it first runs: Spring Boot's registration of it, or
	 * one of the application's own (of the filter, or of a {@code DelegatingFilterProxy}
	 * of its bean); {@code null} if there is none.
	 * @param beanFactory the bean factory
	 * @return Spring Session's filter
	 */
	static @Nullable Bound springSession(ListableBeanFactory beanFactory) {
		return first(beanFactory, SPRING_SESSION_REGISTRATION, SPRING_SESSION_ORDER, SESSION_REPOSITORY_FILTER,
				SPRING_SESSION_FILTER_BEAN)
			.bound();
	}

	/**
	 * Spring Security's filter chain: Spring Boot's registration of it or one of the
	 * application's own, else, with Spring Security's servlet support on the class path
	 * and no registration of it that is disabled, where Spring Boot would register it.
	 */
	private @Nullable Bound springSecurity() {
		Found found = first(this.beanFactory, SPRING_SECURITY_REGISTRATION, SPRING_SECURITY_ORDER, FILTER_CHAIN_PROXY,
				SPRING_SECURITY_FILTER_BEAN);
		if (found.bound() != null || found.disabled() || !ClassUtils.isPresent(FILTER_CHAIN_PROXY,
				SessionTimeoutFilterRegistrations.class.getClassLoader())) {
			return found.bound();
		}
		Integer order = Binder.get(this.environment).bind(SPRING_SECURITY_ORDER, Integer.class).orElse(null);
		return new Bound((order != null) ? order : SPRING_SECURITY_DEFAULT_ORDER, SPRING_SECURITY_ORDER, null);
	}

	/**
	 * Find the enabled registration of a filter that runs first: Spring Boot's, by its
	 * name, or one of the filter's type, or of a {@code DelegatingFilterProxy} of a bean
	 * of that type or of the filter's usual bean name. The starter's own registrations,
	 * and one being created (that of the {@link SessionTimeoutFilter} while its order is
	 * decided), are left out.
	 */
	private static Found first(ListableBeanFactory beanFactory, String bootRegistration, String property,
			String filterType, String filterBean) {
		Bound first = null;
		boolean disabled = false;
		for (String name : beanFactory.getBeanNamesForType(AbstractFilterRegistrationBean.class, false, false)) {
			if (name.equals(SESSION_TIMEOUT_FILTER.beanName()) || name.equals(PRIVILEGED_DISPATCH_REGISTRATION)
					|| name.equals(AFTER_SECURITY_CHAINS_REGISTRATION)
					|| (beanFactory instanceof ConfigurableBeanFactory configurable
							&& configurable.isCurrentlyInCreation(name))) {
				continue;
			}
			AbstractFilterRegistrationBean<?> registration = beanFactory.getBean(name,
					AbstractFilterRegistrationBean.class);
			boolean boot = name.equals(bootRegistration);
			if (!boot && !isOf(beanFactory, registration, filterType, filterBean)) {
				continue;
			}
			if (!registration.isEnabled()) {
				disabled = true;
			}
			else if (first == null || registration.getOrder() < first.order()) {
				first = new Bound(registration.getOrder(), boot ? property : null, name);
			}
		}
		return new Found(first, disabled);
	}

	/**
	 * Whether a registration registers a filter of a type, itself or through a
	 * {@code DelegatingFilterProxy} (Spring Boot's registration of one, or a
	 * {@link DelegatingFilterProxy} registered as the filter) of a bean of that type or
	 * of that name. A proxy whose target cannot be told is not one of it.
	 */
	private static boolean isOf(ListableBeanFactory beanFactory, AbstractFilterRegistrationBean<?> registration,
			String filterType, String filterBean) {
		if (registration instanceof DelegatingFilterProxyRegistrationBean) {
			String target = targetBeanName(DelegatingFilterProxyRegistrationBean.class, registration);
			return target != null && isTarget(beanFactory, target, filterType, filterBean);
		}
		jakarta.servlet.Filter filter = registration.getFilter();
		if (filter instanceof DelegatingFilterProxy proxy) {
			jakarta.servlet.Filter delegate = delegate(proxy);
			if (delegate != null && isNamed(delegate.getClass(), filterType)) {
				return true;
			}
			String target = targetBeanName(DelegatingFilterProxy.class, proxy);
			if (target == null && delegate == null) {
				target = registration.getFilterName();
			}
			return target != null && isTarget(beanFactory, target, filterType, filterBean);
		}
		return filter != null && isNamed(filter.getClass(), filterType);
	}

	/**
	 * Whether the bean a {@code DelegatingFilterProxy} delegates to is the filter: by its
	 * usual bean name, or by the type of the bean of that name.
	 */
	private static boolean isTarget(ListableBeanFactory beanFactory, String target, String filterType,
			String filterBean) {
		if (target.equals(filterBean)) {
			return true;
		}
		Class<?> type = beanFactory.containsBean(target) ? beanFactory.getType(target, false) : null;
		return type != null && isNamed(type, filterType);
	}

	/**
	 * The name of the bean a {@link DelegatingFilterProxyRegistrationBean} or a
	 * {@link DelegatingFilterProxy} delegates to, which neither makes public;
	 * {@code null} if it is not set. A proxy without one takes its filter's name when it
	 * is initialized, unless it was given its delegate.
	 */
	private static @Nullable String targetBeanName(Class<?> type, Object instance) {
		Method method = ReflectionUtils.findMethod(type, "getTargetBeanName");
		if (method == null) {
			return null;
		}
		ReflectionUtils.makeAccessible(method);
		return (ReflectionUtils.invokeMethod(method, instance) instanceof String name) ? name : null;
	}

	/**
	 * The filter a {@link DelegatingFilterProxy} delegates to, if it was given it or has
	 * already looked it up; {@code null} otherwise.
	 */
	private static jakarta.servlet.@Nullable Filter delegate(DelegatingFilterProxy proxy) {
		Field field = ReflectionUtils.findField(DelegatingFilterProxy.class, "delegate", jakarta.servlet.Filter.class);
		if (field == null) {
			return null;
		}
		ReflectionUtils.makeAccessible(field);
		return (ReflectionUtils.getField(field, proxy) instanceof jakarta.servlet.Filter delegate) ? delegate : null;
	}

	private boolean isAutoConfigured(String bean, String autoConfiguration) {
		if (this.beanFactory instanceof ConfigurableListableBeanFactory configurable
				&& configurable.containsBeanDefinition(bean)) {
			BeanDefinition definition = configurable.getBeanDefinition(bean);
			MethodMetadata method = (definition instanceof AnnotatedBeanDefinition annotated)
					? annotated.getFactoryMethodMetadata() : null;
			return method != null && autoConfiguration.equals(method.getDeclaringClassName());
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
	 * Where the filter that goes right after Spring Security's filter chain goes, for a
	 * request that no security filter chain judged.
	 *
	 * @param order one after Spring Security's order
	 * @param hasRoom whether a filter can be ordered after Spring Security's filter
	 * chain: not where Spring Security's is ordered {@code Integer.MAX_VALUE}, the latest
	 * there is. A filter at the same order may run before the chain, and would then
	 * answer a challenge the chain is to decide (a request of another user by HTTP Basic,
	 * say) or claim a zero-age grant before the chain's authorization refuses the
	 * request.
	 */
	record AfterSecurityChains(int order, boolean hasRoom) {

		/**
		 * Return where the filter goes after a Spring Security ordered so.
		 * @param springSecurityOrder the order of Spring Security's filter chain
		 * @return where the filter goes
		 */
		static AfterSecurityChains after(int springSecurityOrder) {
			return new AfterSecurityChains(SessionTimeoutFilterRegistrations.after(springSecurityOrder, 1),
					springSecurityOrder != Integer.MAX_VALUE);
		}

	}

	/**
	 * The registration of a filter found first, and whether a registration of it is
	 * disabled.
	 *
	 * @param bound the enabled registration that runs first, {@code null} if none
	 * @param disabled whether a registration of it is disabled
	 */
	private record Found(@Nullable Bound bound, boolean disabled) {

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
				PRIVILEGED_DISPATCH_REGISTRATION,
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
