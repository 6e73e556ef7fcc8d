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

import jakarta.servlet.http.HttpSessionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContainerSessions}.
 *
 * @author session-timeout
 */
class ContainerSessionsTests {

	@Test
	void findWhenTheContainerCreatesRenamesAndDestroysASessionThenFollowsIt() {
		ContainerSessions sessions = new ContainerSessions(() -> true);
		MockHttpSession session = new MockHttpSession(null, "before-login");
		sessions.sessionCreated(new HttpSessionEvent(session));
		assertThat(sessions.find("before-login")).isSameAs(session);
		String afterLogin = session.changeSessionId();
		sessions.sessionIdChanged(new HttpSessionEvent(session), "before-login");
		assertThat(sessions.find("before-login")).isNull();
		assertThat(sessions.find(afterLogin)).isSameAs(session);
		sessions.sessionDestroyed(new HttpSessionEvent(session));
		assertThat(sessions.find(afterLogin)).isNull();
	}

	@Test
	void findWhenASessionTheContainerDidNotAnnounceIsRenamedThenFollowsItFromThen() {
		ContainerSessions sessions = new ContainerSessions(() -> true);
		MockHttpSession restored = new MockHttpSession(null, "restored");
		String renamed = restored.changeSessionId();
		sessions.sessionIdChanged(new HttpSessionEvent(restored), "restored");
		assertThat(sessions.find(renamed)).isSameAs(restored);
		assertThat(sessions.all()).containsExactly(restored);
	}

	@Test
	void findWhenTheApplicationUsesSpringSessionThenKeepsNothingOfTheSessionsItIsTold() {
		ContainerSessions sessions = new ContainerSessions(() -> false);
		MockHttpSession session = new MockHttpSession(null, "spring-session");
		sessions.sessionCreated(new HttpSessionEvent(session));
		String renamed = session.changeSessionId();
		sessions.sessionIdChanged(new HttpSessionEvent(session), "spring-session");
		assertThat(sessions.find("spring-session")).isNull();
		assertThat(sessions.find(renamed)).isNull();
	}

}
