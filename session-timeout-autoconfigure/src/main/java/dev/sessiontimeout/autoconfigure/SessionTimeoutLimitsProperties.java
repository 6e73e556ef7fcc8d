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
 * Ceilings that no global, policy or per-session value may exceed
 * ({@code session-timeout.limits}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutLimitsProperties {

	/**
	 * Longest absolute lifetime any session may have.
	 */
	@SessionDuration
	private @Nullable Duration absolute;

	/**
	 * Longest idle timeout any session may have.
	 */
	@SessionDuration
	private @Nullable Duration idle;

	/**
	 * Longest re-authentication lifetime any session may have.
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
