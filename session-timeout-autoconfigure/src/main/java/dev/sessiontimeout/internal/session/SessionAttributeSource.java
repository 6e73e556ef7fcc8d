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

import org.jspecify.annotations.Nullable;

/**
 * The attributes of a session, read-only: all that reading a session's clocks, policy and
 * status needs, so that a session loaded from its store (a Spring Session
 * {@code Session}) can be read as {@code session::getAttribute}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface SessionAttributeSource {

	/**
	 * Return the value of an attribute.
	 * @param name the name of the attribute
	 * @return the value, or {@code null} if the session has no such attribute
	 */
	@Nullable Object getAttribute(String name);

}
