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
package dev.sessiontimeout.internal.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One session, whatever the web stack and the store holding it: its id, creation time,
 * attributes and store expiry. The session clocks read and write sessions only through
 * it, so that they know no servlet or reactive type.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface SessionAccess extends SessionAttributeSource {

	/**
	 * Return the session's id.
	 * @return the id
	 */
	String getId();

	/**
	 * Return when the store created the session.
	 * @return the creation time
	 */
	Instant getCreationTime();

	/**
	 * Return when the session was last accessed before the current request, as its store
	 * held it, where the request's own copy no longer tells (Spring Session sets it to
	 * the request's start). Read only to adopt a session without the starter's state: it
	 * may cost a read of the store.
	 * @return the instant, or {@code null} if unknown
	 */
	default @Nullable Instant getStoredLastAccessedTime() {
		return null;
	}

	/**
	 * Set an attribute of the session.
	 * @param name the attribute name
	 * @param value the value
	 */
	void setAttribute(String name, Object value);

	/**
	 * Remove an attribute of the session.
	 * @param name the attribute name
	 */
	void removeAttribute(String name);

	/**
	 * Return how long the store keeps the session without a request, in seconds.
	 * @return the maximum inactive interval
	 */
	int getMaxInactiveInterval();

	/**
	 * Set how long the store keeps the session without a request.
	 * @param seconds the maximum inactive interval in seconds
	 */
	void setMaxInactiveInterval(int seconds);

	/**
	 * Invalidate the session: the store drops it.
	 */
	void invalidate();

}
