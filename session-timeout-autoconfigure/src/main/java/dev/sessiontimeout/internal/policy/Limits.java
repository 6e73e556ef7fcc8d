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
 * Ceilings that no value may exceed, whether global, from a policy or from a per-session
 * override. A {@code null} ceiling means none.
 *
 * @param absolute the longest absolute lifetime
 * @param idle the longest idle timeout
 * @param reauthentication the longest re-authentication lifetime
 * @author session-timeout
 * @since 0.1.0
 */
public record Limits(@Nullable Duration absolute, @Nullable Duration idle, @Nullable Duration reauthentication) {

	/**
	 * No ceilings.
	 */
	public static final Limits NONE = new Limits(null, null, null);

	/**
	 * Return the given policy with each value above its ceiling lowered to it. A disabled
	 * clock is unbounded, so a ceiling enables it at the ceiling.
	 * @param policy the policy
	 * @return the clamped policy
	 */
	public SessionTimeoutPolicy clamp(SessionTimeoutPolicy policy) {
		return new SessionTimeoutPolicy(policy.name(), clamp(policy.absolute(), this.absolute),
				clamp(policy.idle(), this.idle), clamp(policy.reauthentication(), this.reauthentication),
				policy.privilegedMaxAge(), policy.cookiePersistent());
	}

	static @Nullable Duration clamp(@Nullable Duration value, @Nullable Duration ceiling) {
		if (ceiling == null) {
			return value;
		}
		return (value == null || value.compareTo(ceiling) > 0) ? ceiling : value;
	}

}
