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
package dev.sessiontimeout.internal.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions.Entry;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OidcLogouts}: which logins a back-channel logout kept for the logins
 * under way ends.
 */
class OidcLogoutsTests {

	private static final String ISSUER = "https://idp.example.com";

	private static final Instant LOGGED_OUT = Instant.parse("2026-12-05T10:00:00Z");

	@Test
	void aLoginIssuedBeforeTheLogoutOrWithinTheSkewAfterItIsEndedOneIssuedLaterIsNot() {
		Entry logout = OidcLogouts.entry(logoutToken(null), LOGGED_OUT.plusSeconds(2));
		assertThat(logout).isNotNull();
		assertThat(OidcLogouts.ends(logout, user(LOGGED_OUT.minusSeconds(3), "sid-1"))).isTrue();
		assertThat(OidcLogouts.ends(logout, user(LOGGED_OUT, "sid-1"))).isTrue();
		assertThat(OidcLogouts.ends(logout, user(LOGGED_OUT.plus(OidcLogouts.SKEW), "sid-1"))).isTrue();
		assertThat(OidcLogouts.ends(logout, user(LOGGED_OUT.plus(OidcLogouts.SKEW).plusSeconds(1), "sid-1"))).isFalse();
		assertThat(OidcLogouts.ends(null, user(LOGGED_OUT, "sid-1"))).isFalse();
	}

	@Test
	void aLogoutOfAProviderSessionIsKeptForItAndALogoutOfASubjectForIt() {
		InMemoryEndedSessions store = new InMemoryEndedSessions();
		Instant now = LOGGED_OUT.plusSeconds(1);
		Entry bySid = OidcLogouts.entry(logoutToken("sid-1"), now);
		OidcLogouts.keys(logoutToken("sid-1"))
			.forEach((key) -> store.remember(key, bySid.reason(), bySid.until(), now));
		assertThat(ended(store, user(LOGGED_OUT, "sid-1"), now)).isTrue();
		assertThat(ended(store, user(LOGGED_OUT, "sid-2"), now)).as("another provider session").isFalse();

		Entry bySubject = OidcLogouts.entry(logoutToken(null), now);
		OidcLogouts.keys(logoutToken(null))
			.forEach((key) -> store.remember(key, bySubject.reason(), bySubject.until(), now));
		assertThat(ended(store, user(LOGGED_OUT, "sid-2"), now)).isTrue();
		assertThat(ended(store, user(LOGGED_OUT, "sid-2"), LOGGED_OUT.plus(OidcLogouts.KEPT_FOR))).as("forgotten")
			.isFalse();
	}

	@Test
	void aLogoutOfAProviderSessionAndASubjectEndsNoLoginOfAnotherSubjectUnderThatProviderSession() {
		// Logins of two subjects may name one provider session (the records of
		// provider sessions say so): a live session of the other subject is not ended
		// by the token (matches compares the subject), so neither is its login under way
		InMemoryEndedSessions store = new InMemoryEndedSessions();
		Instant now = LOGGED_OUT.plusSeconds(1);
		Entry logout = OidcLogouts.entry(logoutToken("sid-1"), now);
		OidcLogouts.keys(logoutToken("sid-1"))
			.forEach((key) -> store.remember(key, logout.reason(), logout.until(), now));
		assertThat(ended(store, user(LOGGED_OUT, "sid-1"), now)).isTrue();
		assertThat(ended(store, user(LOGGED_OUT, "sid-1", "someone-else"), now)).as("another subject").isFalse();

		Entry providerSessionOnly = OidcLogouts.entry(providerSessionOnly("sid-2"), now);
		OidcLogouts.keys(providerSessionOnly("sid-2"))
			.forEach((key) -> store.remember(key, providerSessionOnly.reason(), providerSessionOnly.until(), now));
		assertThat(ended(store, user(LOGGED_OUT, "sid-2", "someone-else"), now)).as("a token without sub").isTrue();
	}

	@Test
	void aLogoutTokenIssuedLongerAgoThanTheRecordsAreKeptIsNotKept() {
		assertThat(OidcLogouts.entry(logoutToken(null), LOGGED_OUT.plus(OidcLogouts.KEPT_FOR))).isNull();
	}

	@Test
	void aLogoutTokenIssuedInTheFutureEndsNoLoginIssuedWellAfterItArrivedAndIsNotKeptLongerThanOneIssuedThen() {
		// Spring Security checks no iat of a logout token: a provider's clock set a month
		// ahead signs one that would end every login of its subject for a month
		Instant arrived = LOGGED_OUT;
		Entry logout = OidcLogouts.entry(logoutToken(null, arrived.plus(Duration.ofDays(30))), arrived);
		assertThat(logout).isNotNull();
		assertThat(OidcLogouts.ends(logout, user(arrived.minusSeconds(1), "sid-1"))).as("a login under way").isTrue();
		assertThat(OidcLogouts.ends(logout, user(arrived.plus(Duration.ofMinutes(10)), "sid-1")))
			.as("a login ten minutes after the logout arrived")
			.isFalse();
		assertThat(logout.until()).isBeforeOrEqualTo(arrived.plus(OidcLogouts.KEPT_FOR).plus(Duration.ofMinutes(1)));
	}

