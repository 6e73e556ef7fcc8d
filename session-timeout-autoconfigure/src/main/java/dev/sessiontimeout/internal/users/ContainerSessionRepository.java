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
package dev.sessiontimeout.internal.users;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.web.ContainerSessions;
import dev.sessiontimeout.internal.web.HttpSessionAccess;

/**
 * The container's live sessions as a Spring Session repository with a principal index, so
 * that {@link SpringSessionUserSessions} finds and revokes them as it does Spring
 * Session's: each is the one object every request of the session shares, so a change is
 * seen at once and saving it does nothing.
 *
 * @author session-timeout
 */
final class ContainerSessionRepository implements FindByIndexNameSessionRepository<Session> {

	private static final String JETTY = "org.eclipse.jetty.";

	private final ContainerSessions sessions;

	private final BiPredicate<SessionAttributeSource, String> sessionOf;

	/**
	 * Create a new instance.
	 * @param sessions the container's live sessions
	 * @param sessionOf tells whether a session is a user's, named by its second argument
	 */
	ContainerSessionRepository(ContainerSessions sessions, BiPredicate<SessionAttributeSource, String> sessionOf) {
		this.sessions = sessions;
		this.sessionOf = sessionOf;
	}

	/**
	 * Find the sessions of a principal among every live session: an operator's call, in
	 * this node's memory, so that no index can miss a session whose id changed or that
	 * the container restored.
	 */
	@Override
	public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName)) {
			return Map.of();
		}
		Map<String, Session> found = new LinkedHashMap<>();
		for (HttpSession session : this.sessions.all()) {
			try {
				if (this.sessionOf.test(session::getAttribute, indexValue)) {
					found.put(session.getId(), new LiveSession(session));
				}
			}
			catch (IllegalStateException ex) {
				// Invalidated since: gone
			}
		}
		return found;
	}

	@Override
	public Session createSession() {
		throw new UnsupportedOperationException("The container creates its own sessions");
	}

	@Override
	public void save(Session session) {
		// The live session itself changed
	}

	@Override
	public @Nullable Session findById(String id) {
		HttpSession session = this.sessions.find(id);
		return (session != null && SessionAttributes.isValid(HttpSessionAccess.of(session))) ? new LiveSession(session)
				: null;
	}

	@Override
	public void deleteById(String id) {
		HttpSession session = this.sessions.find(id);
		if (session != null) {
			session.invalidate();
		}
	}

	/**
	 * Make the container keep one of its sessions for a time from now on, without a
	 * request of it. Tomcat counts a session's maximum inactive interval from the
	 * session's last request, which {@link HttpSession#getLastAccessedTime()} tells;
	 * Jetty counts an interval from when it is set, and tells the request before the last
	 * one.
	 * @param session one of this repository's sessions
	 * @param keep how long from now
	 */
	void keepFromNow(Session session, Duration keep) {
		Duration interval = keep;
		if (session instanceof LiveSession live && !live.session().getClass().getName().startsWith(JETTY)) {
			interval = Duration.between(Instant.ofEpochMilli(live.session().getLastAccessedTime()), Instant.now())
				.plus(keep);
		}
		session.setMaxInactiveInterval(interval);
	}

	/**
	 * A live container session as a Spring Session {@link Session}.
	 */
	private record LiveSession(HttpSession session) implements Session {

		@Override
		public String getId() {
			return this.session.getId();
		}

		@Override
		public String changeSessionId() {
			throw new UnsupportedOperationException("Only a request changes a container session's id");
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> @Nullable T getAttribute(String attributeName) {
			return (T) this.session.getAttribute(attributeName);
		}

		@Override
		public Set<String> getAttributeNames() {
			return Set.copyOf(Collections.list(this.session.getAttributeNames()));
		}

		@Override
		public void setAttribute(String attributeName, Object attributeValue) {
			this.session.setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			this.session.removeAttribute(attributeName);
		}

		@Override
		public Instant getCreationTime() {
			return Instant.ofEpochMilli(this.session.getCreationTime());
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			throw new UnsupportedOperationException("Only a request accesses a container session");
		}

		@Override
		public Instant getLastAccessedTime() {
			return Instant.ofEpochMilli(this.session.getLastAccessedTime());
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.session.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, interval.toSeconds()));
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return Duration.ofSeconds(this.session.getMaxInactiveInterval());
		}

		@Override
		public boolean isExpired() {
			return false;
		}

	}

}
