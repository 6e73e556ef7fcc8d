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
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * Writes a {@link SessionTimeoutPolicy} as text that any session store and serializer
 * holds, and reads it back, so that a session carries the policy it was given to every
 * node.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class PolicyCodec {

	private PolicyCodec() {
	}

	/**
	 * Return a policy as text that {@link #decode(String)} reads back, so that a session
	 * can carry the policy it was given in any store: the four durations in ISO-8601
	 * ({@code -} for a disabled clock), {@code 1} or {@code 0} for the cookie
	 * persistence, then the name.
	 * @param policy the policy
	 * @return the text, for example {@code PT1H,PT10M,-,PT5M,0,administrators}
	 */
	public static String encode(SessionTimeoutPolicy policy) {
		return text(policy.absolute()) + "," + text(policy.idle()) + "," + text(policy.reauthentication()) + ","
				+ text(policy.privilegedMaxAge()) + "," + (policy.cookiePersistent() ? "1" : "0") + "," + policy.name();
	}

	/**
	 * Read a policy written by {@link #encode(SessionTimeoutPolicy)}.
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

}
