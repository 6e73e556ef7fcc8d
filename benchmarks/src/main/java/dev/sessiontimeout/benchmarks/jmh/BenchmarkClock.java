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
package dev.sessiontimeout.benchmarks.jmh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for benchmarks: it stands still, or moves on by a fixed step at every reading,
 * so that each request sees a later millisecond, as requests of a real session do.
 *
 * @author session-timeout
 */
final class BenchmarkClock extends Clock {

	private long millis;

	private long stepMillis;

	/**
	 * Set the clock.
	 * @param instant the next reading
	 * @param stepMillis how far each reading moves the clock on, {@code 0} to stand still
	 */
	void set(Instant instant, long stepMillis) {
		this.millis = instant.toEpochMilli();
		this.stepMillis = stepMillis;
	}

	@Override
	public long millis() {
		long reading = this.millis;
		this.millis += this.stepMillis;
		return reading;
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A benchmark clock is always in UTC");
	}

}
