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
package dev.sessiontimeout.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.policy.ClampedValue;
import dev.sessiontimeout.internal.policy.ClockValue;
import dev.sessiontimeout.internal.policy.LoweredDefault;
import dev.sessiontimeout.internal.policy.PolicyRef;
import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.Setting;
import dev.sessiontimeout.internal.policy.SettingViolation;

import static dev.sessiontimeout.internal.policy.SessionDurations.format;

/**
 * Words what the policy code reports with property names: a {@link SettingViolation} as
 * the {@link Violation} that the failure report shows, and the notes and warnings of the
 * settings as the lines that are logged.
 *
 * @author session-timeout
 */
final class SessionTimeoutMessages {

	private SessionTimeoutMessages() {
	}

	/**
	 * Word violations with the names of their properties.
	 * @param violations the violations, in the terms of the policy code
	 * @return the violations, in the same order
	 */
	static List<Violation> violations(List<SettingViolation> violations) {
		return violations.stream().map(SessionTimeoutMessages::violation).toList();
	}

	/**
	 * Word a violation with the names of the properties involved, and with the name of
	 * the policy when a named policy breaks the rule.
	 * @param violation the violation
	 * @return the violation, for example {@code session-timeout.idle=2h}, its rule and
	 * fix
	 */
	static Violation violation(SettingViolation violation) {
		return new Violation(name(violation.setting()), violation.value(), rule(violation), fix(violation));
	}

	/**
	 * Word a default that was lowered to fit, for an {@code INFO} line.
	 * @param note the lowered default
	 * @return the line, for example {@code session-timeout.idle defaults to 30m, longer
	 * than session-timeout.absolute=5m; using 5m}
	 */
	static String note(LoweredDefault note) {
		return unsetDescription(note.value()) + ", longer than " + description(note.longer()) + "; using "
				+ format(note.using());
	}

	/**
	 * Word a value that was clamped to its limit, for a {@code WARN} line.
	 * @param warning the clamped value
	 * @return the line, for example {@code session-timeout.absolute=1d is above its limit
	 * session-timeout.limits.absolute=8h; using 8h}
	 */
	static String warning(ClampedValue warning) {
		String problem = (warning.configured() != null) ? " is above its limit "
				: " disables a clock that has a limit ";
		return name(warning.setting()) + "=" + format(warning.configured()) + problem + name(warning.limitSetting())
				+ "=" + format(warning.limit()) + "; using " + format(warning.limit());
	}

	private static String rule(SettingViolation violation) {
		Setting setting = violation.setting();
		PolicyRef policy = setting.policy();
		String rule = switch (violation.rule()) {
			case NEGATIVE_DURATION -> "a duration must not be negative";
			case ZERO_DURATION -> "0 is allowed only for the privileged age (always re-authenticate)";
			case WEAKER_THAN_PRESET -> "weaker than preset " + preset(violation.requiredBound()) + ", which sets "
					+ format(violation.requiredBound().duration());
			case LONGER_THAN_CLOCK -> setting.requiredClock().displayName() + " must not be longer than "
					+ violation.requiredBound().clock().displayName() + ", " + description(violation.requiredBound());
			case NON_POSITIVE_LIMIT -> "a limit must be positive";
			case NEGATIVE_STORE_GRACE -> "the store grace must not be negative";
			case NON_POSITIVE_RESPONSE_CHECK_INTERVAL -> "the response check interval must be positive";
			case SUB_MILLISECOND_RESPONSE_CHECK_INTERVAL ->
				"the response check interval must be at least 1ms, the precision of the session clocks";
			case MISSING_NAME -> "every policy needs a name";
			case INVALID_NAME -> "a policy name may hold only letters, digits, '-', '_' and '.': it is written"
					+ " unescaped in log lines and in every session of the policy";
			case DUPLICATE_NAME ->
				"policy names must be unique" + (SessionTimeoutPolicy.DEFAULT_NAME.equals(violation.value())
						? " and " + violation.value() + " is the name of the global values" : "");
			case BLANK_AUTHORITY -> "an authority must not be blank";
			case NO_AUTHENTICATIONS ->
				policy.isNamedPolicy() ? policyName(policy) + " must say which authentications it applies to"
						: "a policy must say which authentications it applies to";
			case UNREACHABLE_POLICY ->
				policyName(policy) + " never applies: " + policyName(violation.requiredClaimedBy()) + ", "
						+ SessionTimeoutPropertyNames.prefix(violation.requiredClaimedBy()).replaceAll("\\.$", "")
						+ ", comes before it and claims every authentication it claims";
		};
		boolean namesPolicy = policy.isNamedPolicy() && setting.kind() != Setting.Kind.NAME
				&& violation.rule() != SettingViolation.Rule.NO_AUTHENTICATIONS
				&& violation.rule() != SettingViolation.Rule.UNREACHABLE_POLICY;
		return namesPolicy ? "in " + policyName(policy) + ", " + rule : rule;
	}

