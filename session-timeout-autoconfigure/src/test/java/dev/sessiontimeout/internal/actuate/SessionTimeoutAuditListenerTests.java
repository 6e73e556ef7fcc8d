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

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionChallengedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link SessionTimeoutAuditListener}.
 */
class SessionTimeoutAuditListenerTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private final InMemoryAuditEventRepository repository = new InMemoryAuditEventRepository();

	private final SessionTimeoutAuditListener listener = new SessionTimeoutAuditListener(this.repository);

	@Test
	void onApplicationEventWhenIdleThenRecordsSessionExpired() {
		this.listener.onApplicationEvent(new SessionEndedEvent("test", CLOCK, ExpiryReason.IDLE, "alice",
				"0123456789abcdef", NOW.minusSeconds(1), "default"));
		assertThat(this.repository.find("alice", null, null)).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo(SessionTimeoutAuditListener.SESSION_EXPIRED);
			assertThat(event.getTimestamp()).isEqualTo(NOW);
			assertThat(event.getData()).containsExactly(entry("reason", "idle"), entry("session", "0123456789abcdef"),
					entry("policy", "default"), entry("deadline", NOW.minusSeconds(1).toString()));
		});
	}

	@Test
	void onApplicationEventWhenRevokedOrChallengedThenRecordsItsType() {
		this.listener.onApplicationEvent(
				new SessionEndedEvent("test", CLOCK, ExpiryReason.REVOKED, "alice", "0123", null, "default"));
		this.listener.onApplicationEvent(
				new SessionChallengedEvent("test", CLOCK, ExpiryReason.PRIVILEGED, null, "4567", NOW, "default"));
		assertThat(this.repository.find("alice", null, SessionTimeoutAuditListener.SESSION_REVOKED)).hasSize(1);
		assertThat(this.repository.find("anonymousUser", null, SessionTimeoutAuditListener.STEP_UP_CHALLENGED))
			.hasSize(1);
	}

	@Test
	void onStepUpWhenChallengeMetThenRecordsStepUpSucceeded() {
		this.listener.onStepUp(new SessionStepUpEvent("test", CLOCK, ExpiryReason.PRIVILEGED, "alice",
				"0123456789abcdef", "administrators"));
		assertThat(this.repository.find("alice", null, null)).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo("SESSION_STEP_UP_SUCCEEDED")
				.isEqualTo(SessionTimeoutAuditListener.STEP_UP_SUCCEEDED);
			assertThat(event.getTimestamp()).isEqualTo(NOW);
			assertThat(event.getData()).containsExactly(entry("reason", "privileged"),
					entry("session", "0123456789abcdef"), entry("policy", "administrators"));
		});
	}

	@Test
	void onStepUpWhenNoPrincipalThenAnonymousUser() {
		this.listener
			.onStepUp(new SessionStepUpEvent("test", CLOCK, ExpiryReason.REAUTHENTICATION, null, "0123", "default"));
		assertThat(this.repository.find("anonymousUser", null, SessionTimeoutAuditListener.STEP_UP_SUCCEEDED))
			.singleElement()
			.satisfies((event) -> assertThat(event.getData()).containsEntry("reason", "reauthentication"));
	}

	@Test
	void onApplicationEventWhenReauthenticationChallengedThenRecordsStepUpChallenged() {
		this.listener.onApplicationEvent(new SessionChallengedEvent("test", CLOCK, ExpiryReason.REAUTHENTICATION,
				"alice", "0123", NOW, "default"));
		assertThat(this.repository.find("alice", null, null)).singleElement()
			.satisfies((event) -> assertThat(event.getType()).isEqualTo("SESSION_STEP_UP_CHALLENGED"));
	}

}
