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
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sessiontimeout.ExpiryReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryEndedSessions}.
 */
class InMemoryEndedSessionsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant UNTIL = NOW.plus(Duration.ofMinutes(1));

	@Test
	void reasonOfWhenRememberedThenTheReasonUntilJustBeforeItIsForgotten() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.remember("a", ExpiryReason.IDLE, UNTIL, NOW);
		assertThat(ended.reasonOf("a", NOW)).isEqualTo(ExpiryReason.IDLE);
		assertThat(ended.reasonOf("a", UNTIL.minusMillis(1))).isEqualTo(ExpiryReason.IDLE);
		assertThat(ended.reasonOf("a", UNTIL)).isNull();
		assertThat(ended.reasonOf("a", NOW)).as("forgotten for good").isNull();
	}

	@Test
	void reasonOfWhenNeverRememberedThenNull() {
		assertThat(new InMemoryEndedSessions().reasonOf("unknown", NOW)).isNull();
	}

	@Test
	void rememberWhenFullThenForgetsPassedEntriesFirstAndStaysBounded() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions(2);
		ended.remember("passed", ExpiryReason.IDLE, NOW, NOW.minusSeconds(10));
		ended.remember("kept", ExpiryReason.ABSOLUTE, UNTIL, NOW);
		ended.remember("new", ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.reasonOf("kept", NOW)).isEqualTo(ExpiryReason.ABSOLUTE);
		assertThat(ended.reasonOf("new", NOW)).isEqualTo(ExpiryReason.REVOKED);
		ended.remember("another", ExpiryReason.IDLE, UNTIL, NOW);
		long remembered = Stream.of("kept", "new", "another").filter((id) -> ended.reasonOf(id, NOW) != null).count();
		assertThat(remembered).isEqualTo(2);
	}

	@Test
	void invalidatedWhenNothingIsRememberedThenInvalidUntilItIsForgottenElseTheReasonRemembered() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.invalidated("a", UNTIL, NOW);
		assertThat(ended.reasonOfRevived("a", UNTIL.minusMillis(1))).isEqualTo(ExpiryReason.INVALID);
		assertThat(ended.reasonOfRevived("a", UNTIL)).isNull();
		ended.remember("b", ExpiryReason.REVOKED, UNTIL, NOW);
		ended.invalidated("b", UNTIL.plusSeconds(60), NOW);
		assertThat(ended.reasonOf("b", NOW)).as("revoked before it was invalidated").isEqualTo(ExpiryReason.REVOKED);
		ended.remember("c", ExpiryReason.IDLE, NOW, NOW.minusSeconds(10));
		ended.invalidated("c", UNTIL, NOW);
		assertThat(ended.reasonOf("c", NOW)).as("a reason already forgotten").isEqualTo(ExpiryReason.INVALID);
	}

	@Test
	void signOutOfWhenRememberedThenTheLatestSignOutUntilItIsForgottenApartFromEndedSessions() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions(2);
		assertThat(ended.keepsSignOuts()).isTrue();
		EndedSessions.SignOut first = new EndedSessions.SignOut(NOW.minusSeconds(10), "fingerprint", UNTIL);
		EndedSessions.SignOut second = new EndedSessions.SignOut(NOW, "fingerprint", UNTIL);
		ended.signedOut("a", first, NOW);
		ended.signedOut("a", second, NOW);
		assertThat(ended.signOutOf("a", UNTIL.minusMillis(1))).isEqualTo(second);
		assertThat(ended.signOutOf("a", UNTIL)).isNull();
		assertThat(ended.reasonOfRevived("a", NOW)).as("the session signed out lives on").isNull();
		ended.signedOut("b", second, UNTIL);
		assertThat(ended.signOutOf("b", NOW)).as("forgotten already").isNull();
		ended.signedOut("c", second, NOW);
		ended.signedOut("d", second, NOW);
		ended.signedOut("e", second, NOW);
		assertThat(ended.signOutOf("c", NOW)).as("the oldest goes when full").isNull();
		assertThat(ended.signOutOf("e", NOW)).isEqualTo(second);
	}

	@Test
	void precedesWhenTheCopyHoldsTheUserWhoSignedOutThenWhetherItsAuthenticationIsNoLaterThanTheSignOut() {
		EndedSessions.SignOut signOut = new EndedSessions.SignOut(NOW, "user", UNTIL);
		assertThat(signOut.precedes("user", NOW.minusMillis(1))).isTrue();
		assertThat(signOut.precedes("user", NOW)).isTrue();
		assertThat(signOut.precedes("user", NOW.plusMillis(1))).isFalse();
		assertThat(signOut.precedes("user", null)).as("an authentication of unknown time").isTrue();
		assertThat(signOut.precedes("other", NOW.minusMillis(1))).as("another user").isFalse();
		assertThat(new EndedSessions.SignOut(NOW, null, UNTIL).precedes("other", NOW)).as("clocks that named no user")
			.isTrue();
	}

	@Test
	void precedesWhenTheSignedOutLoginHadAKnownTimeThenACopyOfUnknownTimeIsASignInSince() {
		EndedSessions.SignOut signOut = new EndedSessions.SignOut(NOW, "user", UNTIL, true);
		assertThat(signOut.precedes("user", null)).as("a sign-in the clocks did not record").isFalse();
		assertThat(signOut.precedes("user", NOW)).as("the login before the sign-out").isTrue();
	}

	@Test
	void reasonOfWhenTheSessionWasRenamedThenTheReasonItEndedWithUnderAnyEarlierIdRememberedBeforeOrAfter() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.renamed("a", "b", UNTIL, NOW);
		ended.renamed("b", "c", UNTIL, NOW);
		assertThat(ended.reasonOf("c", NOW)).as("nothing remembered yet").isNull();
		ended.remember("a", ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.reasonOf("b", NOW)).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOfRevived("c", NOW)).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOf("a", NOW)).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOf("d", NOW)).isNull();
	}

	@Test
	void reasonOfWhenARenameIsForgottenThenTheEarlierIdsNoLongerCount() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		Instant renamedUntil = NOW.plusSeconds(10);
		ended.renamed("a", "b", renamedUntil, NOW);
		ended.renamed("x", "y", NOW, NOW);
		ended.remember("a", ExpiryReason.REVOKED, UNTIL, NOW);
		ended.remember("x", ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.reasonOf("b", renamedUntil.minusMillis(1))).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOf("b", renamedUntil)).isNull();
		assertThat(ended.reasonOf("y", NOW)).as("a rename already past is not remembered").isNull();
	}

	@Test
	void reasonOfWhenARevocationKeptTheRenamedSessionThenItsEarlierIdsNoLongerCount() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.renamed("a", "b", UNTIL, NOW);
		ended.kept("b", NOW);
		ended.remember("a", ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.reasonOf("b", NOW)).isNull();
		assertThat(ended.reasonOf("a", NOW)).isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void reasonOfWhenARevocationKeepsASessionThatEndedThroughItsEarlierIdThenItStaysEnded() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.remember("a", ExpiryReason.REVOKED, UNTIL, NOW);
		ended.renamed("a", "b", UNTIL, NOW);
		ended.kept("b", NOW);
		assertThat(ended.reasonOf("b", NOW)).isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void reasonOfRevivedWhenTheSessionLeftTheIdThenAsItEndedUnderItsLaterIdsElseInvalidUntilForgotten() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.renamed("a", "b", UNTIL, NOW);
		ended.renamed("b", "c", UNTIL, NOW);
		assertThat(ended.reasonOfRevived("a", NOW)).as("a copy under an earlier id").isEqualTo(ExpiryReason.INVALID);
		assertThat(ended.reasonOfRevived("b", NOW)).isEqualTo(ExpiryReason.INVALID);
		assertThat(ended.reasonOfRevived("c", NOW)).as("the session under its id").isNull();
		assertThat(ended.reasonOf("a", NOW)).as("no end remembered under the id itself").isNull();
		ended.remember("c", ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.reasonOfRevived("a", NOW)).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOfRevived("a", UNTIL.minusMillis(1))).isEqualTo(ExpiryReason.REVOKED);
		assertThat(ended.reasonOfRevived("a", UNTIL)).as("forgotten when the session cannot be alive").isNull();
	}

	@Test
	void reasonOfRevivedWhenTheRenameIsForgottenThenNull() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		Instant renamedUntil = NOW.plusSeconds(10);
		ended.renamed("a", "b", renamedUntil, NOW);
		ended.renamed("x", "y", NOW, NOW);
		assertThat(ended.reasonOfRevived("a", renamedUntil.minusMillis(1))).isEqualTo(ExpiryReason.INVALID);
		assertThat(ended.reasonOfRevived("a", renamedUntil)).isNull();
		assertThat(ended.reasonOfRevived("x", NOW)).as("a rename already past is not remembered").isNull();
	}

	@Test
	void reasonOfRevivedWhenRenamesLoopBackToTheIdThenNull() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.renamed("a", "b", UNTIL, NOW);
		ended.renamed("b", "a", UNTIL, NOW);
		assertThat(ended.reasonOfRevived("a", NOW)).isNull();
		assertThat(ended.reasonOfRevived("b", NOW)).isNull();
	}

	@Test
	void reasonOfWhenRenamesFormALoopThenItEnds() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		ended.remember("other", ExpiryReason.IDLE, UNTIL, NOW);
		ended.renamed("a", "b", UNTIL, NOW);
		ended.renamed("b", "a", UNTIL, NOW);
		assertThat(ended.reasonOf("a", NOW)).isNull();
	}

	@Test
	void entryWhenEncodedThenDecodesToTheSameAndRejectsOtherValues() {
		EndedSessions.Entry entry = new EndedSessions.Entry(ExpiryReason.ABSOLUTE, UNTIL);
		assertThat(EndedSessions.Entry.decode(entry.encode())).isEqualTo(entry);
		assertThat(EndedSessions.Entry.decode("privileged,1")).as("not an ending reason").isNull();
		assertThat(EndedSessions.Entry.decode("idle,x")).isNull();
		assertThat(EndedSessions.Entry.decode(42L)).isNull();
		assertThat(EndedSessions.Entry.decode(null)).isNull();
	}

	@Test
	void entryOfWhenManySessionsEndAfterARevocationIsRecordedThenItIsStillRead() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions(10);
		String key = UserRevocations.key("alice");
		EndedSessions.Entry record = UserRevocations.Everywhere.ALL.entry(NOW);
		ended.remember(key, record, NOW);
		for (int i = 0; i < 100; i++) {
			ended.remember("other-" + i, ExpiryReason.IDLE, UNTIL, NOW);
		}
		assertThat(ended.entryOf(key, NOW.plusSeconds(1))).isEqualTo(record);
		assertThat(ended.entryOf(key, record.until())).as("forgotten after an hour").isNull();
		assertThat(ended.entryOf(UserRevocations.key("bob"), NOW)).isNull();
	}

	@Test
	void entryOfWhenTheRecordOfAUserRevokedIsDroppedForWantOfRoomThenItsLoginInFlightIsEnded() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		Instant login = NOW.minusSeconds(5);
		UserRevocations.Seen inFlight = UserRevocations.Seen.unread("user-0", null, login).read(null);
		revokeUsers(ended, InMemoryEndedSessions.MOST_USERS_REVOKED + 1, NOW, 0);
		Instant later = NOW.plusSeconds(1);
		EndedSessions.Entry read = ended.entryOf(UserRevocations.key("user-0"), later);
		assertThat(read).as("stands in for the record dropped").isNotNull();
		assertThat(inFlight.endedBy(read, "login", later)).isTrue();
		UserRevocations.Seen after = UserRevocations.Seen.unread("user-0", null, later).read(read);
		assertThat(after.endedBy(ended.entryOf(UserRevocations.key("user-0"), later.plusSeconds(1)), "login",
				later.plusSeconds(1)))
			.as("a login after the revocation")
			.isFalse();
		assertThat(ended.entryOf(UserRevocations.key("user-1"), later)).as("still kept").isNotNull().isNotEqualTo(read);
		assertThat(ended.entryOf(UserRevocations.key("user-0"), NOW.plus(UserRevocations.KEPT_FOR)))
			.as("forgotten when the record dropped would have been")
			.isNull();
	}

	/**
	 * Past the users kept, each at the same instant or at an instant of its own: either
	 * way every revocation dropped ran before Bob's login.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 1 })
	void entryOfWhenMoreRecordsAreDroppedDuringTheLoginOfAUserNeverRevokedThenItIsNotEnded(int millisApart) {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		revokeUsers(ended, InMemoryEndedSessions.MOST_USERS_REVOKED + 1, NOW.minus(Duration.ofMinutes(30)),
				millisApart);
		// Bob, never revoked, signs in half an hour after every revocation dropped
		String bob = UserRevocations.key("bob");
		UserRevocations.Seen login = UserRevocations.Seen.unread("bob", null, NOW).read(ended.entryOf(bob, NOW));
		// During his login's request another user is revoked: one more record dropped,
		// of a revocation half an hour before his login too (a later one than stood in
		// before, if they ran at instants of their own)
		Instant during = NOW.plusSeconds(1);
		ended.remember(UserRevocations.key("carol"), UserRevocations.Everywhere.ALL.entry(during), during);
		Instant end = NOW.plusSeconds(2);
		assertThat(login.endedBy(ended.entryOf(bob, end), "login", end))
			.as("no revocation of bob, none dropped ran after his login began")
			.isFalse();
	}

	@Test
	void entryOfWhenTheRecordOfAUserRevokedDuringTheLoginIsDroppedThenTheLoginIsEnded() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		revokeUsers(ended, InMemoryEndedSessions.MOST_USERS_REVOKED, NOW.minus(Duration.ofMinutes(30)), 1);
		String bob = UserRevocations.key("bob");
		UserRevocations.Seen login = UserRevocations.Seen.unread("bob", null, NOW).read(ended.entryOf(bob, NOW));
		// Bob is revoked during his login, and his record is dropped at once by more
		// revocations of others
		Instant during = NOW.plusMillis(1);
		ended.remember(bob, UserRevocations.Everywhere.ALL.entry(during), during);
		for (int i = 0; i <= InMemoryEndedSessions.MOST_USERS_REVOKED; i++) {
			ended.remember(UserRevocations.key("other-" + i), UserRevocations.Everywhere.ALL.entry(during), during);
		}
		Instant end = NOW.plusSeconds(2);
		assertThat(ended.entryOf(bob, end)).as("bob's own record dropped").isNotNull();
		assertThat(login.endedBy(ended.entryOf(bob, end), "login", end)).as("revoked after his login began").isTrue();
		UserRevocations.Seen atTheInstant = UserRevocations.Seen.unread("bob", null, during).read(null);
		assertThat(atTheInstant.endedBy(ended.entryOf(bob, end), "login", end))
			.as("a login at the very instant of a revocation dropped")
			.isTrue();
	}

	@Test
	void rememberWhenRecordsOfRevocationsAreForgottenThenTheyTakeNoRoom() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		revokeUsers(ended, InMemoryEndedSessions.MOST_USERS_REVOKED, NOW, 0);
		Instant later = NOW.plus(UserRevocations.KEPT_FOR);
		ended.remember(UserRevocations.key("alice"), UserRevocations.Everywhere.ALL.entry(later), later);
		assertThat(ended.entryOf(UserRevocations.key("bob"), later)).isNull();
	}

	@Test
	void rememberWhenSessionsEndThenTheLogoutsKeptForTheLoginsUnderWayStay() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions(2);
		ended.remember(KeptLogouts.key("a"), ExpiryReason.REVOKED, UNTIL, NOW);
		for (int i = 0; i < 3; i++) {
			ended.remember("session-" + i, ExpiryReason.IDLE, UNTIL, NOW);
		}
		assertThat(ended.entryOf(KeptLogouts.key("a"), NOW))
			.isEqualTo(new EndedSessions.Entry(ExpiryReason.REVOKED, UNTIL));
		assertThat(ended.entryOf(KeptLogouts.key("b"), NOW)).isNull();
		assertThat(ended.reasonOf("session-2", NOW)).isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void rememberWhenMoreLogoutsAreKeptThanSessionsThenTheLatestDroppedStandsInForEveryKeyNotKept() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions(1);
		// Each logout's until tells when its logout token was issued
		ended.remember(KeptLogouts.key("latest"), ExpiryReason.REVOKED, UNTIL.plusSeconds(2), NOW);
		ended.remember(KeptLogouts.key("earlier"), ExpiryReason.REVOKED, UNTIL.plusSeconds(1), NOW);
		ended.remember(KeptLogouts.key("kept"), ExpiryReason.REVOKED, UNTIL, NOW);
		EndedSessions.Entry standIn = new EndedSessions.Entry(ExpiryReason.REVOKED, UNTIL.plusSeconds(2));
		assertThat(ended.entryOf(KeptLogouts.key("earlier"), NOW)).as("the latest dropped").isEqualTo(standIn);
		assertThat(ended.entryOf(KeptLogouts.key("latest"), NOW)).isEqualTo(standIn);
		assertThat(ended.entryOf(KeptLogouts.key("never"), NOW)).as("fail closed").isEqualTo(standIn);
		assertThat(ended.entryOf(KeptLogouts.key("kept"), NOW))
			.isEqualTo(new EndedSessions.Entry(ExpiryReason.REVOKED, UNTIL));
		ended.remember(KeptLogouts.key("last"), ExpiryReason.REVOKED, UNTIL, NOW);
		assertThat(ended.entryOf(KeptLogouts.key("kept"), NOW)).as("one stands in for all dropped").isEqualTo(standIn);
		assertThat(ended.entryOf(KeptLogouts.key("never"), UNTIL.plusSeconds(2)))
			.as("forgotten when the latest dropped would have been")
			.isNull();
		assertThat(ended.entryOf(UserRevocations.key("user"), NOW)).as("no revocation").isNull();
	}

	private static void revokeUsers(InMemoryEndedSessions ended, int users, Instant from, int millisApart) {
		for (int i = 0; i < users; i++) {
			Instant at = from.plusMillis((long) i * millisApart);
			ended.remember(UserRevocations.key("user-" + i), UserRevocations.Everywhere.ALL.entry(at), at);
		}
	}

}
