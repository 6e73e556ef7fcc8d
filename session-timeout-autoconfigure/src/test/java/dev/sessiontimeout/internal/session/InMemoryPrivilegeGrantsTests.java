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

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryPrivilegeGrants}.
 *
 * @author session-timeout
 */
class InMemoryPrivilegeGrantsTests {

	private static final Instant CREATED_AT = Instant.parse("2026-01-01T00:00:00Z");

	private static final long GRANT = CREATED_AT.plusSeconds(60).toEpochMilli();

	private final InMemoryPrivilegeGrants grants = new InMemoryPrivilegeGrants();

	@Test
	void useWhenTheSessionIdChangedSinceTheUseThenFalse() {
		assertThat(this.grants.use("before", CREATED_AT, GRANT)).isTrue();
		assertThat(this.grants.use("after", CREATED_AT, GRANT)).isFalse();
	}

	@Test
	void useWhenAnAuthenticationIssuedTheSameGrantAgainThenTrueOnce() {
		assertThat(this.grants.use("before", CREATED_AT, GRANT)).isTrue();
		this.grants.issued("after", CREATED_AT, GRANT);
		assertThat(this.grants.use("after", CREATED_AT, GRANT)).isTrue();
		assertThat(this.grants.use("after", CREATED_AT, GRANT)).isFalse();
	}

	@Test
	void useWhenAnotherSessionHoldsTheSameGrantThenTrue() {
		assertThat(this.grants.use("one", CREATED_AT, GRANT)).isTrue();
		assertThat(this.grants.use("other", CREATED_AT.plusMillis(1), GRANT)).isTrue();
	}

	@Test
	void useWhenItsUseWasForgottenThenFalse() {
		assertThat(this.grants.use("first", CREATED_AT, GRANT)).isTrue();
		for (int i = 1; i <= 10_000; i++) {
			assertThat(this.grants.use("session-" + i, CREATED_AT.plusMillis(i), GRANT + i)).isTrue();
		}
		assertThat(this.grants.use("renamed", CREATED_AT, GRANT)).as("forgotten, refused").isFalse();
		assertThat(this.grants.use("older", CREATED_AT.minusMillis(1), GRANT - 1)).as("older").isFalse();
		assertThat(this.grants.use("newer", CREATED_AT, GRANT + 10_001)).isTrue();
	}

}
