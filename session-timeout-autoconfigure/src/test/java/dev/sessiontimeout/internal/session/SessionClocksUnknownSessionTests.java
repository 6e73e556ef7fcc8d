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

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#unknownSessionReason(String)}.
 *
 * @author session-timeout
 */
class SessionClocksUnknownSessionTests {

	private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

	/**
	 * The records that the starter keeps beside the ended sessions (a back-channel
	 * logout, the subject of a provider session, a client naming users otherwise) are
	 * kept under keys that anyone can compute: a request naming such a key as its session
	 * id must not learn that the record exists (a logout of that user in the last hour).
	 */
	@Test
	void unknownSessionReasonWhenTheIdIsTheKeyOfAStartersRecordThenInvalid() {
		InMemoryEndedSessions ended = new InMemoryEndedSessions();
		SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
				Clock.fixed(NOW, ZoneOffset.UTC), (event) -> {
				});
		clocks.setEndedSessions(ended);
		String record = SessionAttributes.PREFIX
				+ "oidcLogout:35:https://idp.example/realms/customers6:clientsub:alice";
		ended.remember(record, ExpiryReason.REVOKED, NOW.plus(Duration.ofHours(1)), NOW);
		ended.remember("7f1c0ad2-9a3b-4be1-8f0e-2a6c1d9e4b57", ExpiryReason.REVOKED, NOW.plus(Duration.ofMinutes(1)),
				NOW);
		assertThat(clocks.unknownSessionReason("7f1c0ad2-9a3b-4be1-8f0e-2a6c1d9e4b57")).isEqualTo(ExpiryReason.REVOKED);
		assertThat(clocks.unknownSessionReason(record)).isEqualTo(ExpiryReason.INVALID);
	}

}
