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
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions.Entry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UserRevocations}.
 *
 * @author session-timeout
 */
class UserRevocationsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	/**
	 * When the login was recorded: the revocations at {@link #NOW} ran during its
	 * request.
	 */
	private static final Instant LOGIN = NOW.minusSeconds(1);

	private static final Instant BEFORE_LOGIN = LOGIN.minusMillis(1);

	@Test
	void endsWhenARevocationEverywhereIsRecordedDuringTheLoginsRequestThenTheSessionEnds() {
		Entry everywhere = UserRevocations.entry(true, null, Set.of(), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, everywhere, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, everywhere, "login", "github")).isTrue();
		Entry earlier = UserRevocations.entry(true, null, Set.of(), NOW.minusSeconds(1));
		assertThat(UserRevocations.ends(LOGIN, NOW, earlier, true, everywhere, "login", null)).as("a later one")
			.isTrue();
	}

	@Test
	void endsWhenTheRecordReadAtTheLoginIsOfARevocationBeforeItOrNoneThenTheSessionIsKept() {
		Entry before = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN);
		assertThat(UserRevocations.ends(LOGIN, NOW, before, true, before, "login", null)).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, null, "login", null)).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, before, true, null, "login", null)).as("forgotten since").isFalse();
	}

	@Test
	void endsWhenTheRecordReadAtTheLoginIsOfARevocationDuringItsRequestThenTheSessionEnds() {
		// Read at the login only once the revocation wrote it (answered late)
		Entry everywhere = UserRevocations.entry(true, null, Set.of(), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, everywhere, true, everywhere, "login", null)).isTrue();
		Entry others = UserRevocations.entry(false, null, Set.of("own"), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, others, true, others, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, others, true, others, "own", null)).as("spared").isFalse();
	}

	@Test
	void endsWhenTheRevocationRanAtTheVeryInstantOfTheLoginThenTheSessionEnds() {
		Entry atLogin = UserRevocations.entry(true, null, Set.of(), LOGIN);
		assertThat(UserRevocations.revokedAt(atLogin)).isEqualTo(LOGIN);
		assertThat(UserRevocations.ends(LOGIN, NOW, atLogin, true, atLogin, "login", null)).isTrue();
	}

	@Test
	void endsWhenARecordOfARevocationBeforeTheLoginWasNotTheOneReadAtItThenTheSessionEnds() {
		// Dated before the login by a node whose clock runs behind, written after the
		// login's read
		Entry earlier = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN.minusSeconds(5));
		Entry behind = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN);
		assertThat(UserRevocations.ends(LOGIN, NOW, earlier, true, behind, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, behind, "login", null)).isTrue();
	}

	@Test
	void endsWhenARecordStandsInForRecordsThisJvmDroppedThenItsTimeAloneTellsWhetherItEndsTheSession() {
		Entry before = UserRevocations
			.standingInFor(List.of(UserRevocations.entry(false, null, Set.of("own"), BEFORE_LOGIN.minusSeconds(5)),
					UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN)));
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, before, "login", null))
			.as("of revocations before the login, on one clock, not read at it")
			.isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, false, before, "login", null))
			.as("nor could anything be read at it")
			.isFalse();
		Entry atLogin = UserRevocations.standingInFor(List.of(UserRevocations.entry(true, null, Set.of(), LOGIN)));
		assertThat(UserRevocations.ends(LOGIN, NOW, atLogin, true, atLogin, "login", null))
			.as("at the login's very instant")
			.isTrue();
		Entry during = UserRevocations
			.standingInFor(List.of(before, UserRevocations.entry(false, null, Set.of("login"), NOW)));
		assertThat(UserRevocations.ends(LOGIN, NOW, before, true, during, "login", null))
			.as("of all of the user's sessions during the request, whatever the one dropped spared")
			.isTrue();
		assertThat(UserRevocations.standingInFor(List.of(during))).as("stands in as it was").isEqualTo(during);
		Entry ordinary = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN);
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, ordinary, "login", null))
			.as("a record of another node's clock, not read at the login")
			.isTrue();
	}

	/**
	 * A record the login read dated after the request's end: of a node whose clock runs
	 * ahead, or of an earlier test whose clock was set later than this one's.
	 */
	@Test
	void endsWhenTheRecordReadAtTheLoginIsDatedAfterTheRequestsEndThenTheSessionIsKept() {
		Entry later = UserRevocations.entry(true, null, Set.of(), NOW.plusMillis(1));
		assertThat(UserRevocations.ends(LOGIN, NOW, later, true, later, "login", null)).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, later, false, later, "login", null)).as("not read at the login")
			.isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, later, "login", null)).as("not the one read").isTrue();
		Entry atTheEnd = UserRevocations.entry(true, null, Set.of(), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, atTheEnd, true, atTheEnd, "login", null))
			.as("dated at the request's end")
			.isTrue();
	}

	@Test
	void endsWhenTheRecordCouldNotBeReadAtTheLoginThenAnyRecordEndsTheSession() {
		Entry before = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN);
		assertThat(UserRevocations.ends(LOGIN, NOW, before, false, before, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, false, before, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, false, null, "login", null)).isFalse();
	}

	@Test
	void endsWhenARecordThatCannotBeParsedIsReadAtTheEndThenTheSessionEnds() {
		Entry unreadable = new Entry(ExpiryReason.REVOKED, NOW.plus(UserRevocations.KEPT_FOR), "garbled");
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, unreadable, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, unreadable, true, unreadable, "login", null)).isTrue();
	}

	@Test
	void endsWhenTheRevocationSparesTheSessionOrRevokesAnotherProvidersThenTheSessionIsKept() {
		Entry others = UserRevocations.entry(false, null, Set.of("own", "requested"), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, others, "own", null)).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, others, "requested", null)).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, others, "login", null)).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, others, "login", "github")).as("another provider's")
			.isFalse();
		Entry ofGithub = UserRevocations.entry(false, "github", Set.of("own"), NOW);
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, ofGithub, "login", "github")).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, ofGithub, "login", null)).isFalse();
	}

	@Test
	void entryWhenWrittenThenKeptForAnHourAndReadBackFromItsText() {
		Entry entry = UserRevocations.entry(false, "github", Set.of("own"), NOW);
		assertThat(entry.until()).isEqualTo(NOW.plus(UserRevocations.KEPT_FOR));
		Entry decoded = Entry.decode(entry.encode());
		assertThat(decoded).isEqualTo(entry);
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, decoded, "own", "github")).isFalse();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, decoded, "login", "github")).isTrue();
	}

	@Test
	void endedByWhenALoginReadARecordThenDecidesByWhatItReadAndWhenItWasRecorded() {
		Entry before = UserRevocations.entry(false, "github", Set.of("own"), BEFORE_LOGIN);
		Entry during = UserRevocations.entry(false, "github", Set.of("own"), NOW);
		UserRevocations.Seen unread = UserRevocations.Seen.unread("alice", "github", LOGIN);
		assertThat(unread.read(before).endedBy(before, "login", NOW)).isFalse();
		assertThat(unread.read(during).endedBy(during, "login", NOW)).isTrue();
		assertThat(unread.read(during).endedBy(during, "own", NOW)).as("spared").isFalse();
		assertThat(unread.endedBy(before, "login", NOW)).as("unread").isTrue();
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(null).endedBy(during, "login", NOW))
			.as("another provider's")
			.isFalse();
	}

	@Test
	void endedByWhenThisJvmWroteTheRecordBeforeTheLoginBeganThenTheSessionIsKeptEvenAtTheSameInstant() {
		Entry atLogin = UserRevocations.entry(true, null, Set.of(), LOGIN);
		UserRevocations.recordedHere(atLogin);
		UserRevocations.Seen after = UserRevocations.Seen.unread("alice", null, LOGIN).read(atLogin);
		assertThat(after.endedBy(atLogin, "login", NOW)).isFalse();
		Entry sameInstant = UserRevocations.entry(true, null, Set.of(), LOGIN);
		UserRevocations.Seen before = UserRevocations.Seen.unread("alice", null, LOGIN);
		UserRevocations.recordedHere(sameInstant);
		assertThat(before.read(sameInstant).endedBy(sameInstant, "login", NOW))
			.as("written here after the login began: its read may have been answered late")
			.isTrue();
		Entry elsewhere = UserRevocations.entry(true, null, Set.of(), LOGIN);
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(elsewhere).endedBy(elsewhere, "login", NOW))
			.as("written by another node: only the clock tells")
			.isTrue();
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).endedBy(atLogin, "login", NOW))
			.as("not read at the login")
			.isTrue();
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(null).endedBy(atLogin, "login", NOW))
			.as("read as none at the login")
			.isTrue();
	}

	@Test
	void endedByWhenALoginIsDatedFromItsRequestsBeginningThenARevocationRecordedHereSinceEndsIt() {
		UserRevocations.Begun begun = UserRevocations.Begun.now(BEFORE_LOGIN);
		Entry during = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN.plusMillis(1));
		UserRevocations.recordedHere(during);
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(during).endedBy(during, "login", NOW))
			.as("dated at its recording, after the record, which was written here before")
			.isFalse();
		assertThat(UserRevocations.Seen.unread("alice", null, begun).read(during).endedBy(during, "login", NOW))
			.as("dated from its request's beginning (a remember-me login, which checked its token in it)")
			.isTrue();
		Entry frozen = UserRevocations.entry(true, null, Set.of(), BEFORE_LOGIN);
		UserRevocations.recordedHere(frozen);
		assertThat(UserRevocations.Seen.unread("alice", null, begun).read(frozen).endedBy(frozen, "login", NOW))
			.as("at the request's very instant, written here after it began")
			.isTrue();
		UserRevocations.Begun after = UserRevocations.Begun.now(BEFORE_LOGIN);
		assertThat(UserRevocations.Seen.unread("alice", null, after).read(frozen).endedBy(frozen, "login", NOW))
			.as("written here before the request began")
			.isFalse();
	}

	@Test
	void mergedWhenALaterRevocationSparesWhatAnEarlierOneEndsThenBothAreKept() {
		Entry all = UserRevocations.entry(true, null, Set.of(), LOGIN.plusMillis(1));
		Entry othersOfGithub = UserRevocations.entry(false, "github", Set.of("own"), NOW);
		Entry merged = UserRevocations.merged(all, othersOfGithub, NOW);
		assertThat(merged.until()).isEqualTo(othersOfGithub.until());
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, merged, "login", null)).as("by the earlier one")
			.isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW, null, true, othersOfGithub, "login", null))
			.as("the later one alone")
			.isFalse();
		Entry decoded = Entry.decode(merged.encode());
		assertThat(decoded).isEqualTo(merged);
		// A login after the earlier one that read it is ended by the later one only
		Instant between = LOGIN.plusMillis(2);
		assertThat(UserRevocations.ends(between, NOW, all, true, merged, "login", null)).isFalse();
		assertThat(UserRevocations.ends(between, NOW, all, true, merged, "login", "github")).isTrue();
		assertThat(UserRevocations.ends(between, NOW, all, true, merged, "own", "github")).isFalse();
		// A login after both that read both is kept
		assertThat(UserRevocations.ends(NOW.plusMillis(1), NOW.plusSeconds(1), merged, true, merged, "login", "github"))
			.isFalse();
	}

	@Test
	void mergedWhenTheLaterRevocationEndsAllOrTheEarlierAreForgottenThenItIsKeptAlone() {
		Entry others = UserRevocations.entry(false, null, Set.of("own"), BEFORE_LOGIN);
		Entry all = UserRevocations.entry(true, null, Set.of(), NOW);
		assertThat(UserRevocations.merged(others, all, NOW)).isEqualTo(all);
		Entry ofGithub = UserRevocations.entry(false, "github", Set.of("own"), NOW);
		assertThat(UserRevocations.merged(null, ofGithub, NOW)).isEqualTo(ofGithub);
		Entry garbled = new Entry(ExpiryReason.REVOKED, NOW.plus(UserRevocations.KEPT_FOR), "garbled");
		Entry overGarbled = UserRevocations.merged(garbled, ofGithub, NOW);
		assertThat(overGarbled.value()).as("kept as a revocation of all now")
			.startsWith(ofGithub.value() + ";")
			.endsWith(" * - " + NOW.toEpochMilli());
		Entry anHourAgo = UserRevocations.entry(true, null, Set.of(), NOW.minus(UserRevocations.KEPT_FOR));
		Entry merged = UserRevocations.merged(UserRevocations.merged(anHourAgo, others, NOW.minusSeconds(1)), ofGithub,
				NOW);
		assertThat(merged.value()).doesNotContain(anHourAgo.value().split(" ")[0])
			.contains(others.value().split(" ")[0]);
	}

	@Test
	void mergedWhenManyRevocationsFollowEachOtherThenTheLatestAreKeptAndOneOfAllStandsInForTheOldest() {
		Entry merged = null;
		Entry readByALaterLogin = null;
		for (int i = 0; i < UserRevocations.MOST_KEPT + 4; i++) {
			merged = UserRevocations.merged(merged, UserRevocations.entry(false, "p" + i, Set.of(), NOW.plusMillis(i)),
					NOW.plusMillis(i));
			if (i == 9) {
				readByALaterLogin = merged;
			}
		}
		assertThat(merged.value().split(";")).hasSize(UserRevocations.MOST_KEPT);
		assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(1), null, true, merged, "login", "p5")).isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(1), null, true, merged, "login", "other"))
			.as("the oldest left no room: one of all at the latest of them stands in")
			.isTrue();
		assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(1), null, true, merged, "login", "p0")).isTrue();
		// A login that began after the oldest, and read them as it began
		Instant later = NOW.plusMillis(9).plusNanos(500_000);
		assertThat(UserRevocations.ends(later, NOW.plusSeconds(1), readByALaterLogin, true, merged, "login", "other"))
			.isFalse();
		assertThat(UserRevocations.ends(later, NOW.plusSeconds(1), readByALaterLogin, true, merged, "login", "p12"))
			.isTrue();
	}

	@Test
	void mergedWhenAnEarlierRevocationOfAllIsFollowedByManyOthersThenALoginInFlightSinceBeforeItIsStillEnded() {
		Entry merged = UserRevocations.merged(null, UserRevocations.entry(true, null, Set.of(), NOW), NOW);
		for (int i = 1; i <= UserRevocations.MOST_KEPT; i++) {
			merged = UserRevocations.merged(merged,
					UserRevocations.entry(false, "p", Set.of("spared"), NOW.plusSeconds(i)), NOW.plusSeconds(i));
		}
		assertThat(merged.value().split(";")).hasSize(UserRevocations.MOST_KEPT);
		assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(30), null, true, merged, "spared", "q")).isTrue();
	}

	@Test
	void keyWhenAUserIsNamedThenNoSessionIdCanBeIt() {
		assertThat(SessionClocks.namesARecord(UserRevocations.key("alice"))).isTrue();
		assertThat(UserRevocations.key("a:b")).isNotEqualTo(UserRevocations.key("a")).endsWith("a:b");
	}

	@Test
	void combinedWhenAStoreKeepsEachRecordApartThenEveryRevocationIsRead() {
		// An earlier revocation by a node whose clock runs a minute ahead
		EndedSessions.Entry ahead = UserRevocations.Everywhere.ALL.entry(NOW.plusSeconds(60));
		EndedSessions.Entry later = UserRevocations.Everywhere.ALL.entry(NOW);
		UserRevocations.Seen login = UserRevocations.Seen.unread("alice", null, LOGIN).read(ahead);
		assertThat(login.endedBy(ahead, "login", NOW)).as("the record forgotten last").isFalse();
		EndedSessions.Entry combined = UserRevocations.combined(List.of(later, ahead));
		assertThat(combined).isNotNull();
		assertThat(combined.until()).isEqualTo(ahead.until());
		assertThat(login.endedBy(combined, "login", NOW)).isTrue();
		assertThat(UserRevocations.combined(List.of(later))).isSameAs(later);
		assertThat(UserRevocations.combined(List.of())).isNull();
		EndedSessions.Entry unreadable = new EndedSessions.Entry(ExpiryReason.REVOKED, ahead.until(), "?");
		assertThat(UserRevocations.combined(List.of(later, unreadable))).isSameAs(unreadable);
	}

	@Test
	void decodeWhenTheTextUnderARecordsKeyCannotBeReadThenItIsARecordThatEndsALogin() {
		String key = UserRevocations.key("alice");
		EndedSessions.Entry read = UserRevocations.decode(key, "v2;revoked", NOW);
		assertThat(read).isNotNull();
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(read).endedBy(read, "login", NOW)).isTrue();
		assertThat(UserRevocations.decode(key, null, NOW)).isNull();
		assertThat(UserRevocations.decode("a-session", "v2;revoked", NOW)).isNull();
	}

	@Test
	void decodeWhenTheTextUnderARecordsKeyHoldsNoRevocationThenItIsARecordThatEndsALogin() {
		// An entry of ended sessions' format, but no revocation in it (another
		// version's, or a foreign write): it cannot be read as a record
		String key = UserRevocations.key("alice");
		String text = ExpiryReason.REVOKED.value() + "," + NOW.plusSeconds(60).toEpochMilli();
		EndedSessions.Entry read = UserRevocations.decode(key, text, NOW);
		assertThat(read).isNotNull();
		assertThat(UserRevocations.Seen.unread("alice", null, LOGIN).read(null).endedBy(read, "login", NOW))
			.as("a record that cannot be read ends a login in flight")
			.isTrue();
	}

	@Test
	void mergedWhenTheRecordKeptCannotBeReadThenALoginInFlightIsStillEndedByIt() {
		// A store that keeps one record a user (Redis, memory): a narrower revocation
		// written over a record it could not read must not drop what that one ended
		String key = UserRevocations.key("alice");
		String text = ExpiryReason.REVOKED.value() + "," + NOW.plusSeconds(60).toEpochMilli();
		for (EndedSessions.Entry unreadable : List.of(UserRevocations.decode(key, text, NOW),
				UserRevocations.decode(key, "not a record", NOW))) {
			EndedSessions.Entry merged = UserRevocations.merged(unreadable,
					UserRevocations.entry(false, "p", Set.of(), NOW), NOW);
			assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(1), null, true, merged, "login", "q"))
				.as("a login of another identity provider in flight since before it")
				.isTrue();
			assertThat(UserRevocations.ends(LOGIN, NOW.plusSeconds(1), null, true, merged, "login", "p")).isTrue();
		}
	}

	@Test
	void combinedWhenOneRecordHoldsNoRevocationThenTheOthersStillEndALogin() {
		EndedSessions.Entry during = UserRevocations.Everywhere.ALL.entry(NOW);
		EndedSessions.Entry empty = new EndedSessions.Entry(ExpiryReason.REVOKED, NOW.plusSeconds(60), null);
		UserRevocations.Seen login = UserRevocations.Seen.unread("alice", null, LOGIN).read(null);
		assertThat(login.endedBy(during, "login", NOW)).isTrue();
		EndedSessions.Entry combined = UserRevocations.combined(List.of(during, empty));
		assertThat(login.endedBy(combined, "login", NOW))
			.as("a revocation during the login's request, kept in another record")
			.isTrue();
	}

}
