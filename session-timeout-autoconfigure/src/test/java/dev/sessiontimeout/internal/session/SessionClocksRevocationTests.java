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
package dev.sessiontimeout.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#decide} with a revocation marker as a session store may
 * give it back: a revoked session is never served, whatever type its marker has.
 *
 * @author session-timeout
 */
class SessionClocksRevocationTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant NOW = CREATED_AT.plus(Duration.ofMinutes(5));

	private final SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
			Clock.fixed(NOW, ZoneOffset.UTC), (event) -> {
			});

	@ParameterizedTest
	@ValueSource(strings = { "long", "double", "integer", "text" })
	void decideWhenRevokedThenEndsTheSessionWhateverTheMarkersType(String type) {
		MapSessionAccess session = new MapSessionAccess(CREATED_AT);
		this.clocks.start(session);
		long revokedAt = NOW.minusSeconds(60).toEpochMilli();
		Object marker = switch (type) {
			case "long" -> revokedAt;
			case "double" -> (double) revokedAt;
			case "integer" -> 1;
			default -> "revoked by an operator";
		};
		session.setAttribute(SessionAttributes.REVOKED_AT, marker);
		SessionDecision decision = this.clocks.decide(session, TestRequest.anonymous());
		assertThat(decision.reason()).isEqualTo(ExpiryReason.REVOKED);
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void decideWhenTheSessionWasSavedAgainAfterItEndedThenEndsItAgainAndTellsTheEndListeners() {
		InMemoryEndedSessions endedSessions = new InMemoryEndedSessions();
		List<String> ended = new ArrayList<>();
		this.clocks.setEndedSessions(endedSessions);
		this.clocks.setSessionEndListeners(List.of((session, reason) -> ended.add(session.getId() + " " + reason)));
		MapSessionAccess session = new MapSessionAccess(CREATED_AT);
		this.clocks.start(session);
		endedSessions.remember(session.getId(), ExpiryReason.REVOKED, NOW.plusSeconds(60), NOW);
		SessionDecision decision = this.clocks.decide(session, TestRequest.anonymous());
		assertThat(decision.reason()).isEqualTo(ExpiryReason.REVOKED);
		assertThat(session.isInvalid()).isTrue();
		assertThat(ended).containsExactly(session.getId() + " " + ExpiryReason.REVOKED);
	}

}
