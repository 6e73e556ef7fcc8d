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
package dev.sessiontimeout.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The three clocks that the global settings ({@code session-timeout}), each policy
 * ({@code session-timeout.policies[n]}) and the limits ({@code session-timeout.limits})
 * set, the way Spring Boot's view resolver properties share theirs. Each group describes
 * what the value means for it in its configuration metadata.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public abstract class AbstractSessionClocksProperties {

	/**
	 * Absolute lifetime: how long a session lasts from its creation, whatever its
	 * activity.
	 */
	@SessionDuration
	private @Nullable Duration absolute;

	/**
	 * Idle timeout: how long a session lasts without activity.
	 */
	@SessionDuration
	private @Nullable Duration idle;

	/**
	 * Re-authentication lifetime: how long after its last authentication the user must
	 * authenticate again; the session is kept.
	 */
	@SessionDuration
	private @Nullable Duration reauthentication;

	public @Nullable Duration getAbsolute() {
		return this.absolute;
	}

	public void setAbsolute(@Nullable Duration absolute) {
		this.absolute = absolute;
	}

	public @Nullable Duration getIdle() {
		return this.idle;
	}

	public void setIdle(@Nullable Duration idle) {
		this.idle = idle;
	}

	public @Nullable Duration getReauthentication() {
		return this.reauthentication;
	}

	public void setReauthentication(@Nullable Duration reauthentication) {
		this.reauthentication = reauthentication;
	}

}
