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
package dev.sessiontimeout.internal.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when the values that session-timeout settings are built from break one or more
 * rules, each told in the terms of the policy code.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionTimeoutSettingsBuilder#build()
 */
public class InvalidSessionTimeoutSettingsException extends IllegalStateException {

	private final List<SettingViolation> violations;

	/**
	 * Create a new exception.
	 * @param violations the broken rules, at least one
	 */
	public InvalidSessionTimeoutSettingsException(List<SettingViolation> violations) {
		super("Invalid session-timeout settings: "
				+ violations.stream().map(SettingViolation::toString).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	/**
	 * Return the broken rules.
	 * @return the violations
	 */
	public List<SettingViolation> getViolations() {
		return this.violations;
	}

}
