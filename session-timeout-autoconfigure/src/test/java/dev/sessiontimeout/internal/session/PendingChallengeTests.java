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

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sessiontimeout.ExpiryReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PendingChallenge}.
 *
 * @author session-timeout
 */
class PendingChallengeTests {

	private static final Instant CHALLENGED_AT = Instant.parse("2026-11-22T10:00:00.700Z");

	private static final Duration ONE_MS = Duration.ofMillis(1);

	private static final PendingChallenge FIVE_MINUTES = new PendingChallenge(ExpiryReason.PRIVILEGED,
			Duration.ofMinutes(5), CHALLENGED_AT, "alice");

	private static final PendingChallenge ALWAYS = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ZERO,
			CHALLENGED_AT, "alice");

	@Test
	void encodeWhenChallengeThenReasonMaxAgeMillisChallengedAtMillisAndPrincipalWithoutTheProvider() {
		assertThat(FIVE_MINUTES.encode()).isEqualTo("privileged,300000," + CHALLENGED_AT.toEpochMilli() + ",alice");
		assertThat(new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), CHALLENGED_AT, "alice", "idp")
			.encode()).isEqualTo(FIVE_MINUTES.encode());
	}

	@Test
	void writeToWhenProviderThenReadBackWithTheProviderAndTheTextAsAnEarlierVersionWroteIt() {
		MapSessionAccess session = new MapSessionAccess(Instant.now());
		PendingChallenge atIdp = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), CHALLENGED_AT,
				"CN=Alice,OU=Staff", "corp,idp");
		atIdp.writeTo(session);
		assertThat(PendingChallenge.of(session)).isEqualTo(atIdp);
		assertThat(session.getAttribute(SessionAttributes.CHALLENGE))
			.isEqualTo("privileged,300000," + CHALLENGED_AT.toEpochMilli() + ",CN=Alice,OU=Staff");
		FIVE_MINUTES.writeTo(session);
		assertThat(PendingChallenge.of(session)).as("a new challenge drops the old provider").isEqualTo(FIVE_MINUTES);
		atIdp.writeTo(session);
		PendingChallenge.removeFrom(session);
		assertThat(PendingChallenge.of(session)).isNull();
		assertThat(session.getAttribute(SessionAttributes.CHALLENGE_PROVIDER)).isNull();
	}

	@Test
	void isForWhenSameNameAndProviderThenTrueElseFalse() {
		PendingChallenge atIdp = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), CHALLENGED_AT,
				"alice", "idp");
		assertThat(atIdp.isFor("alice", "idp")).isTrue();
		assertThat(atIdp.isFor("alice", "other")).as("same name at another provider").isFalse();
		assertThat(atIdp.isFor("alice", null)).as("same name, a form login").isFalse();
		assertThat(atIdp.isFor("bob", "idp")).isFalse();
		assertThat(FIVE_MINUTES.isFor("alice", null)).isTrue();
		assertThat(FIVE_MINUTES.isFor("alice", "idp")).isFalse();
	}

	@Test
	void decodeWhenEncodedThenSameChallenge() {
		assertThat(PendingChallenge.decode(FIVE_MINUTES.encode())).isEqualTo(FIVE_MINUTES);
		PendingChallenge reauthentication = new PendingChallenge(ExpiryReason.REAUTHENTICATION, Duration.ofHours(8),
				CHALLENGED_AT, "bob");
		assertThat(PendingChallenge.decode(reauthentication.encode())).isEqualTo(reauthentication);
	}

	@Test
	void decodeWhenEndingReasonOrNegativeMaxAgeThenNull() {
		assertThat(PendingChallenge.decode("absolute,300000,1577869200000,user")).isNull();
		assertThat(PendingChallenge.decode("privileged,-1,1577869200000,user")).isNull();
	}

	@Test
	void decodeWhenMaxAgeZeroThenZero() {
		assertThat(PendingChallenge.decode(ALWAYS.encode()).maxAge()).isZero();
	}

	@Test
	void decodeWhenPrincipalHasCommasThenWholePrincipal() {
		PendingChallenge challenge = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), CHALLENGED_AT,
				"CN=Alice,OU=Staff,O=Example");
		assertThat(PendingChallenge.decode(challenge.encode())).isEqualTo(challenge);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "privileged", "privileged,300000,1795341600700", "stale,300000,1795341600700,alice",
			"privileged,5m,1795341600700,alice", "privileged,300000,yesterday,alice",
			"privileged,,1795341600700,alice" })
	void decodeWhenNotAnEncodedChallengeThenNull(String text) {
		assertThat(PendingChallenge.decode(text)).isNull();
	}

	@Test
	void ofWhenSessionHasEncodedChallengeThenDecoded() {
		MapSessionAccess session = new MapSessionAccess(Instant.now());
		session.setAttribute(SessionAttributes.CHALLENGE, FIVE_MINUTES.encode());
		assertThat(PendingChallenge.of(session)).isEqualTo(FIVE_MINUTES);
	}

	@Test
	void ofWhenSessionHasNoChallengeOrAnotherValueThenNull() {
		MapSessionAccess session = new MapSessionAccess(Instant.now());
		assertThat(PendingChallenge.of(session)).isNull();
		session.setAttribute(SessionAttributes.CHALLENGE, 42L);
		assertThat(PendingChallenge.of(session)).isNull();
		session.setAttribute(SessionAttributes.CHALLENGE, "garbage");
		assertThat(PendingChallenge.of(session)).isNull();
	}

	@Test
	void isMetByWhenJustBeforeMaxAgeThenTrue() {
		Instant authenticatedAt = CHALLENGED_AT.plusSeconds(10);
		assertThat(FIVE_MINUTES.isMetBy(authenticatedAt, authenticatedAt.plus(Duration.ofMinutes(5)).minus(ONE_MS)))
			.isTrue();
	}

	@Test
	void isMetByWhenMaxAgeReachedThenFalse() {
		Instant authenticatedAt = CHALLENGED_AT.plusSeconds(10);
		assertThat(FIVE_MINUTES.isMetBy(authenticatedAt, authenticatedAt.plus(Duration.ofMinutes(5)))).isFalse();
	}

	@Test
	void isMetByWhenJustAfterMaxAgeThenFalse() {
		Instant authenticatedAt = CHALLENGED_AT.plusSeconds(10);
		assertThat(FIVE_MINUTES.isMetBy(authenticatedAt, authenticatedAt.plus(Duration.ofMinutes(5)).plus(ONE_MS)))
			.isFalse();
	}

	@Test
	void isMetByWhenAuthenticatedBeforeChallengeButWithinMaxAgeThenTrue() {
		Instant authenticatedAt = CHALLENGED_AT.minus(Duration.ofMinutes(1));
		assertThat(FIVE_MINUTES.isMetBy(authenticatedAt, CHALLENGED_AT.plusSeconds(5))).isTrue();
	}

	@Test
	void isMetByWhenMaxAgeZeroAndAuthenticatedAfterChallengeThenTrue() {
		assertThat(ALWAYS.isMetBy(CHALLENGED_AT.plusSeconds(3), CHALLENGED_AT.plus(Duration.ofHours(1)))).isTrue();
	}

	@Test
	void isMetByWhenMaxAgeZeroAndAuthTimeInTheSecondOfTheChallengeThenTrue() {
		Instant authTime = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(ALWAYS.isMetBy(authTime, CHALLENGED_AT.plusSeconds(2))).isTrue();
		assertThat(ALWAYS.isMetBy(CHALLENGED_AT.minusMillis(1), CHALLENGED_AT.plusSeconds(2))).isTrue();
	}

	@Test
	void isMetByWhenMaxAgeZeroAndAuthenticatedInTheSecondBeforeTheChallengeThenFalse() {
		assertThat(ALWAYS.isMetBy(Instant.parse("2026-11-22T09:59:59.999Z"), CHALLENGED_AT.plusSeconds(2))).isFalse();
		assertThat(ALWAYS.isMetBy(Instant.parse("2026-11-22T09:59:59Z"), CHALLENGED_AT.plusSeconds(2))).isFalse();
	}

	@Test
	void isMetByWhenMaxAgeZeroAndChallengeOnAWholeSecondThenAuthenticationAtThatSecondMeetsIt() {
		Instant challengedAt = Instant.parse("2026-11-22T10:00:00Z");
		PendingChallenge challenge = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ZERO, challengedAt,
				"alice");
		assertThat(challenge.isMetBy(challengedAt, challengedAt)).isTrue();
		assertThat(challenge.isMetBy(challengedAt.minusMillis(1), challengedAt)).isFalse();
	}

}
