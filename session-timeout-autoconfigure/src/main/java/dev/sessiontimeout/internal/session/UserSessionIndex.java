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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * The sessions of each user, kept by the starter where the session store has no index of
 * its own by principal name (Spring Session's map and Redis default repositories), so
 * that a user's sessions can be listed and revoked; where it has one, the sessions in
 * which a user switched to another, which the store files under the user switched to only
 * ({@link #keepsSwitchesOnly()}), and those that the application filed there under a name
 * other than their user's ({@link SessionAttributes#STORE_INDEX_NAME}). Written when a
 * user authenticates or switches (or the application gives a session such a name), never
 * per request; each entry goes once its session's absolute deadline and the store grace
 * are over, or when a lookup finds its session gone (not before a minute after it was
 * added, since the request of a login saves its session only as it ends).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface UserSessionIndex {

	/**
	 * How many of its user's entries without an end a login asks the store about at most,
	 * so that a login costs the same however many sessions its user has: a random choice
	 * among them, so that the gone ones are forgotten over the user's logins.
	 */
	int CHECKED_AT_A_LOGIN = 16;

	/**
	 * Return the entries a login asks the store about, out of its user's entries without
	 * an end: all of them up to {@link #CHECKED_AT_A_LOGIN}, else that many chosen at
	 * random.
	 * @param <T> the type of the entries
	 * @param candidates the entries
	 * @return those to ask about
	 */
	static <T> List<T> checkedAtALogin(List<T> candidates) {
		if (candidates.size() <= CHECKED_AT_A_LOGIN) {
			return candidates;
		}
		List<T> chosen = new ArrayList<>(candidates);
		Collections.shuffle(chosen, ThreadLocalRandom.current());
		return List.copyOf(chosen.subList(0, CHECKED_AT_A_LOGIN));
	}

	/**
	 * No index: the store finds a user's sessions by itself, or not at all.
	 */
	UserSessionIndex NONE = new UserSessionIndex() {

		@Override
		public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
		}

		@Override
		public Map<String, Instant> sessions(String username, Instant now) {
			return Map.of();
		}

		@Override
		public void remove(String username, Collection<String> sessionIds, Instant now) {
		}

	};

	/**
	 * Return whether the index keeps a session only under the users who switched to its
	 * user (an administrator who impersonates a customer), where the store files each
	 * session under its own user itself (JDBC, Redis {@code indexed}): written at a
	 * switch, never at a login.
	 * @return {@code true} if the index keeps switched sessions only
	 */
	default boolean keepsSwitchesOnly() {
		return false;
	}

	/**
	 * Add a session of a user, when the user authenticated in it.
	 * @param username the user's name
	 * @param sessionId the session's id
	 * @param until the instant from which the session cannot be alive any more (its
	 * absolute deadline and the store grace, with a margin for clock skew), or
	 * {@code null} if it has no absolute deadline
	 * @param now the current instant
	 */
	void add(String username, String sessionId, @Nullable Instant until, Instant now);

	/**
	 * Tell that the request in which a user authenticated in a session ends, so that its
	 * store saves the session now: the session's entry counts as added now, and is
	 * written again if a login of the user forgot it meanwhile (a request that ran for
	 * longer than a minute after its login, whose session the store did not hold yet). A
	 * request saves its session only as it ends, however long after its login.
	 * @param username the user's name
	 * @param sessionId the session's id
	 * @param until the instant from which the session cannot be alive any more, or
	 * {@code null} if it has no absolute deadline
	 * @param now the current instant
	 */
	default void saved(String username, String sessionId, @Nullable Instant until, Instant now) {
		add(username, sessionId, until, now);
	}

	/**
	 * Return the sessions of a user that may still be alive; the caller reads each from
	 * the store, and {@link #remove removes} those that are gone.
	 * @param username the user's name
	 * @param now the current instant
	 * @return the id of each session, with the instant it was added at
	 */
	Map<String, Instant> sessions(String username, Instant now);

	/**
	 * Forget sessions of a user that are gone from the store.
	 * @param username the user's name
	 * @param sessionIds the ids of the sessions
	 * @param now the current instant
	 */
	void remove(String username, Collection<String> sessionIds, Instant now);

	/**
	 * What the index keeps of a session whose user authenticated, but its id.
	 *
	 * @param username the user's name
	 * @param until the instant from which the session cannot be alive any more, or
	 * {@code null} if it has no absolute deadline
	 */
	record Entry(String username, @Nullable Instant until) {

	}

}
