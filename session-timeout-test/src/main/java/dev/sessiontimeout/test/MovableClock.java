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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link Clock} that stands still until a test moves it, with
 * {@link #advance(Duration)} or {@link #set(Instant)}: tests of session lifetimes move
 * time instead of sleeping.
 * <p>
 * It is safe for use by many threads: the instant is held atomically, so a request served
 * by the application under test reads either the instant before a move or the one after
 * it. The zone never changes; {@link #withZone(ZoneId)} returns a view in another zone
 * that shares this clock's instant, so moving either moves both. A movable clock is not
 * serializable.
 * <p>
 * With {@link AutoConfigureSessionTimeoutClock @AutoConfigureSessionTimeoutClock}, the
 * {@code sessionTimeoutClock} bean of a test's application context is a
 * {@code MovableClock}.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see AutoConfigureSessionTimeoutClock
 */
public final class MovableClock extends Clock {

	private final AtomicReference<Instant> instant;

	private final ZoneId zone;

	/**
	 * Create a clock in UTC that stands at the current instant of the system clock.
	 */
	public MovableClock() {
		this(Clock.systemUTC().instant());
	}

	/**
	 * Create a clock in UTC that stands at the given instant.
	 * @param instant the instant to start at
	 */
	public MovableClock(Instant instant) {
		this(instant, ZoneOffset.UTC);
	}

	/**
	 * Create a clock in the given zone that stands at the given instant.
	 * @param instant the instant to start at
	 * @param zone the time-zone of the clock
	 */
	public MovableClock(Instant instant, ZoneId zone) {
		this(new AtomicReference<>(checkInstant(instant)), zone);
	}

	private MovableClock(AtomicReference<Instant> instant, ZoneId zone) {
		Assert.notNull(zone, "'zone' must not be null");
		this.instant = instant;
		this.zone = zone;
	}

	private static Instant checkInstant(Instant instant) {
		Assert.notNull(instant, "'instant' must not be null");
		return instant;
	}

	/**
	 * Move the clock by the given amount: forward if it is positive, back if it is
	 * negative.
	 * @param amount how far to move the clock
	 * @return the instant the clock stands at after the move
	 */
	public Instant advance(Duration amount) {
		Assert.notNull(amount, "'amount' must not be null");
		return this.instant.updateAndGet((current) -> current.plus(amount));
	}

	/**
	 * Move the clock to the given instant, which may be before the current one.
	 * @param instant the instant the clock stands at from now on
	 */
	public void set(Instant instant) {
		this.instant.set(checkInstant(instant));
	}

	@Override
	public Instant instant() {
		return this.instant.get();
	}

	@Override
	public long millis() {
		return instant().toEpochMilli();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/**
	 * Return a view of this clock in the given time-zone: it shares this clock's instant,
	 * so moving either clock moves both.
	 * @param zone the time-zone of the view
	 * @return a clock that shares this clock's instant, in the given zone
	 */
	@Override
	public MovableClock withZone(ZoneId zone) {
		Assert.notNull(zone, "'zone' must not be null");
		return zone.equals(this.zone) ? this : new MovableClock(this.instant, zone);
	}

	/**
	 * Return whether the given object is a movable clock that shares this clock's instant
	 * (this clock, or a view of it from {@link #withZone(ZoneId)}) in the same zone.
	 * @param obj the object to compare with
	 * @return {@code true} if it is the same clock in the same zone
	 */
	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj == this)
				|| (obj instanceof MovableClock other && other.instant == this.instant && other.zone.equals(this.zone));
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this.instant) ^ this.zone.hashCode();
	}

	@Override
	public String toString() {
		return "MovableClock[" + instant() + "," + this.zone + "]";
	}

}
