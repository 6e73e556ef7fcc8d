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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SessionDurations}.
 *
 * @author session-timeout
 */
class SessionDurationsTests {

	@Test
	void parseWhenSimpleMinutesThenMinutes() {
		assertThat(SessionDurations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void parseWhenSimpleHoursThenHours() {
		assertThat(SessionDurations.parse("8h")).isEqualTo(Duration.ofHours(8));
	}

	@Test
	void parseWhenIsoThenIso() {
		assertThat(SessionDurations.parse("PT8H")).isEqualTo(Duration.ofHours(8));
		assertThat(SessionDurations.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
	}

	@Test
	void parseWhenCompoundThenSumOfParts() {
		assertThat(SessionDurations.parse("1h13m3s")).isEqualTo(Duration.ofHours(1).plusMinutes(13).plusSeconds(3));
	}

	@Test
	void parseWhenCompoundWithDaysThenDaysAndHours() {
		assertThat(SessionDurations.parse("1d12h")).isEqualTo(Duration.ofHours(36));
	}

	@Test
	void parseWhenCompoundWithSpacesThenSumOfParts() {
		assertThat(SessionDurations.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
	}

	@Test
	void parseWhenSmallUnitsThenExact() {
		assertThat(SessionDurations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
		assertThat(SessionDurations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
		assertThat(SessionDurations.parse("7ns")).isEqualTo(Duration.ofNanos(7));
	}

	@Test
	void parseWhenUpperCaseUnitThenParsed() {
		assertThat(SessionDurations.parse("8H")).isEqualTo(Duration.ofHours(8));
	}

	@Test
	void parseWhenSurroundedByWhitespaceThenStripped() {
		assertThat(SessionDurations.parse("  30m ")).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void parseWhenBareNumberThenMinutes() {
		assertThat(SessionDurations.parse("240")).isEqualTo(Duration.ofMinutes(240));
	}

	@Test
	void parseWhenMinusOneThenDisabled() {
		Duration duration = SessionDurations.parse("-1");
		assertThat(duration).isEqualTo(SessionDurations.DISABLED);
		assertThat(SessionDurations.isDisabled(duration)).isTrue();
	}

	@Test
	void parseWhenZeroThenZero() {
		assertThat(SessionDurations.parse("0")).isZero();
		assertThat(SessionDurations.parse("0s")).isZero();
	}

	@Test
	void parseWhenNegativeOtherThanMinusOneThenNegativeAndNotDisabled() {
		Duration duration = SessionDurations.parse("-5m");
		assertThat(duration).isEqualTo(Duration.ofMinutes(-5));
		assertThat(SessionDurations.isDisabled(duration)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1m", "-60s", "-PT1M" })
	void parseWhenNegativeOneMinuteWrittenWithUnitThenRejected(String text) {
		assertThatExceptionOfType(InvalidSessionDurationException.class).isThrownBy(() -> SessionDurations.parse(text))
			.satisfies((ex) -> assertThat(ex.getText()).isEqualTo(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "12x", "1h-3m", "", "h", "1.5h", "P", "--1" })
	void parseWhenGarbageThenInvalidSessionDurationNamingTextAndSyntax(String text) {
		assertThatExceptionOfType(InvalidSessionDurationException.class).isThrownBy(() -> SessionDurations.parse(text))
			.withMessageContaining("'" + text + "'")
			.withMessageContaining(SessionDurations.SYNTAX)
			.satisfies((ex) -> assertThat(ex.getText()).isEqualTo(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "99999999999999999999", "99999999999999999999h", "9223372036854775807d",
			"PT-9223372036854775808S" })
	void parseWhenTooLargeThenInvalidSessionDuration(String text) {
		assertThatExceptionOfType(InvalidSessionDurationException.class).isThrownBy(() -> SessionDurations.parse(text))
			.withMessageContaining("'" + text + "'")
			.satisfies((ex) -> assertThat(ex.getText()).isEqualTo(text));
	}

	@Test
	void parseWhenIsoMalformedThenCauseKept() {
		assertThatExceptionOfType(InvalidSessionDurationException.class)
			.isThrownBy(() -> SessionDurations.parse("PTxH"))
			.withMessage("'PTxH' is not a session duration; use " + SessionDurations.SYNTAX)
			.withCauseInstanceOf(java.time.format.DateTimeParseException.class);
	}

	@Test
	void isDisabledWhenOtherValuesThenFalse() {
		assertThat(SessionDurations.isDisabled(null)).isFalse();
		assertThat(SessionDurations.isDisabled(Duration.ZERO)).isFalse();
		assertThat(SessionDurations.isDisabled(Duration.ofMinutes(1))).isFalse();
	}

	@Test
	void formatWhenDurationThenWrittenAsUsersWriteIt() {
		assertThat(SessionDurations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
		assertThat(SessionDurations.format(Duration.ofHours(36))).isEqualTo("1d12h");
		assertThat(SessionDurations.format(Duration.ofHours(1).plusMinutes(13).plusSeconds(3))).isEqualTo("1h13m3s");
		assertThat(SessionDurations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
		assertThat(SessionDurations.format(Duration.ofMinutes(-5))).isEqualTo("-5m");
	}

	@Test
	void formatWhenZeroThenZeroSeconds() {
		assertThat(SessionDurations.format(Duration.ZERO)).isEqualTo("0s");
	}

	@Test
	void formatWhenDisabledOrNullThenMinusOne() {
		assertThat(SessionDurations.format(SessionDurations.DISABLED)).isEqualTo("-1");
		assertThat(SessionDurations.format(null)).isEqualTo("-1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "30m", "8h", "1h13m3s", "1d12h", "30d", "1h30m", "45s", "1s500ms", "0s", "-1", "-5m" })
	void formatWhenParsedThenRoundTrips(String text) {
		Duration duration = SessionDurations.parse(text);
		assertThat(SessionDurations.format(duration)).isEqualTo(text);
		assertThat(SessionDurations.parse(SessionDurations.format(duration))).isEqualTo(duration);
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT8H", "240", "1h 30m", "90m", "PT1H13M3S" })
	void formatWhenOtherNotationThenParsesBackToSameDuration(String text) {
		Duration duration = SessionDurations.parse(text);
		assertThat(SessionDurations.parse(SessionDurations.format(duration))).isEqualTo(duration);
	}

}
