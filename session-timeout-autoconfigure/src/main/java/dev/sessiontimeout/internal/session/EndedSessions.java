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

import dev.sessiontimeout.ExpiryReason;

/**
 * Remembers why sessions ended, for as long as the store grace lasts, so that every
 * request that still carries an ended session's id (a single-page application's parallel
 * calls, another tab, another node) is told the same reason rather than
 * {@link ExpiryReason#INVALID}. The ended session itself is invalidated at once: what is
 * remembered is kept apart from it, out of reach of requests that loaded the session
 * before it ended and save it when they finish.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see InMemoryEndedSessions
 */
public interface EndedSessions {

	/**
	 * Remembers nothing: every request with an ended session's id gets
	 * {@link ExpiryReason#INVALID}.
	 */
	EndedSessions NONE = new EndedSessions() {

		@Override
		public void remember(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		}

		@Override
		public @Nullable ExpiryReason reasonOf(String sessionId, Instant now) {
			return null;
		}

	};

	/**
	 * Remember why a session ended.
	 * @param sessionId the id of the session
	 * @param reason why it ended
	 * @param until when to forget it: the session's deadline plus the store grace
	 * @param now the current instant of the clock of every decision
	 */
	void remember(String sessionId, ExpiryReason reason, Instant until, Instant now);

	/**
	 * Return why a session ended, if it is remembered.
	 * @param sessionId the id of a session that the store does not know
	 * @param now the current instant of the clock of every decision
	 * @return the reason, or {@code null} if the session is not remembered (any more)
	 */
	@Nullable ExpiryReason reasonOf(String sessionId, Instant now);

	/**
	 * Return what is remembered under a key, with until when, if it still is: for a
	 * record whose {@link Entry#until() until} carries a time of its own (the
	 * back-channel logouts that logins check).
	 * @param sessionId the key, as {@link #remember} took it
	 * @param now the current instant of the clock of every decision
	 * @return the entry, or {@code null} if nothing is remembered under the key (any
	 * more), or if this store does not tell (the default)
	 */
	default @Nullable Entry entryOf(String sessionId, Instant now) {
		return null;
	}

	/**
	 * Return why a session that its store holds again ended, where that is known without
	 * a round trip to another server: a request that loaded the session before it ended
	 * and saved its copy after the end brings it back in stores that save whole copies
	 * (Spring Session's {@code MapSessionRepository}).
	 * @param sessionId the id of a session that the store holds
	 * @param now the current instant of the clock of every decision
	 * @return the reason, or {@code null} if not known here (the default)
	 */
	default @Nullable ExpiryReason reasonOfRevived(String sessionId, Instant now) {
		return null;
	}

	/**
	 * Remember that the application invalidated a session (a logout), where the store
	 * saves whole copies of a session ({@link #reasonOfRevived(String, Instant)}): a
	 * request that loaded the session before and saves its copy after brings it back, and
	 * it is ended again with {@link ExpiryReason#INVALID}. Why the session ended, if
	 * remembered already (a clock, a revocation), stays. Stores that save only what
	 * changed need not remember it (the default): a request's save does not bring back a
	 * session that is gone.
	 * @param sessionId the id of the session
	 * @param until when to forget it: when a copy of the session cannot be alive any more
	 * @param now the current instant of the clock of every decision
	 */
	default void invalidated(String sessionId, Instant until, Instant now) {
	}

	/**
	 * Return whether this store remembers sign-outs ({@link #signedOut}): where it saves
	 * whole copies of a session in this node's memory. Stores that save only what changed
	 * do not (the default), and a request of theirs does not look for one.
	 * @return {@code true} if it remembers them
	 */
	default boolean keepsSignOuts() {
		return false;
	}

