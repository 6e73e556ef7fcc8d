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
package dev.sessiontimeout.testsupport;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.session.Session;

import dev.sessiontimeout.internal.session.SessionAccess;

/**
 * A Spring Session {@link Session} as the clocks see a session, for tests that start its
 * clocks without a web stack.
 *
 * @param session the session
 * @param invalidation what invalidating the session through this view does
 */
public record SpringSessionAccess(Session session, Runnable invalidation) implements SessionAccess {

	/**
	 * A view of a session that is never invalidated through it.
	 * @param session the session
	 */
	public SpringSessionAccess(Session session) {
		this(session, () -> {
			throw new UnsupportedOperationException();
		});
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public Instant getCreationTime() {
		return this.session.getCreationTime();
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
		return (int) this.session.getMaxInactiveInterval().toSeconds();
	}

	@Override
	public void setMaxInactiveInterval(int seconds) {
		this.session.setMaxInactiveInterval(Duration.ofSeconds(seconds));
	}

	@Override
	public void invalidate() {
		this.invalidation.run();
	}

}
