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

/**
 * One broken configuration rule, told the way a person fixes it: with the full name of
 * the offending property. The policy code reports {@link SettingViolation}s instead; the
 * auto-configuration names their properties.
 *
 * @param property the full name of the offending property
 * @param value the value it has, as the user wrote it
 * @param rule the rule it breaks
 * @param fix what to change
 * @author session-timeout
 * @since 0.1.0
 */
record Violation(String property, String value, String rule, String fix) {

	/**
	 * Return whether this violation is about an annotation of the application's code
	 * rather than a property: its {@link #property()} is then the annotation's name
	 * ({@code @RequiresPrivilegedSession}) and its {@link #value()} the annotated method.
	 * @return {@code true} for an annotation
	 */
	boolean annotation() {
		return this.property.startsWith("@");
	}

	@Override
	public String toString() {
		return this.property + "=" + this.value + ": " + this.rule + " (" + this.fix + ")";
	}

}
