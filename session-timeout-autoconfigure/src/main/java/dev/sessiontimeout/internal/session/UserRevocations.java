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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;

/**
 * The record of the revocations of a user's sessions everywhere ({@code revokeAll}, the
 * {@code revokeOthers} of a password change) in the last {@link #KEPT_FOR}, kept with the
 * {@link EndedSessions} under a key of its own ({@link #merged}), so that a login still
 * in its request when the revocation read the user's sessions is ended as its request
 * ends: Spring Session saves a session only then (or as the response commits), so the
 * revocation cannot find it in the store, nor, where the store keeps the index of its
 * users' sessions itself (JDBC, Redis indexed), in any index. A login notes when it is
 * recorded (a remember-me login: just before its token check, {@link Begun}), reads the
 * record then, and again as its request ends: a record read at the end that does not
 * spare the login's session ends it, unless it is known to be of a revocation before the
 * login ({@link #ends}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class UserRevocations {

	/**
	 * How long the record of a revocation is kept: a login whose request runs longer past
	 * the revocation than that (an upload of more than an hour) is not ended by it.
	 */
	public static final Duration KEPT_FOR = Duration.ofHours(1);

	private static final String KEY_PREFIX = SessionAttributes.PREFIX + "revokedUser:";

	private static final String ANY_PROVIDER = "*";

	private static final String NO_PROVIDER = "-";

	private static final String NONE_SPARED = "-";

	private static final int RECORDED_HERE_CAPACITY = 1024;

	/**
	 * How many records of revocations this JVM wrote: a login notes the count as it
	 * begins.
	 */
	private static final AtomicLong recordedCount = new AtomicLong();

	/**
	 * The records this JVM wrote, by their text (unique: each holds a random UUID), with
	 * the count they were written as: a login that began after one was written, on this
	 * JVM, is not one its revocation missed, whatever the clock tells.
	 */
	private static final Map<String, Long> recordedHere = Collections
		.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
				return size() > RECORDED_HERE_CAPACITY;
			}

		});

	/**
	 * The last revocation that each thread recorded in a request that may sign the
	 * revoked user in after it: a sign-in the application makes itself on that thread
	 * after it (a password reset's auto-login, after its revocation of the user
	 * everywhere) is not ended by it ({@link Seen#afterOwnRevocation}).
	 */
	private static final ThreadLocal<Revocation> writtenOnThisThread = new ThreadLocal<>();

	/**
	 * How many revocations a record keeps at most, the latest: a revocation of all of a
	 * user's sessions ({@code revokeAll}) replaces the earlier ones, which it ends all
	 * of.
	 */
	static final int MOST_KEPT = 16;

	private static final String SEPARATOR = ";";

	/**
	 * What the id of a revocation that stands in for records this JVM dropped begins with
	 * ({@link #standingInFor}).
	 */
	private static final String STANDS_IN = "~";

	/**
	 * The text of a record that a store keeps but that cannot be read.
	 */
	private static final String UNREADABLE = "?";

	private UserRevocations() {
	}

	/**
	 * Note that this JVM wrote the record of a revocation, once the write succeeded: a
	 * login that begins after this on this JVM began after the revocation, even at its
	 * very instant (a clock that stands still, as a test's does), and is not ended by the
	 * record ({@link Seen#endedBy}).
	 * @param entry the record written
	 */
	public static void recordedHere(EndedSessions.Entry entry) {
		recordedHere(entry, false);
	}

	/**
	 * Note that this JVM wrote the record of a revocation, as {@link #recordedHere} does,
	 * on the thread of a request that may sign the revoked user in after it.
	 * @param entry the record written
	 * @param beforeASignInOnThisThread whether the request that wrote it may sign the
	 * revoked user in after it (its session holds no signed-in user of that name: a
	 * password reset's request), so that such a sign-in is dated after it
	 * ({@link Seen#afterOwnRevocation})
	 */
	public static void recordedHere(EndedSessions.Entry entry, boolean beforeASignInOnThisThread) {
		String value = entry.value();
		if (value != null) {
			recordedHere.put(value, recordedCount.incrementAndGet());
			List<Revocation> written = beforeASignInOnThisThread ? revocations(entry) : null;
			if (written != null && !written.isEmpty()) {
				writtenOnThisThread.set(written.get(0));
			}
			else {
				writtenOnThisThread.remove();
			}
		}
	}

	/**
	 * Forget the revocation that this thread recorded in a request that may sign the
	 * revoked user in after it ({@link #recordedHere(EndedSessions.Entry, boolean)}), as
	 * that request ends: a later request that the container runs on the same thread made
	 * no such revocation, and a sign-in in it is not dated after it.
	 */
	public static void forgetRecordedOnThisThread() {
		writtenOnThisThread.remove();
	}

	/**
	 * Return whether this JVM had written a record before a login that noted the given
	 * count of records written began.
	 * @param entry the record
	 * @param countAtLogin the count the login noted ({@link Seen#recordedBefore})
	 * @return {@code true} if it was written here, before
	 */
	static boolean recordedHereBefore(EndedSessions.Entry entry, long countAtLogin) {
		String value = entry.value();
		Long count = (value != null) ? recordedHere.get(value) : null;
		return count != null && count <= countAtLogin;
	}

	/**
	 * Return the key of the record of a user's revocations: one that no session id can be
	 * ({@link SessionClocks#namesARecord(String)}).
	 * @param username the user's name
	 * @return the key
	 */
	public static String key(String username) {
		return KEY_PREFIX + username.length() + ":" + username;
	}

	/**
	 * Return whether a key is the key of the record of a user's revocations
	 * ({@link #key(String)}).
	 * @param key the key
	 * @return {@code true} if it is
	 */
	public static boolean isKey(String key) {
		return key.startsWith(KEY_PREFIX);
	}

	/**
	 * Read the text a store keeps under the key of a record of revocations: a text that
	 * is kept but cannot be read (another version's, in a rolling upgrade), or that holds
	 * no revocation (a foreign write), is read as a record that cannot be parsed, which
	 * ends a login in flight ({@link #ends}), rather than as no record (fail closed).
	 * @param key the key
	 * @param value what the store returned under it
	 * @param now the current instant of the clock of every decision
	 * @return the record, or {@code null} if none is kept
	 */
	public static EndedSessions.@Nullable Entry decode(String key, @Nullable Object value, Instant now) {
		EndedSessions.Entry entry = EndedSessions.Entry.decode(value);
		if (value == null || !isKey(key)) {
			return entry;
		}
		if (entry == null) {
			return new EndedSessions.Entry(ExpiryReason.REVOKED, now.plus(KEPT_FOR), UNREADABLE);
		}
		if (entry.value() == null) {
			// No revocation in it: forgotten when it tells
			return new EndedSessions.Entry(ExpiryReason.REVOKED, entry.until(), UNREADABLE);
		}
		return entry;
	}

	/**
	 * Return one record that keeps every revocation of the given records of the same
	 * user: for a store that keeps each record written apart (JDBC), so that a revocation
	 * in any of them ends a login in flight, whichever is forgotten last (the clocks of
	 * nodes differ). The revocation of the record forgotten last comes first, and the
	 * record is forgotten with it; the others follow, the latest first. A record that
	 * cannot be parsed, or that holds no revocation, is returned as it is: it ends a
	 * login in flight ({@link #ends}), as every revocation of the others would.
	 * @param records the records kept, still remembered
	 * @return the record, or {@code null} if there is none
	 */
	public static EndedSessions.@Nullable Entry combined(Collection<EndedSessions.Entry> records) {
		if (records.size() <= 1) {
			return records.isEmpty() ? null : records.iterator().next();
		}
		EndedSessions.Entry last = null;
		Map<String, Revocation> all = new LinkedHashMap<>();
		for (EndedSessions.Entry record : records) {
			List<Revocation> revocations = revocations(record);
			if (revocations == null) {
				return record;
			}
			revocations.forEach((revocation) -> all.putIfAbsent(revocation.id(), revocation));
			if (last == null || record.until().isAfter(last.until())) {
				last = record;
			}
		}
		Revocation first = Objects.requireNonNull(revocations(Objects.requireNonNull(last))).get(0);
		StringBuilder value = new StringBuilder(first.id() + " " + first.providerPart() + " " + first.sparedPart());
		all.values()
			.stream()
			.filter((revocation) -> !revocation.id().equals(first.id()))
			.sorted(Comparator.comparing(Revocation::at).reversed())
			.forEach((revocation) -> value.append(SEPARATOR).append(revocation.encodeWithTime()));
		return new EndedSessions.Entry(last.reason(), last.until(), value.toString());
	}

	/**
	 * Return the record that stands in for the record of a user's earlier revocations
	 * that a revocation could not read (the store failed the read), which the record it
	 * writes replaces ({@link #merged}): a revocation of all of the user's sessions at
	 * the given instant, so that a login in flight since before any of them is ended
	 * (fail closed). A login in flight that began after them is ended too, even one that
	 * the revocation spares: it signs in again.
	 * @param now the current instant of the clock of every decision
	 * @return the record
	 */
	public static EndedSessions.Entry unread(Instant now) {
		return entry(true, null, List.of(), now);
	}

	/**
	 * Return the record that stands in for records of revocations that this JVM's memory
	 * had to drop, for any user whose own record it does not keep: a revocation of all of
	 * their sessions at the instant of the latest revocation dropped, so that a login in
	 * flight since before it is ended (fail closed). It is marked as one that stands in:
	 * every revocation it stands in for ran on this JVM's clock, the one of the logins it
	 * is read by, no later than its instant, so a login recorded after that instant is
	 * not ended by it, whichever record stood in as the login began (more records dropped
	 * during a login, of revocations before it, do not end it). It keeps the id of the
	 * latest revocation dropped (of revocations at the same instant, the one of the first
	 * record given: the record that stood in before, given first, stays as it was).
	 * @param dropped the records dropped, the one that stood in for earlier ones first
	 * @return the record, forgotten when the latest of them would have been
	 */
	public static EndedSessions.Entry standingInFor(Collection<EndedSessions.Entry> dropped) {
		List<Revocation> all = new ArrayList<>();
		for (EndedSessions.Entry record : dropped) {
			List<Revocation> revocations = revocations(record);
			if (revocations == null) {
				// Unreadable: a revocation no login read, when it tells
				revocations = List
					.of(new Revocation(UUID.randomUUID().toString(), ANY_PROVIDER, NONE_SPARED, revokedAt(record)));
			}
			all.addAll(revocations);
		}
		Revocation standIn = standingInForRevocations(all).standingIn();
		return new EndedSessions.Entry(ExpiryReason.REVOKED, standIn.at().plus(KEPT_FOR),
				standIn.id() + " " + standIn.providerPart() + " " + standIn.sparedPart());
	}

	/**
	 * Return the revocation that stands in for others: one of all of the user's sessions
	 * at the latest of them, under its id (of revocations at the same instant, the
	 * first's), which a login after it read as it began.
	 */
	private static Revocation standingInForRevocations(List<Revocation> revocations) {
		Revocation latest = revocations.stream()
			.max(Comparator.comparing(Revocation::at))
			.orElseThrow(() -> new IllegalArgumentException("No revocation to stand in for"));
		return new Revocation(latest.id(), ANY_PROVIDER, NONE_SPARED, latest.at());
	}

	/**
	 * Return the record of a revocation of a user's sessions everywhere.
	 * @param anyProvider whether it revokes the sessions of every identity provider the
	 * user signed in with ({@code revokeAll}), else of {@code provider} only
	 * @param provider the identity provider whose sessions it revokes, {@code null} for
	 * the user the application signed in itself
	 * @param spared the ids of the sessions it spares (the session of the request that
	 * revokes the others)
	 * @param now the current instant of the clock of every decision
	 * @return the record, kept for {@link #KEPT_FOR}
	 */
	public static EndedSessions.Entry entry(boolean anyProvider, @Nullable String provider, Collection<String> spared,
			Instant now) {
		String providerPart = anyProvider ? ANY_PROVIDER
				: (provider != null) ? "p" + SessionIds.key(provider) : NO_PROVIDER;
		String sparedPart = spared.isEmpty() ? NONE_SPARED
				: spared.stream().map(SessionIds::key).collect(Collectors.joining("."));
		return new EndedSessions.Entry(ExpiryReason.REVOKED, now.plus(KEPT_FOR),
				UUID.randomUUID() + " " + providerPart + " " + sparedPart);
	}

	/**
	 * Return when the revocation of a record ran, on the clock of the node that ran it:
	 * {@link #KEPT_FOR} before the record is forgotten.
	 * @param entry the record
	 * @return the instant of the revocation
	 */
	public static Instant revokedAt(EndedSessions.Entry entry) {
		return entry.until().minus(KEPT_FOR);
	}

	/**
	 * Return the record of a user's revocations with one more, the latest: the earlier
	 * ones are kept (for {@link #KEPT_FOR} from each, {@link #MOST_KEPT} at most), so
	 * that a login in flight since before an earlier one is still ended by it as its
	 * request ends, however a later one spares its session (a {@code revokeOthers} of
	 * another identity provider, or of the login's own request). Past {@link #MOST_KEPT},
	 * the oldest are replaced by one revocation of all of the user's sessions at the
	 * latest of them, which ends every login in flight they end, and more (fail closed).
	 * A later revocation of all of the user's sessions, sparing none, replaces them: it
	 * ends every session they end. A record kept that cannot be parsed is kept as a
	 * revocation of all of the user's sessions now ({@link #unread}), so that a login in
	 * flight that it ended still is (fail closed).
	 * @param kept the record kept, {@code null} if none is (or it could not be read)
	 * @param latest the record of the latest revocation ({@link #entry})
	 * @param now the current instant of the clock of every decision
	 * @return the record to keep, kept for {@link #KEPT_FOR} from the latest
	 */
	public static EndedSessions.Entry merged(EndedSessions.@Nullable Entry kept, EndedSessions.Entry latest,
			Instant now) {
		List<Revocation> latestOnes = revocations(latest);
		List<Revocation> keptOnes = (kept != null) ? revocations(kept) : null;
		if (kept != null && keptOnes == null) {
			// A record kept that cannot be parsed ended every login in flight: one
			// revocation of all of the user's sessions now stands in for it
			keptOnes = revocations(unread(now));
		}
		if (latestOnes == null || latestOnes.size() != 1 || keptOnes == null || latestOnes.get(0).endsAll()) {
			return latest;
		}
		StringBuilder value = new StringBuilder(Objects.requireNonNull(latest.value()));
		List<Revocation> remembered = keptOnes.stream()
			.filter((revocation) -> revocation.at().plus(KEPT_FOR).isAfter(now))
			.toList();
		int room = MOST_KEPT - 1;
		for (int i = 0; i < remembered.size(); i++) {
			if (i == room - 1 && remembered.size() > room) {
				// The oldest find no room: one revocation of all of the user's sessions
				// stands in for them, at the latest of them and under its id, which a
				// login after it read as it began (fail closed)
				value.append(SEPARATOR)
					.append(standingInForRevocations(remembered.subList(i, remembered.size())).encodeWithTime());
				break;
			}
			value.append(SEPARATOR).append(remembered.get(i).encodeWithTime());
		}
		return new EndedSessions.Entry(latest.reason(), latest.until(), value.toString());
	}

	/**
	 * Return whether a revocation ends the session of a login whose request ran when it
	 * was recorded: one of the revocations the record read as the request ends keeps
	 * ({@link #merged}) does not spare the session, and is not known to be one before the
	 * login. It is known to be only if it ran before the login was recorded
	 * ({@link #revokedAt}; in an earlier millisecond, which a record keeps), and the
	 * record the login read as it was recorded held that same revocation. Both are asked
	 * for:
	 * <ul>
	 * <li>the time, because a login whose read is answered only after a revocation wrote
	 * its record and looked for the user's sessions (which the store did not hold signed
	 * in yet) reads the record of that revocation twice: at the login, and at the
	 * end;</li>
	 * <li>the record read at the login, because the revocation's time is the clock of the
	 * node that ran it: one whose clock runs behind the login's by a skew dates a
	 * revocation within that skew after the login before it.</li>
	 * </ul>
	 * A revocation the login read that is dated after the instant the request ends is
	 * known too: no revocation during the request is (it ran before the read at the end,
	 * on one clock), so its node's clock runs ahead of this one's, or a test's clock was
	 * set back since (a revocation at a later instant of an earlier test, whose record is
	 * kept for an hour). A revocation that stands in for records this JVM dropped
	 * ({@link #standingInFor}) is known to be one before the login by its time alone: it
	 * and the login are dated on one clock.
	 * <p>
	 * This fails closed: a revocation at the very instant of the login (unless this JVM
	 * wrote the record before the login began, which {@link Seen#endedBy} asks first), a
	 * record that could not be read at the login, a revocation read at the end that the
	 * record read at the login did not hold, and a record that cannot be parsed (or holds
	 * no revocation) end the session. The cost is a login just after a revocation by a
	 * node whose clock runs ahead (within that skew): it is ended too, and its user signs
	 * in again. What is missed: a revocation within the skew after the login, on a node
	 * whose clock runs behind (so dated before the login), whose record the login's first
	 * read was answered with (the read met the revocation's write), and one whose node's
	 * clock runs ahead by more than the time from the revocation to the end of the
	 * request.
	 * @param loginAt when the login was recorded (a remember-me login: just before its
	 * token check), on the clock of its node
	 * @param now when the request ends, on the same clock
	 * @param atLogin the record read at the login, {@code null} if none was kept
	 * @param readAtLogin whether it could be read at the login
	 * @param atEnd the record read as the request ends, {@code null} if none is kept
	 * @param sessionId the session's id as its request ends
	 * @param provider the identity provider its user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @return {@code true} if the session is to end
	 */
	static boolean ends(Instant loginAt, Instant now, EndedSessions.@Nullable Entry atLogin, boolean readAtLogin,
			EndedSessions.@Nullable Entry atEnd, String sessionId, @Nullable String provider) {
		return ends(loginAt, now, atLogin, readAtLogin, atEnd, sessionId, null, provider);
	}

	/**
	 * Return whether a revocation ends the session of a login whose request ran when it
	 * was recorded, as the method above does, sparing also a session that a revocation
	 * spares under its id before the login.
	 * @param loginAt when the login was recorded
	 * @param now when the request ends, on the same clock
	 * @param atLogin the record read at the login, {@code null} if none was kept
	 * @param readAtLogin whether it could be read at the login
	 * @param atEnd the record read as the request ends, {@code null} if none is kept
	 * @param sessionId the session's id as its request ends
	 * @param renamedFrom what the session kept at the login of what a change of its id
	 * keeps ({@link SessionClocks#renamedFrom}), {@code null} if nothing: a revocation
	 * that spares the session under its id before the login spares it too
	 * @param provider the identity provider its user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @return {@code true} if the session is to end
	 */
	static boolean ends(Instant loginAt, Instant now, EndedSessions.@Nullable Entry atLogin, boolean readAtLogin,
			EndedSessions.@Nullable Entry atEnd, String sessionId, @Nullable String renamedFrom,
			@Nullable String provider) {
		if (atEnd == null) {
			return false;
		}
		List<Revocation> revocations = revocations(atEnd);
		if (revocations == null) {
			// Unreadable, or no revocation in it: ends it, as a revocation would
			return true;
		}
		List<Revocation> seen = (readAtLogin && atLogin != null && atLogin.value() != null) ? revocations(atLogin)
				: null;
		for (Revocation revocation : revocations) {
			if (revocation.standsIn() && revocation.at().isBefore(loginAt.truncatedTo(ChronoUnit.MILLIS))) {
				// Stands in for records this JVM dropped, of revocations that all ran
				// before the login, on its clock
				continue;
			}
			if (seen != null && seen.stream().anyMatch((read) -> read.origin().equals(revocation.origin()))
					&& (revocation.at().isBefore(loginAt.truncatedTo(ChronoUnit.MILLIS))
							|| revocation.at().isAfter(now))) {
				// Seen at the login, of a revocation before it, or dated after any
				// revocation during the request can be
				continue;
			}
			if (revocation.ends(sessionId, renamedFrom, provider)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the revocations a record keeps, the latest first, each with the instant it
	 * ran: the first {@link #KEPT_FOR} before the record is forgotten, the others as they
	 * tell.
	 * @return the revocations, or {@code null} if the record cannot be parsed
	 */
	private static @Nullable List<Revocation> revocations(EndedSessions.Entry entry) {
		String value = entry.value();
		if (value == null) {
			return null;
		}
		String[] texts = value.split(SEPARATOR, -1);
		List<Revocation> revocations = new ArrayList<>(texts.length);
		for (int i = 0; i < texts.length; i++) {
			String[] parts = texts[i].split(" ", -1);
			Instant at;
			if (i == 0 && parts.length == 3) {
				at = revokedAt(entry);
			}
			else if (i > 0 && parts.length == 4) {
				try {
					at = Instant.ofEpochMilli(Long.parseLong(parts[3]));
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
			else {
				return null;
			}
			revocations.add(new Revocation(parts[0], parts[1], parts[2], at));
		}
		return revocations;
	}

	/**
	 * One revocation of a record.
	 *
	 * @param id what tells it from any other
	 * @param providerPart which identity provider's sessions it revokes
	 * @param sparedPart which sessions it spares
	 * @param at when it ran, on the clock of its node
	 */
	private record Revocation(String id, String providerPart, String sparedPart, Instant at) {

		/**
		 * Return whether this stands in for records of revocations this JVM dropped
		 * ({@link UserRevocations#standingInFor}).
		 */
		boolean standsIn() {
			return this.id.startsWith(STANDS_IN);
		}

		/**
		 * Return this, marked as one that stands in for records this JVM dropped.
		 */
		Revocation standingIn() {
			return standsIn() ? this : new Revocation(STANDS_IN + this.id, this.providerPart, this.sparedPart, this.at);
		}

		/**
		 * Return the id of the revocation this is, or stands in for.
		 */
		String origin() {
			return standsIn() ? this.id.substring(STANDS_IN.length()) : this.id;
		}

		boolean endsAll() {
			return ANY_PROVIDER.equals(this.providerPart) && NONE_SPARED.equals(this.sparedPart);
		}

		boolean ends(String sessionId, @Nullable String renamedFrom, @Nullable String provider) {
			if (!this.providerPart.equals(ANY_PROVIDER)
					&& !this.providerPart.equals((provider != null) ? "p" + SessionIds.key(provider) : NO_PROVIDER)) {
				return false;
			}
			if (NONE_SPARED.equals(this.sparedPart)) {
				return true;
			}
			// A spared session under its id, or under a later one that a login of its own
			// gave it (a step-up in another tab): what a change of id keeps spares it
			String id = SessionIds.key(sessionId);
			String renamed = (renamedFrom != null) ? SessionIds.key(renamedFrom) : null;
			return Arrays.stream(this.sparedPart.split("\\."))
				.noneMatch((spared) -> spared.equals(id) || spared.equals(renamed));
		}

		String encodeWithTime() {
			return this.id + " " + this.providerPart + " " + this.sparedPart + " " + this.at.toEpochMilli();
		}

	}

	/**
	 * When a request that Spring Security's remember-me may sign in reached it (just
	 * before its token check), and how many records of revocations this JVM had written
	 * then: a login that proves no factor, such as remember-me, checked what signed it in
	 * (a persistent token, which a revocation everywhere removes before it records
	 * itself) before it is recorded, so it dates itself from just before that check
	 * ({@link Seen#unread(String, String, Begun)}). Noted only for a request without a
	 * user that remember-me may sign in, not for every request.
	 *
	 * @param at when the request reached remember-me, on the clock of every decision
	 * @param recordedBefore how many records of revocations this JVM had written then
	 * ({@link #recordedHere})
	 */
	public record Begun(Instant at, long recordedBefore) {

		/**
		 * Return what a request that begins now notes.
		 * @param now the current instant of the clock of every decision
		 * @return what it notes
		 */
		public static Begun now(Instant now) {
			return new Begun(now, recordedCount.get());
		}

	}

	/**
	 * A revocation of a user's sessions everywhere.
	 *
	 * @param anyProvider whether it revokes the sessions of every identity provider
	 * @param provider else the identity provider whose sessions it revokes, {@code null}
	 * for the user the application signed in itself
	 * @param spared the ids of the sessions it spares
	 */
	public record Everywhere(boolean anyProvider, @Nullable String provider, Collection<String> spared) {

		/**
		 * The revocation of all of a user's sessions ({@code revokeAll}).
		 */
		public static final Everywhere ALL = new Everywhere(true, null, List.of());

		/**
		 * Return the revocation of a user's sessions of one identity provider but the
		 * ones it spares (the {@code revokeOthers} of a password change).
		 * @param provider the identity provider, {@code null} for the user the
		 * application signed in itself
		 * @param spared the ids of the sessions it spares, and what the request's session
		 * keeps across a change of its id ({@link SessionClocks#renamedFrom}), which
		 * spares a login in flight in it under its new id
		 * @return the revocation
		 */
		public static Everywhere othersOf(@Nullable String provider, Collection<String> spared) {
			return new Everywhere(false, provider, spared);
		}

		/**
		 * Return the record of this revocation.
		 * @param now the current instant of the clock of every decision
		 * @return the record, kept for {@link #KEPT_FOR}
		 * @see UserRevocations#entry
		 */
		public EndedSessions.Entry entry(Instant now) {
			return UserRevocations.entry(this.anyProvider, this.provider, this.spared, now);
		}

	}

	/**
	 * What a login read of its user's revocations.
	 *
	 * @param username the user's name
	 * @param provider the identity provider the user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @param at when the login was recorded, on the clock of its node (a login that
	 * proves no factor: just before its token check)
	 * @param entry the record read, {@code null} if none was kept
	 * @param read whether it could be read
	 * @param recordedBefore how many records of revocations this JVM had written as the
	 * login began ({@link #recordedHere}; a login that proves no factor: just before its
	 * token check)
	 * @param renamedFrom what the login's session kept as the login began of what a
	 * change of its id keeps ({@link SessionClocks#renamedFrom}), {@code null} if nothing
	 */
	public record Seen(String username, @Nullable String provider, Instant at, EndedSessions.@Nullable Entry entry,
			boolean read, long recordedBefore, @Nullable String renamedFrom) {

		/**
		 * Return what a login of a user is to read, before it is read: marked unread.
		 * @param username the user's name
		 * @param provider the identity provider the user signed in with, {@code null} for
		 * a user the application signed in itself
		 * @param at when the login is recorded, on the clock of every decision
		 * @return what is to be read
		 */
		public static Seen unread(String username, @Nullable String provider, Instant at) {
			return new Seen(username, provider, at, null, false, recordedCount.get(), null);
		}

		/**
		 * Return what a login of a user that proves no factor (Spring Security's
		 * remember-me) is to read, before it is read: marked unread, and dated from just
		 * before it checked what signed it in. A revocation everywhere removes the user's
		 * remember-me tokens before it records itself, so that a remember-me login that
		 * still succeeds checked its token before the record was written: dated from
		 * before that check, it began before the record too, and is ended by it as its
		 * request ends, however late it is recorded.
		 * @param username the user's name
		 * @param provider the identity provider the user signed in with, {@code null} for
		 * a user the application signed in itself
		 * @param begun when the login's request reached remember-me, before its token
		 * check
		 * @return what is to be read
		 */
		public static Seen unread(String username, @Nullable String provider, Begun begun) {
			return new Seen(username, provider, begun.at(), null, false, begun.recordedBefore(), null);
		}

		/**
		 * Return this, with the record read.
		 * @param entry the record read, {@code null} if none is kept
		 * @return what was read
		 */
		public Seen read(EndedSessions.@Nullable Entry entry) {
			return new Seen(this.username, this.provider, this.at, entry, true, this.recordedBefore, this.renamedFrom);
		}

		/**
		 * Return this, for a sign-in that the application made itself on this thread and
		 * whose instant is unknown, dated just after the last revocation this thread
		 * recorded in a request whose session held no signed-in user of that name
		 * ({@link UserRevocations#recordedHere(EndedSessions.Entry, boolean)}), if the
		 * record read keeps that revocation: the request revoked its user (a password
		 * reset, everywhere) and then signed the user in. That revocation and those read
		 * with it that ran before it do not end the sign-in; any other does
		 * ({@link #endedBy}). A revocation recorded by a request whose session holds the
		 * user (signed in before it) moves nothing.
		 * @return what is to be read
		 */
		public Seen afterOwnRevocation() {
			Revocation own = writtenOnThisThread.get();
			List<Revocation> kept = (own != null && this.entry != null) ? revocations(this.entry) : null;
			if (own == null || kept == null
					|| kept.stream().noneMatch((revocation) -> revocation.origin().equals(own.origin()))) {
				return this;
			}
			Instant after = own.at().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
			return after.isAfter(this.at) ? new Seen(this.username, this.provider, after, this.entry, this.read,
					this.recordedBefore, this.renamedFrom) : this;
		}

		/**
		 * Return this, with what the login's session keeps of what a change of its id
		 * keeps ({@link SessionClocks#renamedFrom}): a revocation that spares the session
		 * under its id before the login (the caller's own, in which another tab steps up)
		 * spares it under the login's new id too.
		 * @param renamedFrom what it keeps, {@code null} if nothing
		 * @return what is to be read
		 */
		public Seen renamedFrom(@Nullable String renamedFrom) {
			return new Seen(this.username, this.provider, this.at, this.entry, this.read, this.recordedBefore,
					renamedFrom);
		}

		/**
		 * Return whether the record read as the login's request ends ends its session: a
		 * revocation that does not spare it, not known to be one before the login. A
		 * record this JVM wrote before the login began, which the login read, is known to
		 * be, at whatever instant of the clock it ran ({@link #recordedHere}).
		 * @param atEnd the record read as the request ends, {@code null} if none is kept
		 * @param sessionId the session's id as its request ends
		 * @param now when the request ends, on the clock of the login
		 * @return {@code true} if the session is to end
		 * @see UserRevocations#ends
		 */
		public boolean endedBy(EndedSessions.@Nullable Entry atEnd, String sessionId, Instant now) {
			if (atEnd != null && this.read && this.entry != null && Objects.equals(this.entry.value(), atEnd.value())
					&& recordedHereBefore(atEnd, this.recordedBefore)) {
				return false;
			}
			return ends(this.at, now, this.entry, this.read, atEnd, sessionId, this.renamedFrom, this.provider);
		}

		/**
		 * Return the key of the record of the user's revocations.
		 * @return the key
		 * @see UserRevocations#key(String)
		 */
		public String key() {
			return UserRevocations.key(this.username);
		}

	}

}
