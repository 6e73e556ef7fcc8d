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

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Tells whose session it is, for events and logs.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface SessionPrincipalResolver {

	/**
	 * A resolver for applications that keep no principal in the session.
	 */
	SessionPrincipalResolver NONE = (session) -> null;

	/**
	 * Return the name of the session's user.
	 * @param session the session
	 * @return the principal name, or {@code null} for an anonymous session
	 */
	@Nullable String resolve(SessionAttributeSource session);

	/**
	 * Return the identity provider the session's user signed in with, which tells two
	 * users of the same name apart.
	 * @param session the session
	 * @return the provider (an OAuth 2.0 client registration id), or {@code null} if the
	 * user signed in without one
	 */
	default @Nullable String provider(SessionAttributeSource session) {
		return null;
	}

	/**
	 * Return the name of the session's user and the identity provider it signed in with,
	 * as {@link #resolve} and {@link #provider} tell them: a resolver that reads both
	 * from one attribute reads it once.
	 * @param session the session
	 * @return the user, or {@code null} for an anonymous session
	 */
	default @Nullable User user(SessionAttributeSource session) {
		String name = resolve(session);
		return (name != null) ? new User(name, provider(session)) : null;
	}

	/**
	 * Return the names of the users who switched to the session's user, such as an
	 * administrator who impersonates a customer with Spring Security's
	 * {@code SwitchUserFilter}: the session is theirs too, and ends with their
	 * revocation.
	 * @param session the session
	 * @return the names, the innermost switch first; empty if no user switched
	 */
	default List<String> switchedFrom(SessionAttributeSource session) {
		return List.of();
	}

	/**
	 * Return the users who switched to the session's user ({@link #switchedFrom}), each
	 * with the identity provider it signed in with: a user of the same name from another
	 * provider is another user, whose session this is not.
	 * @param session the session
	 * @return the users, the innermost switch first; empty if no user switched
	 */
	default List<User> switchedFromUsers(SessionAttributeSource session) {
		return switchedFrom(session).stream().map((name) -> new User(name, null)).toList();
	}

	/**
	 * The user of a session.
	 *
	 * @param name the principal name
	 * @param provider the identity provider the user signed in with (an OAuth 2.0 client
	 * registration id), {@code null} if the user signed in without one
	 */
	record User(String name, @Nullable String provider) {

	}

}