	@Test
	void aLaterLogoutIsKeptOverAnEarlierOne() {
		Entry earlier = OidcLogouts.entry(logoutToken(null), LOGGED_OUT);
		Entry later = new Entry(earlier.reason(), earlier.until().plusSeconds(1));
		assertThat(OidcLogouts.isLater(null, earlier)).isTrue();
		assertThat(OidcLogouts.isLater(earlier, later)).isTrue();
		assertThat(OidcLogouts.isLater(later, earlier)).isFalse();
	}

	@Test
	void aProviderSessionFindsTheSubjectOfItsLoginUntilItIsForgottenAndNoneIfLoginsOfTwoSubjectsNamedIt() {
		InMemoryEndedSessions store = new InMemoryEndedSessions();
		Instant now = LOGGED_OUT;
		OidcUser user = user(now, "sid-1");
		assertThat(OidcLogouts.loginKeys(user)).isEqualTo(OidcLogouts.loginKeys(providerSessionOnly("sid-1")))
			.hasSize(1)
			.doesNotContainAnyElementsOf(OidcLogouts.keys(logoutToken("sid-1")));
		assertThat(subject(store, "sid-1", now)).as("no login").isNull();
		signIn(store, user, now);
		assertThat(subject(store, "sid-1", now)).isEqualTo("user");
		assertThat(subject(store, "sid-2", now)).as("another provider session").isNull();
		assertThat(subject(store, "sid-1", now.plus(OidcLogouts.LOGIN_KEPT_FOR).minusMillis(1))).isEqualTo("user");
		assertThat(subject(store, "sid-1", now.plus(OidcLogouts.LOGIN_KEPT_FOR))).as("forgotten").isNull();
		signIn(store, user(now, "sid-1", "someone-else"), now.plusSeconds(1));
		assertThat(subject(store, "sid-1", now.plusSeconds(1))).as("two subjects").isNull();
		signIn(store, user, now.plusSeconds(2));
		assertThat(subject(store, "sid-1", now.plusSeconds(2))).as("still two subjects").isNull();
		assertThat(OidcLogouts.subject(List.of())).as("no client").isNull();
	}

	@Test
	void aRecordWithTextIsReadBackWithIt() {
		Entry login = new Entry(ExpiryReason.REVOKED, LOGGED_OUT, "=user,with,commas");
		assertThat(Entry.decode(login.encode())).isEqualTo(login);
		assertThat(Entry.decode("revoked,1764547200000"))
			.isEqualTo(new Entry(ExpiryReason.REVOKED, Instant.ofEpochMilli(1764547200000L)));
	}

	private static void signIn(InMemoryEndedSessions store, OidcUser user, Instant now) {
		OidcLogouts.loginKeys(user)
			.forEach((key) -> store.remember(key, OidcLogouts.login(user, store.entryOf(key, now), now), now));
	}

	private static String subject(InMemoryEndedSessions store, String providerSession, Instant now) {
		return OidcLogouts.subject(OidcLogouts.loginKeys(providerSessionOnly(providerSession))
			.stream()
			.map((key) -> store.entryOf(key, now))
			.toList());
	}

	private static OidcLogoutToken providerSessionOnly(String providerSession) {
		return OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(LOGGED_OUT)
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.sessionId(providerSession)
			.build();
	}

	private static boolean ended(InMemoryEndedSessions store, OidcUser user, Instant now) {
		return OidcLogouts.keys(user).stream().anyMatch((key) -> OidcLogouts.ends(store.entryOf(key, now), user));
	}

	private static OidcLogoutToken logoutToken(String providerSession) {
		return logoutToken(providerSession, LOGGED_OUT);
	}

	private static OidcLogoutToken logoutToken(String providerSession, Instant issuedAt) {
		OidcLogoutToken.Builder token = OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(issuedAt)
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.subject("user");
		if (providerSession != null) {
			token.sessionId(providerSession);
		}
		return token.build();
	}

	private static OidcUser user(Instant issuedAt, String providerSession) {
		return user(issuedAt, providerSession, "user");
	}

	private static OidcUser user(Instant issuedAt, String providerSession, String subject) {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.subject(subject)
			.issuedAt(issuedAt)
			.expiresAt(issuedAt.plusSeconds(60))
			.claims((claims) -> claims.put("sid", providerSession))
			.build();
		return new DefaultOidcUser(List.of(), idToken);
	}

}
