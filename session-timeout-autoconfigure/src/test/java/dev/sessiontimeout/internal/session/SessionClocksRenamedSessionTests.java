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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#mayBeRenamedFrom} and {@link SessionClocks#laterIdOf}:
 * how a revocation of a request's other sessions tells the request's own session under a
 * later id, and spares no session it cannot tell from another.
 *
 * @author session-timeout
 */
class SessionClocksRenamedSessionTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant NOW = CREATED_AT.plus(Duration.ofMinutes(5));

	private final SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
			Clock.fixed(NOW, ZoneOffset.UTC), (event) -> {
			});

	@Test
	void mayBeRenamedFromWhenTheSessionIsACopyUnderAnotherIdThenTrue() {
		MapSessionAccess held = signedIn(CREATED_AT, "203.0.113.7");
		MapSessionAccess renamed = copyOf(held, CREATED_AT);
		assertThat(this.clocks.mayBeRenamedFrom(renamed, renamed.getCreationTime(), held, held.getCreationTime()))
			.isTrue();
	}

	@Test
	void mayBeRenamedFromWhenCreatedAMillisecondApartThenFalse() {
		MapSessionAccess held = signedIn(CREATED_AT, "203.0.113.7");
		MapSessionAccess other = copyOf(held, CREATED_AT.plusMillis(1));
		assertThat(this.clocks.mayBeRenamedFrom(other, other.getCreationTime(), held, held.getCreationTime()))
			.isFalse();
	}

	@Test
	void mayBeRenamedFromWhenSignedInFromAnotherAddressThenFalse() {
		MapSessionAccess held = signedIn(CREATED_AT, "203.0.113.7");
		MapSessionAccess other = signedIn(CREATED_AT, "203.0.113.8");
		assertThat(this.clocks.mayBeRenamedFrom(other, other.getCreationTime(), held, held.getCreationTime()))
			.isFalse();
	}

	@Test
	void mayBeRenamedFromWhenEitherHoldsNoClocksThenFalse() {
		MapSessionAccess held = signedIn(CREATED_AT, "203.0.113.7");
		MapSessionAccess bare = new MapSessionAccess(CREATED_AT);
		assertThat(this.clocks.mayBeRenamedFrom(bare, bare.getCreationTime(), held, held.getCreationTime())).isFalse();
		assertThat(this.clocks.mayBeRenamedFrom(held, held.getCreationTime(), bare, bare.getCreationTime())).isFalse();
	}

	@Test
	void laterIdOfWhenOneSessionMayBeTheRequestsThenIt() {
		assertThat(SessionClocks.laterIdOf(List.of("other", "later"), "own"::equals, "later"::equals))
			.isEqualTo("later");
	}

	@Test
	void laterIdOfWhenTwoSessionsMayBeTheRequestsThenNone() {
		assertThat(
				SessionClocks.laterIdOf(List.of("later", "twin"), "own"::equals, (session) -> !session.equals("other")))
			.isNull();
	}

	@Test
	void laterIdOfWhenTheRequestsSessionIsUnderItsOwnIdThenNone() {
		assertThat(SessionClocks.laterIdOf(List.of("later", "own"), "own"::equals, "later"::equals)).isNull();
		assertThat(SessionClocks.laterIdOf(List.of("own", "later"), "own"::equals, "later"::equals)).isNull();
	}

	@Test
	void laterIdOfWhenNoSessionMayBeTheRequestsThenNone() {
		assertThat(SessionClocks.laterIdOf(List.of("other"), "own"::equals, "later"::equals)).isNull();
	}

	private MapSessionAccess signedIn(Instant createdAt, String address) {
		MapSessionAccess session = new MapSessionAccess(createdAt);
		this.clocks.start(session);
		SessionAttributes.recordSignIn(session, null, address);
		return session;
	}

	private static MapSessionAccess copyOf(MapSessionAccess session, Instant createdAt) {
		MapSessionAccess copy = new MapSessionAccess(createdAt);
		for (String name : session.attributeNames()) {
			Object value = session.getAttribute(name);
			if (value != null) {
				copy.setAttribute(name, value);
			}
		}
		return copy;
	}

}
