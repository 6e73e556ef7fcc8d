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
package dev.sessiontimeout.internal.web;

import org.junit.jupiter.api.Test;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link SessionRegistryEndListener}.
 */
class SessionRegistryEndListenerTests {

	private final SessionRegistryImpl registry = new SessionRegistryImpl();

	private final SessionRegistryEndListener listener = new SessionRegistryEndListener(this.registry);

	@Test
	void sessionRevokedWhenRegisteredThenRemovesIt() {
		this.registry.registerNewSession("a", "user");
		this.listener.sessionRevoked("a");
		assertThat(this.registry.getSessionInformation("a")).isNull();
		assertThat(this.registry.getAllPrincipals()).isEmpty();
	}

	@Test
	void sessionIdChangedWhenALoginRegisteredTheNewIdThenRemovesThePreviousOne() {
		this.registry.registerNewSession("before", "user");
		this.registry.registerNewSession("after", "user");
		this.listener.sessionIdChanged("before", "after");
		assertThat(this.registry.getSessionInformation("before")).isNull();
		assertThat(this.registry.getAllSessions("user", true)).extracting(SessionInformation::getSessionId)
			.containsExactly("after");
	}

	@Test
	void sessionIdChangedWhenOnlyThePreviousIdIsRegisteredThenMovesItsEntryExpiredOrNot() {
		this.registry.registerNewSession("before", "user");
		this.registry.registerNewSession("expired", "other");
		this.registry.getSessionInformation("expired").expireNow();
		this.listener.sessionIdChanged("before", "after");
		this.listener.sessionIdChanged("expired", "renamed");
		assertThat(this.registry.getSessionInformation("before")).isNull();
		assertThat(this.registry.getSessionInformation("after")).satisfies((moved) -> {
			assertThat(moved.getPrincipal()).isEqualTo("user");
			assertThat(moved.isExpired()).isFalse();
		});
		assertThat(this.registry.getSessionInformation("expired")).isNull();
		assertThat(this.registry.getSessionInformation("renamed")).satisfies((moved) -> {
			assertThat(moved.getPrincipal()).isEqualTo("other");
			assertThat(moved.isExpired()).isTrue();
		});
	}

	@Test
	void sessionIdChangedWhenThePreviousIdIsNotRegisteredThenRegistersNothing() {
		this.listener.sessionIdChanged("before", "after");
		assertThat(this.registry.getAllPrincipals()).isEmpty();
	}

	/**
	 * Spring Session's registry keeps no entries of its own (it reads the sessions from
	 * the store, which follows their ids itself): the listener must not read the store
	 * for it on a change of id, nor on an end or a revocation.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void whenTheRegistryIsSpringSessionBackedThenTheStoreIsNeverRead() {
		FindByIndexNameSessionRepository<Session> sessions = mock(FindByIndexNameSessionRepository.class);
		SessionRegistryEndListener backed = new SessionRegistryEndListener(
				new SpringSessionBackedSessionRegistry<>(sessions));
		backed.sessionIdChanged("before", "after");
		backed.sessionRevoked("after");
		backed.sessionEnded(mock(SessionAccess.class), ExpiryReason.IDLE);
		verifyNoInteractions(sessions);
	}

}
