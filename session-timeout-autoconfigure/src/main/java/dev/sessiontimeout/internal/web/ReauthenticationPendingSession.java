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

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * The session of a request whose user must authenticate again, as the application sees it
 * during that request: the authentication the session held is hidden, so that the request
 * runs as an unauthenticated one for everything in it (URL rules, method security, code
 * that reads the security context), while every other attribute, and an authentication
 * stored during the request (a login), pass through. The session clocks always see the
 * session itself ({@link HttpSessionAccess#of(HttpSession)}).
 *
 * @author session-timeout
 */
final class ReauthenticationPendingSession implements HttpSession {

	private final HttpSession session;

	private final String attribute;

	private final Object hidden;

	ReauthenticationPendingSession(HttpSession session, String attribute, Object hidden) {
		this.session = session;
		this.attribute = attribute;
		this.hidden = hidden;
	}

	HttpSession getSession() {
		return this.session;
	}

	private boolean isHidden(String name, @Nullable Object value) {
		return value != null && value == this.hidden && this.attribute.equals(name);
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		Object value = this.session.getAttribute(name);
		return isHidden(name, value) ? null : value;
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		List<String> names = Collections.list(this.session.getAttributeNames());
		names.removeIf((name) -> isHidden(name, this.session.getAttribute(name)));
		return Collections.enumeration(names);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		this.session.setAttribute(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		this.session.removeAttribute(name);
	}

	@Override
	public long getCreationTime() {
		return this.session.getCreationTime();
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public long getLastAccessedTime() {
		return this.session.getLastAccessedTime();
	}

	@Override
	public ServletContext getServletContext() {
		return this.session.getServletContext();
	}

	@Override
	public void setMaxInactiveInterval(int interval) {
		this.session.setMaxInactiveInterval(interval);
	}

	@Override
	public int getMaxInactiveInterval() {
		return this.session.getMaxInactiveInterval();
	}

	@Override
	public void invalidate() {
		this.session.invalidate();
	}

	@Override
	public boolean isNew() {
		return this.session.isNew();
	}

}
