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

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionTimeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link RequiresPrivilegedSession} in a servlet application without Spring Security,
 * which Spring Security's method interceptor checks: the annotated method must never run
 * unchecked, so either startup fails with a report or the method is refused.
 */
class PrivilegedAnnotationWithoutSpringSecurityTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.security"));

	@Test
	void privilegedAnnotationWhenSpringSecurityIsAbsentThenStartupFailsOrTheMethodIsRefused() {
		this.contextRunner.withBean(Vault.class).run((context) -> {
			if (context.getStartupFailure() != null) {
				return;
			}
			assertThat(context).as("the starter runs: the session clocks are there")
				.hasSingleBean(SessionTimeouts.class);
			Throwable refusal = catchThrowable(() -> context.getBean(Vault.class).open());
			assertThat(refusal).as("the privileged method ran unchecked and returned").isNotNull();
		});
	}

	static class Vault {

		@RequiresPrivilegedSession
		public String open() {
			return "opened";
		}

	}

}
