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

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A policy as a user configured it, the {@code index}-th of the list of policies: which
 * authentications it claims and the clocks it sets, before inheritance, presets, limits
 * and ordering are applied. A {@code null} value was not set.
 *
 * @param index the position of the policy in the list, its priority
 * @param name the policy name
 * @param authorities the authorities of which an authentication must have one
 * @param rememberMe whether the policy claims only remember-me authentications
 * ({@code true}) or only others ({@code false})
 * @param absolute the configured absolute lifetime
 * @param idle the configured idle timeout
 * @param reauthentication the configured re-authentication lifetime
 * @param privilegedMaxAge the configured privileged age
 * @param cookiePersistent whether the session cookie outlives the browser session
 * @author session-timeout
 * @since 0.1.0
 */
public record ConfiguredPolicy(int index, @Nullable String name, List<String> authorities, @Nullable Boolean rememberMe,
		@Nullable Duration absolute, @Nullable Duration idle, @Nullable Duration reauthentication,
		@Nullable Duration privilegedMaxAge, @Nullable Boolean cookiePersistent) {

	public ConfiguredPolicy {
		authorities = List.copyOf(authorities);
	}

	/**
	 * Return which policy this is, for reports.
	 * @return the reference, by position and name
	 */
	public PolicyRef ref() {
		return PolicyRef.of(this.index, this.name);
	}

	ConfiguredClocks clocks(String name) {
		return new ConfiguredClocks(name, ref(), this.absolute, this.idle, this.reauthentication,
				this.privilegedMaxAge);
	}

}
