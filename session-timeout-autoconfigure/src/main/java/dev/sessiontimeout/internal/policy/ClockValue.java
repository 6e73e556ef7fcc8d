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
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import static dev.sessiontimeout.internal.policy.SessionDurations.format;

/**
 * The value of a clock as it was resolved, and where it comes from: set by the user, a
 * default, a preset or inherited from the global values; perhaps capped by its limit or
 * lowered to fit a shorter clock. Reports use it to tell a value that the user did not
 * write.
 *
 * @param setting the setting of the clock
 * @param configured the value before it was capped or lowered, {@code null} for a
 * disabled clock
 * @param duration the value, {@code null} for a disabled clock
 * @param source where the value comes from
 * @param preset the preset it comes from, for {@link Source#PRESET}
 * @param inheritedFrom the setting it was inherited from, for {@link Source#INHERITED}
 * @param cappedAt the limit, if it lowered the value or enabled the clock at it
 * @param loweredToFit the setting it was lowered to fit, if it was
 * @author session-timeout
 * @since 0.1.0
 */
public record ClockValue(Setting setting, @Nullable Duration configured, @Nullable Duration duration, Source source,
		@Nullable Preset preset, @Nullable Setting inheritedFrom, @Nullable Duration cappedAt,
		@Nullable Setting loweredToFit) {

	public ClockValue {
		Objects.requireNonNull(setting, "'setting' must not be null");
		Objects.requireNonNull(source, "'source' must not be null");
		if (setting.clock() == null) {
			throw new IllegalArgumentException("'setting' must be a clock, but was " + setting);
		}
	}

	static ClockValue of(Setting setting, @Nullable Duration duration, Source source, @Nullable Preset preset,
			@Nullable Setting inheritedFrom) {
		return new ClockValue(setting, duration, duration, source, preset, inheritedFrom, null, null);
	}

	/**
	 * Return the clock this is the value of.
	 * @return the clock
	 */
	public SessionClock clock() {
		return this.setting.requiredClock();
	}

	/**
	 * Return whether the user set this value.
	 * @return {@code true} for {@link Source#SET}
	 */
	public boolean isSet() {
		return this.source == Source.SET;
	}

	ClockValue capped(Duration limit) {
		return new ClockValue(this.setting, this.configured, limit, this.source, this.preset, this.inheritedFrom, limit,
				this.loweredToFit);
	}

	ClockValue lowered(@Nullable Duration duration, Setting toFit) {
		return new ClockValue(this.setting, this.configured, duration, this.source, this.preset, this.inheritedFrom,
				this.cappedAt, toFit);
	}

	@Override
	public String toString() {
		return this.setting + "=" + format(this.duration) + " (" + this.source.name().toLowerCase(Locale.ROOT)
				+ ((this.cappedAt != null) ? ", capped" : "") + ((this.loweredToFit != null) ? ", lowered" : "") + ")";
	}

	/**
	 * Where the value of a clock comes from.
	 */
	public enum Source {

		/**
		 * The user set it.
		 */
		SET,

		/**
		 * A built-in default, or the platform's session timeout.
		 */
		DEFAULT,

		/**
		 * The preset.
		 */
		PRESET,

		/**
		 * The global value, for a policy that does not set it.
		 */
		INHERITED

	}

}
