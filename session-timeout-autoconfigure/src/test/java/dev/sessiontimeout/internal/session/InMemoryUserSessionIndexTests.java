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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryUserSessionIndex}.
 *
 * @author session-timeout
 */
class InMemoryUserSessionIndexTests {

	private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

	private static final Instant UNTIL = NOW.plus(Duration.ofHours(12));

	private static final Duration MILLI = Duration.ofMillis(1);

	private final InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();

	@Test
	void sessionIdsWhenAddedThenListedForTheirUserOnly() {
		this.index.add("user", "one", UNTIL, NOW);
		this.index.add("user", "two", null, NOW);
		this.index.add("admin", "three", UNTIL, NOW);
		assertThat(this.index.sessions("user", NOW).keySet()).containsExactlyInAnyOrder("one", "two");
		assertThat(this.index.sessions("admin", NOW).keySet()).containsExactly("three");
		assertThat(this.index.sessions("nobody", NOW).keySet()).isEmpty();
	}

	@Test
	void sessionIdsWhenUntilJustBeforeAtAndAfterThenListedOnlyBeforeIt() {
		this.index.add("user", "one", UNTIL, NOW);
		assertThat(this.index.sessions("user", UNTIL.minus(MILLI)).keySet()).containsExactly("one");
		assertThat(this.index.sessions("user", UNTIL).keySet()).isEmpty();
		assertThat(this.index.sessions("user", UNTIL.plus(MILLI)).keySet()).isEmpty();
	}

	@Test
	void sessionIdsWhenNoUntilThenListedWhateverTheTime() {
		this.index.add("user", "one", null, NOW);
		assertThat(this.index.sessions("user", NOW.plus(Duration.ofDays(3650))).keySet()).containsExactly("one");
	}

	@Test
	void addWhenTheUsersOtherSessionsArePastTheirUntilThenForgetsThem() {
		this.index.add("user", "old", UNTIL, NOW);
		this.index.add("user", "new", UNTIL.plus(Duration.ofHours(12)), UNTIL);
		this.index.remove("user", List.of("new"), NOW);
		assertThat(this.index.users()).isZero();
	}

	@Test
	void sessionsWhenAddedThenTellWhenEachWasAdded() {
		this.index.add("user", "one", UNTIL, NOW);
		this.index.add("user", "two", UNTIL, NOW.plusSeconds(60));
		assertThat(this.index.sessions("user", NOW.plusSeconds(60))).containsEntry("one", NOW)
			.containsEntry("two", NOW.plusSeconds(60));
	}

	@Test
	void addWhenAddedAgainThenTheNewUntilApplies() {
		this.index.add("user", "one", UNTIL, NOW);
		this.index.add("user", "one", null, NOW.plusSeconds(60));
		assertThat(this.index.sessions("user", UNTIL.plus(MILLI)).keySet()).containsExactly("one");
	}

	@Test
	void removeWhenTheUsersLastSessionGoesThenForgetsTheUser() {
		this.index.add("user", "one", UNTIL, NOW);
		this.index.add("user", "two", UNTIL, NOW);
		this.index.remove("user", List.of("one"), NOW);
		assertThat(this.index.sessions("user", NOW).keySet()).containsExactly("two");
		this.index.remove("user", List.of("two", "unknown"), NOW);
		this.index.remove("nobody", List.of("two"), NOW);
		assertThat(this.index.users()).isZero();
	}

	@Test
	void addWhenUsersNeverComeBackThenTheirEntriesGoAtTheNextSweep() {
		for (int i = 0; i < InMemoryUserSessionIndex.SWEEP_EVERY - 1; i++) {
			this.index.add("user" + i, "session" + i, UNTIL, NOW);
		}
		assertThat(this.index.users()).isEqualTo(InMemoryUserSessionIndex.SWEEP_EVERY - 1);
		this.index.add("late", "session", null, UNTIL);
		assertThat(this.index.users()).isOne();
		assertThat(this.index.sessions("late", UNTIL).keySet()).containsExactly("session");
	}

	/**
	 * A login asks the store about a bounded number of its user's entries without an end,
	 * however many the user has.
	 */
	@Test
	void addWhenTheUserHasAThousandSessionsWithoutUntilThenALoginAsksTheStoreAboutAFewOfThem() {
		AtomicInteger asked = new AtomicInteger();
		InMemoryUserSessionIndex index = new InMemoryUserSessionIndex((sessionId) -> asked.incrementAndGet() > 0);
		for (int i = 0; i < 1000; i++) {
			index.add("alice", "live-" + i, null, NOW);
		}
		asked.set(0);
		index.add("alice", "this-login", null, NOW.plus(Duration.ofDays(1)));
		assertThat(asked.get()).as("sessions asked about at one login").isLessThanOrEqualTo(32);
		assertThat(index.sessions("alice", NOW.plus(Duration.ofDays(1)))).hasSize(1001);
	}

}
