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

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The container's live sessions by id, for an application on the container's sessions (no
 * Spring Session), so that a user's sessions can be found and revoked: the container
 * tells its {@link #register listener} of every session it creates, renames (a login's
 * new id) and destroys (an expiry or invalidation), never of a request. A session that
 * the container restores (from the disk at its start,
 * {@code server.servlet.session.persistent}, or from a store that it swapped the session
 * out to) is told of by a marker in the session, an {@link HttpSessionActivationListener}
 * that the container activates.
 * <p>
 * Not a listener itself, so that Spring Boot does not register it with the container on
 * its own: where Spring Session serves the sessions it would hear nothing useful, and an
 * {@link HttpSessionIdListener} of the application makes Tomcat create an event for every
 * request attribute that anything sets or removes, on every request.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ContainerSessions {

	/**
	 * The session attribute of the marker that tells of a session the container restored.
	 */
	static final String RESTORED_MARKER_ATTRIBUTE = SessionAttributes.PREFIX + "containerSession";

	private static final String SERVLET_CONTEXT_ATTRIBUTE = ContainerSessions.class.getName();

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

	/**
	 * Register the listener with the container, only where the application uses the
	 * container's sessions, and make these sessions known to the sessions that the
	 * container restores.
	 * @param servletContext the application's servlet context
	 */
	public void register(ServletContext servletContext) {
		if (isInUse()) {
			servletContext.setAttribute(SERVLET_CONTEXT_ATTRIBUTE, this);
			servletContext.addListener(new Listener());
		}
	}

	/**
	 * Keep a session the container created, and mark it so that it is kept again once the
	 * container restored it.
	 * @param event the container's event
	 */
	public void sessionCreated(HttpSessionEvent event) {
		if (isInUse()) {
			HttpSession session = event.getSession();
			this.sessions.put(session.getId(), session);
			session.setAttribute(RESTORED_MARKER_ATTRIBUTE, RestoredMarker.INSTANCE);
		}
	}

	/**
	 * Keep a session the container restored.
	 * @param event the container's event
	 */
	void sessionRestored(HttpSessionEvent event) {
		if (isInUse()) {
			this.sessions.put(event.getSession().getId(), event.getSession());
		}
	}

	/**
	 * Keep a session under its new id.
	 * @param event the container's event
	 * @param oldSessionId the session's previous id
	 */
	public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
		if (isInUse()) {
			this.sessions.remove(oldSessionId);
			this.sessions.put(event.getSession().getId(), event.getSession());
		}
	}

	/**
	 * Return whether the application uses the container's sessions: only then is the
	 * {@link #listener() listener} registered, and only then does it keep sessions.
	 * @return {@code true} if no Spring Session repository serves the sessions
	 */
	public boolean isInUse() {
		Boolean used = this.used;
		if (used == null) {
			used = this.inUse.getAsBoolean();
			this.used = used;
		}
		return used;
	}

	/**
	 * Forget a session the container destroyed.
	 * @param event the container's event
	 */
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

	private final class Listener implements HttpSessionListener, HttpSessionIdListener {

		@Override
		public void sessionCreated(HttpSessionEvent event) {
			ContainerSessions.this.sessionCreated(event);
		}

		@Override
		public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
			ContainerSessions.this.sessionIdChanged(event, oldSessionId);
		}

		@Override
		public void sessionDestroyed(HttpSessionEvent event) {
			ContainerSessions.this.sessionDestroyed(event);
		}

	}

	/**
	 * The marker of a container session: the container activates it in every session that
	 * it restores, which it tells no {@link HttpSessionListener} of. Serialized with the
	 * session, as a name only.
	 */
	static final class RestoredMarker implements HttpSessionActivationListener, Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

		static final RestoredMarker INSTANCE = new RestoredMarker();

		private RestoredMarker() {
		}

		@Override
		public void sessionDidActivate(HttpSessionEvent event) {
			Object sessions = event.getSession().getServletContext().getAttribute(SERVLET_CONTEXT_ATTRIBUTE);
			if (sessions instanceof ContainerSessions containerSessions) {
				containerSessions.sessionRestored(event);
			}
		}

		@Serial
		private Object readResolve() {
			return INSTANCE;
		}

	}

}
