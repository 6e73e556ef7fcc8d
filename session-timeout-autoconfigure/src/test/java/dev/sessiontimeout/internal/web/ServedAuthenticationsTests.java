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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.SessionWatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ServedAuthentications}.
 *
 * @author session-timeout
 */
class ServedAuthenticationsTests {

	private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

	private final ServedAuthentications served = new ServedAuthentications();

	private static SessionState state(String policy) {
		return new SessionState(new SessionTimeline(NOW, NOW, NOW), new SessionTimeoutPolicy(policy,
				Duration.ofHours(1), Duration.ofMinutes(10), null, Duration.ofMinutes(5)), NOW);
	}

	@Test
	void stateOfWhenTheSameObjectThenFoundAndAnEqualOneIsNot() {
		List<String> authentication = new ArrayList<>(List.of("alice"));
		List<String> equal = new ArrayList<>(List.of("alice"));
		SessionState state = state("unknown-device");
		SessionWatch watch = mock(SessionWatch.class);
		given(watch.check()).willReturn(ExpiryReason.IDLE);
		this.served.remember(authentication, state, () -> watch);
		assertThat(this.served.stateOf(authentication)).isSameAs(state);
		assertThat(this.served.endOf(authentication)).isEqualTo(ExpiryReason.IDLE);
		assertThat(equal).isEqualTo(authentication);
		assertThat(this.served.stateOf(equal)).isNull();
		assertThat(this.served.endOf(equal)).isEqualTo(ExpiryReason.INVALID);
	}

	@Test
	void rememberWhenTheSameObjectAgainThenItsLatestStateReplacesTheFormer() {
		Object authentication = new Object();
		this.served.remember(authentication, state("first"), () -> mock(SessionWatch.class));
		SessionState latest = state("second");
		SessionWatch latestWatch = mock(SessionWatch.class);
		given(latestWatch.check()).willReturn(ExpiryReason.REVOKED);
		this.served.remember(authentication, latest, () -> latestWatch);
		assertThat(this.served.stateOf(authentication)).isSameAs(latest);
		assertThat(this.served.endOf(authentication)).isEqualTo(ExpiryReason.REVOKED);
		assertThat(this.served.size()).isEqualTo(1);
	}

	@Test
	void endOfWhenTheStoreFailedThenThatCallFailsAndTheNextOneAsksANewWatch() {
		Object authentication = new Object();
		SessionWatch failing = mock(SessionWatch.class);
		IllegalStateException failure = new IllegalStateException("store down");
		given(failing.check()).willThrow(failure);
		SessionWatch next = mock(SessionWatch.class);
		Iterator<SessionWatch> watches = List.of(failing, next).iterator();
		this.served.remember(authentication, state("first"), watches::next);
		assertThatIllegalStateException().isThrownBy(() -> this.served.endOf(authentication)).isSameAs(failure);
		assertThat(this.served.endOf(authentication)).isNull();
		then(next).should().check();
	}

}
