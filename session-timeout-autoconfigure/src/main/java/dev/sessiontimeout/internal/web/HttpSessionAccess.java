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

import dev.sessiontimeout.internal.session.SessionAccess;

/**
 * A servlet {@link HttpSession} (the container's, or Spring Session's) as the session
 * clocks see sessions.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class HttpSessionAccess implements SessionAccess {

	private final HttpSession session;

	/**
	 * Create a new instance.
	 * @param session the session itself
	 */
	public HttpSessionAccess(HttpSession session) {
		this.session = session;
	}

	/**
	 * Return the session itself, as the session clocks must see it, also when the
	 * application sees it without the authentication of a user who must authenticate
	 * again.
	 * @param session the session, as a request gives it
	 * @return the session's access
	 */
	public static HttpSessionAccess of(HttpSession session) {
		return new HttpSessionAccess(unwrap(session));
	}

	/**
	 * Return the session itself of a session as a request gives it: without the view that
	 * hides the authentication of a user who must authenticate again.
	 * @param session the session, as a request gives it
	 * @return the session itself
	 */
	static HttpSession unwrap(HttpSession session) {
		return (session instanceof ReauthenticationPendingSession pending) ? pending.getSession() : session;
	}

	/**
	 * Return the session itself.
	 * @return the session
	 */
	public HttpSession session() {
		return this.session;
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public Instant getCreationTime() {
		return Instant.ofEpochMilli(this.session.getCreationTime());
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return this.session.getAttribute(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		this.session.setAttribute(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		this.session.removeAttribute(name);
	}

	@Override
	public int getMaxInactiveInterval() {
		return this.session.getMaxInactiveInterval();
	}

	@Override
	public void setMaxInactiveInterval(int seconds) {
		this.session.setMaxInactiveInterval(seconds);
	}

	@Override
	public void invalidate() {
		this.session.invalidate();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other != null && other.getClass() == getClass()
				&& this.session.equals(((HttpSessionAccess) other).session));
	}

	@Override
	public int hashCode() {
		return this.session.hashCode();
	}

	@Override
	public String toString() {
		return "HttpSessionAccess[session=" + this.session + "]";
	}

}
