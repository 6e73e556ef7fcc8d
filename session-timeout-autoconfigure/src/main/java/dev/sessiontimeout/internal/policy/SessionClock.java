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
package dev.sessiontimeout.internal.policy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * The four clocks of a session policy, for telling which one a setting, a rule or an
 * adjustment is about.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public enum SessionClock {

	/**
	 * The absolute lifetime, counted from the creation of the session.
	 */
	ABSOLUTE("absolute"),

	/**
	 * The idle timeout, counted from the last activity.
	 */
	IDLE("idle"),

	/**
	 * The re-authentication lifetime, counted from the last authentication.
	 */
	REAUTHENTICATION("reauthentication"),

	/**
	 * The privileged age: how old an authentication may be for privileged operations.
	 */
	PRIVILEGED("privileged age");

	private final String displayName;

	SessionClock(String displayName) {
		this.displayName = displayName;
	}

	/**
	 * Return the name of the clock in a sentence, for example {@code privileged age}.
	 * @return the name
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Return whether a limit can cap this clock; the privileged age has none.
	 * @return {@code true} for every clock but {@link #PRIVILEGED}
	 */
	public boolean hasLimit() {
		return this != PRIVILEGED;
	}

	@Nullable Duration of(SessionTimeoutPolicy policy) {
		return switch (this) {
			case ABSOLUTE -> policy.absolute();
			case IDLE -> policy.idle();
			case REAUTHENTICATION -> policy.reauthentication();
			case PRIVILEGED -> policy.privilegedMaxAge();
		};
	}

	@Nullable Duration of(ConfiguredClocks clocks) {
		return switch (this) {
			case ABSOLUTE -> clocks.absolute();
			case IDLE -> clocks.idle();
			case REAUTHENTICATION -> clocks.reauthentication();
			case PRIVILEGED -> clocks.privilegedMaxAge();
		};
	}

	@Nullable Duration limit(Limits limits) {
		return switch (this) {
			case ABSOLUTE -> limits.absolute();
			case IDLE -> limits.idle();
			case REAUTHENTICATION -> limits.reauthentication();
			case PRIVILEGED -> null;
		};
	}

}
