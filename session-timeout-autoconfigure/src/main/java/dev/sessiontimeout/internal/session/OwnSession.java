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

import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The session of a request that revokes its user's other sessions, as the revocation
 * spares it: under an id that the request holds or came with, and under a later id that
 * another request of it gave it meanwhile ({@link SessionClocks#laterIdOf}). A revocation
 * of a user's sessions that spares none has {@link #none}.
 *
 * @param <S> the type of the sessions that the store reads
 * @param ids the ids the request holds or came with
 * @param idOf the id of a session read
 * @param mayBeRenamed whether a session read may be the request's under a later id
 * ({@link SessionClocks#mayBeLaterIdOf})
 * @author session-timeout
 * @since 0.1.0
 */
public record OwnSession<S>(Set<String> ids, Function<S, String> idOf, Predicate<S> mayBeRenamed) {

	/**
	 * Return no request's session: every session read is another, and none is the
	 * request's under a later id.
	 * @param <S> the type of the sessions that the store reads
	 * @param idOf the id of a session read
	 * @return the session
	 */
	public static <S> OwnSession<S> none(Function<S, String> idOf) {
		return new OwnSession<>(Set.of(), idOf, (session) -> false);
	}

	/**
	 * Return whether a session read is under none of the request's ids.
	 * @param session the session read
	 * @return {@code true} if it is not under an id of the request's
	 */
	public boolean isOther(S session) {
		return this.ids.isEmpty() || !this.ids.contains(this.idOf.apply(session));
	}

	/**
	 * Return the request's session under a later id among the sessions read, as
	 * {@link SessionClocks#laterIdOf} finds it.
	 * @param read the user's sessions, as read
	 * @return the session, or {@code null} if none is taken for the request's
	 */
	public @Nullable S laterIdIn(Collection<S> read) {
		return SessionClocks.laterIdOf(read, (session) -> !isOther(session), this.mayBeRenamed);
	}

}
