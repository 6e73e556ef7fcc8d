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
package dev.sessiontimeout.internal.session;

import java.time.Instant;

/**
 * Looks again, at the first request of a session after its user signed in with OpenID
 * Connect, for the back-channel logouts that the store keeps for the logins under way: a
 * logout token that arrived after the login looked for them and before the login's
 * request ended (when its session is saved) found no session to end, and is kept all the
 * same. A session whose login such a logout ends is revoked; either way the session's
 * {@link SessionAttributes#LOGOUT_CHECK_PENDING mark} is removed. Sessions without the
 * mark are never asked about.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface PendingLogoutCheck {

	/**
	 * Revoke a session (its {@link SessionAttributes#REVOKED_AT revocation}, which the
	 * decision that follows ends) if a logout kept since its login looked ends that
	 * login, and remove its mark.
	 * @param session a session with the mark
	 * @param now the current instant of the clock of every decision
	 * @throws RuntimeException if the store does not answer: the session is not served,
	 * and keeps its mark
	 */
	void check(SessionAccess session, Instant now);

}
