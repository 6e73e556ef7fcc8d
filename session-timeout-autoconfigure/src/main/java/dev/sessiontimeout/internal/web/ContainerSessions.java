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

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.jspecify.annotations.Nullable;

/**
 * The container's live sessions by id, for an application on the container's sessions (no
 * Spring Session), so that a user's sessions can be found and revoked: the container
 * tells it of every session it creates, renames (a login's new id) and destroys (an
 * expiry or invalidation), never of a request.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ContainerSessions implements HttpSessionListener, HttpSessionIdListener {

	private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();

	private final BooleanSupplier inUse;

	private volatile @Nullable Boolean used;

	/**
	 * Create a new instance.
	 * @param inUse tells, once, whether the application uses the container's sessions:
	 * Spring Session hands its own sessions to the same listeners, and those are not kept
	 */
	public ContainerSessions(BooleanSupplier inUse) {
		this.inUse = inUse;
	}

	@Override
	public void sessionCreated(HttpSessionEvent event) {
		if (isUsed()) {
			this.sessions.put(event.getSession().getId(), event.getSession());
		}
	}

	@Override
	public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
		if (isUsed()) {
			this.sessions.remove(oldSessionId);
			this.sessions.put(event.getSession().getId(), event.getSession());
		}
	}

	private boolean isUsed() {
		Boolean used = this.used;
		if (used == null) {
			used = this.inUse.getAsBoolean();
			this.used = used;
		}
		return used;
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		this.sessions.remove(event.getSession().getId());
	}

	/**
	 * Return the live sessions.
	 * @return the sessions, as they are now
	 */
	public Collection<HttpSession> all() {
		return List.copyOf(this.sessions.values());
	}

	/**
	 * Return a live session.
	 * @param sessionId the session's id
	 * @return the session, or {@code null} if the container has no such session
	 */
	public @Nullable HttpSession find(String sessionId) {
		return this.sessions.get(sessionId);
	}

}
