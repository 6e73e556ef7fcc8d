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
import java.util.Collection;
import java.util.Comparator;

import dev.sessiontimeout.ExpiryReason;

/**
 * The records of the back-channel logouts that the store keeps for the logins under way
 * ({@link PendingLogoutCheck}): each is kept under a key of its own, until a time that
 * tells when its logout token was issued (the later the time, the later the logout, and
 * the more logins it ends). A node that keeps them in its memory keeps them apart from
 * the sessions that ended ({@link InMemoryEndedSessions}), so that ends of sessions do
 * not push them out.
 *
 * @author session-timeout
 */
public final class KeptLogouts {

	private static final String KEY_PREFIX = SessionAttributes.PREFIX + "oidcLogout:";

	private KeptLogouts() {
	}

	/**
	 * Return the key of the record of a logout.
	 * @param name what names the logouts kept under it
	 * @return the key
	 */
	public static String key(String name) {
		return KEY_PREFIX + name;
	}

	/**
	 * Return whether a key is the key of the record of a logout ({@link #key(String)}).
	 * @param key the key
	 * @return {@code true} if it is
	 */
	public static boolean isKey(String key) {
		return key.startsWith(KEY_PREFIX);
	}

	/**
	 * Return what stands in for records of logouts that were dropped, for every key whose
	 * own record is not kept: the latest of them, which ends every login that any of them
	 * ended, and more (fail closed), and is forgotten when it would have been.
	 * @param dropped the records dropped, at least one
	 * @return the record that stands in for them
	 */
	static EndedSessions.Entry standingInFor(Collection<EndedSessions.Entry> dropped) {
		Instant latest = dropped.stream().map(EndedSessions.Entry::until).max(Comparator.naturalOrder()).orElseThrow();
		return new EndedSessions.Entry(ExpiryReason.REVOKED, latest);
	}

}
