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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionClocks#withdrawActivity}: a request served without its user
 * while re-authentication is due, and then refused for want of that user, is no activity.
 * Idle 30m, re-authentication 45m, store grace 1m.
 *
 * @author session-timeout
 */
class SessionClocksActivityWithdrawalTests {

	private static final Instant SIGNED_IN_AT = Instant.parse("2026-12-05T10:00:00Z");

	private static final Instant LAST_ACTIVITY = SIGNED_IN_AT.plus(Duration.ofMinutes(25));

	private static final Instant REFUSED_AT = SIGNED_IN_AT.plus(Duration.ofMinutes(50));

	private final SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
		.absolute(Duration.ofHours(8))
		.idle(Duration.ofMinutes(30))
		.reauthentication(Duration.ofMinutes(45))
		.storeGrace(Duration.ofMinutes(1))
		.build();

	private final MapSessionAccess session = new MapSessionAccess(SIGNED_IN_AT);

	@BeforeEach
	void signInAndStayActiveUntilReauthenticationIsNearlyDue() {
		clocksAt(SIGNED_IN_AT).recordAuthentication(this.session, null, this.settings.getDefaultPolicy());
		assertThat(clocksAt(LAST_ACTIVITY).decide(this.session, TestRequest.signedIn(this.settings.getDefaultPolicy()))
			.reason()).isNull();
	}

	@Test
	void withdrawActivityThenTheSessionHoldsTheTimelineTheDecisionFoundAndItsStoreExpiry() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		SessionDecision served = clocks.decide(this.session, TestRequest.anonymous());
		assertThat(served.reason()).isNull();
		assertThat(SessionAttributes.read(this.session).lastActivityAt()).isEqualTo(REFUSED_AT);
		SessionState withdrawn = clocks.withdrawActivity(this.session, served, this.session);
		assertThat(withdrawn).isNotNull();
		assertThat(withdrawn.timeline().lastActivityAt()).isEqualTo(LAST_ACTIVITY);
		SessionTimeline held = SessionAttributes.read(this.session);
		assertThat(held).isEqualTo(served.found());
		assertThat(held.lastActivityAt()).isEqualTo(LAST_ACTIVITY);
		// Idle deadline at 55m, plus the grace, less the store's margin of a second
		assertThat(this.session.getMaxInactiveInterval()).isEqualTo(5 * 60 + 60 - 1);
	}

	@Test
	void withdrawActivityThenTheIdleClockRunsFromTheActivityBefore() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		clocks.withdrawActivity(this.session, clocks.decide(this.session, TestRequest.anonymous()), this.session);
		Instant idleDeadline = LAST_ACTIVITY.plus(Duration.ofMinutes(30));
		assertThat(clocksAt(idleDeadline.minusMillis(1)).decide(this.session, TestRequest.anonymous().asPassive())
			.reason()).isNull();
		assertThat(clocksAt(idleDeadline).decide(this.session, TestRequest.anonymous()).reason())
			.isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void withdrawActivityWhenTheUserSignedInAgainSinceThenKeepsTheSignIn() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		SessionDecision served = clocks.decide(this.session, TestRequest.anonymous());
		clocks.recordAuthentication(this.session, null, this.settings.getDefaultPolicy());
		Object signedIn = this.session.getAttribute(SessionAttributes.STATE);
		int storeLifetime = this.session.getMaxInactiveInterval();
		assertThat(clocks.withdrawActivity(this.session, served, this.session)).isNull();
		assertThat(this.session.getAttribute(SessionAttributes.STATE)).isSameAs(signedIn);
		assertThat(this.session.getMaxInactiveInterval()).isEqualTo(storeLifetime);
		assertThat(SessionAttributes.read(this.session).authenticatedAt()).isEqualTo(REFUSED_AT);
	}

	@Test
	void withdrawActivityWhenThePassiveRequestRecordedNoneThenWritesNothing() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		SessionDecision served = clocks.decide(this.session, TestRequest.anonymous().asPassive());
		Object state = this.session.getAttribute(SessionAttributes.STATE);
		assertThat(clocks.withdrawActivity(this.session, served, this.session)).isNotNull();
		assertThat(this.session.getAttribute(SessionAttributes.STATE)).isSameAs(state);
	}

	@Test
	void withdrawActivityWhenTheSessionWasInvalidatedSinceThenTakesNothingBack() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		SessionDecision served = clocks.decide(this.session, TestRequest.anonymous());
		this.session.invalidate();
		assertThat(clocks.withdrawActivity(this.session, served, this.session)).isNull();
	}

	@Test
	void withdrawActivityWhenTheRequestWasNotServedThenTakesNothingBack() {
		SessionClocks clocks = clocksAt(REFUSED_AT);
		SessionDecision challenged = clocks.decide(this.session,
				TestRequest.signedIn(this.settings.getDefaultPolicy()));
		assertThat(challenged.reason()).isEqualTo(ExpiryReason.REAUTHENTICATION);
		Object state = this.session.getAttribute(SessionAttributes.STATE);
		assertThat(clocks.withdrawActivity(this.session, challenged, this.session)).isNull();
		assertThat(this.session.getAttribute(SessionAttributes.STATE)).isSameAs(state);
	}

	private SessionClocks clocksAt(Instant now) {
		return new SessionClocks(this.settings, Clock.fixed(now, ZoneOffset.UTC), (event) -> {
		});
	}

}