	/**
	 * Remember that a session's user signed out of it while the session lives on under
	 * the same id (a logout that keeps the session), where the store saves whole copies
	 * of a session ({@link #keepsSignOuts()}): a request that loaded the session signed
	 * in before and saves its copy after brings the user back, and that copy is ended,
	 * reason {@link ExpiryReason#INVALID}, while the session signed out is served. A
	 * later sign-out of the same session replaces an earlier one. Stores that save only
	 * what changed need not remember it (the default).
	 * @param sessionId the id of the session
	 * @param signOut the sign-out
	 * @param now the current instant of the clock of every decision
	 */
	default void signedOut(String sessionId, SignOut signOut, Instant now) {
	}

	/**
	 * Return the sign-out remembered for a session that its store holds, if any.
	 * @param sessionId the id of a session that the store holds
	 * @param now the current instant of the clock of every decision
	 * @return the sign-out, or {@code null} if none is remembered (any more), or if this
	 * store does not remember them (the default)
	 */
	default @Nullable SignOut signOutOf(String sessionId, Instant now) {
		return null;
	}

	/**
	 * Remember that a session's id changed, where the store saves whole copies of a
	 * session ({@link #reasonOfRevived(String, Instant)}): a revocation that read the
	 * session under its old id may remember the old id after a request saved the session
	 * under the new one, and the session is ended under its new id all the same. Stores
	 * that keep their sessions in place need not remember it (the default): a revocation
	 * writes into the session itself, which its change of id carries along.
	 * @param previousId the session's id before
	 * @param sessionId its id now
	 * @param until when to forget it: when the session cannot be alive any more
	 * @param now the current instant of the clock of every decision
	 */
	default void renamed(String previousId, String sessionId, Instant until, Instant now) {
	}

	/**
	 * Forget the earlier ids of a session that a revocation read and kept, before it
	 * writes: it decided on the session apart from any copy of it under an earlier id (a
	 * request already running when the id changed saves its copy there, in stores that
	 * save whole copies), so that revoking such a copy does not end the session kept. A
	 * session that already ended through an earlier id (revoked while a request that
	 * changed its id ran, which saved its copy without the revocation under the new id)
	 * stays ended: its earlier ids are kept.
	 * @param sessionId the id of the session kept
	 * @param now the current instant of the clock of every decision
	 */
	default void kept(String sessionId, Instant now) {
	}

	/**
	 * Claim the announcement of a session's end for this node, once in all the nodes that
	 * share the store: the {@link dev.sessiontimeout.SessionEndedEvent} of an end that
	 * two nodes decide at once (two requests of the session, or the store's expiry notice
	 * that every node hears) is published by the node that wins the claim only. Called
	 * only when a session ends, never on an ordinary request. A store that cannot make
	 * the claim (the default, and a store that is down) answers {@code true}: an
	 * announcement made twice is better than one lost.
	 * @param sessionId the id of the session that ended
	 * @param until when the claim may be forgotten: no node decides the same end after
	 * @param now the current instant of the clock of every decision
	 * @return {@code true} if this node announces the end
	 */
	default boolean claimAnnouncement(String sessionId, Instant until, Instant now) {
		return true;
	}

	/**
	 * Announce a session's end if this node wins the claim of its announcement
	 * ({@link #claimAnnouncement}), where the claim is made may be later: for stores that
	 * are not to be waited for on the calling thread (a reactive store). By default the
	 * claim is made, and the announcement run, on the calling thread.
	 * @param sessionId the id of the session that ended
	 * @param until when the claim may be forgotten
	 * @param now the current instant of the clock of every decision
	 * @param announcement what announces the end
	 */
	default void announceOnce(String sessionId, Instant until, Instant now, Runnable announcement) {
		if (claimAnnouncement(sessionId, until, now)) {
			announcement.run();
		}
	}

	/**
	 * Remember a record under a key, with the text it carries, if any: where the store
	 * keeps that text (Redis, the indexed stores, this node's memory); a store that does
	 * not keep it fails rather than forgetting the text.
	 * @param key the key
	 * @param entry the record
	 * @param now the current instant of the clock of every decision
	 * @throws UnsupportedOperationException if the record carries text that this store
	 * does not keep (the default)
	 */
	default void remember(String key, Entry entry, Instant now) {
		if (entry.value() != null) {
			throw new UnsupportedOperationException("This store keeps no text with its records");
		}
		remember(key, entry.reason(), entry.until(), now);
	}

