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
package dev.sessiontimeout.reactive;

import java.time.Duration;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive store tests for Spring Session's reactive repositories, which keep a
 * session's last access apart from the copy a request loads.
 */
abstract class AbstractReactiveSpringSessionStoreIntegrationTests extends AbstractReactiveSessionStoreIntegrationTests {

	@Autowired
	ReactiveSessionRepository<? extends Session> repository;

	/**
	 * A signed-in session that lost the starter's state (its security context intact) is
	 * adopted from its last access as the store held it before this request: past its
	 * idle deadline, still within the store grace, it ends as idle; within it, it is
	 * served (a request anyone may make: its user, whose authentication it does not know,
	 * must authenticate again).
	 */
	@Test
	void aSignedInSessionWithoutTheStartersStateIsAdoptedFromItsLastAccessInTheStore() {
		String user = newUser();
		login(user);
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		String idle = Objects.requireNonNull(this.session);
		String active = signInElsewhere(user, null);
		shiftTo(this.start.plus(Duration.ofMinutes(10)));
		removeState(this.repository, sessionIdOf(active));
		assertServed(getWith(active, "/api/cart"));
		shiftTo(this.start.plus(IDLE).plusSeconds(30));
		removeState(this.repository, sessionIdOf(idle));
		assertProblem(getWith(idle, "/api/cart"), ExpiryReason.IDLE);
		assertThat(this.events.reasons()).containsExactly(ExpiryReason.IDLE);
		assertServed(getWith(active, "/api/cart"));
	}

	private static <S extends Session> void removeState(ReactiveSessionRepository<S> repository, String sessionId) {
		S stored = repository.findById(sessionId).block(Duration.ofSeconds(10));
		assertThat(stored).as("session %s in the store", sessionId).isNotNull();
		assertThat(stored.<Object>getAttribute(SessionAttributes.STATE)).isNotNull();
		stored.removeAttribute(SessionAttributes.STATE);
		repository.save(stored).block(Duration.ofSeconds(10));
	}

}
