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
package dev.sessiontimeout.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;

/**
 * What is left of a session that a clock ended, until the store drops it: why it ended,
 * and until when requests that still carry its id (a single-page application's parallel
 * calls, another node's request) are told so. It holds none of the session's data.
 *
 * @param reason why the session ended
 * @param keptUntil when the store drops it: its deadline plus the store grace
 * @author session-timeout
 * @since 0.1.0
 */
record EndedSession(ExpiryReason reason, Instant keptUntil) {

	/**
	 * Return how long the store must still keep the session, at least one second, the
	 * precision of a session's maximum inactive interval.
	 * @param now the current instant
	 * @return the remaining time, or {@code null} if the store should have dropped it
	 */
	@Nullable Duration remaining(Instant now) {
		Duration remaining = Duration.between(now, this.keptUntil);
		if (remaining.isNegative() || remaining.isZero()) {
			return null;
		}
		return (remaining.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : remaining;
	}

	private static final String PREFIX = "ended:";

	String encode() {
		return PREFIX + this.reason.value() + "," + this.keptUntil.toEpochMilli();
	}

	static @Nullable EndedSession decode(String text) {
		String[] parts = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split(",", 2) : new String[0];
		if (parts.length != 2) {
			return null;
		}
		try {
			ExpiryReason reason = ExpiryReason.valueOf(parts[0].toUpperCase(Locale.ROOT));
			return reason.isEnding() ? new EndedSession(reason, Instant.ofEpochMilli(Long.parseLong(parts[1]))) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Read what is left of an ended session.
	 * @param session the session
	 * @return the ended session, or {@code null} if the session has not ended
	 */
	static @Nullable EndedSession of(HttpSession session) {
		return (session.getAttribute(SessionAttributes.CREATED_AT) instanceof String text) ? decode(text) : null;
	}

}
