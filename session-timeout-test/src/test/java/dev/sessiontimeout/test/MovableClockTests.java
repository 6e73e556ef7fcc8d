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
package dev.sessiontimeout.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MovableClock}.
 */
class MovableClockTests {

	private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void newClockStandsAtTheCurrentInstantInUtc() {
		Instant before = Instant.now();
		MovableClock clock = new MovableClock();
		Instant after = Instant.now();
		assertThat(clock.instant()).isBetween(before, after);
		assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
	}

	@Test
	void clockStandsStillUntilMoved() {
		MovableClock clock = new MovableClock(NOON);
		assertThat(clock.instant()).isEqualTo(NOON);
		assertThat(clock.millis()).isEqualTo(NOON.toEpochMilli());
		assertThat(clock.instant()).isEqualTo(NOON);
	}

	@Test
	void advanceMovesTheClockForwardAndReturnsTheNewInstant() {
		MovableClock clock = new MovableClock(NOON);
		assertThat(clock.advance(Duration.ofMinutes(15))).isEqualTo(NOON.plusSeconds(900));
		assertThat(clock.advance(Duration.ofMillis(1))).isEqualTo(NOON.plusSeconds(900).plusMillis(1));
		assertThat(clock.instant()).isEqualTo(NOON.plusSeconds(900).plusMillis(1));
	}

	@Test
	void advanceByANegativeAmountMovesTheClockBack() {
		MovableClock clock = new MovableClock(NOON);
		clock.advance(Duration.ofHours(-2));
		assertThat(clock.instant()).isEqualTo(NOON.minusSeconds(7200));
	}

	@Test
	void setMovesTheClockToTheInstantEvenBackwards() {
		MovableClock clock = new MovableClock(NOON);
		clock.set(NOON.plusSeconds(60));
		assertThat(clock.instant()).isEqualTo(NOON.plusSeconds(60));
		clock.set(NOON.minusSeconds(60));
		assertThat(clock.instant()).isEqualTo(NOON.minusSeconds(60));
	}

	@Test
	void movesFromManyThreadsAtOnceAreNoneOfThemLost() throws Exception {
		MovableClock clock = new MovableClock(NOON);
		MovableClock paris = clock.withZone(PARIS);
		int threads = 8;
		int moves = 2_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				MovableClock mover = (i % 2 == 0) ? clock : paris;
				done.add(executor.submit(() -> {
					start.await();
					for (int move = 0; move < moves; move++) {
						mover.advance(Duration.ofMillis(1));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(clock.instant()).isEqualTo(NOON.plusMillis((long) threads * moves));
		assertThat(paris.instant()).isEqualTo(clock.instant());
	}

	@Test
	void clockInAZoneGivesLocalTimesInThatZone() {
		MovableClock clock = new MovableClock(NOON, PARIS);
		assertThat(clock.getZone()).isEqualTo(PARIS);
		assertThat(LocalDateTime.now(clock)).isEqualTo(LocalDateTime.of(2026, 3, 1, 13, 0));
	}

	@Test
	void withZoneReturnsAViewThatMovesWithTheClock() {
		MovableClock utc = new MovableClock(NOON);
		MovableClock paris = utc.withZone(PARIS);
		assertThat(paris.getZone()).isEqualTo(PARIS);
		assertThat(utc.getZone()).isEqualTo(ZoneOffset.UTC);
		utc.advance(Duration.ofHours(1));
		assertThat(paris.instant()).isEqualTo(NOON.plusSeconds(3600));
		paris.set(NOON);
		assertThat(utc.instant()).isEqualTo(NOON);
	}

	@Test
	void withTheSameZoneReturnsTheSameClock() {
		MovableClock clock = new MovableClock(NOON);
		assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
	}

	@Test
	void clocksAreEqualWhenTheyShareTheirInstantAndZone() {
		MovableClock clock = new MovableClock(NOON);
		MovableClock paris = clock.withZone(PARIS);
		assertThat(paris.withZone(ZoneOffset.UTC)).isEqualTo(clock).hasSameHashCodeAs(clock);
		assertThat(paris).isNotEqualTo(clock);
		assertThat(new MovableClock(NOON)).isNotEqualTo(clock);
		assertThat(clock).isNotEqualTo(Clock.fixed(NOON, ZoneOffset.UTC));
	}

	@Test
	void toStringShowsTheInstantAndZone() {
		assertThat(new MovableClock(NOON, PARIS)).hasToString("MovableClock[2026-03-01T12:00:00Z,Europe/Paris]");
	}

	@Test
	void nullArgumentsAreRejected() {
		MovableClock clock = new MovableClock(NOON);
		assertThatIllegalArgumentException().isThrownBy(() -> clock.advance(null)).withMessageContaining("amount");
		assertThatIllegalArgumentException().isThrownBy(() -> clock.set(null)).withMessageContaining("instant");
		assertThatIllegalArgumentException().isThrownBy(() -> clock.withZone(null)).withMessageContaining("zone");
		assertThatIllegalArgumentException().isThrownBy(() -> new MovableClock(null)).withMessageContaining("instant");
		assertThatIllegalArgumentException().isThrownBy(() -> new MovableClock(NOON, null))
			.withMessageContaining("zone");
	}

}
