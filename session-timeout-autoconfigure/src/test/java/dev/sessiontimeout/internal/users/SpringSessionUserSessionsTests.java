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
package dev.sessiontimeout.internal.users;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.Session;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.session.SessionRequest;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.web.SpringSessionBackedRegistry;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.SpringSessionAccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SpringSessionUserSessions} on a store without a principal index (the
 * map), through the index the starter keeps.
 *
 * @author session-timeout
 */
class SpringSessionUserSessionsTests {

	private static final Instant LOGIN = Instant.parse("2026-12-02T08:00:00Z");

	private static final Duration MILLI = Duration.ofMillis(1);

	private static final String PRINCIPAL = "test.principal";

	private static final String PROVIDER = "test.provider";

	private final MutableClock clock = new MutableClock();

	private final Set<String> broken = new HashSet<>();

	private final List<String> storeOperations = new ArrayList<>();

	private final MapSessionRepository repository = new MapSessionRepository(new ConcurrentHashMap<>()) {

		@Override
		public MapSession findById(String id) {
			SpringSessionUserSessionsTests.this.storeOperations.add("findById");
			if (SpringSessionUserSessionsTests.this.broken.contains(id)) {
				throw new IllegalStateException("Cannot read " + id);
			}
			return super.findById(id);
		}

		@Override
		public void save(MapSession session) {
			SpringSessionUserSessionsTests.this.storeOperations.add("save");
			super.save(session);
		}

	};

	private final InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();

	private final InMemoryEndedSessions endedSessions = new InMemoryEndedSessions();

	private final List<Object> events = new ArrayList<>();

	private SessionClocks clocks;

	private SpringSessionUserSessions userSessions;

