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

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The state of a session's clocks, as the status endpoint shows it: who the session
 * belongs to, its policy, and every deadline. A clock that is disabled has no deadline.
 *
 * @param authenticated whether the session holds an authenticated user
 * @param principal the name of that user, if any
 * @param policy the name of the session's policy ({@code default} for the global one)
 * @param createdAt when the session was created
 * @param lastActivityAt when the session last saw activity
 * @param absoluteExpiresAt when the session ends whatever its activity
 * @param idleExpiresAt when the session ends without further activity
 * @param reauthenticateAt when its user must authenticate again, {@code null} without a
 * re-authentication lifetime or a recorded authentication time (a remember-me login
 * records none: with a lifetime, its user must authenticate again at once); never later
 * than {@code absoluteExpiresAt}
 * @param privilegedUntil until when privileged operations need no new authentication,
 * {@code null} for a session that no age of its login makes privileged (a remember-me
 * login, a login that does not tell when its user authenticated); never later than
 * {@code absoluteExpiresAt}
 * @param expiresAt when the session ends first: the earlier of the absolute and the idle
 * deadline
 * @author session-timeout
 * @since 0.1.0
 * @see SessionTimeouts
 */
public record SessionStatus(boolean authenticated, @Nullable String principal, String policy, Instant createdAt,
		Instant lastActivityAt, @Nullable Instant absoluteExpiresAt, @Nullable Instant idleExpiresAt,
		@Nullable Instant reauthenticateAt, @Nullable Instant privilegedUntil, @Nullable Instant expiresAt) {

}
