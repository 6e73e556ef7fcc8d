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
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes on a reactive
 * web application, where the starter enforces nothing yet: it checks the
 * {@code session-timeout.*} properties as it does on a servlet application, so that a
 * mistake still fails startup with a failure report, and warns once that no session
 * lifetime is enforced.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBooleanProperty(name = "session-timeout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
public final class SessionTimeoutReactiveAutoConfiguration {

	static final String WARNING = "session-timeout enforces no session lifetime on reactive (WebFlux) applications"
			+ " yet; WebFlux support is planned. Set session-timeout.enabled=false to silence this warning.";

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	ReactiveApplicationWarning sessionTimeoutReactiveApplicationWarning(SessionTimeoutProperties properties) {
		return new ReactiveApplicationWarning(properties);
	}

	/**
	 * Checks the properties as the servlet auto-configuration does, then warns that
	 * nothing is enforced.
	 */
	static final class ReactiveApplicationWarning implements InitializingBean {

		private static final Log logger = LogFactory.getLog(SessionTimeoutReactiveAutoConfiguration.class);

		private final SessionTimeoutProperties properties;

		ReactiveApplicationWarning(SessionTimeoutProperties properties) {
			this.properties = properties;
		}

		@Override
		public void afterPropertiesSet() {
			List<Violation> violations = new ArrayList<>();
			check(violations, () -> SessionTimeoutSettingsFactory.create(this.properties, null));
			check(violations,
					() -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS,
							this.properties.getPrivileged().getPaths()));
			check(violations,
					() -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS,
							this.properties.getActivity().getPassivePaths()));
			check(violations,
					() -> SessionTimeoutSettingsFactory.acrValues(SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES,
							this.properties.getPrivileged().getAcrValues()));
			if (!violations.isEmpty()) {
				throw new InvalidSessionTimeoutException(violations);
			}
			logger.warn(WARNING);
		}

		private static void check(List<Violation> violations, Runnable check) {
			try {
				check.run();
			}
			catch (InvalidSessionTimeoutException ex) {
				violations.addAll(ex.getViolations());
			}
		}

	}

}
