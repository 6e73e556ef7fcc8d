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
package dev.sessiontimeout.internal.reactive;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionStore;

import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class UnservedSessionStoreTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void decoratesTheStoreOnceAndKeepsItReachable() {
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		WebSessionStore store = manager.getSessionStore();
		UnservedSessionStore.decorate(manager);
		WebSessionStore decorated = manager.getSessionStore();
		UnservedSessionStore.decorate(manager);
		assertThat(decorated).isInstanceOf(UnservedSessionStore.class).isNotSameAs(store);
		assertThat(manager.getSessionStore()).isSameAs(decorated);
		assertThat(UnservedSessionStore.storeOf(manager)).isSameAs(store);
	}

	@Test
	void theStoreOfAnUndecoratedManagerIsItsOwn() {
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		assertThat(UnservedSessionStore.storeOf(manager)).isSameAs(manager.getSessionStore());
	}

	@Test
	void aSessionLeftUnsavedIsNotSavedAsTheResponseCommits() {
		ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(new HashMap<>());
		MapSession stored = new MapSession();
		// The map store keeps the session for 30 minutes from its last access
		Instant before = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
		stored.setLastAccessedTime(before);
		stored.setAttribute("cart", "apple");
		repository.save(stored).block(TIMEOUT);
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		manager.setSessionStore(new SpringSessionWebSessionStore<>(repository));
		UnservedSessionStore.decorate(manager);
		MockServerWebExchange unserved = exchange(manager, stored.getId());
		WebSession session = unserved.getSession().block(TIMEOUT);
		session.getAttributes().put("cart", "pear");
		UnservedSessionStore.leaveUnsaved(session);
		unserved.getResponse().setComplete().block(TIMEOUT);
		MapSession afterUnserved = repository.findById(stored.getId()).block(TIMEOUT);
		assertThat(afterUnserved.getLastAccessedTime()).isEqualTo(before);
		assertThat(afterUnserved.<String>getAttribute("cart")).isEqualTo("apple");
		MockServerWebExchange served = exchange(manager, stored.getId());
		served.getSession().block(TIMEOUT).getAttributes().put("cart", "pear");
		served.getResponse().setComplete().block(TIMEOUT);
		MapSession afterServed = repository.findById(stored.getId()).block(TIMEOUT);
		assertThat(afterServed.getLastAccessedTime()).isAfter(before);
		assertThat(afterServed.<String>getAttribute("cart")).isEqualTo("pear");
	}

	@Test
	void theStoreGetsItsOwnSessionToUpdate() {
		InMemoryWebSessionStore store = new InMemoryWebSessionStore();
		MutableClock clock = new MutableClock();
		clock.fixAt(Instant.parse("2026-01-01T10:00:00Z"));
		store.setClock(clock);
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		manager.setSessionStore(store);
		UnservedSessionStore.decorate(manager);
		WebSession session = manager.getSessionStore().createWebSession().block(TIMEOUT);
		clock.fixAt(Instant.parse("2026-01-01T10:05:00Z"));
		WebSession updated = manager.getSessionStore().updateLastAccessTime(session).block(TIMEOUT);
		assertThat(updated).isSameAs(session);
		assertThat(session.getLastAccessTime()).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
	}

	@Test
	void aSessionOfAStoreNotDecoratedIsSavedAsBefore() {
		InMemoryWebSessionStore store = new InMemoryWebSessionStore();
		WebSession session = store.createWebSession().block(TIMEOUT);
		UnservedSessionStore.leaveUnsaved(session);
		session.start();
		session.save().block(TIMEOUT);
		assertThat(store.getSessions()).containsKey(session.getId());
	}

	private static MockServerWebExchange exchange(DefaultWebSessionManager manager, String sessionId) {
		return MockServerWebExchange
			.builder(MockServerHttpRequest.get("/").cookie(new HttpCookie("SESSION", sessionId)))
			.sessionManager(manager)
			.build();
	}

}
