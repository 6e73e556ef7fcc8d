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
 * The session status endpoint ({@code session-timeout.status}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutStatusProperties {

	/**
	 * Whether to answer the status of the caller's session at the status path.
	 */
	private boolean enabled = true;

	/**
	 * Path of the status endpoint: GET is passive, POST counts as activity.
	 */
	private String path = "/session/status";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

}
