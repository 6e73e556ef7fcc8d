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

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

import dev.sessiontimeout.policy.InvalidSessionDurationException;
import dev.sessiontimeout.policy.InvalidSessionTimeoutException;
import dev.sessiontimeout.policy.SessionDurations;
import dev.sessiontimeout.policy.Violation;

/**
 * Explains a session-timeout configuration that cannot start: each offending property
 * with its value, the rule it breaks and the fix.
 *
 * @author session-timeout
 * @since 0.1.0
 */
class SessionTimeoutFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidSessionTimeoutException invalid = findCause(failure, InvalidSessionTimeoutException.class);
		if (invalid != null) {
			return analyze(invalid.getViolations(), failure);
		}
		BindException bindException = findCause(failure, BindException.class);
		InvalidSessionDurationException duration = findCause(failure, InvalidSessionDurationException.class);
		if (bindException != null && duration != null) {
			String property = bindException.getName().toString();
			return analyze(List.of(new Violation(property, duration.getText(), "not a session duration",
					"use " + SessionDurations.SYNTAX)), failure);
		}
		return null;
	}

	private FailureAnalysis analyze(List<Violation> violations, Throwable failure) {
		StringBuilder description = new StringBuilder("The session-timeout configuration is invalid:")
			.append(System.lineSeparator());
		StringBuilder action = new StringBuilder("Update your application's configuration:")
			.append(System.lineSeparator());
		for (Violation violation : violations) {
			description.append(System.lineSeparator())
				.append("    Property: ")
				.append(violation.property())
				.append(System.lineSeparator())
				.append("    Value: \"")
				.append(violation.value())
				.append('"')
				.append(System.lineSeparator())
				.append("    Rule: ")
				.append(violation.rule())
				.append(System.lineSeparator());
			action.append(System.lineSeparator())
				.append("    ")
				.append(violation.property())
				.append(": ")
				.append(violation.fix());
		}
		return new FailureAnalysis(description.toString(), action.toString(), failure);
	}

	private static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
		while (failure != null) {
			if (type.isInstance(failure)) {
				return type.cast(failure);
			}
			failure = failure.getCause();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