	@BeforeEach
	void createUserSessions() {
		this.clock.fixAt(LOGIN);
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(8))
			.idle(Duration.ofMinutes(30))
			.build();
		this.clocks = new SessionClocks(settings, this.clock, this.events::add);
		this.clocks.setPrincipalResolver(new SessionPrincipalResolver() {

			@Override
			public @Nullable String resolve(SessionAttributeSource session) {
				return (String) session.getAttribute(PRINCIPAL);
			}

			@Override
			public @Nullable String provider(SessionAttributeSource session) {
				return (String) session.getAttribute(PROVIDER);
			}

		});
		this.clocks.setEndedSessions(this.endedSessions);
		this.userSessions = new SpringSessionUserSessions(() -> this.repository, this.clocks, this.clock,
				this.events::add);
		this.userSessions.setUserSessionIndex(this.index);
		this.userSessions.setEndedSessions(this.endedSessions);
	}

	/**
	 * The starter names Spring Session's principal index attributes (servlet, reactive)
	 * without loading Spring Session: the same names.
	 */
	@Test
	void storeIndexNamesAreSpringSessionsPrincipalNameIndexNames() {
		assertThat(SessionAttributes.STORE_INDEX_NAME)
			.isEqualTo(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME);
		assertThat(SessionAttributes.REACTIVE_STORE_INDEX_NAME)
			.isEqualTo(ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME);
	}

	@Test
	void findWhenALoginHasNotSavedItsSessionYetThenItsEntryIsKeptForAMinuteAndTheClockSkewTolerance() {
		this.index.add("user", "being-saved", LOGIN.plus(Duration.ofHours(8)), LOGIN);
		assertThat(this.userSessions.find("user")).isEmpty();
		Instant savedBy = LOGIN.plus(Duration.ofMinutes(1)).plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		this.clock.fixAt(savedBy.minus(MILLI));
		assertThat(this.userSessions.find("user")).isEmpty();
		this.clock.fixAt(savedBy);
		assertThat(this.userSessions.revoke("user")).isEmpty();
		assertThat(this.index.sessions("user", this.clock.instant())).containsOnlyKeys("being-saved");
		this.clock.fixAt(savedBy.plus(MILLI));
		assertThat(this.userSessions.find("user")).isEmpty();
		assertThat(this.index.sessions("user", this.clock.instant())).isEmpty();
	}

	@Test
	void findWhenTheSessionIsSavedThenListsItAndNotAnotherUsersSession() {
		MapSession session = signIn("user");
		MapSession other = signIn("admin");
		this.index.add("user", other.getId(), null, LOGIN);
		assertThat(this.userSessions.find("user")).singleElement()
			.satisfies((found) -> assertThat(found.handle()).isEqualTo(SessionIds.hash(session.getId())));
	}

	@Test
	void revokeWhenARunningRequestSavesItsCopyOverTheRevocationThenTheClocksEndTheSessionAgain() {
		MapSession session = signIn("user");
		MapSession runningRequestsCopy = this.repository.findById(session.getId());
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));
		assertThat(this.userSessions.revoke("user")).containsExactly(SessionIds.hash(session.getId()));
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(((SessionEndedEvent) event).getReason()).isEqualTo(ExpiryReason.REVOKED));
		this.repository.save(runningRequestsCopy);
		Instant idleFromRevocation = LOGIN.plus(Duration.ofMinutes(35));
		assertThat(this.endedSessions.reasonOfRevived(session.getId(), idleFromRevocation.minus(MILLI)))
			.isEqualTo(ExpiryReason.REVOKED);
		assertThat(this.endedSessions.reasonOfRevived(session.getId(),
				idleFromRevocation.plus(this.clocks.getSettings().getStoreGrace()).minus(MILLI)))
			.isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void revokeEverywhereRemovesTheRememberMeTokensBeforeItRecordsItselfAndReadsTheSessions() {
		MapSession session = signIn("user");
		List<MapSession> signedIn = new ArrayList<>();
		this.userSessions.setSignInRevoker((username) -> {
			assertThat(this.endedSessions.entryOf(UserRevocations.key(username), this.clock.instant()))
				.as("the revocation's record")
				.isNull();
			// A remember-me login whose token was checked just before, saved now
			signedIn.add(signIn(username));
		});
		assertThat(this.userSessions.revokeAll("user")).isEqualTo(2);
		assertThat(signedIn).hasSize(1);
		assertThat(revokedAt(session)).isNotNull();
		assertThat(revokedAt(signedIn.get(0))).as("the login's session, read after the tokens went").isNotNull();
		assertThat(this.endedSessions.entryOf(UserRevocations.key("user"), this.clock.instant())).isNotNull();
	}

	@Test
	void revokeWhenTheSessionsIdChangesAfterItWasReadThenRevokesItUnderItsNewIdOnce() {
		MapSession session = signIn("user");
		List<String> renamed = new ArrayList<>();
		// Runs after the revocation read the user's sessions, before it writes
		this.userSessions.setSignInRevoker((username) -> {
			// A request of the session changes its id, indexes it and saves it
			MapSession requestsCopy = this.repository.findById(session.getId());
			renamed.add(requestsCopy.changeSessionId());
			this.index.add(username, requestsCopy.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
			this.repository.save(requestsCopy);
		});
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));
		// Not everywhere, which removes the tokens before it reads the sessions
		List<String> revoked = this.userSessions.revoke("user", (attributes) -> true);
		assertThat(renamed).hasSize(1);
		String newId = renamed.get(0);
		assertThat(revoked).containsExactly(SessionIds.hash(newId));
		assertThat(this.repository.findById(newId).<Object>getAttribute(SessionAttributes.REVOKED_AT)).isNotNull();
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(((SessionEndedEvent) event).getSessionIdHash())
				.isEqualTo(SessionIds.hash(newId)));
		assertThat(this.endedSessions.reasonOfRevived(newId, this.clock.instant())).isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void revokeWhenTheSessionsIdChangesAfterItWasReadThenARunningRequestsCopyUnderTheOldIdIsEndedAgain() {
		MapSession session = signIn("user");
		// A request of the session that was already running, under its old id
		MapSession runningRequestsCopy = this.repository.findById(session.getId());
		// Runs after the revocation read the user's sessions, before it writes
		this.userSessions.setSignInRevoker((username) -> {
			// Another request of the session changes its id, indexes it and saves it
			MapSession requestsCopy = this.repository.findById(session.getId());
			requestsCopy.changeSessionId();
			this.index.add(username, requestsCopy.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
			this.repository.save(requestsCopy);
		});
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));
		// Not everywhere, which removes the tokens before it reads the sessions
		assertThat(this.userSessions.revoke("user", (attributes) -> true)).hasSize(1);
		// The running request saves its copy, under the old id, over the revocation
		this.repository.save(runningRequestsCopy);
		assertThat(revokedAt(runningRequestsCopy)).isNull();
		assertThat(this.endedSessions.reasonOfRevived(session.getId(), this.clock.instant()))
			.as("the copy saved under the old id is ended again")
			.isEqualTo(ExpiryReason.REVOKED);
	}

	@Test
	void revokeWhenAnotherSessionWasCreatedAtTheSameInstantThenRevokesOnlyTheChosenOne() {
		MapSession chosen = signIn("user");
		MapSession kept = signIn("user");
		kept.setCreationTime(chosen.getCreationTime());
		kept.setAttribute("kept", true);
		this.repository.save(kept);
		assertThat(this.userSessions.revoke("user", (session) -> session.getAttribute("kept") == null))
			.as("a session read by the revocation is never taken for a chosen one under a new id")
			.isNotEmpty();
		assertThat(revokedAt(chosen)).isNotNull();
		assertThat(revokedAt(kept)).isNull();
	}

	@Test
	void revokeWhenASessionOfAnotherProviderCreatedAtTheSameInstantAppearsMeanwhileThenKeepsIt() {
		MapSession chosen = signIn("user");
		List<MapSession> appeared = new ArrayList<>();
		// Runs after the revocation read the user's sessions, before it writes
		this.userSessions.setSignInRevoker((username) -> {
			MapSession other = this.repository.createSession();
			other.setCreationTime(chosen.getCreationTime());
			other.setAttribute(PRINCIPAL, username);
			other.setAttribute(PROVIDER, "elsewhere");
			this.clocks.start(new SpringSessionAccess(other));
			this.repository.save(other);
			this.index.add(username, other.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
			appeared.add(other);
		});
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(chosen.getId()))).isTrue();
		assertThat(appeared).hasSize(1);
		assertThat(revokedAt(chosen)).isNotNull();
		assertThat(revokedAt(appeared.get(0))).as("another provider's session is another user's").isNull();
	}

	@Test
	void revokeWhenRemovingRememberMeTokensFailsThenRevokesTheSessionsAllTheSameAndThrows() {
		MapSession session = signIn("user");
		this.userSessions.setSignInRevoker((username) -> {
			throw new IllegalStateException("The token database does not answer");
		});
		assertThatIllegalStateException().isThrownBy(() -> this.userSessions.revoke("user"))
			.withMessage("The token database does not answer");
		assertThat(this.repository.findById(session.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.isNotNull();
	}

	@Test
	void revokeWhenOneSessionCannotBeReadThenRevokesTheOthersKeepsItIndexedAndThrows() {
		List<MapSession> sessions = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sessions.add(signIn("user"));
		}
		this.index.add("user", "unreadable", null, LOGIN.minus(Duration.ofHours(1)));
		this.broken.add("unreadable");
		assertThatIllegalStateException().isThrownBy(() -> this.userSessions.revoke("user"))
			.withMessage("Cannot read unreadable");
		assertThat(sessions).allSatisfy((session) -> assertThat(
				this.repository.findById(session.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.isNotNull());
		assertThat(this.index.sessions("user", LOGIN)).containsKey("unreadable");
	}

	@Test
	void revokeWhenForgettingAGoneSessionFailsThenRevokesTheUsersSessionsAllTheSame() {
		MapSession session = signIn("user");
		this.index.add("user", "gone", null, LOGIN.minus(Duration.ofHours(1)));
		this.userSessions.setUserSessionIndex(new UserSessionIndex() {

			@Override
			public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
				SpringSessionUserSessionsTests.this.index.add(username, sessionId, until, now);
			}

			@Override
			public Map<String, Instant> sessions(String username, Instant now) {
				return SpringSessionUserSessionsTests.this.index.sessions(username, now);
			}

			@Override
			public void remove(String username, Collection<String> sessionIds, Instant now) {
				throw new IllegalStateException("The index did not answer");
			}

		});
		this.userSessions.revoke("user");
		assertThat(revokedAt(session)).as("revoked").isNotNull();
	}

	@Test
	void listWhenSessionsAreRevokedOrPastADeadlineThenListsOnlyTheLiveOnes() {
		MapSession kept = signInRecorded("user");
		MapSession revoked = signInRecorded("user");
		signInRecorded("admin");
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(revoked.getId()))).isTrue();
		Instant idleDeadline = LOGIN.plus(Duration.ofMinutes(30));
		this.clock.fixAt(idleDeadline.minus(MILLI));
		assertThat(this.userSessions.list("user")).singleElement()
			.satisfies((status) -> assertThat(status.expiresAt()).isEqualTo(idleDeadline));
		this.clock.fixAt(idleDeadline);
		assertThat(this.userSessions.list("user")).isEmpty();
		assertThat(this.userSessions.find("user")).extracting(UserSession::sessionId)
			.containsExactlyInAnyOrder(kept.getId(), revoked.getId());
	}

	@Test
	void revokeWhenTheStoreIsSpringSessionsThenMarksTheSessionExpiredForItsRegistryInTheSameSave()
			throws ReflectiveOperationException {
		MapSession kept = signIn("user");
		MapSession revoked = signIn("user");
		this.storeOperations.clear();
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(revoked.getId()))).isTrue();
		assertThat(this.storeOperations).filteredOn("save"::equals).hasSize(1);
		assertThat(this.repository.findById(revoked.getId())
			.<Object>getAttribute(SpringSessionBackedRegistry.EXPIRED_ATTRIBUTE)).isEqualTo(Boolean.TRUE);
		assertThat(this.repository.findById(kept.getId())
			.<Object>getAttribute(SpringSessionBackedRegistry.EXPIRED_ATTRIBUTE)).isNull();
		// The name that Spring Session's registry reads, package-private there
		Field expired = Class.forName("org.springframework.session.security.SpringSessionBackedSessionInformation")
			.getDeclaredField("EXPIRED_ATTR");
		expired.setAccessible(true);
		assertThat(expired.get(null)).isEqualTo(SpringSessionBackedRegistry.EXPIRED_ATTRIBUTE);
	}

	@Test
	void revokeWhenTheHandleNamesAnotherUsersSessionThenRevokesNothing() {
		MapSession own = signIn("user");
		MapSession others = signIn("admin");
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(others.getId()))).isFalse();
		assertThat(this.userSessions.revoke("user", null, "0123456789abcdef")).isFalse();
		assertThat(this.repository.findById(others.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.isNull();
		assertThat(this.repository.findById(own.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT)).isNull();
		assertThat(this.events).isEmpty();
	}

	@Test
	void revokeWhenNoSessionOfTheUserHasTheHandleThenKeepsTheRememberMeTokensElseRemovesThemFirst() {
		List<String> tokensRemoved = new ArrayList<>();
		this.userSessions.setSignInRevoker(tokensRemoved::add);
		MapSession session = signIn("user");
		MapSession others = signIn("admin");
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(others.getId()))).isFalse();
		assertThat(this.userSessions.revoke("user", null, "0123456789abcdef")).isFalse();
		assertThat(tokensRemoved).isEmpty();
		assertThat(this.userSessions.revoke("user", null, SessionIds.hash(session.getId()))).isTrue();
		assertThat(tokensRemoved).containsExactly("user");
		assertThat(this.userSessions.revokeAll("someone-without-sessions")).isZero();
		assertThat(tokensRemoved).as("revoking a user everywhere always removes them")
			.containsExactly("user", "someone-without-sessions");
	}

	@Test
	void revokeOthersWhenTheRequestChangedItsSessionIdThenKeepsTheSessionTheStoreHoldsUnderTheOldOne() {
		MapSession current = signIn("user");
		MapSession other = signIn("user");
		MockHttpServletRequest request = requestOf(current);
		request.setRequestedSessionId(current.getId());
		request.setSession(copyWithId((MockHttpSession) request.getSession(), "renamed-by-the-request"));
		assertThat(this.userSessions.revokeOthers(request)).isOne();
		assertThat(revokedAt(current)).isNull();
		assertThat(revokedAt(other)).isNotNull();
	}

	@Test
	void revokeOthersWhenCalledFromOneSessionThenRevokesEveryOtherSessionOfItsUserOnly() {
		MapSession current = signIn("user");
		MapSession other = signIn("user");
		MapSession anotherUsers = signIn("admin");
		assertThat(this.userSessions.revokeOthers(requestOf(current))).isOne();
		assertThat(revokedAt(current)).isNull();
		assertThat(revokedAt(other)).isEqualTo(LOGIN.toEpochMilli());
		assertThat(revokedAt(anotherUsers)).isNull();
		assertThat(this.userSessions.list("user")).hasSize(1);
		assertThat(this.userSessions.find("user")).filteredOn((session) -> session.isLive(LOGIN))
			.extracting(UserSession::sessionId)
			.containsExactly(current.getId());
		assertThat(this.userSessions.revokeOthers(requestOf(current))).isZero();
	}

	@Test
	void revokeWhenAUserOfTheSameNameSignedInWithAnotherProviderThenLeavesThatUsersSessions() {
		MapSession formLogin = signIn("alice");
		MapSession formLoginElsewhere = signIn("alice");
		MapSession github = signIn("alice");
		github.setAttribute(PROVIDER, "github");
		this.repository.save(github);
		assertThat(this.userSessions.revoke("alice", null, SessionIds.hash(github.getId()))).isFalse();
		assertThat(this.userSessions.revokeOthers(requestOf(formLogin))).isOne();
		assertThat(revokedAt(formLoginElsewhere)).isNotNull();
		assertThat(revokedAt(github)).isNull();
		assertThat(this.userSessions.revoke("alice", "github", SessionIds.hash(github.getId()))).isTrue();
	}

	/**
	 * A login still in its request when its user is revoked everywhere, and then, still
	 * before its request ends, the user's sessions of another identity provider are
	 * revoked but one (a password change there): the later revocation does not undo the
	 * earlier one, so the login's session ends as its request ends (it was spared: the
	 * record kept only the last revocation).
	 */
	@Test
	void revokeAllThenRevokeOthersOfAnotherProviderWhileALoginIsInFlightThenTheLoginStillEnds() {
		MapSession inFlight = this.repository.createSession();
		inFlight.setAttribute(PRINCIPAL, "alice");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(inFlight::getAttribute);
		assertThat(seen).isNotNull();
		MapSession github = signIn("alice");
		github.setAttribute(PROVIDER, "github");
		this.repository.save(github);
		this.clock.fixAt(LOGIN.plusSeconds(1));
		this.userSessions.revokeAll("alice");
		this.clock.fixAt(LOGIN.plusSeconds(2));
		MapSession githubAgain = signIn("alice");
		githubAgain.setAttribute(PROVIDER, "github");
		this.repository.save(githubAgain);
		this.userSessions.revokeOthers(requestOf(githubAgain));
		this.clock.fixAt(LOGIN.plusSeconds(3));
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), inFlight.getId(), this.clock.instant()))
			.as("the login's session ends as its request ends")
			.isTrue();
	}

	/**
	 * The same where the later revocation cannot read the record of the earlier one (the
	 * store fails the read, not the write): its record, written alone, would lose the
	 * earlier revocation, and spare the login. It is written with a revocation of all of
	 * the user's sessions standing in for what could not be read (fail closed): the login
	 * ends all the same.
	 */
	@Test
	void revokeAllThenRevokeOthersThatCannotReadTheRecordWhileALoginIsInFlightThenTheLoginStillEnds() {
		AtomicBoolean failReads = new AtomicBoolean();
		InMemoryEndedSessions ended = new InMemoryEndedSessions() {

			@Override
			public EndedSessions.@Nullable Entry entryOf(String key, Instant now) {
				if (failReads.get()) {
					throw new IllegalStateException("The store cannot be read");
				}
				return super.entryOf(key, now);
			}

		};
		this.clocks.setEndedSessions(ended);
		this.userSessions.setEndedSessions(ended);
		MapSession inFlight = this.repository.createSession();
		inFlight.setAttribute(PRINCIPAL, "alice");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(inFlight::getAttribute);
		assertThat(seen).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(1));
		this.userSessions.revokeAll("alice");
		this.clock.fixAt(LOGIN.plusSeconds(2));
		MapSession githubAgain = signIn("alice");
		githubAgain.setAttribute(PROVIDER, "github");
		this.repository.save(githubAgain);
		failReads.set(true);
		this.userSessions.revokeOthers(requestOf(githubAgain));
		failReads.set(false);
		this.clock.fixAt(LOGIN.plusSeconds(3));
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), inFlight.getId(), this.clock.instant()))
			.as("the login's session ends as its request ends")
			.isTrue();
	}

	/**
	 * The same with the later revocation sparing the login's own session (a password
	 * reset whose request signs its user in and ends the user's other sessions): a login
	 * in flight since before the revocation everywhere is ended by it all the same. A
	 * login after both reads both, and is kept.
	 */
	@Test
	void revokeAllThenRevokeOthersSparingALoginInFlightThenTheLoginStillEndsAndALaterOneIsKept() {
		MapSession inFlight = this.repository.createSession();
		inFlight.setAttribute(PRINCIPAL, "alice");
		this.clocks.start(new SpringSessionAccess(inFlight));
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(inFlight::getAttribute);
		assertThat(seen).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(1));
		this.userSessions.revokeAll("alice");
		this.clock.fixAt(LOGIN.plusSeconds(2));
		this.userSessions.revokeOthers(requestOf(inFlight));
		this.clock.fixAt(LOGIN.plusSeconds(3));
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), inFlight.getId(), this.clock.instant()))
			.as("the login in flight since before the revocation everywhere")
			.isTrue();
		MapSession later = this.repository.createSession();
		later.setAttribute(PRINCIPAL, "alice");
		UserRevocations.Seen laterSeen = this.clocks.revocationsAtLogin(later::getAttribute);
		assertThat(laterSeen).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(4));
		assertThat(laterSeen.endedBy(this.clocks.revocationOf(laterSeen), later.getId(), this.clock.instant()))
			.as("a login after both")
			.isFalse();
	}

	/**
	 * A password change of an API authenticated by a bearer token (Spring Security's
	 * resource server), whose request also sends the session cookie of another user (SPEC
	 * section 11; Spring Security 7.1 even adds that user's authorities to the token's
	 * authentication): the caller is the token's user, whose other sessions
	 * {@code revokeOthers} ends; the user of the session sent along is another user,
	 * whose sessions it must neither end nor take for the caller's.
	 */
	@Test
	void revokeOthersWhenABearerTokensUserSendsTheSessionOfAnotherUserThenRevokesTheTokenUsersSessions() {
		MapSession anotherUsers = signIn("alice");
		MapSession anotherUsersElsewhere = signIn("alice");
		MapSession callers = signIn("bob");
		MapSession callersElsewhere = signIn("bob");
		MockHttpServletRequest request = requestOf(anotherUsers);
		// The request's user, as Spring Security's request wrapper tells it: the token's
		request.setRemoteUser("bob");
		this.userSessions.revokeOthers(request);
		assertThat(revokedAt(anotherUsersElsewhere)).as("the other user's other session").isNull();
		assertThat(revokedAt(callers)).as("a session of the token's user").isNotNull();
		assertThat(revokedAt(callersElsewhere)).as("another session of the token's user").isNotNull();
	}

	/**
	 * Another tab of the caller's session signs its user in again (a step-up, which
	 * changes the session's id) and its request is still running when the caller changes
	 * the password ({@code revokeOthers}, from a request that loaded the session under
	 * its id before the step-up's change). The read spares the session, which the store
	 * still holds under that id; as the step-up's request ends, the record of the
	 * revocation, which spares the caller's ids only, must not end the caller's own
	 * session under the step-up's new id (a lost session; abed105 spares it where the
	 * step-up's request ended before the read).
	 */
	@Test
	void revokeOthersWhileAStepUpOfTheCallersOwnSessionIsInFlightThenItsEndKeepsTheCallersSession() {
		MapSession current = signIn("alice");
		MapSession otherDevice = signIn("alice");
		// The step-up's request: its own copy of the caller's session, signed in again
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession stepUp = this.repository.findById(current.getId());
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(stepUp::getAttribute);
		assertThat(seen).isNotNull();
		stepUp.changeSessionId();
		// The password change, whose request loaded the session under its old id
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(requestOf(current))).isOne();
		assertThat(revokedAt(otherDevice)).isNotNull();
		assertThat(revokedAt(current)).isNull();
		// The step-up's request ends
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(stepUp);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), stepUp.getId(), this.clock.instant()))
			.as("the caller's own session, under the step-up's new id, ends as the step-up's request ends")
			.isFalse();
	}

	/**
	 * The guard of the test above: what spares a login in flight in the caller's own
	 * session under a later id does not spare one in another session of the caller's user
	 * (created at another instant), which ends as its request ends (fail closed).
	 */
	@Test
	void revokeOthersWhileALoginInAnotherSessionOfTheCallerIsInFlightThenItsEndEndsThatSession() {
		MapSession current = signIn("alice");
		this.clock.fixAt(LOGIN.plusMillis(1));
		MapSession otherDevice = signIn("alice");
		// The login's request, in the other session: its own copy, signed in again
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(otherDevice.getId());
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		login.changeSessionId();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		assertThat(this.userSessions.revokeOthers(requestOf(current))).isOne();
		// The login's request ends
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login in flight in another session of the caller's user")
			.isTrue();
	}

	/**
	 * A guard of revokeOthers for a request of one user (a bearer token, HTTP Basic) that
	 * carries the session of another: a login of the caller's user in flight in that
	 * session (a sign-in over it on a shared device), still under the id the request came
	 * with, is not spared as the caller's own session, and ends as its request ends:
	 * neither the requested id nor the id of the request's session is the caller's.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesAnotherUsersSessionThenALoginInFlightUnderItsIdIsNotSpared() {
		MapSession anotherUsers = signIn("alice");
		MapSession callers = signIn("bob");
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(anotherUsers.getId());
		login.setAttribute(PRINCIPAL, "bob");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		MockHttpServletRequest request = requestOf(anotherUsers);
		request.setRequestedSessionId(anotherUsers.getId());
		request.setRemoteUser("bob");
		assertThat(this.userSessions.revokeOthers(request)).isOne();
		assertThat(revokedAt(callers)).isNotNull();
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login of the caller in flight in another user's session, under the requested id")
			.isTrue();
	}

	/**
	 * The guard of the test above under a new id: what the session of another user keeps
	 * across a change of its id ({@link SessionClocks#renamedFrom}) does not spare a
	 * login of the caller's user in flight in it that changed its id; only the caller's
	 * own session's is spared.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesAnotherUsersSessionThenALoginInFlightUnderANewIdIsNotSpared() {
		MapSession anotherUsers = signIn("alice");
		signIn("bob");
		this.clock.fixAt(LOGIN.plusSeconds(1));
		MapSession login = this.repository.findById(anotherUsers.getId());
		login.setAttribute(PRINCIPAL, "bob");
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(login::getAttribute);
		assertThat(seen).isNotNull();
		assertThat(seen.renamedFrom()).isNotNull();
		login.changeSessionId();
		this.clock.fixAt(LOGIN.plusSeconds(2));
		MockHttpServletRequest request = requestOf(anotherUsers);
		request.setRequestedSessionId(anotherUsers.getId());
		request.setRemoteUser("bob");
		assertThat(this.userSessions.revokeOthers(request)).isOne();
		this.clock.fixAt(LOGIN.plusSeconds(3));
		this.repository.save(login);
		assertThat(seen.endedBy(this.clocks.revocationOf(seen), login.getId(), this.clock.instant()))
			.as("a login of the caller in flight in another user's session, under a new id")
			.isTrue();
	}

	@Test
	void revokeOthersWhenTheRequestHasNoSignedInUserThenRevokesNothingAndThrows() {
		MapSession session = signIn("user");
		assertThatIllegalStateException().isThrownBy(() -> this.userSessions.revokeOthers(new MockHttpServletRequest()))
			.withMessageContaining("no signed-in user");
		assertThat(revokedAt(session)).isNull();
	}

	/**
	 * A request that Spring Security runs for an anonymous user, though it carries a
	 * signed-in session (a path whose security chain does not load the session's security
	 * context): the request has no signed-in user, and revokeOthers refuses, as on
	 * WebFlux, rather than act for the session's user.
	 */
	@Test
	void revokeOthersWhenTheRequestsUserIsAnonymousThenRevokesNothingAndThrows() {
		MapSession session = signIn("alice");
		MapSession elsewhere = signIn("alice");
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		try {
			assertThatIllegalStateException().isThrownBy(() -> this.userSessions.revokeOthers(requestOf(session)))
				.withMessageContaining("no signed-in user");
		}
		finally {
			SecurityContextHolder.clearContext();
		}
		assertThat(revokedAt(elsewhere)).isNull();
	}

	/**
	 * A request of a user the application signed in itself (HTTP Basic, no identity
	 * provider) that carries the session of a user of the same name signed in with an
	 * identity provider, which the starter holds for another user ("a user of the same
	 * name from another provider is another user", SessionClocks.isSessionOf): that
	 * session is not the caller's, so the caller's own sessions are revoked and the other
	 * user's are left alone, as for a session of another name.
	 */
	@Test
	void revokeOthersWhenTheRequestCarriesTheSessionOfAUserOfTheSameNameFromAnotherProviderThenRevokesTheCallersSessions() {
		MapSession anotherUsers = signInWith("alice", "idp");
		MapSession anotherUsersElsewhere = signInWith("alice", "idp");
		MapSession callers = signIn("alice");
		MockHttpServletRequest request = requestOf(anotherUsers);
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
		try {
			this.userSessions.revokeOthers(request);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
		assertThat(revokedAt(anotherUsersElsewhere)).as("a session of the identity provider's alice").isNull();
		assertThat(revokedAt(callers)).as("a session of the caller, the application's alice").isNotNull();
	}

	private MapSession signInWith(String username, String provider) {
		MapSession session = this.repository.createSession();
		session.setAttribute(PRINCIPAL, username);
		session.setAttribute(PROVIDER, provider);
		this.clocks.start(new SpringSessionAccess(session));
		this.repository.save(session);
		this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		return session;
	}

	/**
	 * A request whose {@code getRemoteUser()} tells another name than the name the
	 * sessions of its user are filed under ({@code Authentication.getName()}, which
	 * Spring Session's principal index and the starter's own use): an application's
	 * request wrapper, or Spring Security's for an authentication that is no
	 * {@code AbstractAuthenticationToken} (it tells its principal's {@code toString()}).
	 * revokeOthers acts for the authentication's user.
	 */
	@Test
	void revokeOthersWhenTheRequestTellsAnotherNameThanItsAuthenticationThenRevokesTheAuthenticationsUsersSessions() {
		MapSession current = signIn("bob");
		MapSession elsewhere = signIn("bob");
		MockHttpServletRequest request = requestOf(current);
		request.setRemoteUser("Bob Builder");
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("bob", null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
		try {
			assertThat(this.userSessions.revokeOthers(request)).isOne();
		}
		finally {
			SecurityContextHolder.clearContext();
		}
		assertThat(revokedAt(elsewhere)).isNotNull();
		assertThat(revokedAt(current)).isNull();
	}

	@Test
	void revokeOthersWhenTheRequestHasNoSessionButAUserThenRevokesAllOfThatUsersSessions() {
		MapSession session = signIn("user");
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteUser("user");
		assertThat(this.userSessions.revokeOthers(request)).isOne();
		assertThat(revokedAt(session)).isNotNull();
	}

	@Test
	void revokeAllWhenAUserHasAThousandSessionsThenReadsAndSavesEachOnceAndNoOtherUsers() {
		for (int i = 0; i < 1000; i++) {
			signIn("user");
		}
		for (int i = 0; i < 10; i++) {
			signIn("admin");
		}
		this.storeOperations.clear();
		assertThat(this.userSessions.revokeAll("admin")).isEqualTo(10);
		assertThat(this.storeOperations).containsOnly("findById", "save").filteredOn("findById"::equals).hasSize(10);
		assertThat(this.storeOperations).filteredOn("save"::equals).hasSize(10);
		this.storeOperations.clear();
		assertThat(this.userSessions.revokeAll("user")).isEqualTo(1000);
		assertThat(this.storeOperations).filteredOn("findById"::equals).hasSize(1000);
		assertThat(this.storeOperations).filteredOn("save"::equals).hasSize(1000);
	}

	@Test
	void unsupportedReasonWhenTheStoreCanBeFoundByUserThenNone() {
		assertThat(this.userSessions.unsupportedReason()).isNull();
	}

	@Test
	void unsupportedReasonWhenNoStoreIsSeenThenSaysWhy() {
		SpringSessionUserSessions containerOnly = new SpringSessionUserSessions(() -> null, this.clocks, this.clock,
				this.events::add);
		assertThat(containerOnly.unsupportedReason()).contains("principal index", "container sessions");
		assertThatIllegalStateException().isThrownBy(() -> containerOnly.find("user"))
			.withMessageContaining("container sessions");
	}

	/**
	 * Spring Session's Redis indexed repository whose lookup by principal name fails as a
	 * whole (one session it names cannot be read), where the ids read from its index name
	 * none that fails on its own (an index read under another namespace than the
	 * repository's, say): the lookup's failure stands, and a revocation of the user fails
	 * rather than revoking none of the user's sessions as if there were none.
	 */
	@Test
	void revokeAllWhenTheStoresLookupFailsAndNoSessionFailsOnItsOwnThenThrows() {
		FindByIndexNameSessionRepository<Session> failing = new FailingLookupRepository();
		SpringSessionUserSessions indexed = new SpringSessionUserSessions(() -> failing, this.clocks, this.clock,
				this.events::add);
		indexed.setIndexedSessionIds((username) -> List.of());
		assertThatIllegalStateException().isThrownBy(() -> indexed.revokeAll("user"))
			.withMessageContaining("cannot be read");
	}

	/**
	 * As above, where a session the index names fails on its own: the revocation throws
	 * that session's failure, and the lookup's own, which tells why the sessions were
	 * read one by one, is suppressed in it rather than lost.
	 */
	@Test
	void revokeAllWhenTheStoresLookupFailsAndASessionFailsOnItsOwnThenThrowsWithTheLookupsFailureSuppressed() {
		FindByIndexNameSessionRepository<Session> failing = new FailingLookupRepository(Set.of("unreadable"));
		SpringSessionUserSessions indexed = new SpringSessionUserSessions(() -> failing, this.clocks, this.clock,
				this.events::add);
		indexed.setIndexedSessionIds((username) -> List.of("unreadable"));
		assertThatIllegalStateException().isThrownBy(() -> indexed.revokeAll("user"))
			.withMessageContaining("Cannot read unreadable")
			.satisfies((ex) -> assertThat(ex.getSuppressed())
				.anySatisfy((suppressed) -> assertThat(suppressed).hasMessageContaining("cannot be read")));
	}

	@Test
	void unsupportedReasonWhenTheStoreHasNoIndexAndTheStarterKeepsNoneThenNamesTheStore() {
		SpringSessionUserSessions unindexed = new SpringSessionUserSessions(() -> this.repository, this.clocks,
				this.clock, this.events::add);
		assertThat(unindexed.unsupportedReason()).contains("principal index");
	}

	/**
	 * A revocation marker whose time cannot be read still revokes, at once, as every
	 * request's decision reads it: the session is neither listed as live nor counted by
	 * the starter's decoration of the {@code SessionRegistry}.
	 */
	@Test
	void endedSessionIdsWhenARevocationMarkerCannotBeReadThenTheSessionEnded() {
		signIn("user");
		MapSession marked = signIn("user");
		MapSession stored = this.repository.findById(marked.getId());
		stored.setAttribute(SessionAttributes.REVOKED_AT, "not a time");
		this.repository.save(stored);
		assertThat(this.userSessions.endedSessionIds("user")).containsExactly(marked.getId());
		assertThat(this.userSessions.list("user")).hasSize(1);
	}

	/**
	 * A signed-in session that holds no policy of its own (a login the starter did not
	 * record) follows the policy of its authentication at every decision: one whose idle
	 * lifetime is longer than the global one still serves it past the global idle end, so
	 * it has not ended, and must not be left out of the user's sessions.
	 */
	@Test
	void endedSessionIdsWhenASessionHoldsNoPolicyThenItIsEndedByThePolicyItsDecisionFollows() {
		MapSession session = signIn("user");
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(31)));
		SessionTimeoutPolicy longer = new SessionTimeoutPolicy("travellers", Duration.ofHours(8), Duration.ofHours(2),
				null, null);
		Set<String> ended = this.userSessions.endedSessionIds("user");
		// The decision of its next request, on a copy of the session as the store holds
		// it
		MapSession copy = new MapSession(this.repository.findById(session.getId()));
		SessionDecision decision = this.clocks.decide(new SpringSessionAccess(copy), new SessionRequest() {

			@Override
			public boolean isPassive() {
				return false;
			}

			@Override
			public boolean isAuthenticated() {
				return true;
			}

			@Override
			public boolean mayBePrivileged() {
				return true;
			}

			@Override
			public boolean requiresAuthentication() {
				return true;
			}

			@Override
			public boolean isPrivilegedPath() {
				return false;
			}

			@Override
			public boolean hasUsedPrivilegeGrant() {
				return false;
			}

			@Override
			public void usePrivilegeGrant() {
			}

			@Override
			public SessionTimeoutPolicy authenticatedPolicy() {
				return longer;
			}

		});
		assertThat(decision.reason()).as("the session's next request is served").isNull();
		assertThat(ended).as("ended, as the store holds it").isEmpty();
	}

	/**
	 * Sign a user in with a login the starter records: the session holds its policy, the
	 * global one, and its deadlines are known without a request.
	 */
	private MapSession signInRecorded(String username) {
		MapSession session = this.repository.createSession();
		session.setAttribute(PRINCIPAL, username);
		SpringSessionAccess access = new SpringSessionAccess(session);
		this.clocks.start(access);
		this.clocks.recordAuthentication(access, null, this.clocks.getSettings().getDefaultPolicy());
		this.repository.save(session);
		this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		return session;
	}

	private MapSession signIn(String username) {
		MapSession session = this.repository.createSession();
		session.setAttribute(PRINCIPAL, username);
		this.clocks.start(new SpringSessionAccess(session));
		this.repository.save(session);
		this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		return session;
	}

	private @Nullable Object revokedAt(MapSession session) {
		return this.repository.findById(session.getId()).getAttribute(SessionAttributes.REVOKED_AT);
	}

	/**
	 * Return a request of a session, as Spring Session hands it to the application: an
	 * {@code HttpSession} with the session's id and attributes.
	 */
	private MockHttpServletRequest requestOf(MapSession session) {
		MockHttpSession httpSession = new MockHttpSession(null, session.getId());
		session.getAttributeNames().forEach((name) -> httpSession.setAttribute(name, session.getAttribute(name)));
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(httpSession);
		return request;
	}

	private static MockHttpSession copyWithId(MockHttpSession session, String id) {
		MockHttpSession copy = new MockHttpSession(null, id);
		session.getAttributeNames()
			.asIterator()
			.forEachRemaining((name) -> copy.setAttribute(name, session.getAttribute(name)));
		return copy;
	}

	/**
	 * A principal-indexed repository whose lookup by principal name fails as a whole.
	 */
	private static final class FailingLookupRepository implements FindByIndexNameSessionRepository<Session> {

		private final Set<String> unreadable;

		FailingLookupRepository() {
			this(Set.of());
		}

		FailingLookupRepository(Set<String> unreadable) {
			this.unreadable = unreadable;
		}

		@Override
		public Session createSession() {
			return new MapSession();
		}

		@Override
		public void save(Session session) {
		}

		@Override
		public @Nullable Session findById(String id) {
			if (this.unreadable.contains(id)) {
				throw new IllegalStateException("Cannot read " + id);
			}
			return null;
		}

		@Override
		public void deleteById(String id) {
		}

		@Override
		public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			throw new IllegalStateException("A session of the user cannot be read");
		}

	}

}
