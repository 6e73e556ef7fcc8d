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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for an application that turned
 * session-timeout off ({@code session-timeout.enabled=false}): it says at startup, once,
 * that the application's {@link RequiresPrivilegedSession} methods run unchecked. In an
 * application that is no web application, removing the property would not check them
 * either, as there is no session: the WARN says so instead of advising it.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration
@Conditional(OnSessionTimeoutEnabledCondition.Disabled.class)
public final class SessionTimeoutDisabledAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutDisabledAutoConfiguration.class);

	private static final String TURNED_OFF = OnSessionTimeoutEnabledCondition.PROPERTY
			+ "=false turns session-timeout off";

	@Bean
	@ConditionalOnWebApplication
	static SmartInitializingSingleton sessionTimeoutDisabledPrivilegedMethodsWarning(
			ConfigurableListableBeanFactory beanFactory) {
		return PrivilegedBeans.uncheckedMethodsWarning(beanFactory, logger, TURNED_OFF,
				"remove the property to check them");
	}

	@Bean
	@ConditionalOnNotWebApplication
	static SmartInitializingSingleton sessionTimeoutDisabledNonWebPrivilegedMethodsWarning(
			ConfigurableListableBeanFactory beanFactory) {
		return PrivilegedBeans.uncheckedMethodsWarning(beanFactory, logger,
				TURNED_OFF + ", and " + SessionTimeoutNonWebAutoConfiguration.NO_SESSION,
				SessionTimeoutNonWebAutoConfiguration.WEB_ONLY);
	}

}
