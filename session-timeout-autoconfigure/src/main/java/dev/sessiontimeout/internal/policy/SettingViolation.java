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

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One configured value that breaks a rule, told in the terms of the policy code: the
 * setting, its value, the rule and, for a rule that compares it with another value, that
 * value. The rule says what the fix is; the auto-configuration words both with property
 * names.
 *
 * @param setting the offending setting
 * @param value its value, as the user wrote it
 * @param rule the rule it breaks
 * @param bound the value it must not exceed, for {@link Rule#LONGER_THAN_CLOCK} (the
 * longer clock) and {@link Rule#WEAKER_THAN_PRESET} (the preset's value); else
 * {@code null}
 * @param claimedBy the earlier policy that claims every authentication the offending one
 * claims, for {@link Rule#UNREACHABLE_POLICY}; else {@code null}
 * @author session-timeout
 * @since 0.1.0
 */
public record SettingViolation(Setting setting, String value, Rule rule, @Nullable ClockValue bound,
		@Nullable PolicyRef claimedBy) {

	public SettingViolation {
		Objects.requireNonNull(setting, "'setting' must not be null");
		Objects.requireNonNull(value, "'value' must not be null");
		Objects.requireNonNull(rule, "'rule' must not be null");
		if ((bound != null) != rule.hasBound()) {
			throw new IllegalArgumentException(
					"A bound is needed by, and only by, LONGER_THAN_CLOCK and" + " WEAKER_THAN_PRESET, not " + rule);
		}
		if ((claimedBy != null) != (rule == Rule.UNREACHABLE_POLICY)) {
			throw new IllegalArgumentException(
					"An earlier policy is needed by, and only by, UNREACHABLE_POLICY, not " + rule);
		}
	}

	/**
	 * Create a violation of a rule that names no earlier policy.
	 * @param setting the offending setting
	 * @param value its value, as the user wrote it
	 * @param rule the rule it breaks
	 * @param bound the value it must not exceed, for {@link Rule#LONGER_THAN_CLOCK} and
	 * {@link Rule#WEAKER_THAN_PRESET}; else {@code null}
	 */
	public SettingViolation(Setting setting, String value, Rule rule, @Nullable ClockValue bound) {
		this(setting, value, rule, bound, null);
	}

	SettingViolation(Setting setting, String value, Rule rule) {
		this(setting, value, rule, null, null);
	}

	/**
	 * Return the earlier policy that claims every authentication the offending one
	 * claims.
	 * @return the earlier policy
	 * @throws IllegalStateException if the rule is not {@link Rule#UNREACHABLE_POLICY}
	 */
	public PolicyRef requiredClaimedBy() {
		if (this.claimedBy == null) {
			throw new IllegalStateException(this.rule + " names no earlier policy");
		}
		return this.claimedBy;
	}

	/**
	 * Return the value this one must not exceed.
	 * @return the bound
	 * @throws IllegalStateException if the rule compares with no other value
	 */
	public ClockValue requiredBound() {
		if (this.bound == null) {
			throw new IllegalStateException(this.rule + " compares with no other value");
		}
		return this.bound;
	}

	@Override
	public String toString() {
		return this.setting + "=" + this.value + ": " + this.rule + ((this.bound != null) ? " " + this.bound : "")
				+ ((this.claimedBy != null) ? " by " + this.claimedBy : "");
	}

	/**
	 * A configuration rule, and what fixes a value that breaks it.
	 */
	public enum Rule {

		/**
		 * A clock must not be negative: use a positive duration, or -1 to disable it.
		 */
		NEGATIVE_DURATION,

		/**
		 * Only the privileged age may be 0: use a positive duration, or -1 to disable the
		 * clock.
		 */
		ZERO_DURATION,

		/**
		 * An explicit value must not be weaker than the preset's: use at most the
		 * preset's value, or write why the application deviates.
		 */
		WEAKER_THAN_PRESET,

		/**
		 * The clocks must keep their order ({@code absolute >= reauthentication >= idle},
		 * {@code privileged <= reauthentication, absolute}): shorten the value, or
		 * lengthen the longer clock (and its limit, if it capped it).
		 */
		LONGER_THAN_CLOCK,

		/**
		 * A limit must be positive: use a positive duration, or remove the limit.
		 */
		NON_POSITIVE_LIMIT,

		/**
		 * The store grace must not be negative: use zero or a positive duration.
		 */
		NEGATIVE_STORE_GRACE,

		/**
		 * The response check interval must be positive: use a positive duration.
		 */
		NON_POSITIVE_RESPONSE_CHECK_INTERVAL,

		/**
		 * The response check interval must not be shorter than the precision of the
		 * session clocks, which read the time to the millisecond: use at least 1ms.
		 */
		SUB_MILLISECOND_RESPONSE_CHECK_INTERVAL,

		/**
		 * Every policy needs a name: name it.
		 */
		MISSING_NAME,

		/**
		 * A policy name may hold only letters, digits, {@code -}, {@code _} and
		 * {@code .}, since it is written unescaped in log lines and in every session of
		 * the policy: rename the policy.
		 */
		INVALID_NAME,

		/**
		 * Policy names must be unique, and none may be the name of the global values:
		 * rename the policy.
		 */
		DUPLICATE_NAME,

		/**
		 * An authority must not be blank: name one, or remove the entry.
		 */
		BLANK_AUTHORITY,

		/**
		 * A policy must say which authentications it claims: set its authorities or
		 * whether it claims remember-me authentications.
		 */
		NO_AUTHENTICATIONS,

		/**
		 * A policy must be able to apply: an earlier policy claims every authentication
		 * it claims (the first that claims one wins), so its clocks would never be used.
		 * Move it before the earlier policy, or remove it.
		 */
		UNREACHABLE_POLICY;

		boolean hasBound() {
			return this == LONGER_THAN_CLOCK || this == WEAKER_THAN_PRESET;
		}

	}

}
