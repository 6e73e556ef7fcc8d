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

import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The session of a request whose user must authenticate again, as the application sees it
 * during that request: the authentication the session held is hidden, so that the request
 * runs as an unauthenticated one for everything in it (URL rules, method security, code
 * that reads the security context), while every other attribute, and an authentication
 * stored during the request (a login), pass through. The session clocks always see the
 * session itself ({@link HttpSessionAccess#of(HttpSession)}).
 * <p>
 * The OAuth 2.0 authorized clients that Spring Security's
 * {@code HttpSessionOAuth2AuthorizedClientRepository} keeps in the session, which it
 * gives whoever asks by registration id, whatever the principal, are hidden as long as
 * the user is (until an authentication is stored): the request sees, stores and removes
 * only clients of its own, which the session gets only if the request stores an
 * authentication after them, a login (whose callback stores the client of its own
 * registration first), together with the user's
 * ({@link SessionAttributes#authorizedClientsToKeep}).
 *
 * @author session-timeout
 */
final class ReauthenticationPendingSession implements HttpSession {

	/**
	 * The attribute of {@code HttpSessionOAuth2AuthorizedClientRepository}, or
	 * {@code null} without Spring Security's OAuth 2.0 client.
	 */
	static final @Nullable String AUTHORIZED_CLIENTS_ATTRIBUTE = SessionAttributes.authorizedClientsAttribute(
			"org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository");

	private final HttpSession session;

	private final String attribute;

	private final Object hidden;

	/**
	 * The authorized clients the request stored while its user is hidden.
	 */
	private @Nullable Object storedClients;

	ReauthenticationPendingSession(HttpSession session, String attribute, Object hidden) {
		this.session = session;
		this.attribute = attribute;
		this.hidden = hidden;
	}

	HttpSession getSession() {
		return this.session;
	}

	/**
	 * Return the authentication hidden from the request, while the session still holds
	 * it.
	 * @return the hidden value of the authentication attribute, or {@code null} once the
	 * request stored another
	 */
	@Nullable Object getHidden() {
		return (this.session.getAttribute(this.attribute) == this.hidden) ? this.hidden : null;
	}

	private boolean isHidden(String name, @Nullable Object value) {
		return value != null && value == this.hidden && this.attribute.equals(name);
	}

	/**
	 * Return whether an attribute is the authorized clients while the user is hidden: the
	 * session still holds the hidden authentication.
	 */
	private boolean isHiddenClients(String name) {
		return name.equals(AUTHORIZED_CLIENTS_ATTRIBUTE) && this.session.getAttribute(this.attribute) == this.hidden;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		if (isHiddenClients(name)) {
			return this.storedClients;
		}
		Object value = this.session.getAttribute(name);
		return isHidden(name, value) ? null : value;
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		List<String> names = Collections.list(this.session.getAttributeNames());
		names.removeIf((name) -> isHidden(name, this.session.getAttribute(name)) || isHiddenClients(name));
		String clients = AUTHORIZED_CLIENTS_ATTRIBUTE;
		if (clients != null && this.storedClients != null && isHiddenClients(clients)) {
			names.add(clients);
		}
		return Collections.enumeration(names);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (isHiddenClients(name)) {
			this.storedClients = value;
			return;
		}
		Object storedClients = this.storedClients;
		boolean login = storedClients != null && value != null && value != this.hidden && this.attribute.equals(name)
				&& this.session.getAttribute(name) == this.hidden;
		this.session.setAttribute(name, value);
		String clients = AUTHORIZED_CLIENTS_ATTRIBUTE;
		if (login && clients != null) {
			// The request's clients are the user's now, such as a login callback's
			this.storedClients = null;
			this.session.setAttribute(clients,
					SessionAttributes.authorizedClientsToKeep(this.session.getAttribute(clients), storedClients));
		}
	}

	@Override
	public void removeAttribute(String name) {
		if (isHiddenClients(name)) {
			this.storedClients = null;
			return;
		}
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
