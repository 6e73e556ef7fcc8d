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

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * Which policy a setting belongs to: the global values, or a configured policy by its
 * position in the list of policies and its name.
 *
 * @param index the position of the policy in the list, {@code -1} for the global values
 * @param name the name of the policy: {@value SessionTimeoutPolicy#DEFAULT_NAME} for the
 * global values, empty for a policy that has none
 * @author session-timeout
 * @since 0.1.0
 */
public record PolicyRef(int index, String name) {

	/**
	 * The global values.
	 */
	public static final PolicyRef GLOBAL = new PolicyRef(-1, SessionTimeoutPolicy.DEFAULT_NAME);

	public PolicyRef {
		Objects.requireNonNull(name, "'name' must not be null");
		if (index < -1) {
			throw new IllegalArgumentException("'index' must be -1 or more, but was " + index);
		}
	}

	/**
	 * Return the configured policy at a position of the list.
	 * @param index the position of the policy in the list
	 * @param name the name of the policy as configured, {@code null} if it has none
	 * @return the reference
	 */
	public static PolicyRef of(int index, @Nullable String name) {
		if (index < 0) {
			throw new IllegalArgumentException("'index' must not be negative, but was " + index);
		}
		return new PolicyRef(index, (name != null) ? name.strip() : "");
	}

	/**
	 * Return whether this is the global values rather than a configured policy.
	 * @return {@code true} for {@link #GLOBAL}
	 */
	public boolean isGlobal() {
		return this.index < 0;
	}

	/**
	 * Return whether this is a configured policy that has a name.
	 * @return {@code true} if the policy is configured and named
	 */
	public boolean isNamedPolicy() {
		return !isGlobal() && !this.name.isEmpty();
	}

	@Override
	public String toString() {
		return isGlobal() ? "the global values"
				: "policy " + this.index + (isNamedPolicy() ? " '" + this.name + "'" : "");
	}

}
