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
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Parses and formats session durations: Spring Boot's simple ({@code 30m}, {@code 8h})
 * and ISO-8601 ({@code PT8H}) styles, compound values ({@code 1h13m3s}, {@code 1d12h}), a
 * bare number of minutes ({@code 240}), and {@code -1} for a disabled clock.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionDurations {

	/**
	 * The value of a disabled clock: {@code -1}, read as minutes like any bare number.
	 */
	public static final Duration DISABLED = Duration.ofMinutes(-1);

	/**
	 * The longest session duration: 100 years. Anything longer is meant as "never", which
	 * is {@code -1}, and far enough beyond it the deadlines of a session no longer fit in
	 * an {@link java.time.Instant}.
	 */
	public static final Duration MAX = Duration.ofDays(36500);

	/**
	 * What a valid value looks like, for error messages.
	 */
	public static final String SYNTAX = "a duration such as 30m, 8h, 1h30m, 1d12h or PT8H, a bare number of minutes"
			+ " such as 240, or -1 to disable the clock";

	private static final String NEGATIVE = "a duration must not be negative";

	private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+");

	private static final Pattern COMPOUND = Pattern.compile("([+-]?)((?:\\d+\\s*(?:ns|us|ms|s|m|h|d)\\s*)+)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

	private SessionDurations() {
	}

	/**
	 * Parse a session duration.
	 * @param text the text to parse
	 * @return the duration, {@link #DISABLED} for {@code -1}
	 * @throws InvalidSessionDurationException if the text is not a duration
	 */
	public static Duration parse(String text) {
		Duration duration = parseUnbounded(text);
		// Not abs(): the most negative Duration has no positive counterpart
		if (duration.compareTo(MAX) > 0 || duration.compareTo(MAX.negated()) < 0) {
			throw new InvalidSessionDurationException(text, "longer than a session duration may be: at most "
					+ format(MAX) + " (100 years), -1 for a clock" + " that never ends", null);
		}
		return duration;
	}

	private static Duration parseUnbounded(String text) {
		String value = text.strip();
		try {
			if (NUMBER.matcher(value).matches()) {
				return Duration.ofMinutes(Long.parseLong(value));
			}
			if (value.toUpperCase(Locale.ROOT).matches("[+-]?P.*")) {
				return notDisabled(text, Duration.parse(value));
			}
			Matcher compound = COMPOUND.matcher(value);
			if (compound.matches()) {
				Duration total = Duration.ZERO;
				Matcher part = PART.matcher(compound.group(2));
				while (part.find()) {
					total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2).toLowerCase(Locale.ROOT)));
				}
				return notDisabled(text, "-".equals(compound.group(1)) ? total.negated() : total);
			}
		}
		catch (DateTimeParseException | ArithmeticException | NumberFormatException ex) {
			throw new InvalidSessionDurationException(text, ex);
		}
		throw new InvalidSessionDurationException(text, null);
	}

	/**
	 * Refuse minus one minute written other than {@code -1} ({@code -1m}, {@code -60s},
	 * {@code PT-1M}): a negative duration, which would otherwise bind to the very value
	 * that disables a clock. The rule is the one every other negative value breaks.
	 * @param text the text as written
	 * @param duration its value
	 * @return the duration, unless it is the disabled value
	 */
	private static Duration notDisabled(String text, Duration duration) {
		if (isDisabled(duration)) {
			throw new InvalidSessionDurationException(text, NEGATIVE, null);
		}
		return duration;
	}

	private static Duration unit(long amount, String unit) {
		return switch (unit) {
			case "ns" -> Duration.ofNanos(amount);
			case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			default -> Duration.ofDays(amount);
		};
	}

	/**
	 * Return whether the given value disables its clock.
	 * @param duration the value
	 * @return {@code true} for {@link #DISABLED}
	 */
	public static boolean isDisabled(@Nullable Duration duration) {
		return DISABLED.equals(duration);
	}

	/**
	 * Format a duration the way users write it, for example {@code 1h30m}, {@code 0s} or
	 * {@code -1} for a disabled clock ({@code null} too).
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(@Nullable Duration duration) {
		if (duration == null || isDisabled(duration)) {
			return "-1";
		}
		if (duration.isZero()) {
			return "0s";
		}
		StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
		Duration rest = duration.abs();
		append(text, rest.toDays(), "d");
		append(text, rest.toHoursPart(), "h");
		append(text, rest.toMinutesPart(), "m");
		append(text, rest.toSecondsPart(), "s");
		append(text, rest.toMillisPart(), "ms");
		return text.toString();
	}

	private static void append(StringBuilder text, long amount, String unit) {
		if (amount != 0) {
			text.append(amount).append(unit);
		}
	}

}
