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

package dev.sessiontimeout;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * @param cookiePersistent whether the session cookie outlives the browser session, up to
 * the absolute deadline
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionTimeoutPolicy(String name, @Nullable Duration absolute, @Nullable Duration idle,
		@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge, boolean cookiePersistent) {

	/**
	 * The name of the policy built from the global values, which no configured policy
	 * sets.
	 */
	public static final String DEFAULT_NAME = "default";

	public SessionTimeoutPolicy {
		Objects.requireNonNull(name, "'name' must not be null");
		requireEnabledPositive("absolute", absolute, false);
		requireEnabledPositive("idle", idle, false);
		requireEnabledPositive("reauthentication", reauthentication, false);
		requireEnabledPositive("privilegedMaxAge", privilegedMaxAge, true);
	}

	/**
	 * Create a policy whose session cookie ends with the browser session.
	 * @param name the policy name
	 * @param absolute the maximum lifetime of a session, counted from its creation
	 * @param idle the time without activity after which a session ends
	 * @param reauthentication the time after the last authentication at which the user
	 * must authenticate again
	 * @param privilegedMaxAge the maximum age of the authentication for privileged
	 * operations
	 */
	public SessionTimeoutPolicy(String name, @Nullable Duration absolute, @Nullable Duration idle,
			@Nullable Duration reauthentication, @Nullable Duration privilegedMaxAge) {
		this(name, absolute, idle, reauthentication, privilegedMaxAge, false);
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
		return new SessionTimeoutPolicy(name, this.absolute, this.idle, this.reauthentication, this.privilegedMaxAge,
				this.cookiePersistent);
	}

	/**
	 * Return the same policy with another absolute lifetime.
	 * @param absolute the absolute lifetime, {@code null} to disable the clock
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withAbsolute(@Nullable Duration absolute) {
		return new SessionTimeoutPolicy(this.name, absolute, this.idle, this.reauthentication, this.privilegedMaxAge,
				this.cookiePersistent);
	}

	/**
	 * Return the same policy with another idle timeout.
	 * @param idle the idle timeout, {@code null} to disable the clock
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withIdle(@Nullable Duration idle) {
		return new SessionTimeoutPolicy(this.name, this.absolute, idle, this.reauthentication, this.privilegedMaxAge,
				this.cookiePersistent);
	}

	/**
	 * Return the same policy with another re-authentication lifetime.
	 * @param reauthentication the re-authentication lifetime, {@code null} to disable the
	 * clock
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withReauthentication(@Nullable Duration reauthentication) {
		return new SessionTimeoutPolicy(this.name, this.absolute, this.idle, reauthentication, this.privilegedMaxAge,
				this.cookiePersistent);
	}

	/**
	 * Return the same policy with another privileged age.
	 * @param privilegedMaxAge the privileged age, {@code null} to disable the clock
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withPrivilegedMaxAge(@Nullable Duration privilegedMaxAge) {
		return new SessionTimeoutPolicy(this.name, this.absolute, this.idle, this.reauthentication, privilegedMaxAge,
				this.cookiePersistent);
	}

	/**
	 * Return the same policy with another cookie persistence.
	 * @param cookiePersistent whether the session cookie outlives the browser session
	 * @return a new policy
	 */
	public SessionTimeoutPolicy withCookiePersistent(boolean cookiePersistent) {
		return new SessionTimeoutPolicy(this.name, this.absolute, this.idle, this.reauthentication,
				this.privilegedMaxAge, cookiePersistent);
	}

}
