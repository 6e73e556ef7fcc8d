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
 * Published when the user of a session met a challenge to authenticate again: the same
 * user authenticated recently enough, and the session goes on with its attributes.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionStepUpEvent extends ApplicationEvent {

	private final ExpiryReason reason;

	private final @Nullable String principal;

	private final String sessionIdHash;

	private final String policy;

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
		super(source, clock);
		this.reason = reason;
		this.principal = principal;
		this.sessionIdHash = sessionIdHash;
		this.policy = policy;
	}

	/**
	 * Return the challenge that was met.
	 * @return the reason of the challenge
	 */
	public ExpiryReason getReason() {
		return this.reason;
	}

	/**
	 * Return the name of the session's user.
	 * @return the principal name
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
				+ this.sessionIdHash + ", policy=" + this.policy + "]";
	}

}
