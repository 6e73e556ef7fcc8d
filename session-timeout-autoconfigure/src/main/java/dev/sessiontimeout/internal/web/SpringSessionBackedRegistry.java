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

/**
 * The names of Spring Session's {@code SpringSessionBackedSessionRegistry}, Spring
 * Security's {@code SessionRegistry} that reads the sessions from Spring Session's store,
 * that the starter uses: as text, since Spring Session is optional and the attribute's
 * name is package-private there.
 *
 * @author session-timeout
 */
public final class SpringSessionBackedRegistry {

	private static final String PACKAGE = "org.springframework.session.security.";

	/**
	 * The name of the registry's class.
	 */
	public static final String CLASS_NAME = PACKAGE + "SpringSessionBackedSessionRegistry";

	/**
	 * The attribute with which Spring Session's
	 * {@code SpringSessionBackedSessionInformation} marks a session expired (the same
	 * name in Spring Session 4.0 and 4.1): the registry counts no session so marked
	 * against Spring Security's {@code maximumSessions}.
	 */
	public static final String EXPIRED_ATTRIBUTE = PACKAGE + "SpringSessionBackedSessionInformation.EXPIRED";

	private SpringSessionBackedRegistry() {
	}

}
