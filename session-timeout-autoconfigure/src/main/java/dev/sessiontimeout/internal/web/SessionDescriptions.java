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
package dev.sessiontimeout.internal.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionStatus;

/**
 * Describes a session's clocks the way the status endpoint and the actuator endpoint show
 * them: ISO-8601 instants, {@code null} for a disabled clock.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionDescriptions {

	private SessionDescriptions() {
	}

	/**
	 * Return the body of the status endpoint, the same on every web stack:
	 * {@code authenticated}, {@code principal}, {@code policy}, every clock (see
	 * {@link #putClocks}) and {@code now}.
	 * @param status the session's status
	 * @param now the current instant
	 * @return the body
	 */
	public static Map<String, @Nullable Object> status(SessionStatus status, Instant now) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("authenticated", status.authenticated());
		body.put("principal", status.principal());
		body.put("policy", status.policy());
		putClocks(body, status);
		body.put("now", text(now));
		return body;
	}

	/**
	 * Add {@code createdAt}, {@code lastActivityAt}, {@code absoluteExpiresAt},
	 * {@code idleExpiresAt}, {@code reauthenticateAt}, {@code privilegedUntil} and
	 * {@code expiresAt} to a description.
	 * @param description the description to add to
	 * @param status the session's status
	 */
	public static void putClocks(Map<String, @Nullable Object> description, SessionStatus status) {
		description.put("createdAt", text(status.createdAt()));
		description.put("lastActivityAt", text(status.lastActivityAt()));
		description.put("absoluteExpiresAt", text(status.absoluteExpiresAt()));
		description.put("idleExpiresAt", text(status.idleExpiresAt()));
		description.put("reauthenticateAt", text(status.reauthenticateAt()));
		description.put("privilegedUntil", text(status.privilegedUntil()));
		description.put("expiresAt", text(status.expiresAt()));
	}

	/**
	 * Return an instant as ISO-8601 text.
	 * @param instant the instant
	 * @return the text, or {@code null} for no instant
	 */
	public static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
