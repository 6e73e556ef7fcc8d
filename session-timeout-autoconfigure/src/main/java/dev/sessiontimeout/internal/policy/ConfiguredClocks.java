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

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * The clock values as a user configured them, before defaults, presets, limits and
 * ordering are applied. A {@code null} value was not set;
 * {@link SessionDurations#DISABLED} disables the clock.
 *
 * @param name the name of the policy these values make
 * @param policy the policy whose settings these are
 * @param absolute the configured absolute lifetime
 * @param idle the configured idle timeout
 * @param reauthentication the configured re-authentication lifetime
 * @param privilegedMaxAge the configured privileged age
 * @author session-timeout
 */
record ConfiguredClocks(String name, PolicyRef policy, @Nullable Duration absolute, @Nullable Duration idle,
		@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {

	/**
	 * Return the global clocks.
	 * @param absolute the configured absolute lifetime
	 * @param idle the configured idle timeout
	 * @param reauthentication the configured re-authentication lifetime
	 * @param privilegedMaxAge the configured privileged age
	 * @return the configured clocks
	 */
	static ConfiguredClocks global(@Nullable Duration absolute, @Nullable Duration idle,
			@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {
		return new ConfiguredClocks(SessionTimeoutPolicy.DEFAULT_NAME, PolicyRef.GLOBAL, absolute, idle,
				reauthentication, privilegedMaxAge);
	}

	/**
	 * Return the setting of one of these clocks.
	 * @param clock the clock
	 * @return the setting
	 */
	Setting setting(SessionClock clock) {
		return Setting.clock(this.policy, clock);
	}

}
