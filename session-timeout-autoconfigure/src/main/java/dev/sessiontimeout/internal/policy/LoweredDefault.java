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
package dev.sessiontimeout.internal.policy;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A clock the user did not set whose value (a default, a preset's or an inherited one)
 * was longer than a clock that must be at least as long, and was lowered to it. Reported
 * at {@code INFO}.
 *
 * @param value the value before it was lowered
 * @param longer the clock it was lowered to fit
 * @author session-timeout
 * @since 0.1.0
 */
public record LoweredDefault(ClockValue value, ClockValue longer) {

	public LoweredDefault {
		Objects.requireNonNull(value, "'value' must not be null");
		Objects.requireNonNull(longer, "'longer' must not be null");
	}

	/**
	 * Return the value now used.
	 * @return the value of the longer clock
	 */
	public @Nullable Duration using() {
		return this.longer.duration();
	}

}
