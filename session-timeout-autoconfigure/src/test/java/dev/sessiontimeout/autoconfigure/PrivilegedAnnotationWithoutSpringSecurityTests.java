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

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionTimeouts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequiresPrivilegedSession} in a servlet application without Spring Security,
 * whose method security checks it: the annotated method must never run unchecked, so
 * startup fails with a report naming it and the fix, as on WebFlux; so it does for
 * privileged paths, which need the time the user authenticated.
 */
class PrivilegedAnnotationWithoutSpringSecurityTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.security"));

	@Test
	void privilegedAnnotationWhenSpringSecurityIsAbsentThenStartupFailsNamingTheMethodAndTheFix() {
		FailureAnalysis analysis = startupFailure(this.contextRunner.withBean(Vault.class));
		assertThat(analysis.getDescription())
			.contains("Method: " + Vault.class.getName() + ".open", "Annotation: @RequiresPrivilegedSession",
					"Rule: privileged operations are checked on servlet applications by Spring Security's method"
							+ " security, which is not on the classpath")
			.doesNotContain("Property: @", "Value: ");
		assertThat(analysis.getAction()).startsWith("Update your application's code:")
			.contains("@RequiresPrivilegedSession on " + Vault.class.getName()
					+ ".open: add spring-boot-starter-security");
	}

	@Test
	void privilegedAnnotationAndPathsWhenSpringSecurityIsAbsentThenTheReportNamesConfigurationAndCode() {
		FailureAnalysis analysis = startupFailure(this.contextRunner.withBean(Vault.class)
			.withPropertyValues("session-timeout.privileged.paths=/account/transfer"));
		assertThat(analysis.getDescription()).contains("Method: " + Vault.class.getName() + ".open",
				"Property: session-timeout.privileged.paths");
		assertThat(analysis.getAction()).startsWith("Update your application's configuration and code:");
	}

	@Test
	void privilegedTypeWhenSpringSecurityIsAbsentThenStartupFails() {
		FailureAnalysis analysis = startupFailure(this.contextRunner.withBean(Safe.class));
		assertThat(analysis.getDescription()).contains("Method: " + Safe.class.getName() + ".open");
		assertThat(analysis.getAction()).contains("add spring-boot-starter-security");
	}

	@Test
	void privilegedPathsWhenSpringSecurityIsAbsentThenStartupFails() {
		FailureAnalysis analysis = startupFailure(
				this.contextRunner.withPropertyValues("session-timeout.privileged.paths=/account/transfer"));
		assertThat(analysis.getDescription()).contains("Property: session-timeout.privileged.paths",
				"/account/transfer");
		assertThat(analysis.getAction()).contains("add spring-boot-starter-security");
	}

	@Test
	void noPrivilegedOperationWhenSpringSecurityIsAbsentThenTheStarterRuns() {
		this.contextRunner.withBean(Ordinary.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SessionTimeouts.class));
	}

	private static FailureAnalysis startupFailure(WebApplicationContextRunner runner) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.withInitializer((context) -> environment.set(context.getEnvironment())).run((context) -> {
			assertThat(context).as("startup fails rather than let a privileged operation run unchecked").hasFailed();
			analysis.set(new SessionTimeoutFailureAnalyzer(environment.get()).analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	static class Vault {

		@RequiresPrivilegedSession
		public String open() {
			return "opened";
		}

	}

	@RequiresPrivilegedSession
	static class Safe {

		public String open() {
			return "opened";
		}

	}

	static class Ordinary {

		public String open() {
			return "opened";
		}

	}

}
