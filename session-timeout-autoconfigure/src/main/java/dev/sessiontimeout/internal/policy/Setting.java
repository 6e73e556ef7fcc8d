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

import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A value that a user configures, told in the terms of the policy code: what it sets and,
 * for a value of a policy, which policy. The auto-configuration names its property.
 *
 * @param kind what the value sets
 * @param policy the policy it belongs to, {@link PolicyRef#GLOBAL} for a value that no
 * policy has
 * @param clock the clock it sets or limits, for {@link Kind#CLOCK} and
 * {@link Kind#LIMIT}; else {@code null}
 * @param entry the position of one entry of a list, for one authority of
 * {@link Kind#AUTHORITIES}; else {@code -1}
 * @author session-timeout
 * @since 0.1.0
 */
public record Setting(Kind kind, PolicyRef policy, @Nullable SessionClock clock, int entry) {

	public Setting {
		Objects.requireNonNull(kind, "'kind' must not be null");
		Objects.requireNonNull(policy, "'policy' must not be null");
		if ((clock != null) != (kind == Kind.CLOCK || kind == Kind.LIMIT)) {
			throw new IllegalArgumentException("A clock is needed by, and only by, CLOCK and LIMIT, not " + kind);
		}
		if (kind == Kind.LIMIT && !clock.hasLimit()) {
			throw new IllegalArgumentException("The " + clock.displayName() + " has no limit");
		}
		if (kind.global != null && kind.global != policy.isGlobal()) {
			throw new IllegalArgumentException(
					kind + " is set " + (kind.global ? "only globally" : "only by a policy") + ", not by " + policy);
		}
		if (entry < -1 || (entry != -1 && kind != Kind.AUTHORITIES)) {
			throw new IllegalArgumentException(
					"Only AUTHORITIES has entries, and from 0, but was " + kind + " " + entry);
		}
	}

	/**
	 * Return the setting of a clock.
	 * @param policy the policy that sets it
	 * @param clock the clock
	 * @return the setting
	 */
	public static Setting clock(PolicyRef policy, SessionClock clock) {
		return new Setting(Kind.CLOCK, policy, clock, -1);
	}

	/**
	 * Return the setting of whether session cookies are persistent.
	 * @param policy the policy that sets it
	 * @return the setting
	 */
	public static Setting cookiePersistent(PolicyRef policy) {
		return new Setting(Kind.COOKIE_PERSISTENT, policy, null, -1);
	}

	/**
	 * Return the setting of the limit of a clock.
	 * @param clock the clock, which must {@link SessionClock#hasLimit() have a limit}
	 * @return the setting
	 */
	public static Setting limit(SessionClock clock) {
		return new Setting(Kind.LIMIT, PolicyRef.GLOBAL, clock, -1);
	}

	/**
	 * Return the setting of the store grace.
	 * @return the setting
	 */
	public static Setting storeGrace() {
		return new Setting(Kind.STORE_GRACE, PolicyRef.GLOBAL, null, -1);
	}

	/**
	 * Return the setting of how often a long-lived response reads its session again.
	 * @return the setting
	 */
	public static Setting responseCheckInterval() {
		return new Setting(Kind.RESPONSE_CHECK_INTERVAL, PolicyRef.GLOBAL, null, -1);
	}

	/**
	 * Return the setting of why the configuration deviates from its preset.
	 * @return the setting
	 */
	public static Setting presetDeviation() {
		return new Setting(Kind.PRESET_DEVIATION, PolicyRef.GLOBAL, null, -1);
	}

	/**
	 * Return the setting of a policy's name.
	 * @param policy the policy
	 * @return the setting
	 */
	public static Setting name(PolicyRef policy) {
		return new Setting(Kind.NAME, policy, null, -1);
	}

	/**
	 * Return the setting of the authorities that a policy claims.
	 * @param policy the policy
	 * @return the setting
	 */
	public static Setting authorities(PolicyRef policy) {
		return new Setting(Kind.AUTHORITIES, policy, null, -1);
	}

	/**
	 * Return the setting of one of the authorities that a policy claims.
	 * @param policy the policy
	 * @param entry the position of the authority in the list
	 * @return the setting
	 */
	public static Setting authority(PolicyRef policy, int entry) {
		if (entry < 0) {
			throw new IllegalArgumentException("'entry' must not be negative, but was " + entry);
		}
		return new Setting(Kind.AUTHORITIES, policy, null, entry);
	}

	/**
	 * Return the setting of whether a policy claims remember-me authentications.
	 * @param policy the policy
	 * @return the setting
	 */
	public static Setting rememberMe(PolicyRef policy) {
		return new Setting(Kind.REMEMBER_ME, policy, null, -1);
	}

	/**
	 * Return the clock this setting sets or limits.
	 * @return the clock
	 * @throws IllegalStateException if it is not a setting of {@link Kind#CLOCK} or
	 * {@link Kind#LIMIT}
	 */
	public SessionClock requiredClock() {
		if (this.clock == null) {
			throw new IllegalStateException(this + " is not about a clock");
		}
		return this.clock;
	}

	@Override
	public String toString() {
		String what = switch (this.kind) {
			case CLOCK, LIMIT -> requiredClock().displayName() + ((this.kind == Kind.LIMIT) ? " limit" : "");
			case AUTHORITIES -> (this.entry >= 0) ? "authority " + this.entry : "authorities";
			default -> this.kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
		};
		return what + " of " + this.policy;
	}

	/**
	 * What a setting sets.
	 */
	public enum Kind {

		/**
		 * The duration of a clock, global or of a policy.
		 */
		CLOCK(null),

		/**
		 * Whether session cookies outlive the browser session, global or of a policy.
		 */
		COOKIE_PERSISTENT(null),

		/**
		 * The ceiling of a clock, global only.
		 */
		LIMIT(true),

		/**
		 * How long a store keeps an ended session, global only.
		 */
		STORE_GRACE(true),

		/**
		 * How often a long-lived response reads its session again, global only.
		 */
		RESPONSE_CHECK_INTERVAL(true),

		/**
		 * Why the configuration deviates from its preset, global only.
		 */
		PRESET_DEVIATION(true),

		/**
		 * The name of a policy.
		 */
		NAME(false),

		/**
		 * The authorities a policy claims, or one of them.
		 */
		AUTHORITIES(false),

		/**
		 * Whether a policy claims remember-me authentications.
		 */
		REMEMBER_ME(false);

		private final @Nullable Boolean global;

		Kind(@Nullable Boolean global) {
			this.global = global;
		}

	}

}
