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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.internal.policy.InvalidSessionDurationException;
import dev.sessiontimeout.internal.policy.SessionDurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Property-based tests of the duration parser and of the properties: any text either
 * parses, or fails startup with the starter's report that names the property, never with
 * another exception.
 *
 * @author session-timeout
 */
class SessionTimeoutPropertiesFuzzTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class));

	@Property(tries = 2000)
	void parseWhenAnyTextThenADurationOrItsOwnException(@ForAll("durationLike") String text) {
		Duration duration;
		try {
			duration = SessionDurations.parse(text);
		}
		catch (InvalidSessionDurationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(duration).isNotNull();
	}

	@Property(tries = 500)
	void parseWhenAFormattedDurationThenTheSameDuration(@ForAll("durations") Duration duration) {
		assertThat(SessionDurations.parse(SessionDurations.format(duration))).isEqualTo(duration);
	}

	@Property(tries = 60)
	void startupWhenAnyTextForAClockThenStartsOrReportsTheProperty(@ForAll("clocks") String property,
			@ForAll("durationLike") String text) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		this.contextRunner
			.withPropertyValues(property + "=" + text, "session-timeout.policies[0].name=operators",
					"session-timeout.policies[0].authorities=ROLE_OPERATOR")
			.withInitializer((context) -> environment.set(context.getEnvironment()))
			.run((context) -> {
				if (context.getStartupFailure() == null) {
					return;
				}
				FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(environment.get())
					.analyze(context.getStartupFailure());
				assertThat(analysis).as("the report of %s=%s", property, text).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: " + property);
			});
	}

	@Provide
	Arbitrary<String> durationLike() {
		Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
				Arbitraries.strings().withChars("0123456789-+ .PTHMSDnsumhd").ofMaxLength(16),
				Arbitraries.longs().map(String::valueOf),
				Combinators
					.combine(Arbitraries.longs().between(-5, 100_000),
							Arbitraries.of("ns", "us", "ms", "s", "m", "h", "d", "w", ""))
					.as((amount, unit) -> amount + unit),
				Arbitraries.of("-1", "0", "0s", "P1D", "PT-1S", "1h30m", "99999999999999999999d", "\u0661\u0662m"));
		// Commas split a value into a list, and ${ starts one of Spring's placeholders
		return pieces.filter(
				(text) -> !text.contains(",") && !text.contains("\n") && !text.contains("\r") && !text.contains("${"));
	}

	@Provide
	Arbitrary<Duration> durations() {
		return Arbitraries.longs().between(1, 400L * 24 * 3600 * 1000).map(Duration::ofMillis);
	}

	@Provide
	Arbitrary<String> clocks() {
		return Arbitraries.of("session-timeout.absolute", "session-timeout.idle", "session-timeout.reauthentication",
				"session-timeout.privileged.max-age", "session-timeout.policies[0].idle", "session-timeout.store-grace",
				"session-timeout.response-check-interval");
	}

}
