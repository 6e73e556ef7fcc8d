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
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The four session clocks of one policy, as one immutable value. A {@code null} duration
 * means that clock is disabled.
 *
 * @param name the policy name, {@value #DEFAULT_NAME} for the global values
 * @param absolute the maximum lifetime of a session, counted from its creation
 * @param idle the time without activity after which a session ends
 * @param reauthentication the time after the last authentication at which the user must
 * authenticate again
 * @param privilegedMaxAge the maximum age of the authentication for privileged operations
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionTimeoutPolicy(String name, @Nullable Duration absolute, @Nullable Duration idle,
		@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {

	/**
	 * The name of the policy built from the global {@code session-timeout.*} values.
	 */
	public static final String DEFAULT_NAME = "default";

	public SessionTimeoutPolicy {
		Objects.requireNonNull(name, "'name' must not be null");
		requireEnabledPositive("absolute", absolute, false);
		requireEnabledPositive("idle", idle, false);
		requireEnabledPositive("reauthentication", reauthentication, false);
		requireEnabledPositive("privilegedMaxAge", privilegedMaxAge, true);
	}

	private static void requireEnabledPositive(String name, @Nullable Duration value, boolean zeroAllowed) {
		if (value != null && (value.isNegative() || (!zeroAllowed && value.isZero()))) {
			throw new IllegalArgumentException("'" + name + "' must be " + (zeroAllowed ? "zero or " : "")
					+ "positive, or null when disabled, but was " + value);
		}
	}

	/**
	 * Return the same policy under another name.
	 * @param name the new name
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withName(String name) {
		return new SessionTimeoutPolicy(name, this.absolute, this.idle, this.reauthentication, this.privilegedMaxAge);
	}

	/**
	 * Return the deadlines of a session that follows this policy.
	 * @param timeline when the session was created, last active and last authenticated
	 * @return the deadlines
	 */
	public SessionDeadlines deadlines(SessionTimeline timeline) {
		return SessionDeadlines.of(this, timeline);
	}

}
