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

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.core.userdetails.User;

import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class LiveSessionsReactiveSessionRegistryTests {

	private final InMemoryReactiveSessionRegistry delegate = new InMemoryReactiveSessionRegistry();

	private final ReactiveStoreUserSessions userSessions = mock(ReactiveStoreUserSessions.class);

	private final ReactiveSessionRegistry registry = new LiveSessionsReactiveSessionRegistry(this.delegate,
			() -> this.userSessions);

	@Test
	void getAllSessionsWhenTheStarterEndedSomeThenLeavesThemOutAndAnswersTheRegistrysOwn() {
		ReactiveSessionInformation live = save("alice", "live");
		ReactiveSessionInformation revoked = save("alice", "revoked");
		given(this.userSessions.endedSessionIds("alice")).willReturn(Mono.just(Set.of("revoked", "elsewhere")));
		List<ReactiveSessionInformation> sessions = this.registry.getAllSessions("alice").collectList().block();
		assertThat(sessions).containsExactly(live);
		// Spring Security's handler invalidates the registry's own information
		assertThat(sessions.get(0)).isSameAs(live);
		assertThat(revoked.isExpired()).isFalse();
	}

	@Test
	void getAllSessionsWhenNoSessionIsRegisteredThenReadsNoStore() {
		assertThat(this.registry.getAllSessions("alice").collectList().block()).isEmpty();
		then(this.userSessions).shouldHaveNoInteractions();
	}

	@Test
	void getAllSessionsWhenTheStoreDoesNotAnswerThenCountsEverySession() {
		save("alice", "one");
		save("alice", "two");
		given(this.userSessions.endedSessionIds("alice"))
			.willReturn(Mono.error(new DataAccessResourceFailureException("down")));
		assertThat(this.registry.getAllSessions("alice").collectList().block()).hasSize(2);
	}

	@Test
	void getAllSessionsWhenTheApplicationReplacedTheUserSessionsThenCountsEverySession() {
		save("alice", "one");
		ReactiveSessionRegistry replaced = new LiveSessionsReactiveSessionRegistry(this.delegate, () -> null);
		assertThat(replaced.getAllSessions("alice").collectList().block()).hasSize(1);
	}

	@Test
	void getAllSessionsWhenTheStoreCannotFindSessionsByUserThenCountsEverySession() {
		save("alice", "one");
		given(this.userSessions.unsupportedReason()).willReturn("no index");
		assertThat(this.registry.getAllSessions("alice").collectList().block()).hasSize(1);
		then(this.userSessions).should(never()).endedSessionIds("alice");
	}

	@Test
	void everyOtherCallGoesToTheRegistryWithoutReadingTheStore() {
		ReactiveSessionInformation information = new ReactiveSessionInformation("alice", "one", Instant.EPOCH);
		this.registry.saveSessionInformation(information).block();
		assertThat(this.registry.getSessionInformation("one").block()).isSameAs(information);
		assertThat(this.registry.updateLastAccessTime("one").block()).isSameAs(information);
		assertThat(information.getLastAccessTime()).isAfter(Instant.EPOCH);
		assertThat(this.registry.removeSessionInformation("one").block()).isSameAs(information);
		assertThat(this.delegate.getSessionInformation("one").block()).isNull();
		then(this.userSessions).shouldHaveNoInteractions();
	}

	@Test
	void decorateWhenTheClassCanBeSubclassedThenKeepsItsClassAndLeavesOutTheEndedSessions() {
		ReactiveSessionRegistry decorated = LiveSessionsReactiveSessionRegistry.decorate(this.delegate,
				() -> this.userSessions);
		assertThat(decorated).isInstanceOf(InMemoryReactiveSessionRegistry.class).isNotSameAs(this.delegate);
		assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(decorated)).isTrue();
		assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(this.delegate)).isFalse();
		ReactiveSessionInformation live = new ReactiveSessionInformation("alice", "live", Instant.now());
		decorated.saveSessionInformation(live).block();
		save("alice", "revoked");
		given(this.userSessions.endedSessionIds("alice")).willReturn(Mono.just(Set.of("revoked")));
		assertThat(decorated.getAllSessions("alice").collectList().block()).containsExactly(live);
		assertThat(this.delegate.getAllSessions("alice").collectList().block()).hasSize(2);
	}

	@Test
	void decorateWhenTheClassCannotBeSubclassedThenDecoratesItAsEveryInterfaceItImplements() {
		FinalListeningRegistry own = new FinalListeningRegistry();
		ReactiveSessionRegistry decorated = LiveSessionsReactiveSessionRegistry.decorate(own, () -> this.userSessions);
		assertThat(decorated).isInstanceOf(ApplicationListener.class)
			.isInstanceOf(LiveSessionsDecoration.class)
			.isNotInstanceOf(FinalListeningRegistry.class);
		assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(decorated)).isTrue();
		ReactiveSessionInformation live = new ReactiveSessionInformation("alice", "live", Instant.now());
		decorated.saveSessionInformation(live).block();
		decorated.saveSessionInformation(new ReactiveSessionInformation("alice", "revoked", Instant.now())).block();
		given(this.userSessions.endedSessionIds("alice")).willReturn(Mono.just(Set.of("revoked")));
		assertThat(decorated.getAllSessions("alice").collectList().block()).containsExactly(live);
		((ApplicationListener<?>) decorated).onApplicationEvent(null);
		assertThat(own.heard).isOne();
	}

	@Test
	void nameOfAPrincipalIsTheNameSpringSessionLooksItsSessionsUpBy() {
		assertThat(LiveSessionsReactiveSessionRegistry
			.nameOf(User.withUsername("alice").password("{noop}password").roles("USER").build())).isEqualTo("alice");
		assertThat(LiveSessionsReactiveSessionRegistry.nameOf((AuthenticatedPrincipal) () -> "bob")).isEqualTo("bob");
		assertThat(LiveSessionsReactiveSessionRegistry.nameOf((Principal) () -> "carol")).isEqualTo("carol");
		assertThat(LiveSessionsReactiveSessionRegistry.nameOf("dave")).isEqualTo("dave");
	}

	private ReactiveSessionInformation save(String principal, String sessionId) {
		ReactiveSessionInformation information = new ReactiveSessionInformation(principal, sessionId, Instant.now());
		this.delegate.saveSessionInformation(information).block();
		return information;
	}

	static final class FinalListeningRegistry extends InMemoryReactiveSessionRegistry
			implements ApplicationListener<ApplicationEvent> {

		private int heard;

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			this.heard++;
		}

	}

}
