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
 * A clock the user set above its limit, or disabled while it has one, and which now has
 * the limit instead. Reported at {@code WARN}.
 *
 * @param setting the setting of the clock
 * @param configured the value the user set, {@code null} for a disabled clock
 * @param limit the limit, which is the value now used
 * @author session-timeout
 * @since 0.1.0
 */
public record ClampedValue(Setting setting, @Nullable Duration configured, Duration limit) {

	public ClampedValue {
		Objects.requireNonNull(setting, "'setting' must not be null");
		Objects.requireNonNull(limit, "'limit' must not be null");
	}

	/**
	 * Return the setting of the limit.
	 * @return the setting
	 */
	public Setting limitSetting() {
		return Setting.limit(this.setting.requiredClock());
	}

}
