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
package dev.sessiontimeout.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move by hand. It is either fixed at an instant (for exact
 * boundaries) or ticking with the system clock plus an offset (so that a store's own
 * clock and this one stay comparable); {@link #shift(Duration)} moves it in both modes.
 * Optionally each reading advances it by a step, to spread concurrent requests across a
 * deadline; the last reading of each thread is remembered.
 */
public final class MutableClock extends Clock {

	private volatile Instant fixed;

	private volatile Duration offset = Duration.ZERO;

	private volatile Duration step = Duration.ZERO;

	private final ThreadLocal<Instant> lastReading = new ThreadLocal<>();

	public MutableClock() {
		this.fixed = Instant.now();
	}

	/**
	 * Fix the clock at the given instant.
	 * @param instant the instant
	 */
	public synchronized void fixAt(Instant instant) {
		this.fixed = instant;
		this.step = Duration.ZERO;
	}

	/**
	 * Let the clock tick with the system clock, from now on, at no offset.
	 */
	public synchronized void tick() {
		this.fixed = null;
		this.offset = Duration.ZERO;
		this.step = Duration.ZERO;
	}

	/**
	 * Advance a fixed clock by the given step after every reading.
	 * @param step the step
	 */
	public synchronized void stepEachReading(Duration step) {
		this.step = step;
	}

	/**
	 * Move the clock.
	 * @param amount how far, forward if positive
	 */
	public synchronized void shift(Duration amount) {
		if (this.fixed != null) {
			this.fixed = this.fixed.plus(amount);
		}
		else {
			this.offset = this.offset.plus(amount);
		}
	}

	/**
	 * Return the last instant this clock gave to the calling thread.
	 * @return the last reading, or {@code null}
	 */
	public Instant lastReadingOnThisThread() {
		return this.lastReading.get();
	}

	@Override
	public synchronized Instant instant() {
		Instant now;
		if (this.fixed != null) {
			now = this.fixed;
			this.fixed = now.plus(this.step);
		}
		else {
			now = Instant.now().plus(this.offset);
		}
		this.lastReading.set(now);
		return now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A MutableClock stays in UTC");
	}

}
