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

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published once per session that ended on each node: a clock ran out
 * ({@link ExpiryReason#ABSOLUTE}, {@link ExpiryReason#IDLE}), it was revoked
 * ({@link ExpiryReason#REVOKED}), or its clocks could not be read
 * ({@link ExpiryReason#INVALID}), so it was ended rather than served.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionEndedEvent extends SessionTimeoutEvent {

	/**
	 * Create a new event.
	 * @param source the component that published the event
	 * @param clock the clock that stamps the event
	 * @param reason why the session ended
	 * @param principal the name of the session's user, if it had one
	 * @param sessionIdHash the hash of the session id
	 * @param deadline the deadline that was reached, or when the session was revoked
	 * @param policy the name of the session's policy
	 */
	public SessionEndedEvent(Object source, Clock clock, ExpiryReason reason, @Nullable String principal,
			String sessionIdHash, @Nullable Instant deadline, String policy) {
		super(source, clock, reason, principal, sessionIdHash, deadline, policy);
	}

}
