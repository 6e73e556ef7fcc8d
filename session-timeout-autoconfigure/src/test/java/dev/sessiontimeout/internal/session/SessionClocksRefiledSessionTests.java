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
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#refiled}: a session that the application files in its
 * store's own index of sessions by user under a name of its own is indexed under its user
 * once per name, and one filed under its user's own name stores nothing more.
 *
 * @author session-timeout
 */
class SessionClocksRefiledSessionTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private static final String USER_ATTRIBUTE = "user";

	private final SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
			Clock.fixed(NOW, ZoneOffset.UTC), (event) -> {
			});

	SessionClocksRefiledSessionTests() {
		this.clocks.setPrincipalResolver((session) -> (String) session.getAttribute(USER_ATTRIBUTE));
	}

	@Test
	void refiledWhenFiledUnderAnotherNameThenOnceForThatName() {
		MapSessionAccess session = signedIn("alice");
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(session)).isTrue();
		assertThat(session.getAttribute(SessionAttributes.FILED_AS)).isEqualTo("alice@example.com");
		assertThat(this.clocks.refiled(session)).as("the same name again").isFalse();
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "a.smith@example.com");
		assertThat(this.clocks.refiled(session)).as("another name").isTrue();
	}

	@Test
	void refiledWhenTheReactiveIndexNameIsAnotherNameThenTrue() {
		MapSessionAccess session = signedIn("alice");
		session.setAttribute(SessionAttributes.REACTIVE_STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(session)).isTrue();
	}

	@Test
	void refiledWhenFiledUnderItsUsersNameThenFalseAndNothingStored() {
		MapSessionAccess session = signedIn("alice");
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice");
		assertThat(this.clocks.refiled(session)).isFalse();
		assertThat(session.getAttribute(SessionAttributes.FILED_AS)).isNull();
	}

	@Test
	void refiledWhenNoUserOrNoNameThenFalseAndNothingStored() {
		MapSessionAccess anonymous = new MapSessionAccess(NOW);
		anonymous.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(anonymous)).isFalse();
		assertThat(anonymous.getAttribute(SessionAttributes.FILED_AS)).isNull();
		MapSessionAccess unnamed = signedIn("alice");
		assertThat(this.clocks.refiled(unnamed)).isFalse();
		assertThat(unnamed.getAttribute(SessionAttributes.FILED_AS)).isNull();
	}

	@Test
	void refiledWhenFiledUnderAnotherNameThenItsUsersThenThatNameAgainThenTrueAgain() {
		MapSessionAccess session = signedIn("alice");
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(session)).isTrue();
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice");
		assertThat(this.clocks.refiled(session)).isFalse();
		assertThat(session.getAttribute(SessionAttributes.FILED_AS)).as("the note of the earlier name").isNull();
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(session)).as("the earlier name again").isTrue();
	}

	@Test
	void refiledWhenTheNameIsRemovedThenTheNoteGoes() {
		MapSessionAccess session = signedIn("alice");
		session.setAttribute(SessionAttributes.STORE_INDEX_NAME, "alice@example.com");
		assertThat(this.clocks.refiled(session)).isTrue();
		session.removeAttribute(SessionAttributes.STORE_INDEX_NAME);
		assertThat(this.clocks.refiled(session)).isFalse();
		assertThat(session.getAttribute(SessionAttributes.FILED_AS)).isNull();
	}

	private static MapSessionAccess signedIn(String user) {
		MapSessionAccess session = new MapSessionAccess(NOW);
		session.setAttribute(USER_ATTRIBUTE, user);
		return session;
	}

}
