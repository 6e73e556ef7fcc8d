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

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;

import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Checks, once every singleton exists, that the {@link SessionTimeoutFilter} is
 * registered once, for the dispatches it must see, also by a registration of the
 * application's own: a startup failure, reported by
 * {@link SessionTimeoutFailureAnalyzer}, rather than requests let past it. A registration
 * that is disabled is left out: the application turned the filter off on purpose.
 *
 * @author session-timeout
 */
final class SessionTimeoutFilterRegistrations implements SmartInitializingSingleton {

	/**
	 * The name of the auto-configured registration, which one of the application's own of
	 * that name replaces.
	 */
	static final String BEAN_NAME = "sessionTimeoutFilterRegistration";

	private final ListableBeanFactory beanFactory;

	SessionTimeoutFilterRegistrations(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> beans = new ArrayList<>();
		List<EnumSet<DispatcherType>> dispatcherTypes = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForType(AbstractFilterRegistrationBean.class, false, false)) {
			AbstractFilterRegistrationBean<?> registration = this.beanFactory.getBean(name,
					AbstractFilterRegistrationBean.class);
			if (registration.isEnabled() && registration.getFilter() instanceof SessionTimeoutFilter) {
				beans.add(name);
				dispatcherTypes.add(registration.determineDispatcherTypes());
			}
		}
		if (beans.size() > 1) {
			List<String> sorted = beans.stream().sorted().toList();
			throw InvalidFilterRegistrationException.registeredMoreThanOnce(sorted,
					sorted.stream().filter((name) -> !name.equals(BEAN_NAME)).toList());
		}
		if (beans.size() == 1
				&& !dispatcherTypes.get(0).containsAll(InvalidFilterRegistrationException.REQUIRED_DISPATCHER_TYPES)) {
			throw InvalidFilterRegistrationException.dispatcherTypes(beans.get(0), dispatcherTypes.get(0));
		}
	}

}
