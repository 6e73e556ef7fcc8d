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
package dev.sessiontimeout.test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutClockAutoConfiguration}.
 */
class SessionTimeoutClockAutoConfigurationTests {

	private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutClockAutoConfiguration.class));

	@Test
	void registersAMovableClockNamedSessionTimeoutClockAtTheCurrentInstant() {
		Instant before = Instant.now();
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MovableClock.class).hasBean("sessionTimeoutClock");
			MovableClock clock = context.getBean("sessionTimeoutClock", MovableClock.class);
			assertThat(clock.instant()).isBetween(before, Instant.now());
			assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
		});
	}

	@Test
	void eachApplicationContextGetsItsOwnClock() {
		AtomicReference<MovableClock> first = new AtomicReference<>();
		this.contextRunner.run((context) -> first.set(context.getBean(MovableClock.class)));
		first.get().set(NOON);
		this.contextRunner.run((context) -> {
			MovableClock clock = context.getBean(MovableClock.class);
			assertThat(clock).isNotSameAs(first.get());
			assertThat(clock.instant()).isNotEqualTo(NOON);
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesASessionTimeoutClock() {
		this.contextRunner.withUserConfiguration(FixedClockConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(MovableClock.class).hasSingleBean(Clock.class);
			assertThat(context.getBean("sessionTimeoutClock", Clock.class).instant()).isEqualTo(NOON);
		});
	}

	@Test
	void keepsItsClockWhenTheApplicationHasAnotherClock() {
		this.contextRunner.withUserConfiguration(OtherClockConfiguration.class).run((context) -> {
			assertThat(context).hasBean("applicationClock");
			assertThat(context.getBean("sessionTimeoutClock")).isInstanceOf(MovableClock.class);
		});
	}

	@Test
	void leavesTheApplicationsOwnClockTheOneInjectedByType() {
		this.contextRunner.withUserConfiguration(OtherClockConfiguration.class, ClockUserConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ClockUser.class).clock).isSameAs(context.getBean("applicationClock"));
				assertThat(context.getBean(Clock.class)).isSameAs(context.getBean("applicationClock"));
				assertThat(context.getBean(MovableClock.class)).isSameAs(context.getBean("sessionTimeoutClock"));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class FixedClockConfiguration {

		@Bean
		Clock sessionTimeoutClock() {
			return Clock.fixed(NOON, ZoneOffset.UTC);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherClockConfiguration {

		@Bean
		Clock applicationClock() {
			return Clock.systemUTC();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClockUserConfiguration {

		@Bean
		ClockUser clockUser(Clock clock) {
			return new ClockUser(clock);
		}

	}

	static class ClockUser {

		final Clock clock;

		ClockUser(Clock clock) {
			this.clock = clock;
		}

	}

}
