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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.EventListener;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletContext;

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
	void findWhenTheContainerRestoresASessionItCreatedThenFindsIt() throws Exception {
		MockServletContext servletContext = new MockServletContext() {

			@Override
			public <T extends EventListener> void addListener(T listener) {
				// The container's listeners are called by the test
			}

		};
		ContainerSessions sessions = new ContainerSessions(() -> true);
		sessions.register(servletContext);
		MockHttpSession created = new MockHttpSession(servletContext, "created");
		sessions.sessionCreated(new HttpSessionEvent(created));
		Object marker = created.getAttribute(ContainerSessions.RESTORED_MARKER_ATTRIBUTE);
		assertThat(marker).isInstanceOf(HttpSessionActivationListener.class);
		// The container writes the session at its stop and reads it back at its start
		HttpSessionActivationListener restoredMarker = (HttpSessionActivationListener) serializedAndRead(marker);
		ContainerSessions afterRestart = new ContainerSessions(() -> true);
		afterRestart.register(servletContext);
		MockHttpSession restored = new MockHttpSession(servletContext, "created");
		restoredMarker.sessionDidActivate(new HttpSessionEvent(restored));
		assertThat(afterRestart.find("created")).isSameAs(restored);
		assertThat(afterRestart.all()).containsExactly(restored);
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

	private static Object serializedAndRead(Object value) throws IOException, ClassNotFoundException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			return in.readObject();
		}
	}

}
