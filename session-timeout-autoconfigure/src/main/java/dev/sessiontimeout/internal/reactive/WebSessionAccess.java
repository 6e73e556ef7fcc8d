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
package dev.sessiontimeout.internal.reactive;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;

import dev.sessiontimeout.internal.session.SessionAccess;

/**
 * A WebFlux {@link WebSession} as the session clocks see it. Its invalidation is a
 * {@link Mono} that the store runs only once subscribed: the clocks ask for it, and the
 * {@link SessionTimeoutWebFilter} subscribes to it before it answers.
 *
 * @author session-timeout
 */
final class WebSessionAccess implements SessionAccess {

	private final WebSession session;

	private final @Nullable Instant storedLastAccessedTime;

	private @Nullable Mono<Void> invalidation;

	WebSessionAccess(WebSession session) {
		this(session, null);
	}

	/**
	 * Create the access to a session whose last access before the request the store was
	 * read for.
	 * @param session the session
	 * @param storedLastAccessedTime its last access as the store held it before the
	 * request, {@code null} if unknown
	 */
	WebSessionAccess(WebSession session, @Nullable Instant storedLastAccessedTime) {
		this.session = session;
		this.storedLastAccessedTime = storedLastAccessedTime;
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
	public @Nullable Instant getStoredLastAccessedTime() {
		return this.storedLastAccessedTime;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return this.session.getAttribute(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		this.session.getAttributes().put(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		this.session.getAttributes().remove(name);
	}

	@Override
	public int getMaxInactiveInterval() {
		Duration maxIdleTime = this.session.getMaxIdleTime();
		return maxIdleTime.isNegative() ? -1 : (int) Math.min(Integer.MAX_VALUE, maxIdleTime.toSeconds());
	}

	@Override
	public void setMaxInactiveInterval(int seconds) {
		this.session.setMaxIdleTime(Duration.ofSeconds(seconds));
	}

	/**
	 * Clear the session's attributes at once, so that nothing later in the request reads
	 * them, and keep its invalidation by the store for the filter to run.
	 */
	@Override
	public void invalidate() {
		if (this.invalidation == null) {
			this.session.getAttributes().clear();
			this.invalidation = this.session.invalidate();
		}
	}

	/**
	 * Return the invalidation the clocks asked for.
	 * @return the invalidation, or an empty {@code Mono} if they asked for none
	 */
	Mono<Void> invalidation() {
		return (this.invalidation != null) ? this.invalidation : Mono.empty();
	}

}
