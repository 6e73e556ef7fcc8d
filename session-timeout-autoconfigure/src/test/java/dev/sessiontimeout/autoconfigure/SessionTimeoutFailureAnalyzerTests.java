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
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ReflectionUtils;

import dev.sessiontimeout.policy.ConfiguredClocks;
import dev.sessiontimeout.policy.ConfiguredPolicy;
import dev.sessiontimeout.policy.InvalidSessionDurationException;
import dev.sessiontimeout.policy.InvalidSessionTimeoutException;
import dev.sessiontimeout.policy.Limits;
import dev.sessiontimeout.policy.SessionDurations;
import dev.sessiontimeout.policy.SessionTimeoutSettings;
import dev.sessiontimeout.policy.Violation;
import dev.sessiontimeout.web.PathPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link SessionTimeoutFailureAnalyzer} and {@link SessionDurationConverter}.
 *
 * @author session-timeout
 */
class SessionTimeoutFailureAnalyzerTests {

	private final SessionTimeoutFailureAnalyzer analyzer = new SessionTimeoutFailureAnalyzer();

	@Test
	void analyzeWhenUnrelatedFailureThenNull() {
		assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void analyzeWhenInvalidDurationOutsideBindingThenNull() {
		Throwable failure = catchThrowableOfType(InvalidSessionDurationException.class,
				() -> SessionDurations.parse("abc"));
		assertThat(this.analyzer.analyze(new BeanCreationException("bean", failure))).isNull();
	}

	@Test
	void analyzeWhenViolationsDeepInCausesThenEachPropertyValueRuleAndFix() {
		InvalidSessionTimeoutException invalid = new InvalidSessionTimeoutException(
				List.of(new Violation("session-timeout.idle", "0", "idle rule", "idle fix"),
						new Violation("session-timeout.absolute", "1h", "absolute rule", "absolute fix")));
		BeanCreationException failure = new BeanCreationException("outer", new BeanCreationException("inner", invalid));
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isSameAs(failure);
		assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"0\"",
				"Rule: idle rule", "Property: session-timeout.absolute", "Value: \"1h\"", "Rule: absolute rule");
		assertThat(analysis.getAction()).contains("session-timeout.idle: idle fix",
				"session-timeout.absolute: absolute fix");
	}

	@Test
	void analyzeWhenPolicyInvalidThenEachPolicyPropertyValueRuleAndFix() {
		ConfiguredPolicy unnamed = new ConfiguredPolicy(0, null, List.of(), null, null, null, null, null, null);
		ConfiguredPolicy administrators = new ConfiguredPolicy(1, "administrators", List.of("ROLE_ADMIN"), null,
				Duration.ofHours(1), Duration.ofHours(2), null, null, null);
		InvalidSessionTimeoutException invalid = catchThrowableOfType(InvalidSessionTimeoutException.class,
				() -> SessionTimeoutSettings.resolve(ConfiguredClocks.global(null, null, null, null), false,
						List.of(unnamed, administrators), null, null, null, Limits.NONE, Duration.ZERO));
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("sessionTimeoutSettings", invalid));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].name", "Value: \"\"",
				"Rule: every policy needs a name", "Property: session-timeout.policies[0].authorities",
				"Rule: a policy must say which authentications it applies to",
				"Property: session-timeout.policies[1].idle", "Value: \"2h\"",
				"Rule: idle must not be longer than absolute, session-timeout.policies[1].absolute=1h");
		assertThat(analysis.getAction()).contains(
				"session-timeout.policies[0].name: name the policy, for example administrators",
				"session-timeout.policies[0].authorities: set session-timeout.policies[0].authorities (any of them"
						+ " matches) or session-timeout.policies[0].remember-me",
				"session-timeout.policies[1].idle: shorten session-timeout.policies[1].idle to at most 1h, or set"
						+ " session-timeout.policies[1].absolute to at least 2h");
	}

	@Test
	void analyzeWhenPrivilegedPathNotAPatternThenNamesTheIndexedProperty() {
		InvalidSessionTimeoutException invalid = catchThrowableOfType(InvalidSessionTimeoutException.class,
				() -> PathPatterns.parse("session-timeout.privileged.paths", List.of("/account/**", "/a/{*x}/b")));
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("sessionTimeoutFilter", invalid));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.contains("Property: session-timeout.privileged.paths[1]", "Value: \"/a/{*x}/b\"",
					"Rule: not a path pattern")
			.doesNotContain("paths[0]");
		assertThat(analysis.getAction())
			.contains("session-timeout.privileged.paths[1]: use a pattern such as /api/poll or /account/**");
	}

	@Test
	void orderWhenAnalyzersSortedThenFirst() {
		assertThat(this.analyzer.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

	@Test
	void converterWhenSessionDurationFieldThenMatches() {
		SessionDurationConverter converter = new SessionDurationConverter();
		TypeDescriptor string = TypeDescriptor.valueOf(String.class);
		TypeDescriptor idle = new TypeDescriptor(ReflectionUtils.findField(SessionTimeoutProperties.class, "idle"));
		assertThat(converter.matches(string, idle)).isTrue();
		assertThat(converter.matches(string, TypeDescriptor.valueOf(Duration.class))).isFalse();
		assertThat(converter.convert("1h13m3s", string, idle))
			.isEqualTo(Duration.ofHours(1).plusMinutes(13).plusSeconds(3));
		assertThat(converter.convert("-1", string, idle)).isEqualTo(SessionDurations.DISABLED);
		assertThat(converter.convert(" ", string, idle)).isNull();
		assertThat(converter.convert(null, string, idle)).isNull();
	}

	@Test
	void converterWhenGarbageThenInvalidSessionDuration() {
		SessionDurationConverter converter = new SessionDurationConverter();
		TypeDescriptor idle = new TypeDescriptor(ReflectionUtils.findField(SessionTimeoutProperties.class, "idle"));
		assertThatExceptionOfType(InvalidSessionDurationException.class)
			.isThrownBy(() -> converter.convert("12x", TypeDescriptor.valueOf(String.class), idle));
	}

}
