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
package dev.sessiontimeout.testsupport;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link BoundedClose}.
 *
 * @author session-timeout
 */
class BoundedCloseTests {

	@Test
	void closeThenCloses() {
		AtomicBoolean closed = new AtomicBoolean();
		BoundedClose.close(() -> closed.set(true));
		assertThat(closed).isTrue();
	}

	@Test
	void closeWhenTheCloseFailsThenFailsWithItsException() {
		IllegalArgumentException failure = new IllegalArgumentException("refused");
		assertThatIllegalStateException().isThrownBy(() -> BoundedClose.close(() -> {
			throw failure;
		})).withCause(failure);
	}

	@Test
	void closeWhenTheCloseWaitsForeverThenLeavesItToGoOnAndTellsWhereItWaits() {
		CountDownLatch never = new CountDownLatch(1);
		try {
			Throwable where = BoundedClose.close(never::await, Duration.ofSeconds(1));
			assertThat(where).isNotNull();
			assertThat(where.getMessage()).contains("did not end within 1 s");
			assertThat(Arrays.stream(where.getStackTrace()).map(String::valueOf))
				.anyMatch((frame) -> frame.contains("CountDownLatch.await"));
		}
		finally {
			never.countDown();
		}
	}

}
