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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnknownSessionTimeoutProperties}: the forms of a property that Spring
 * Boot binds are never reported.
 */
class UnknownSessionTimeoutPropertiesTests {

	@Test
	void findWhenEnvironmentVariablesAndIndexedFormsThatSpringBootBindsThenNoneIsUnknown() {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("SESSIONTIMEOUT_IDLE", "5m");
		variables.put("SESSIONTIMEOUT_PRIVILEGED_MAXAGE", "3m");
		variables.put("SESSIONTIMEOUT_POLICIES_0_NAME", "staff");
		variables.put("SESSIONTIMEOUT_POLICIES_0_AUTHORITIES_0", "ROLE_STAFF");
		variables.put("SESSIONTIMEOUT_POLICIES_0_ABSOLUTE", "1h");
		variables.put("SESSION_TIMEOUT_REAUTHENTICATION", "2h");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("session-timeout.privileged.paths[0]", "/a/**");
		properties.put("session-timeout.activity.passivePaths", "/p/**");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
		environment.getPropertySources().addFirst(new MapPropertySource("test-properties", properties));
		SessionTimeoutProperties bound = Binder.get(environment)
			.bind("session-timeout", SessionTimeoutProperties.class)
			.get();
		assertThat(bound.getIdle()).isEqualTo(Duration.ofMinutes(5));
		assertThat(bound.getPrivileged().getMaxAge()).isEqualTo(Duration.ofMinutes(3));
		assertThat(UnknownSessionTimeoutProperties.find(environment)).isEmpty();
	}

}