	private static String fix(SettingViolation violation) {
		Setting setting = violation.setting();
		return switch (violation.rule()) {
			case NEGATIVE_DURATION, ZERO_DURATION -> "use a positive duration, or -1 to disable the clock";
			case WEAKER_THAN_PRESET -> "use at most " + format(violation.requiredBound().duration())
					+ ", or write why this application deviates in " + name(Setting.presetDeviation());
			case LONGER_THAN_CLOCK -> {
				ClockValue longer = violation.requiredBound();
				String lengthen = (longer.cappedAt() != null)
						? name(longer.setting()) + " and " + name(Setting.limit(longer.clock()))
						: name(longer.setting());
				yield "shorten " + name(setting) + " to at most " + format(longer.duration()) + ", or set " + lengthen
						+ " to at least " + violation.value();
			}
			case NON_POSITIVE_LIMIT -> "use a positive duration, or remove the limit";
			case NEGATIVE_STORE_GRACE -> "use 0s or a positive duration such as 1m";
			case NON_POSITIVE_RESPONSE_CHECK_INTERVAL -> "use a positive duration such as 10s";
			case SUB_MILLISECOND_RESPONSE_CHECK_INTERVAL -> "use a duration of at least 1ms, such as 10s";
			case MISSING_NAME -> "name the policy, for example administrators";
			case INVALID_NAME -> "use a name such as administrators or remember-me";
			case DUPLICATE_NAME -> "give the policy another name";
			case BLANK_AUTHORITY -> "name an authority such as ROLE_ADMIN, or remove the entry";
			case NO_AUTHENTICATIONS -> "set " + name(Setting.authorities(setting.policy()))
					+ " (any of them matches) or " + name(Setting.rememberMe(setting.policy()));
			case UNREACHABLE_POLICY -> "move " + policyName(setting.policy()) + " before "
					+ policyName(violation.requiredClaimedBy()) + ", or remove it";
		};
	}

	/**
	 * Describe a value and where it comes from, such as
	 * {@code session-timeout.absolute=12h (its default)}.
	 */
	private static String description(ClockValue value) {
		List<String> details = new ArrayList<>();
		switch (value.source()) {
			case DEFAULT -> details.add("its default");
			case PRESET -> details.add("from preset " + preset(value));
			case INHERITED -> details.add("inherited from " + name(value.inheritedFrom()));
			default -> {
			}
		}
		if (value.cappedAt() != null) {
			details.add("capped by " + name(Setting.limit(value.clock())));
		}
		if (value.loweredToFit() != null) {
			details.add("lowered to fit " + name(value.loweredToFit()));
		}
		return name(value.setting()) + "=" + format(value.duration())
				+ (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
	}

	/**
	 * Describe the value of an unset clock before it was lowered to fit, such as
	 * {@code session-timeout.idle defaults to 30m}.
	 */
	private static String unsetDescription(ClockValue value) {
		String name = name(value.setting());
		String configured = format(value.configured());
		String description = switch (value.source()) {
			case PRESET -> name + " is " + configured + " from preset " + preset(value);
			case INHERITED -> name + " inherits " + configured + " from " + name(value.inheritedFrom());
			default -> name + " defaults to " + configured;
		};
		return description + ((value.cappedAt() != null)
				? ", capped at " + format(value.cappedAt()) + " by " + name(Setting.limit(value.clock())) : "");
	}

	private static String policyName(PolicyRef policy) {
		return "policy '" + policy.name() + "'";
	}

	private static String preset(ClockValue value) {
		Preset preset = value.preset();
		return (preset != null) ? preset.value() : "?";
	}

	private static String name(@Nullable Setting setting) {
		return (setting != null) ? SessionTimeoutPropertyNames.of(setting) : "?";
	}

}
