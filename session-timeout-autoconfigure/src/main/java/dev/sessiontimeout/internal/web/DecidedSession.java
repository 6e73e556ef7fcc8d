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

import java.time.Instant;

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.session.StoredSessions;

/**
 * A request's session as the clocks decide on it: like {@link HttpSessionAccess}, and it
 * remembers what the session's authentication attribute held when the decision read it
 * (the principal resolver reads it to tell the session's user), so that the filter
 * compares that at the request's end, to tell a switch of user, without reading it again.
 *
 * @author session-timeout
 * @see SessionTimeoutFilter
 */
final class DecidedSession extends HttpSessionAccess {

	private final @Nullable String authenticationAttribute;

	private final @Nullable StoredSessions storedSessions;

	private @Nullable Object authentication;

	private boolean authenticationRead;

	/**
	 * Create a new instance.
	 * @param session the session, as a request gives it
	 * @param authenticationAttribute the name of the session attribute that holds the
	 * authentication of the session's user, {@code null} if there is none
	 * @param storedSessions Spring Session's store, {@code null} for the container's
	 * sessions
	 */
	DecidedSession(HttpSession session, @Nullable String authenticationAttribute,
			@Nullable StoredSessions storedSessions) {
		super(unwrap(session));
		this.authenticationAttribute = authenticationAttribute;
		this.storedSessions = storedSessions;
	}

	/**
	 * Return what the session's authentication attribute held when the decision last read
	 * or wrote it, else what it holds now.
	 * @return the attribute's value, {@code null} if it holds none or there is no such
	 * attribute
	 * @throws IllegalStateException if the session is invalidated and the decision did
	 * not read it
	 */
	@Nullable Object authentication() {
		String attribute = this.authenticationAttribute;
		if (this.authenticationRead || attribute == null) {
			return this.authentication;
		}
		return session().getAttribute(attribute);
	}

	/**
	 * Return whether the decision read or wrote the session's authentication attribute,
	 * whose value {@link #authentication()} then returns without reading it again.
	 * @return {@code true} if it did
	 */
	boolean authenticationRead() {
		return this.authenticationRead;
	}

	private void remember(String name, @Nullable Object value) {
		if (name.equals(this.authenticationAttribute)) {
			this.authentication = value;
			this.authenticationRead = true;
		}
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		Object value = super.getAttribute(name);
		remember(name, value);
		return value;
	}

	@Override
	public void setAttribute(String name, Object value) {
		super.setAttribute(name, value);
		remember(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		super.removeAttribute(name);
		remember(name, null);
	}

	/**
	 * Return the session's last access from before this request: as Spring Session's
	 * store holds it (the request's copy has it set to the request's start), a read of
	 * the store; or as the container's session tells it, the request before this one
	 * (Tomcat moves it at a request's end, Jetty as the next request starts). Only for a
	 * session the clocks adopt.
	 */
	@Override
	public @Nullable Instant getStoredLastAccessedTime() {
		StoredSessions stored = this.storedSessions;
		return (stored != null) ? stored.lastAccessedTime(getId())
				: Instant.ofEpochMilli(session().getLastAccessedTime());
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

}
