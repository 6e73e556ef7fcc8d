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

import org.springframework.context.ApplicationEvent;

/**
 * What the starter's events tell of a session: the reason, its user, the hash of its id
 * (never the id) and its policy.
 *
 * @author session-timeout
 * @see SessionTimeoutEvent
 * @see SessionStepUpEvent
 */
abstract class SessionEvent extends ApplicationEvent {

	private final ExpiryReason reason;

	private final @Nullable String principal;

	private final String sessionIdHash;

	private final String policy;

	SessionEvent(Object source, Clock clock, ExpiryReason reason, @Nullable String principal, String sessionIdHash,
			String policy) {
		super(source, clock);
		this.reason = reason;
		this.principal = principal;
		this.sessionIdHash = sessionIdHash;
		this.policy = policy;
	}

	/**
	 * Return the reason: why the session ended, or the challenge its user was given or
	 * met.
	 * @return the reason
	 */
	public ExpiryReason getReason() {
		return this.reason;
	}

	/**
	 * Return the name of the session's user.
	 * @return the principal name, or {@code null} for an anonymous session
	 */
	public @Nullable String getPrincipal() {
		return this.principal;
	}

	/**
	 * Return the hash of the session id, safe to log.
	 * @return the session id hash
	 */
	public String getSessionIdHash() {
		return this.sessionIdHash;
	}

	/**
	 * Return the name of the session's policy.
	 * @return the policy name
	 */
	public String getPolicy() {
		return this.policy;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[reason=" + this.reason + ", principal=" + this.principal + ", session="
				+ this.sessionIdHash + details() + ", policy=" + this.policy + "]";
	}

	/**
	 * Return what a subclass adds to {@link #toString()}.
	 * @return the details, each starting with {@code ", "}
	 */
	String details() {
		return "";
	}

}
