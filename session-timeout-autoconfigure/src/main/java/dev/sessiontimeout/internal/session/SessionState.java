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

import dev.sessiontimeout.policy.SessionDeadlines;
import dev.sessiontimeout.policy.SessionTimeline;
import dev.sessiontimeout.policy.SessionTimeoutPolicy;

/**
 * A session's clocks: its timeline and policy, and the deadlines they make.
 *
 * @param timeline when the session was created, last active and authenticated
 * @param policy the session's policy
 * @author session-timeout
 * @since 0.1.0
 */
public record SessionState(SessionTimeline timeline, SessionTimeoutPolicy policy) {

	/**
	 * Return the session's deadlines.
	 * @return the deadlines
	 */
	public SessionDeadlines deadlines() {
		return this.policy.deadlines(this.timeline);
	}

}
