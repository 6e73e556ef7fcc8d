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

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.internal.security.PrivilegedDispatchFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Checks, once every singleton exists, that each of the starter's servlet filters is
 * registered once, for the dispatches it must see, also by a registration of the
 * application's own: a startup failure, reported by
 * {@link SessionTimeoutFailureAnalyzer}, rather than requests let past it. A registration
 * that is disabled is left out: the application turned the filter off on purpose.
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

	private static final boolean PRIVILEGED_DISPATCH_FILTER_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.core.Authentication",
			SessionTimeoutFilterRegistrations.class.getClassLoader());

	private final ListableBeanFactory beanFactory;

	SessionTimeoutFilterRegistrations(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		check(SESSION_TIMEOUT_FILTER);
		if (PRIVILEGED_DISPATCH_FILTER_PRESENT) {
			check(PrivilegedDispatch.FILTER);
		}
	}

	private void check(Filter filter) {
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
