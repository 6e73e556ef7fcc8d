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
 * A policy: which authentications it claims and the clocks it gives their sessions. Unset
 * clocks inherit the global values. One entry of {@code session-timeout.policies}, in
 * list order.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutPolicyProperties extends AbstractSessionClocksProperties {

	/**
	 * Name of the policy, shown by the status and actuator endpoints and carried by
	 * events.
	 */
	private @Nullable String name;

	/**
	 * Authorities of which an authentication must have one for the policy to apply.
	 */
	private List<String> authorities = new ArrayList<>();

	/**
	 * Whether the policy applies only to remember-me authentications (true) or only to
	 * others (false).
	 */
	private @Nullable Boolean rememberMe;

	/**
	 * Maximum age of the authentication for privileged operations of this policy.
	 */
	@SessionDuration
	private @Nullable Duration privilegedMaxAge;

	/**
	 * Whether the session cookie of this policy outlives the browser session.
	 */
	private @Nullable Boolean cookiePersistent;

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public List<String> getAuthorities() {
		return this.authorities;
	}

	public void setAuthorities(List<String> authorities) {
		this.authorities = authorities;
	}

	public @Nullable Boolean getRememberMe() {
		return this.rememberMe;
	}

	public void setRememberMe(@Nullable Boolean rememberMe) {
		this.rememberMe = rememberMe;
	}

	public @Nullable Duration getPrivilegedMaxAge() {
		return this.privilegedMaxAge;
	}

	public void setPrivilegedMaxAge(@Nullable Duration privilegedMaxAge) {
		this.privilegedMaxAge = privilegedMaxAge;
	}

	public @Nullable Boolean getCookiePersistent() {
		return this.cookiePersistent;
	}

	public void setCookiePersistent(@Nullable Boolean cookiePersistent) {
		this.cookiePersistent = cookiePersistent;
	}

}
