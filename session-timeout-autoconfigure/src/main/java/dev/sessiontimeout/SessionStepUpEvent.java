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

import org.jspecify.annotations.Nullable;

/**
 * Published when the user of a session met a challenge to authenticate again: the same
 * user authenticated recently enough, and the session goes on with its attributes.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionStepUpEvent extends SessionEvent {

	/**
	 * Create a new event.
	 * @param source the component that published the event
	 * @param clock the clock that stamps the event
	 * @param reason the challenge that was met, {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param principal the name of the session's user
	 * @param sessionIdHash the hash of the session id after the authentication
	 * @param policy the name of the session's policy after the authentication
	 */
	public SessionStepUpEvent(Object source, Clock clock, ExpiryReason reason, @Nullable String principal,
			String sessionIdHash, String policy) {
		super(source, clock, reason, principal, sessionIdHash, policy);
	}

}
