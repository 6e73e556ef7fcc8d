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
 * Reads a session as its store holds it now, rather than as a request's copy holds it:
 * for a {@link SessionWatch} over a response that outlives its request's decision. Spring
 * Session's repositories give one; container sessions are read through the live
 * {@code HttpSession}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface StoredSessions {

	/**
	 * Return the attributes of a session as its store holds them now.
	 * @param sessionId the id of the session
	 * @return the session, or {@code null} if the store no longer has it
	 */
	@Nullable SessionAttributeSource find(String sessionId);

	/**
	 * Return when a session was last accessed as its store holds it now: before the
	 * current request, whose copy of the session is saved only as the request ends.
	 * @param sessionId the id of the session
	 * @return the instant, or {@code null} if the store no longer has the session or does
	 * not tell
	 */
	default @Nullable Instant lastAccessedTime(String sessionId) {
		return null;
	}

}
