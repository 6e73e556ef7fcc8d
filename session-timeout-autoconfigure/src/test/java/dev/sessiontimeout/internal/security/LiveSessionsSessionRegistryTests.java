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

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.User;

import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link LiveSessionsSessionRegistry}.
 */
class LiveSessionsSessionRegistryTests {

	private final SessionRegistryImpl delegate = new SessionRegistryImpl();

	private final SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);

	private final SessionRegistry registry = new LiveSessionsSessionRegistry(this.delegate, () -> this.userSessions);

	@Test
	void getAllSessionsWhenTheStarterEndedSomeThenLeavesThemOutAndAnswersTheRegistrysOwn() {
		this.delegate.registerNewSession("live", "alice");
		this.delegate.registerNewSession("idle", "alice");
		given(this.userSessions.endedSessionIds("alice")).willReturn(Set.of("idle", "elsewhere"));
		List<SessionInformation> sessions = this.registry.getAllSessions("alice", false);
		assertThat(sessions).extracting(SessionInformation::getSessionId).containsExactly("live");
		// Spring Security expires the registry's own information
		assertThat(sessions.get(0)).isSameAs(this.delegate.getSessionInformation("live"));
	}

	@Test
	void getAllSessionsLooksTheSessionsUpByTheNameSpringSecurityGivesThePrincipal() {
		User alice = new User("alice", "password", List.of());
		this.delegate.registerNewSession("idle", alice);
		given(this.userSessions.endedSessionIds("alice")).willReturn(Set.of("idle"));
		assertThat(this.registry.getAllSessions(alice, false)).isEmpty();
	}

	@Test
	void getAllSessionsWhenNoSessionIsRegisteredThenReadsNoStore() {
		assertThat(this.registry.getAllSessions("alice", false)).isEmpty();
		then(this.userSessions).shouldHaveNoInteractions();
	}

	@Test
	void getAllSessionsWhenTheStoreDoesNotAnswerThenCountsEverySession() {
		this.delegate.registerNewSession("one", "alice");
		this.delegate.registerNewSession("two", "alice");
		given(this.userSessions.endedSessionIds("alice")).willThrow(new DataAccessResourceFailureException("down"));
		assertThat(this.registry.getAllSessions("alice", false)).hasSize(2);
	}

	@Test
	void getAllSessionsWhenTheApplicationReplacedTheUserSessionsThenCountsEverySession() {
		this.delegate.registerNewSession("one", "alice");
		SessionRegistry replaced = new LiveSessionsSessionRegistry(this.delegate, () -> null);
		assertThat(replaced.getAllSessions("alice", false)).hasSize(1);
	}

	@Test
	void getAllSessionsWhenTheStoreCannotFindSessionsByUserThenCountsEverySession() {
		this.delegate.registerNewSession("one", "alice");
		given(this.userSessions.unsupportedReason()).willReturn("no index");
		assertThat(this.registry.getAllSessions("alice", false)).hasSize(1);
		then(this.userSessions).should(never()).endedSessionIds("alice");
	}

	@Test
	void everyOtherCallGoesToTheRegistryWithoutReadingTheStore() {
		this.registry.registerNewSession("one", "alice");
		assertThat(this.registry.getAllPrincipals()).containsExactly("alice");
		SessionInformation information = this.registry.getSessionInformation("one");
		assertThat(information).isSameAs(this.delegate.getSessionInformation("one"));
		this.registry.refreshLastRequest("one");
		this.registry.removeSessionInformation("one");
		assertThat(this.delegate.getSessionInformation("one")).isNull();
		then(this.userSessions).shouldHaveNoInteractions();
	}

	@Test
	void decorateWhenTheClassCanBeSubclassedThenKeepsItsClassAndLeavesOutTheEndedSessions() {
		SessionRegistry decorated = LiveSessionsSessionRegistry.decorate(this.delegate, () -> this.userSessions);
		assertThat(decorated).isInstanceOf(SessionRegistryImpl.class).isNotSameAs(this.delegate);
		assertThat(LiveSessionsSessionRegistry.isDecorated(decorated)).isTrue();
		assertThat(LiveSessionsSessionRegistry.undecorated(decorated)).isSameAs(decorated);
		decorated.registerNewSession("live", "alice");
		decorated.registerNewSession("idle", "alice");
		assertThat(this.delegate.getSessionInformation("idle")).as("registered in the application's").isNotNull();
		given(this.userSessions.endedSessionIds("alice")).willReturn(Set.of("idle"));
		assertThat(decorated.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
			.containsExactly("live");
		assertThat(decorated.getAllSessions("alice", false).get(0))
			.isSameAs(this.delegate.getSessionInformation("live"));
	}

	@Test
	void decorateWhenTheClassCannotBeSubclassedThenDecoratesItAsEveryInterfaceItImplements() {
		for (SessionRegistryImpl own : List.of(new FinalRegistry(), new FinalMethodRegistry())) {
			SessionRegistry decorated = LiveSessionsSessionRegistry.decorate(own, () -> this.userSessions);
			assertThat(decorated).isInstanceOf(ApplicationListener.class)
				.isInstanceOf(LiveSessionsDecoration.class)
				.isNotInstanceOf(own.getClass());
			assertThat(LiveSessionsSessionRegistry.isDecorated(decorated)).isTrue();
			assertThat(LiveSessionsSessionRegistry.undecorated(decorated)).isSameAs(own);
			decorated.registerNewSession("live", "alice");
			decorated.registerNewSession("idle", "alice");
			given(this.userSessions.endedSessionIds("alice")).willReturn(Set.of("idle"));
			assertThat(decorated.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
				.containsExactly("live");
			assertThat(own.getAllSessions("alice", false)).hasSize(2);
		}
		assertThat(LiveSessionsSessionRegistry.isDecorated(this.delegate)).isFalse();
	}

	@Test
	void decorateWhenTheRegistryIsAProxyAlreadyThenDecoratesItAsEveryInterfaceOfItsClass() {
		ProxyFactory proxyFactory = new ProxyFactory(new SessionRegistryImpl());
		proxyFactory.setProxyTargetClass(true);
		SessionRegistry proxied = (SessionRegistry) proxyFactory.getProxy();
		SessionRegistry decorated = LiveSessionsSessionRegistry.decorate(proxied, () -> this.userSessions);
		assertThat(decorated).isInstanceOf(ApplicationListener.class).isInstanceOf(LiveSessionsDecoration.class);
		assertThat(LiveSessionsSessionRegistry.undecorated(decorated)).isSameAs(proxied);
		decorated.registerNewSession("live", "alice");
		decorated.registerNewSession("idle", "alice");
		given(this.userSessions.endedSessionIds("alice")).willReturn(Set.of("idle"));
		assertThat(decorated.getAllSessions("alice", false)).extracting(SessionInformation::getSessionId)
			.containsExactly("live");
	}

	@Test
	void decorateWhenTheRegistryIsDecoratedThenIsNotDecoratedAgainByTheCaller() {
		SessionRegistry decorated = LiveSessionsSessionRegistry.decorate(new FinalRegistry(), () -> this.userSessions);
		assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(decorated)).isFalse();
		assertThat(LiveSessionsSessionRegistry.isDecorated(decorated)).isTrue();
	}

	static final class FinalRegistry extends SessionRegistryImpl {

	}

	static class FinalMethodRegistry extends SessionRegistryImpl {

		@Override
		public final List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
			return super.getAllSessions(principal, includeExpiredSessions);
		}

	}

}
