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

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;

import dev.sessiontimeout.ExpiryReason;

import dev.sessiontimeout.internal.session.SessionAccess;
import dev.sessiontimeout.internal.session.SessionEndListener;

/**
 * Removes sessions that a session clock or a revocation ends from Spring Security's
 * {@link SessionRegistry}, so that concurrent-session control never counts them, and
 * follows the changes of a session's id that its requests make. Stores that publish no
 * session events (JDBC, the map, Redis' default repository) would otherwise leave stale
 * entries behind in an in-memory registry, and Spring Session publishes no container
 * event for a change of id, so the registry would keep the id a session had before a
 * login in it (session-fixation protection registers the new id only). Does nothing for
 * Spring Session's {@code SpringSessionBackedSessionRegistry} (and its subclasses), which
 * keeps no entries of its own but reads the sessions from the store: following a change
 * of id there would cost a read of the store for nothing.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionRegistryEndListener implements SessionEndListener {

	private final SessionRegistry sessionRegistry;

	private final boolean keepsEntries;

	/**
	 * Create a new listener.
	 * @param sessionRegistry the registry
	 */
	public SessionRegistryEndListener(SessionRegistry sessionRegistry) {
		this.sessionRegistry = sessionRegistry;
		this.keepsEntries = !isSpringSessionBacked(sessionRegistry);
	}

	@Override
	public void sessionEnded(SessionAccess session, ExpiryReason reason) {
		if (!this.keepsEntries) {
			return;
		}
		this.sessionRegistry.removeSessionInformation(session.getId());
	}

	@Override
	public void sessionRevoked(String sessionId) {
		if (!this.keepsEntries) {
			return;
		}
		this.sessionRegistry.removeSessionInformation(sessionId);
	}

	/**
	 * Move the session's entry to its new id, as Spring Security's own registry does on a
	 * container's {@code SessionIdChangedEvent}: a login in the session registered the
	 * new id already, and the entry under the previous id goes; else the entry, expired
	 * or not, is kept under the new id, so that the session is still counted.
	 */
	@Override
	public void sessionIdChanged(String previousId, String sessionId) {
		if (!this.keepsEntries) {
			return;
		}
		SessionInformation previous = this.sessionRegistry.getSessionInformation(previousId);
		if (previous == null) {
			return;
		}
		if (this.sessionRegistry.getSessionInformation(sessionId) == null) {
			this.sessionRegistry.registerNewSession(sessionId, previous.getPrincipal());
			SessionInformation moved = this.sessionRegistry.getSessionInformation(sessionId);
			if (previous.isExpired() && moved != null) {
				moved.expireNow();
			}
		}
		this.sessionRegistry.removeSessionInformation(previousId);
	}

	/**
	 * Return whether the registry is Spring Session's, by the name of its class or of a
	 * superclass (Spring Session is optional; a class-based proxy is a subclass).
	 * @param sessionRegistry the registry
	 * @return {@code true} if it reads the sessions from Spring Session's store
	 */
	private static boolean isSpringSessionBacked(SessionRegistry sessionRegistry) {
		for (Class<?> type = sessionRegistry.getClass(); type != null; type = type.getSuperclass()) {
			if (SpringSessionBackedRegistry.CLASS_NAME.equals(type.getName())) {
				return true;
			}
		}
		return false;
	}

}
