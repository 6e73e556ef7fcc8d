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
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the session-timeout configuration breaks one or more rules, each told with
 * the name of its property.
 *
 * @author session-timeout
 * @since 0.1.0
 */
class InvalidSessionTimeoutException extends IllegalStateException {

	private final List<Violation> violations;

	/**
	 * Create a new exception.
	 * @param violations the broken rules, at least one
	 */
	public InvalidSessionTimeoutException(List<Violation> violations) {
		this(violations, null);
	}

	/**
	 * Create a new exception for broken rules that were found in other terms first.
	 * @param violations the broken rules, at least one
	 * @param cause the exception that told them in other terms, if any
	 */
	public InvalidSessionTimeoutException(List<Violation> violations, @Nullable Throwable cause) {
		super("Invalid session-timeout configuration: "
				+ violations.stream().map(Violation::toString).collect(Collectors.joining("; ")), cause);
		this.violations = List.copyOf(violations);
	}

	/**
	 * Return the broken rules.
	 * @return the violations
	 */
	public List<Violation> getViolations() {
		return this.violations;
	}

}
