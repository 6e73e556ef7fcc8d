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
 * What happened to a session because of one of its clocks: it ended
 * ({@link SessionEndedEvent}) or its user was asked to authenticate again
 * ({@link SessionChallengedEvent}). Listen to this type for both. It never carries a raw
 * session id, only its hash.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionStepUpEvent
 */
public abstract class SessionTimeoutEvent extends SessionEvent {

	private final @Nullable Instant deadline;

	/**
	 * Create a new event.
	 * @param source the component that published the event
	 * @param clock the clock that stamps the event
	 * @param reason why the session ended or its user was challenged
	 * @param principal the name of the session's user, if it had one
	 * @param sessionIdHash the hash of the session id
	 * @param deadline the deadline that was reached, if the reason has one
	 * @param policy the name of the session's policy
	 */
	protected SessionTimeoutEvent(Object source, Clock clock, ExpiryReason reason, @Nullable String principal,
			String sessionIdHash, @Nullable Instant deadline, String policy) {
		super(source, clock, reason, principal, sessionIdHash, policy);
		this.deadline = deadline;
	}

	/**
	 * Return the deadline that was reached.
	 * @return the deadline, or {@code null} if the reason has none
	 */
	public @Nullable Instant getDeadline() {
		return this.deadline;
	}

	@Override
	String details() {
		return ", deadline=" + this.deadline;
	}

}
