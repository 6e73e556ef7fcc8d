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
	 * Return whether the user of an authenticated session that follows this policy must
	 * authenticate again: the re-authentication clock runs and its deadline is reached,
	 * or the session never recorded when its user authenticated.
	 * @param timeline when the session was created, last active and last authenticated
	 * @param now the current instant
	 * @return {@code true} if the user must authenticate again
	 */
	public boolean isReauthenticationDue(SessionTimeline timeline, Instant now) {
		return this.reauthentication != null && !timeline.isAuthenticatedWithin(this.reauthentication, now);
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

	/**
	 * Return this policy as text that {@link #decode(String)} reads back, so that a
	 * session can carry the policy it was given in any store: the four durations in
	 * ISO-8601 ({@code -} for a disabled clock), {@code 1} or {@code 0} for the cookie
	 * persistence, then the name.
	 * @return the text, for example {@code PT1H,PT10M,-,PT5M,0,administrators}
	 */
	public String encode() {
		return text(this.absolute) + "," + text(this.idle) + "," + text(this.reauthentication) + ","
				+ text(this.privilegedMaxAge) + "," + (this.cookiePersistent ? "1" : "0") + "," + this.name;
	}

	/**
	 * Read a policy written by {@link #encode()}.
	 * @param text the text
	 * @return the policy, or {@code null} if the text is not an encoded policy
	 */
	public static @Nullable SessionTimeoutPolicy decode(String text) {
		String[] parts = text.split(",", 6);
		if (parts.length != 6 || !("1".equals(parts[4]) || "0".equals(parts[4]))) {
			return null;
		}
		try {
			return new SessionTimeoutPolicy(parts[5], duration(parts[0]), duration(parts[1]), duration(parts[2]),
					duration(parts[3]), "1".equals(parts[4]));
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			return null;
		}
	}

	private static String text(@Nullable Duration duration) {
		return (duration != null) ? duration.toString() : "-";
	}

	private static @Nullable Duration duration(String text) {
		return "-".equals(text) ? null : Duration.parse(text);
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
