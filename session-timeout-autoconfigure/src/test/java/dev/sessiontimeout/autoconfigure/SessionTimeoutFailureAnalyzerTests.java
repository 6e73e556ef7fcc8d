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

import dev.sessiontimeout.policy.InvalidSessionDurationException;
import dev.sessiontimeout.policy.InvalidSessionTimeoutException;
import dev.sessiontimeout.policy.SessionDurations;
import dev.sessiontimeout.policy.Violation;

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
