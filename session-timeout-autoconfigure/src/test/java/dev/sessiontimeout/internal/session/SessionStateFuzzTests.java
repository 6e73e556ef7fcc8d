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
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the decision over stored state a store, a serializer or an
 * older version may have left: any value of any of the starter's attributes (missing, of
 * another type, garbage text, out of range). The request is refused, or the session is
 * served within the deadlines of what the clocks read or adopt; the decision never
 * throws, never serves a revoked session, a session without a readable creation time is
 * adopted from its store's own, and no instant is trusted further ahead of the clock than
 * the clock-skew tolerance.
 *
 * @author session-timeout
 */
class SessionStateFuzzTests {

	private static final Instant CREATED_AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Duration ABSOLUTE = Duration.ofHours(8);

	private final SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
		.absolute(ABSOLUTE)
		.idle(Duration.ofMinutes(30))
		.reauthentication(Duration.ofHours(4))
		.build();

	@Property(tries = 3000)
	void decideWhenAnyStoredStateThenRefusedOrServedWithinItsDeadlines(@ForAll("states") Map<String, Object> state,
			@ForAll("ages") Duration age, @ForAll boolean signedIn) {
		Instant now = CREATED_AT.plus(age);
		SessionClocks clocks = new SessionClocks(this.settings, Clock.fixed(now, ZoneOffset.UTC), (event) -> {
		});
		MapSessionAccess session = new MapSessionAccess(CREATED_AT);
		state.forEach(session::setAttribute);
		boolean readable = SessionAttributes.read(state::get) != null;
		boolean unreadable = SessionAttributes.isUnreadable(state::get);
		SessionRequest request = signedIn ? TestRequest.signedIn(this.settings.getDefaultPolicy().withName("signed-in"))
				: TestRequest.anonymous();
		SessionDecision decision = clocks.decide(session, request);
		ExpiryReason reason = decision.reason();
		if (unreadable) {
			assertThat(reason).as("an unreadable state").isIn(ExpiryReason.INVALID, ExpiryReason.REVOKED);
		}
		if (state.containsKey(SessionAttributes.REVOKED_AT)) {
			assertThat(reason).as("a revoked session").isEqualTo(ExpiryReason.REVOKED);
		}
		if (reason != null) {
			assertThat(decision.state()).isNull();
			return;
		}
		SessionState served = decision.state();
		assertThat(served).as("the state of a served session").isNotNull();
		Instant latest = now.plus(SessionTimeline.CLOCK_SKEW_TOLERANCE);
		assertThat(served.timeline().createdAt()).isBeforeOrEqualTo(latest);
		assertThat(served.timeline().lastActivityAt()).isBeforeOrEqualTo(latest);
		SessionDeadlines deadlines = served.deadlines();
		assertThat(deadlines.endReason(now)).as("served past a deadline: %s", deadlines).isNull();
		if (!readable) {
			assertThat(age).as("adopted from its creation time").isLessThan(ABSOLUTE);
		}
		assertThat(session.isInvalid()).isFalse();
	}

	@Property(tries = 1000)
	void hasStateWhenAnyStoredStateThenWhatReadingTheWholeStateTells(@ForAll("states") Map<String, Object> state) {
		StoredState read = StoredState.of(state::get);
		assertThat(SessionAttributes.hasState(state::get)).as("%s", state)
			.isEqualTo(read.timeline() != null || read.unreadable());
	}

	@Provide
	Arbitrary<Map<String, Object>> states() {
		Arbitrary<String> names = Arbitraries.of(SessionAttributes.STATE, SessionAttributes.CREATED_AT,
				SessionAttributes.LAST_ACTIVITY_AT, SessionAttributes.AUTHENTICATED_AT, SessionAttributes.POLICY,
				SessionAttributes.REVOKED_AT, SessionAttributes.PRIVILEGE_GRANT, SessionAttributes.CHALLENGE,
				SessionAttributes.CHALLENGE_PROVIDER);
		return Arbitraries.maps(names, Arbitraries.oneOf(values(), stateTexts())).ofMaxSize(9);
	}

	/**
	 * Texts in the shape of the current state format, with instants around the session's
	 * creation, missing or garbled parts, and policies readable or not.
	 */
	private Arbitrary<Object> stateTexts() {
		long created = CREATED_AT.toEpochMilli();
		Arbitrary<String> instants = Arbitraries.oneOf(Arbitraries.longs()
			.between(created - Duration.ofDays(2).toMillis(), created + Duration.ofDays(2).toMillis())
			.map(String::valueOf), Arbitraries.of("", "-1", "x", "99999999999999999999", "1.5"));
		Arbitrary<String> policies = Arbitraries.of("", "PT1H,PT10M,-,PT5M,0,administrators",
				"PT2H,PT30M,PT4H,PT15M,0,default", "PT1H,garbled", "-,-,-,-,0,open", "PT1H,PT10M,-,PT5M,0,a;b");
		// Format 3 with the sign-in's device and address (or fields missing), and format
		// 2
		Arbitrary<String> signIns = Arbitraries.of(";;", "4.7;;", "0.0;192.0.2.7;", "4.7;2001:db8::1;", ";", "");
		return Combinators.combine(Arbitraries.of("3", "2", "1", ""), instants, instants, instants, signIns, policies)
			.as((version, createdAt, activeAt, authenticatedAt, signIn, policy) -> (Object) (version + ";" + createdAt
					+ ";" + activeAt + ";" + authenticatedAt + ";" + ("2".equals(version) ? "" : signIn) + policy));
	}

	private Arbitrary<Object> values() {
		long created = CREATED_AT.toEpochMilli();
		return Arbitraries.oneOf(
				Arbitraries.longs()
					.between(created - Duration.ofDays(2).toMillis(), created + Duration.ofDays(2).toMillis())
					.map(Object.class::cast),
				Arbitraries.longs().map(Object.class::cast), Arbitraries.integers().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast),
				Arbitraries.strings().ofMaxLength(40).map(Object.class::cast),
				Arbitraries
					.of("default", "administrators;PT1H;PT10M;;PT5M;false", "reauthentication;900;1;user", "", "-1",
							"NaN")
					.map(Object.class::cast),
				Arbitraries.of(Boolean.TRUE, CREATED_AT, Duration.ofMinutes(5)).map(Object.class::cast));
	}

	@Provide
	Arbitrary<Duration> ages() {
		return Arbitraries.longs().between(0, Duration.ofHours(10).toMillis()).map(Duration::ofMillis);
	}

}
