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

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for an application that is no web
 * application ({@code spring.main.web-application-type=none}, or neither Spring MVC nor
 * WebFlux on the class path) but has session-timeout on its class path. As Spring Boot's
 * own web auto-configurations, session-timeout does nothing there and binds none of its
 * properties; so that {@code session-timeout.*} properties are not ignored in silence, it
 * logs one WARN at startup that names those the environment sets. Without a web
 * application there is no session, so nothing checks the application's
 * {@link RequiresPrivilegedSession} methods either: if it has any, another WARN says that
 * they run unchecked, as with {@code session-timeout.enabled=false}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnNotWebApplication
@Conditional(OnSessionTimeoutEnabledCondition.class)
public final class SessionTimeoutNonWebAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutNonWebAutoConfiguration.class);

	private static final ConfigurationPropertyName ENABLED = ConfigurationPropertyName
		.of(OnSessionTimeoutEnabledCondition.PROPERTY);

	private static final int MAX_NAMED = 5;

	/**
	 * Why nothing checks the privileged methods of an application that is no web
	 * application.
	 */
	static final String NO_SESSION = "this is no web application, so there is no session to check";

	/**
	 * What there is to know about them: no property of session-timeout checks them.
	 */
	static final String WEB_ONLY = "session-timeout checks them in servlet and WebFlux applications only";

	@Bean
	static SmartInitializingSingleton sessionTimeoutNonWebApplicationWarning(Environment environment) {
		return () -> {
			String message = message(environment);
			if (message != null && logger.isWarnEnabled()) {
				logger.warn(message);
			}
		};
	}

	@Bean
	static SmartInitializingSingleton sessionTimeoutNonWebPrivilegedMethodsWarning(
			ConfigurableListableBeanFactory beanFactory) {
		return PrivilegedBeans.uncheckedMethodsWarning(beanFactory, logger, NO_SESSION, WEB_ONLY);
	}

	/**
	 * Return the warning for the {@code session-timeout.*} properties that the
	 * environment sets, {@code session-timeout.enabled} aside, or {@code null} if it sets
	 * none.
	 */
	private static @Nullable String message(Environment environment) {
		List<String> names = SessionTimeoutPropertyNames.setIn(environment)
			.entrySet()
			.stream()
			.filter((entry) -> !ENABLED.equals(entry.getValue()))
			.map(Map.Entry::getKey)
			.toList();
		if (names.isEmpty()) {
			return null;
		}
		List<String> named = names.subList(0, Math.min(MAX_NAMED, names.size()));
		String list = String.join(", ", named)
				+ ((names.size() > MAX_NAMED) ? " and " + (names.size() - MAX_NAMED) + " more" : "");
		boolean one = names.size() == 1;
		return list + (one ? " is" : " are") + " set, but this is no web application: session-timeout applies to"
				+ " servlet and WebFlux applications only, so it does nothing here and "
				+ (one ? "does not check its value" : "checks none of their values");
	}

}
