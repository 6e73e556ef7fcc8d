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
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;

/**
 * Remembers why sessions ended in this node's memory: right for stores that live in one
 * node's memory themselves (the container's sessions, Spring Session's
 * {@code MapSessionRepository}). It keeps at most a bounded number of sessions, keyed by
 * the hash of their id (the oldest go first when it is full), and forgets each at the end
 * of its store grace; as many earlier ids of sessions whose id changed, and as many later
 * ids by the earlier (a copy saved under an earlier id is never served), each until its
 * session cannot be alive any more; and as many sign-outs of sessions that live on, each
 * until a copy of its session from before cannot be alive any more. The records of users'
 * revocations everywhere ({@link UserRevocations}) are kept apart, so that ends of
 * sessions do not push them out: one a user, each until it is forgotten (an hour after
 * its latest revocation), for at most {@value #MOST_USERS_REVOKED} users revoked within
 * that hour. Past that the oldest record is dropped, and until it would have been
 * forgotten every user whose own record is not kept reads a revocation of all of their
 * sessions at the instant of the latest revocation dropped, under its id
 * ({@link UserRevocations#standingInFor}): a login in flight since before it is ended
 * rather than spared (fail closed), and one that read it as it began is not. The records
 * of the back-channel logouts kept for the logins under way ({@link KeptLogouts}) are
 * kept apart as well, as many as sessions, each until it is forgotten; past that the
 * oldest is dropped, and until it would have been forgotten every key whose own record is
 * not kept reads the latest logout dropped ({@link KeptLogouts#standingInFor}): a login
 * under way that such a logout may have ended is ended (fail closed).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InMemoryEndedSessions implements EndedSessions {

	private static final int DEFAULT_CAPACITY = 10_000;

	/**
	 * How many earlier ids of a session are followed at most: each is a change of id in
	 * one request (a login, a step-up, the application's own), within the session's
	 * lifetime.
	 */
	private static final int MAX_RENAMES_FOLLOWED = 16;

	/**
	 * How many users' records of revocations are kept at most.
	 */
	static final int MOST_USERS_REVOKED = 10_000;

	private final Map<String, Entry> entries;

	/**
	 * The records of users' revocations.
	 */
	private final KeptApart revocations = new KeptApart(MOST_USERS_REVOKED, UserRevocations::standingInFor);

	/**
	 * The records of the logouts kept for the logins under way.
	 */
	private final KeptApart logouts;

	private final Map<String, Rename> renamed;

	/**
	 * The later id of each renamed session, by its earlier id itself (which the store
	 * held in this node's memory as well): a request's look costs one map lookup and no
	 * hash.
	 */
	private final Map<String, Successor> successors;

	private final Map<String, SignOut> signOuts;

	/**
	 * Create an instance that remembers up to 10,000 sessions.
	 */
	public InMemoryEndedSessions() {
		this(DEFAULT_CAPACITY);
	}

	/**
	 * Create an instance.
	 * @param capacity how many sessions to remember at most
	 */
	public InMemoryEndedSessions(int capacity) {
		this.entries = bounded(capacity);
		this.logouts = new KeptApart(capacity, KeptLogouts::standingInFor);
		this.renamed = bounded(capacity);
		this.successors = bounded(capacity);
		this.signOuts = bounded(capacity);
	}

	private static <V> Map<String, V> bounded(int capacity) {
		return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
				return size() > capacity;
			}

		});
	}

	@Override
	public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		remember(sessionId, new Entry(reason, until), now);
	}

	@Override
	public void remember(String key, Entry entry, Instant now) {
		if (UserRevocations.isKey(key)) {
			this.revocations.remember(SessionIds.key(key), entry, now);
		}
		else if (KeptLogouts.isKey(key)) {
			this.logouts.remember(SessionIds.key(key), entry, now);
		}
		else {
			this.entries.put(SessionIds.key(key), entry);
		}
	}

	/**
	 * Remember that the application invalidated a session, with reason
	 * {@link ExpiryReason#INVALID}, unless why it ended is remembered already.
	 */
	@Override
	public void invalidated(String sessionId, Instant until, Instant now) {
		Entry invalidated = new Entry(ExpiryReason.INVALID, until);
		this.entries.compute(SessionIds.key(sessionId),
				(key, entry) -> (entry != null && entry.reasonAt(now) != null) ? entry : invalidated);
	}

	@Override
	public boolean keepsSignOuts() {
		return true;
	}

	/**
	 * Remember that a session's user signed out of it, until a copy of it from before
	 * cannot be alive any more; as many sessions as this instance remembers ended ones
	 * (the oldest go first when it is full). A sign-out is kept under the session's id
	 * itself, which the session's store holds in this node's memory as well, so that a
	 * request's look costs one map lookup and no hash.
	 */
	@Override
	public void signedOut(String sessionId, SignOut signOut, Instant now) {
		if (now.isBefore(signOut.until())) {
			this.signOuts.put(sessionId, signOut);
		}
	}

	@Override
	public @Nullable SignOut signOutOf(String sessionId, Instant now) {
		if (this.signOuts.isEmpty()) {
			return null;
		}
		SignOut signOut = this.signOuts.get(sessionId);
		if (signOut == null) {
			return null;
		}
		if (!now.isBefore(signOut.until())) {
			this.signOuts.remove(sessionId, signOut);
			return null;
		}
		return signOut;
	}

	/**
	 * Remember that a session's id changed: why the session ended under any of its
	 * earlier ids is why it ended under the new one; and a copy of it that a request
	 * which loaded it before saves under the earlier id after is ended at its next
	 * request, as the session under its new id ended, else as
	 * {@link ExpiryReason#INVALID}.
	 */
	@Override
	public void renamed(String previousId, String sessionId, Instant until, Instant now) {
		if (now.isBefore(until)) {
			this.renamed.put(SessionIds.key(sessionId), new Rename(SessionIds.key(previousId), until));
			this.successors.put(previousId, new Successor(sessionId, until));
		}
	}

	/**
	 * Return why a session that its store holds again ended: in this node's memory the
	 * answer costs no round trip, so every request asks.
	 */
	@Override
	public void kept(String sessionId, Instant now) {
		if (!this.renamed.isEmpty() && reasonOf(sessionId, now) == null) {
			this.renamed.remove(SessionIds.key(sessionId));
		}
	}

	@Override
	public @Nullable ExpiryReason reasonOfRevived(String sessionId, Instant now) {
		ExpiryReason reason = reasonOf(sessionId, now);
		return (reason != null) ? reason : reasonOfRenamed(sessionId, now);
	}

	/**
	 * Return why a copy of a session held under an id that the session left ended: why
	 * the session under its later ids ended, else {@link ExpiryReason#INVALID}, because a
	 * session's earlier id is never served again (a copy that a request saves there after
	 * the change would be served apart from the session, unrevoked).
	 */
	private @Nullable ExpiryReason reasonOfRenamed(String sessionId, Instant now) {
		if (this.successors.isEmpty()) {
			return null;
		}
		Successor successor = this.successors.get(sessionId);
		if (successor == null) {
			return null;
		}
		if (!now.isBefore(successor.until())) {
			this.successors.remove(sessionId, successor);
			return null;
		}
		String laterId = successor.sessionId();
		for (int ids = 0; ids < MAX_RENAMES_FOLLOWED; ids++) {
			ExpiryReason reason = reasonOf(laterId, now);
			if (reason != null) {
				return reason;
			}
			Successor next = this.successors.get(laterId);
			if (next == null || !now.isBefore(next.until())) {
				break;
			}
			laterId = next.sessionId();
			if (laterId.equals(sessionId)) {
				// Renamed back (ids that loop): the session lives under this id
				return null;
			}
		}
		return ExpiryReason.INVALID;
	}

	@Override
	public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
		if (this.entries.isEmpty()) {
			// No hash of the id for the usual request
			return null;
		}
		String key = SessionIds.key(sessionId);
		for (int ids = 0; key != null && ids < MAX_RENAMES_FOLLOWED; ids++) {
			ExpiryReason reason = reasonOfKey(key, now);
			if (reason != null) {
				return reason;
			}
			key = previousKey(key, now);
		}
		return null;
	}

	@Override
	public @Nullable Entry entryOf(String sessionId, Instant now) {
		if (UserRevocations.isKey(sessionId)) {
			return this.revocations.entryOf(SessionIds.key(sessionId), now);
		}
		if (KeptLogouts.isKey(sessionId)) {
			return this.logouts.entryOf(SessionIds.key(sessionId), now);
		}
		if (this.entries.isEmpty()) {
			return null;
		}
		Entry entry = this.entries.get(SessionIds.key(sessionId));
		return (entry != null && entry.reasonAt(now) != null) ? entry : null;
	}

	private @Nullable ExpiryReason reasonOfKey(String key, Instant now) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		ExpiryReason reason = entry.reasonAt(now);
		if (reason == null) {
			this.entries.remove(key, entry);
		}
		return reason;
	}

	private @Nullable String previousKey(String key, Instant now) {
		if (this.renamed.isEmpty()) {
			return null;
		}
		Rename rename = this.renamed.get(key);
		if (rename == null) {
			return null;
		}
		if (!now.isBefore(rename.until())) {
			this.renamed.remove(key, rename);
			return null;
		}
		return rename.previousKey();
	}

	/**
	 * Records of one kind kept apart from the sessions that ended, by the hash of their
	 * key, the one written last last, each until it is forgotten, at most a number of
	 * them: past that the oldest are dropped, and until they would have been forgotten a
	 * record that stands in for them is read under every key whose own record is not kept
	 * (fail closed).
	 */
	private static final class KeptApart {

		/**
		 * The records, guarded by itself.
		 */
		private final Map<String, Entry> kept = new LinkedHashMap<>();

		private final int most;

		private final Function<List<Entry>, Entry> standingInFor;

		/**
		 * What stands in for the records dropped, if any; guarded by {@link #kept}.
		 */
		private @Nullable Entry dropped;

		KeptApart(int most, Function<List<Entry>, Entry> standingInFor) {
			this.most = most;
			this.standingInFor = standingInFor;
		}

		void remember(String key, Entry entry, Instant now) {
			synchronized (this.kept) {
				this.kept.values().removeIf((kept) -> kept.reasonAt(now) == null);
				this.kept.remove(key);
				this.kept.put(key, entry);
				List<Entry> dropped = new ArrayList<>();
				for (Iterator<Entry> kept = this.kept.values().iterator(); this.kept.size() > this.most;) {
					dropped.add(kept.next());
					kept.remove();
				}
				if (!dropped.isEmpty()) {
					if (this.dropped != null && this.dropped.reasonAt(now) != null) {
						// First: it stays, unless a later one is dropped
						dropped.add(0, this.dropped);
					}
					this.dropped = this.standingInFor.apply(dropped);
				}
			}
		}

		@Nullable Entry entryOf(String key, Instant now) {
			synchronized (this.kept) {
				Entry entry = this.kept.get(key);
				if (entry != null && entry.reasonAt(now) != null) {
					return entry;
				}
				if (entry != null) {
					this.kept.remove(key);
				}
				return (this.dropped != null && this.dropped.reasonAt(now) != null) ? this.dropped : null;
			}
		}

	}

	/**
	 * The earlier id of a renamed session, by the hash of its id.
	 *
	 * @param previousKey the hash of the session's earlier id
	 * @param until when it is forgotten
	 */
	private record Rename(String previousKey, Instant until) {

	}

	/**
	 * The later id of a renamed session.
	 *
	 * @param sessionId the session's later id
	 * @param until when it is forgotten
	 */
	private record Successor(String sessionId, Instant until) {

	}

}
