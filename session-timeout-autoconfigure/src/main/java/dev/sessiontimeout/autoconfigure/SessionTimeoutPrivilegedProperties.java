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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Privileged operations: how fresh their authentication must be and which paths they are
 * ({@code session-timeout.privileged}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutPrivilegedProperties {

	/**
	 * Maximum age of the authentication for privileged operations; 0 always demands a
	 * fresh authentication.
	 */
	@SessionDuration
	private @Nullable Duration maxAge;

	/**
	 * Path patterns whose requests need a privileged session, for example
	 * /account/password/**.
	 */
	private List<String> paths = new ArrayList<>();

	/**
	 * Authentication context classes that a bearer token's acr claim must name for a
	 * privileged operation, for example urn:example:mfa; a token with another acr, or
	 * none, is refused with the values in its RFC 9470 challenge. Empty accepts any.
	 */
	private List<String> acrValues = new ArrayList<>();

	public @Nullable Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(@Nullable Duration maxAge) {
		this.maxAge = maxAge;
	}

	public List<String> getPaths() {
		return this.paths;
	}

	public void setPaths(List<String> paths) {
		this.paths = paths;
	}

	public List<String> getAcrValues() {
		return this.acrValues;
	}

	public void setAcrValues(List<String> acrValues) {
		this.acrValues = acrValues;
	}

}
