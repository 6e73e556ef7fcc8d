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
package dev.sessiontimeout.internal.security;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.core.session.ReactiveSessionRegistry;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ReactiveSessionRegistryEndListener}.
 */
class ReactiveSessionRegistryEndListenerTests {

	private final InMemoryReactiveSessionRegistry registry = new InMemoryReactiveSessionRegistry();

	private final ReactiveSessionRegistryEndListener listener = new ReactiveSessionRegistryEndListener(
			() -> this.registry);

	@Test
	void sessionRevokedWhenRegisteredThenRemovesIt() {
		register("a", "user");
		register("b", "user");
		this.listener.sessionRevoked("a");
		assertThat(this.registry.getSessionInformation("a").block()).isNull();
		assertThat(this.registry.getAllSessions("user")
			.map(ReactiveSessionInformation::getSessionId)
			.collectList()
			.block()).containsExactly("b");
	}

	@Test
	void sessionEndedWhenRegisteredThenRemovesIt() {
		register("a", "user");
		SessionAccess session = mock(SessionAccess.class);
		given(session.getId()).willReturn("a");
		this.listener.sessionEnded(session, ExpiryReason.IDLE);
		assertThat(this.registry.getSessionInformation("a").block()).isNull();
		assertThat(this.registry.getAllSessions("user").collectList().block()).isEmpty();
	}

	@Test
	void sessionRevokedWhenTheApplicationHasNoRegistryOrItsFailsThenEndsNothingElse() {
		assertThatNoException()
			.isThrownBy(() -> new ReactiveSessionRegistryEndListener(() -> null).sessionRevoked("a"));
		ReactiveSessionRegistry failing = mock(ReactiveSessionRegistry.class);
		given(failing.removeSessionInformation("a")).willReturn(Mono.error(new IllegalStateException("down")));
		assertThatNoException()
			.isThrownBy(() -> new ReactiveSessionRegistryEndListener(() -> failing).sessionRevoked("a"));
	}

	private void register(String sessionId, String principal) {
		this.registry.saveSessionInformation(new ReactiveSessionInformation(principal, sessionId, Instant.now()))
			.block();
	}

}
