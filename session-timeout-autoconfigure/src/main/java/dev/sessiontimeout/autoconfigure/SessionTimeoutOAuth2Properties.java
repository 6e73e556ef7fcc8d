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

/**
 * How sessions of Spring Security's OAuth 2.0 login ({@code oauth2Login()}) count their
 * authentication time ({@code session-timeout.oauth2}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutOAuth2Properties {

	/**
	 * Whether the time of the callback counts as the authentication time of a login that
	 * does not tell when its user authenticated (a plain OAuth 2.0 login, or an ID token
	 * without auth_time). Off by default: the provider may sign the user in silently from
	 * a session of any age, so such a login is never privileged and never meets a
	 * challenge to authenticate again.
	 */
	private boolean callbackTimeAsAuthenticationTime;

	public boolean isCallbackTimeAsAuthenticationTime() {
		return this.callbackTimeAsAuthenticationTime;
	}

	public void setCallbackTimeAsAuthenticationTime(boolean callbackTimeAsAuthenticationTime) {
		this.callbackTimeAsAuthenticationTime = callbackTimeAsAuthenticationTime;
	}

}
