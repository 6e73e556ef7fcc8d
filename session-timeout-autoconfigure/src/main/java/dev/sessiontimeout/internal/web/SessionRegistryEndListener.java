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
package dev.sessiontimeout.internal.web;

import org.springframework.security.core.session.SessionRegistry;

import dev.sessiontimeout.ExpiryReason;

import dev.sessiontimeout.internal.session.SessionAccess;
import dev.sessiontimeout.internal.session.SessionEndListener;

/**
 * Removes sessions that a session clock ends from Spring Security's
 * {@link SessionRegistry}, so that concurrent-session control never counts them. Stores
 * that publish no session events (JDBC, the map, Redis' default repository) would
 * otherwise leave stale entries behind in an in-memory registry.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionRegistryEndListener implements SessionEndListener {

	private final SessionRegistry sessionRegistry;

	/**
	 * Create a new listener.
	 * @param sessionRegistry the registry
	 */
	public SessionRegistryEndListener(SessionRegistry sessionRegistry) {
		this.sessionRegistry = sessionRegistry;
	}

	@Override
	public void sessionEnded(SessionAccess session, ExpiryReason reason) {
		this.sessionRegistry.removeSessionInformation(session.getId());
	}

}
