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
package dev.sessiontimeout.internal.actuate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionChallengedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutMetrics}.
 */
class SessionTimeoutMetricsTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SessionTimeoutMetrics metrics = new SessionTimeoutMetrics(this.registry);

	private static SessionTimeoutEvent event(ExpiryReason reason) {
		return reason.isEnding()
				? new SessionEndedEvent("test", CLOCK, reason, "alice", "0123456789abcdef", CLOCK.instant(), "default")
				: new SessionChallengedEvent("test", CLOCK, reason, "alice", "0123456789abcdef", CLOCK.instant(),
						"default");
	}

	private double count(String name, String tag, String value) {
		return this.registry.get(name).tag(tag, value).counter().count();
	}

	@Test
	void constructorRegistersEveryCounterAtZero() {
		for (String reason : new String[] { "absolute", "idle", "revoked", "invalid" }) {
			assertThat(count(SessionTimeoutMetrics.EXPIRED, "reason", reason)).isZero();
		}
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "challenged")).isZero();
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "succeeded")).isZero();
	}

	@Test
	void onApplicationEventWhenSessionEndedThenCountsItsReason() {
		this.metrics.onApplicationEvent(event(ExpiryReason.IDLE));
		this.metrics.onApplicationEvent(event(ExpiryReason.IDLE));
		this.metrics.onApplicationEvent(event(ExpiryReason.ABSOLUTE));
		assertThat(count(SessionTimeoutMetrics.EXPIRED, "reason", "idle")).isEqualTo(2);
		assertThat(count(SessionTimeoutMetrics.EXPIRED, "reason", "absolute")).isEqualTo(1);
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "challenged")).isZero();
	}

	@Test
	void onApplicationEventWhenChallengedThenCountsAStepUp() {
		this.metrics.onApplicationEvent(event(ExpiryReason.PRIVILEGED));
		this.metrics.onApplicationEvent(event(ExpiryReason.REAUTHENTICATION));
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "challenged")).isEqualTo(2);
		assertThat(this.registry.find(SessionTimeoutMetrics.EXPIRED).counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void onStepUpWhenChallengeMetThenCountsSucceeded() {
		this.metrics.onStepUp(stepUp(ExpiryReason.PRIVILEGED));
		this.metrics.onStepUp(stepUp(ExpiryReason.REAUTHENTICATION));
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "succeeded")).isEqualTo(2);
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "challenged")).isZero();
		assertThat(this.registry.find(SessionTimeoutMetrics.EXPIRED).counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void onApplicationEventWhenPrivilegedThenCountsChallengedNotSucceeded() {
		this.metrics.onApplicationEvent(event(ExpiryReason.PRIVILEGED));
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "challenged")).isEqualTo(1);
		assertThat(count(SessionTimeoutMetrics.STEP_UP, "outcome", "succeeded")).isZero();
	}

	@Test
	void constructorWhenRegisteredThenOneStepUpCounterPerOutcome() {
		assertThat(this.registry.find(SessionTimeoutMetrics.STEP_UP).counters())
			.extracting((counter) -> counter.getId().getTag("outcome"))
			.containsExactlyInAnyOrder("challenged", "succeeded");
	}

	private static SessionStepUpEvent stepUp(ExpiryReason reason) {
		return new SessionStepUpEvent("test", CLOCK, reason, "alice", "0123456789abcdef", "administrators");
	}

}
