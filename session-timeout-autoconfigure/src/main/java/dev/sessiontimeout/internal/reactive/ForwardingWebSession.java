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
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;

/**
 * A {@link WebSession} that passes every call to another one: the base of the starter's
 * views of a session, which override what they change.
 *
 * @author session-timeout
 */
abstract class ForwardingWebSession implements WebSession {

	private final WebSession session;

	ForwardingWebSession(WebSession session) {
		this.session = session;
	}

	/**
	 * Return the session this one passes its calls to.
	 * @return the session
	 */
	final WebSession delegate() {
		return this.session;
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.session.getAttributes();
	}

	@Override
	public void start() {
		this.session.start();
	}

	@Override
	public boolean isStarted() {
		return this.session.isStarted();
	}

	@Override
	public Mono<Void> changeSessionId() {
		return this.session.changeSessionId();
	}

	@Override
	public Mono<Void> invalidate() {
		return this.session.invalidate();
	}

	@Override
	public Mono<Void> save() {
		return this.session.save();
	}

	@Override
	public boolean isExpired() {
		return this.session.isExpired();
	}

	@Override
	public Instant getCreationTime() {
		return this.session.getCreationTime();
	}

	@Override
	public Instant getLastAccessTime() {
		return this.session.getLastAccessTime();
	}

	@Override
	public void setMaxIdleTime(Duration maxIdleTime) {
		this.session.setMaxIdleTime(maxIdleTime);
	}

	@Override
	public Duration getMaxIdleTime() {
		return this.session.getMaxIdleTime();
	}

	@Override
	public String toString() {
		return this.session.toString();
	}

}
