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
 * How the starter's log lines name users ({@code session-timeout.logging}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutLoggingProperties {

	/**
	 * How log lines name the user of a session: the name with control characters escaped,
	 * or a hash of it for logs that must not carry user names.
	 */
	private PrincipalFormat principal = PrincipalFormat.NAME;

	public PrincipalFormat getPrincipal() {
		return this.principal;
	}

	public void setPrincipal(PrincipalFormat principal) {
		this.principal = principal;
	}

	/**
	 * How log lines name the user of a session.
	 */
	public enum PrincipalFormat {

		/**
		 * The principal name, with control characters escaped.
		 */
		NAME,

		/**
		 * The first 16 hexadecimal digits of the SHA-256 hash of the principal name.
		 */
		HASH

	}

}