	/**
	 * A user's sign-out of a session that lives on under the same id: a copy of the
	 * session that holds that user, with an authentication no later than the sign-out (or
	 * of an unknown time, where the sign-out's was unknown too), was saved from before
	 * it.
	 *
	 * @param at when the user signed out
	 * @param user the fingerprint of the user who signed out, as the session's clocks
	 * named them, {@code null} if they named none
	 * @param until when to forget it: when a copy of the session from before the sign-out
	 * cannot be alive any more
	 * @param loginTimeKnown whether the session's clocks knew when the user who signed
	 * out authenticated: then every copy from before the sign-out holds that time, and
	 * one of unknown time holds a sign-in since that the clocks did not record (the
	 * sign-out forgets the time, {@link SessionClocks#forgetLogin})
	 */
	record SignOut(Instant at, @Nullable String user, Instant until, boolean loginTimeKnown) {

		/**
		 * Create a sign-out of a session whose clocks did not know when its user
		 * authenticated.
		 * @param at when the user signed out
		 * @param user the fingerprint of the user who signed out, {@code null} if the
		 * clocks named none
		 * @param until when to forget it
		 */
		SignOut(Instant at, @Nullable String user, Instant until) {
			this(at, user, until, false);
		}

		/**
		 * Return whether a copy of the session that holds the given user, who
		 * authenticated at the given instant, is one from before this sign-out.
		 * @param sessionUser the fingerprint of the user the copy holds
		 * @param authenticatedAt when that user authenticated, as the copy's clocks
		 * recorded it, {@code null} if unknown
		 * @return {@code true} if it is
		 */
		public boolean precedes(String sessionUser, @Nullable Instant authenticatedAt) {
			return (this.user == null || this.user.equals(sessionUser))
					&& ((authenticatedAt != null) ? !authenticatedAt.isAfter(this.at) : !this.loginTimeKnown);
		}

	}

	/**
	 * The text that stores keep for an ended session, {@code idle,1764547200000}: the
	 * reason and until when it is remembered; a record of another kind may carry a text
	 * of its own after them ({@code revoked,1764547200000,text}).
	 *
	 * @param reason why the session ended
	 * @param until when it is forgotten
	 * @param value the text the record carries, if any
	 */
	record Entry(ExpiryReason reason, Instant until, @Nullable String value) {

		/**
		 * Create an entry that carries no text.
		 * @param reason why the session ended
		 * @param until when it is forgotten
		 */
		public Entry(ExpiryReason reason, Instant until) {
			this(reason, until, null);
		}

		/**
		 * Return this entry as text that {@link #decode(Object)} reads back.
		 * @return the text
		 */
		public String encode() {
			String text = this.reason.value() + "," + this.until.toEpochMilli();
			return (this.value != null) ? text + "," + this.value : text;
		}

		/**
		 * Read an entry written by {@link #encode()}.
		 * @param value what the store returned
		 * @return the entry, or {@code null} if the value is none
		 */
		public static @Nullable Entry decode(@Nullable Object value) {
			if (!(value instanceof String text)) {
				return null;
			}
			String[] parts = text.split(",", 3);
			if (parts.length < 2) {
				return null;
			}
			for (ExpiryReason reason : ExpiryReason.values()) {
				if (reason.isEnding() && reason.value().equals(parts[0])) {
					try {
						return new Entry(reason, Instant.ofEpochMilli(Long.parseLong(parts[1])),
								(parts.length == 3) ? parts[2] : null);
					}
					catch (NumberFormatException ex) {
						return null;
					}
				}
			}
			return null;
		}

		/**
		 * Return the reason, if the entry is still remembered at the given instant.
		 * @param now the current instant
		 * @return the reason, or {@code null} from {@link #until()} on
		 */
		public @Nullable ExpiryReason reasonAt(Instant now) {
			return now.isBefore(this.until) ? this.reason : null;
		}

	}

}
