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
package dev.sessiontimeout.policy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The clock values as a user configured them, before defaults, presets, limits and
 * ordering are applied. A {@code null} value was not set;
 * {@link SessionDurations#DISABLED} disables the clock.
 *
 * @param name the name of the policy these values make
 * @param prefix the prefix of their properties, for example {@code session-timeout.}
 * @param privilegedProperty the name of the privileged age property after the prefix
 * @param absolute the configured absolute lifetime
 * @param idle the configured idle timeout
 * @param reauthentication the configured re-authentication lifetime
 * @param privilegedMaxAge the configured privileged age
 * @author session-timeout
 * @since 0.1.0
 */
public record ConfiguredClocks(String name, String prefix, String privilegedProperty, @Nullable Duration absolute,
		@Nullable Duration idle, @Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {

	/**
	 * Return the global clocks, configured under {@code session-timeout.}.
	 * @param absolute the configured absolute lifetime
	 * @param idle the configured idle timeout
	 * @param reauthentication the configured re-authentication lifetime
	 * @param privilegedMaxAge the configured privileged age
	 * @return the configured clocks
	 */
	public static ConfiguredClocks global(@Nullable Duration absolute, @Nullable Duration idle,
			@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {
		return new ConfiguredClocks(SessionTimeoutPolicy.DEFAULT_NAME, "session-timeout.", "privileged.max-age",
				absolute, idle, reauthentication, privilegedMaxAge);
	}

}
