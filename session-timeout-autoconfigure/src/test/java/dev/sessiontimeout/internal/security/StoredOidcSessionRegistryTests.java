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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.event.OAuth2AuthorizedClientRefreshedEvent;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizedClientRefreshedEventListener;
import org.springframework.security.oauth2.client.oidc.authentication.event.OidcUserRefreshedEvent;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link StoredOidcSessionRegistry}: which sessions a logout token names.
 *
 * @author session-timeout
 */
class StoredOidcSessionRegistryTests {

	private static final String ISSUER = "https://idp.example.com";

	@Test
	void matchesWhenIssuerAudienceSubjectAndProviderSessionAreTheIdTokensThenTrue() {
		assertThat(
				StoredOidcSessionRegistry.matches(logoutToken((token) -> token.sessionId("sid-1")), signedIn("sid-1")))
			.isTrue();
		assertThat(StoredOidcSessionRegistry.matches(logoutToken((token) -> {
		}), signedIn("sid-1"))).as("by subject alone").isTrue();
	}

	@Test
	void matchesWhenAnyClaimDiffersThenFalse() {
		Object session = signedIn("sid-1");
		assertThat(StoredOidcSessionRegistry.matches(logoutToken((token) -> token.sessionId("sid-2")), session))
			.as("another provider session")
			.isFalse();
		assertThat(StoredOidcSessionRegistry.matches(logoutToken((token) -> token.subject("someone-else")), session))
			.as("another subject")
			.isFalse();
		assertThat(StoredOidcSessionRegistry.matches(logoutToken((token) -> token.issuer("https://other.example.com")),
				session))
			.as("another issuer")
			.isFalse();
		assertThat(StoredOidcSessionRegistry.matches(logoutToken((token) -> token.audience(List.of("another-client"))),
				session))
			.as("another audience")
			.isFalse();
	}

	@Test
	void matchesWhenTheSessionHoldsNoOidcUserThenFalse() {
		OidcLogoutToken token = logoutToken((builder) -> {
		});
		assertThat(StoredOidcSessionRegistry.matches(token, null)).isFalse();
		assertThat(StoredOidcSessionRegistry.matches(token, "not a security context")).isFalse();
		assertThat(StoredOidcSessionRegistry.matches(token,
				new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("user", null, List.of()))))
			.isFalse();
	}

	@Test
	void removeSessionInformationWhenTheTokenNamesNoSubjectThenFailsSoThatTheProviderDoesNotTakeItForDone() {
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of());
		OidcLogoutToken token = OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(Instant.now())
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.sessionId("sid-1")
			.build();
		assertThatIllegalStateException().isThrownBy(() -> registry.removeSessionInformation(token))
			.withMessageContaining("names no subject");
	}

	@Test
	void removeSessionInformationWhenTheTokenNamesOnlyAProviderSessionThenRevokesTheSessionOfItsLoginBySubjectAndIt() {
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of());
		StoredOidcSessionRegistry anotherNode = new StoredOidcSessionRegistry(userSessions, List.of());
		signIn(registry, signedIn("sid-1"));
		assertThatIllegalStateException()
			.isThrownBy(() -> anotherNode
				.removeSessionInformation(logoutToken((token) -> token.subject(null).sessionId("sid-1"))))
			.as("a node that shares no store and saw no login of the provider session")
			.withMessageContaining("names no subject");
		assertThatIllegalStateException().isThrownBy(
				() -> registry.removeSessionInformation(logoutToken((token) -> token.subject(null).sessionId("sid-2"))))
			.as("a provider session that no login named")
			.withMessageContaining("names no subject");
		then(userSessions).shouldHaveNoInteractions();
		registry.removeSessionInformation(logoutToken((token) -> token.subject(null).sessionId("sid-1")));
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Predicate<SessionAttributeSource>> which = ArgumentCaptor.forClass(Predicate.class);
		then(userSessions).should().revoke(eq("user"), which.capture());
		Object login = signedIn("sid-1");
		Object anotherLogin = signedIn("sid-2");
		assertThat(which.getValue()
			.test((name) -> HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY.equals(name) ? login
					: null))
			.isTrue();
		assertThat(which.getValue()
			.test((name) -> HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY.equals(name) ? anotherLogin
					: null))
			.as("another login of the user")
			.isFalse();
	}

	@Test
	void removeSessionInformationWhenTheTokenNamesOnlyAProviderSessionAndTheStoreFailsThenFails() {
		EndedSessions shared = mock(EndedSessions.class);
		given(shared.entryOf(any(), any())).willThrow(new IllegalStateException("store down"));
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of(), shared,
				new MutableClock());
		assertThatIllegalStateException().isThrownBy(
				() -> registry.removeSessionInformation(logoutToken((token) -> token.subject(null).sessionId("sid-1"))))
			.withMessage("store down");
		then(userSessions).shouldHaveNoInteractions();
	}

	@Test
	void removeSessionInformationWhenTheClientNamesUsersByAnotherClaimThenFailsAndRevokesNothing() {
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of("client"));
		assertThatIllegalStateException().isThrownBy(() -> registry.removeSessionInformation(logoutToken((token) -> {
		}))).withMessageContaining("named by another claim than their subject");
		then(userSessions).shouldHaveNoInteractions();
	}

	@Test
	void saveSessionInformationWhenALoginNamesTheUserOtherwiseThanByTheSubjectThenItsClientsLogoutTokensFail() {
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of());
		DefaultOidcUser namedBySubject = (DefaultOidcUser) ((OAuth2AuthenticationToken) ((SecurityContextImpl) signedIn(
				"sid-1"))
			.getAuthentication()).getPrincipal();
		registry.saveSessionInformation(new OidcSessionInformation("session-1", Map.of(), namedBySubject));
		registry.removeSessionInformation(logoutToken((token) -> {
		}));
		then(userSessions).should().revoke(eq("user"), any());
		// A later login, which the logout kept for the logins under way does not end
		DefaultOidcUser later = (DefaultOidcUser) ((OAuth2AuthenticationToken) ((SecurityContextImpl) signedIn("sid-1",
				Instant.now().plus(OidcLogouts.SKEW).plusSeconds(1)))
			.getAuthentication()).getPrincipal();
		DefaultOidcUser namedOtherwise = new DefaultOidcUser(List.of(), later.getIdToken(),
				new OidcUserInfo(Map.of("sub", "user", "account", "account-of-user")), "account");
		registry.saveSessionInformation(new OidcSessionInformation("session-2", Map.of(), namedOtherwise));
		assertThatIllegalStateException().isThrownBy(() -> registry.removeSessionInformation(logoutToken((token) -> {
		}))).withMessageContaining("named by another claim than their subject");
		assertThatIllegalStateException()
			.isThrownBy(() -> registry.removeSessionInformation(logoutToken((token) -> token.subject("another-user"))))
			.as("another user of that client")
			.withMessageContaining("named by another claim than their subject");
		registry.removeSessionInformation(logoutToken((token) -> token.audience(List.of("third-client"))));
		then(userSessions).should(times(2)).revoke(eq("user"), any());
	}

	/**
	 * Client ids are the providers': two providers (two realms of one Keycloak, say) may
	 * give the application the same one. A login at one whose users are named otherwise
	 * tells nothing of the other's, whose logout tokens still end their sessions, on this
	 * node and on one that shares the store.
	 */
	@Test
	void saveSessionInformationWhenALoginNamesTheUserOtherwiseThenTheSameClientIdOfAnotherIssuerStillLogsOut() {
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		EndedSessions shared = new InMemoryEndedSessions();
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of(), shared,
				Clock.systemUTC());
		StoredOidcSessionRegistry otherNode = new StoredOidcSessionRegistry(userSessions, List.of(), shared,
				Clock.systemUTC());
		DefaultOidcUser namedBySubject = (DefaultOidcUser) ((OAuth2AuthenticationToken) ((SecurityContextImpl) signedIn(
				"sid-1"))
			.getAuthentication()).getPrincipal();
		DefaultOidcUser namedOtherwise = new DefaultOidcUser(List.of(), namedBySubject.getIdToken(),
				new OidcUserInfo(Map.of("sub", "user", "account", "account-of-user")), "account");
		registry.saveSessionInformation(new OidcSessionInformation("session-1", Map.of(), namedOtherwise));
		assertThatIllegalStateException().isThrownBy(() -> registry.removeSessionInformation(logoutToken((token) -> {
		}))).withMessageContaining("named by another claim than their subject");
		registry.removeSessionInformation(logoutToken((token) -> token.issuer("https://other.example.com")));
		otherNode.removeSessionInformation(logoutToken((token) -> token.issuer("https://other.example.com")));
		then(userSessions).should(times(2)).revoke(eq("user"), any());
	}

	/**
	 * A node that starts (a deployment, a new instance) does not write the shared record
	 * again at its first such login while the store holds one for half a year more: a
	 * store may keep a record per write (JDBC), and a logout token reads them all.
	 */
	@Test
	void saveSessionInformationWhenANodeStartsWhileTheStoreHoldsTheRecordThenItIsNotWrittenAgain() {
		EndedSessions shared = spy(new InMemoryEndedSessions());
		MutableClock clock = new MutableClock();
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		clock.fixAt(start);
		DefaultOidcUser namedBySubject = (DefaultOidcUser) ((OAuth2AuthenticationToken) ((SecurityContextImpl) signedIn(
				"sid-1"))
			.getAuthentication()).getPrincipal();
		DefaultOidcUser namedOtherwise = new DefaultOidcUser(List.of(), namedBySubject.getIdToken(),
				new OidcUserInfo(Map.of("sub", "user", "account", "account-of-user")), "account");
		for (int node = 0; node < 5; node++) {
			clock.fixAt(start.plus(Duration.ofDays(node)));
			new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class), List.of(), shared, clock)
				.saveSessionInformation(new OidcSessionInformation("session-" + node, Map.of(), namedOtherwise));
		}
		// One record per client of the ID token (two), by the first node
		then(shared).should(times(2)).remember(any(), any(), any(), any());
	}

	@Test
	void removeSessionInformationWhenTheSessionsIdTokenWasRefreshedWithoutItsProviderSessionThenItStillMatches() {
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of());
		// The login's callback: Spring Security registers the session of the login
		MockHttpServletRequest callback = new MockHttpServletRequest();
		MockHttpSession session = (MockHttpSession) callback.getSession();
		SecurityContext login = (SecurityContext) signedIn("sid-1");
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, login);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(callback));
		try {
			registry.saveSessionInformation(new OidcSessionInformation(session.getId(), Map.of(),
					(OidcUser) login.getAuthentication().getPrincipal()));
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
		// A later request refreshes the access token, and with it the ID token, which
		// names no provider session (sid is optional in a refreshed ID token)
		SecurityContext refreshed = refreshedWithoutProviderSession(login);
		assertThat(((OidcUser) refreshed.getAuthentication().getPrincipal()).getClaimAsString("sid")).isNull();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, refreshed);
		registry.removeSessionInformation(logoutToken((token) -> token.sessionId("sid-1")));
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Predicate<SessionAttributeSource>> which = ArgumentCaptor.forClass(Predicate.class);
		then(userSessions).should().revoke(eq("user"), which.capture());
		assertThat(which.getValue().test(session::getAttribute))
			.as("the session of the provider session that the logout token names")
			.isTrue();
		assertThat(which.getValue().test((name) -> refreshed))
			.as("the session of another login of the same user, whose provider session is unknown")
			.isFalse();
	}

	@Test
	void saveSessionInformationWhenLoginsNameUsersOtherwiseThenTheStoreIsWrittenOncePerHalfItsKeepPerNode() {
		EndedSessions shared = mock(EndedSessions.class);
		MutableClock clock = new MutableClock();
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		clock.fixAt(start);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, clock);
		DefaultOidcUser namedBySubject = (DefaultOidcUser) ((OAuth2AuthenticationToken) ((SecurityContextImpl) signedIn(
				"sid-1"))
			.getAuthentication()).getPrincipal();
		DefaultOidcUser namedOtherwise = new DefaultOidcUser(List.of(), namedBySubject.getIdToken(),
				new OidcUserInfo(Map.of("sub", "user", "account", "account-of-user")), "account");
		for (int i = 0; i < 3; i++) {
			registry.saveSessionInformation(new OidcSessionInformation("session-" + i, Map.of(), namedOtherwise));
		}
		// Each write is a record of its own in some stores (JDBC): one per client (the ID
		// token's two), not one per login
		then(shared).should(times(2)).remember(any(), any(), eq(start.plus(Duration.ofDays(366))), eq(start));
		then(shared).should(times(2)).remember(any(), any(), any(), any());
		clock.fixAt(start.plus(Duration.ofDays(184)));
		registry.saveSessionInformation(new OidcSessionInformation("session-3", Map.of(), namedOtherwise));
		then(shared).should(times(4)).remember(any(), any(), any(), any());
	}

	@Test
	void saveSessionInformationWhenTheSameUserSignsInAgainUnderTheSameProviderSessionThenItsRecordIsNotWrittenAgainUntilItsKeepRunsShort() {
		// In the indexed stores (JDBC, Redis indexed) each write is a record of its own,
		// kept for 30 days, and a login reads every record of its key: a user who signs
		// in 50 times a day under one provider session must not add 50 records a day
		Map<String, EndedSessions.Entry> records = new HashMap<>();
		EndedSessions shared = mock(EndedSessions.class);
		given(shared.entryOf(any(), any())).willAnswer((invocation) -> records.get(invocation.<String>getArgument(0)));
		willAnswer((invocation) -> records.put(invocation.getArgument(0), invocation.getArgument(1))).given(shared)
			.remember(any(String.class), any(EndedSessions.Entry.class), any(Instant.class));
		MutableClock clock = new MutableClock();
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		clock.fixAt(start);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, clock);
		for (int i = 0; i < 3; i++) {
			clock.fixAt(start.plus(Duration.ofHours(i)));
			signIn(registry, signedIn("sid-1", start.plus(Duration.ofHours(i))));
		}
		// One record per client of the ID token (two), not one per login
		then(shared).should(times(2)).remember(any(String.class), any(EndedSessions.Entry.class), any(Instant.class));
		clock.fixAt(start.plus(Duration.ofDays(2)));
		signIn(registry, signedIn("sid-1", start.plus(Duration.ofDays(2))));
		then(shared).should(times(4)).remember(any(String.class), any(EndedSessions.Entry.class), any(Instant.class));
		assertThat(records.values()).allSatisfy((record) -> assertThat(record.until())
			.isEqualTo(start.plus(Duration.ofDays(2)).plus(OidcLogouts.LOGIN_KEPT_FOR)));
	}

	@Test
	void removeSessionInformationKeepsTheLogoutForTheLoginsUnderWayBeforeItLooksUpTheSessions() {
		EndedSessions shared = mock(EndedSessions.class);
		SpringSessionUserSessions userSessions = mock(SpringSessionUserSessions.class);
		MutableClock clock = new MutableClock();
		Instant issued = Instant.parse("2026-01-01T00:00:00Z");
		clock.fixAt(issued.plusSeconds(1));
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(userSessions, List.of(), shared, clock);
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(issued).sessionId("sid-1")));
		InOrder order = inOrder(shared, userSessions);
		then(shared).should(order)
			.remember(any(), eq(ExpiryReason.REVOKED), eq(issued.plus(OidcLogouts.KEPT_FOR)),
					eq(issued.plusSeconds(1)));
		then(userSessions).should(order).revoke(eq("user"), any());
	}

	@Test
	void saveSessionInformationWhenALogoutWasKeptThenRevokesTheSessionOfALoginIssuedBeforeItOnly() {
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		StoredOidcSessionRegistry registry = registryAt(loggedOut);
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		assertThat(signIn(registry, signedIn("sid-1", loggedOut.minusSeconds(1))))
			.as("issued before the logout, while its callback ran")
			.isNotNull();
		assertThat(signIn(registry, signedIn("sid-2", loggedOut.minusSeconds(1)))).as("another provider session")
			.isNull();
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut)));
		assertThat(signIn(registry, signedIn("sid-2", loggedOut.minusSeconds(1)))).as("by subject").isNotNull();
		assertThat(signIn(registry, signedIn("sid-3", loggedOut.plus(OidcLogouts.SKEW).plusSeconds(1))))
			.as("a later login")
			.isNull();
	}

	@Test
	void saveSessionInformationWhenNoStoreKeepsWhySessionsEndedThenALogoutKeptInTheNodesMemoryEndsTheLoginUnderWay() {
		// The public constructor (an application's own registry) and an ambiguous
		// EndedSessions bean give no store: the logout is kept in the node's memory, as
		// the logins' records are, rather than dropped with a 200
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of());
		Instant loggedOut = Instant.now();
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		assertThat(signIn(registry, signedIn("sid-1", loggedOut.minusSeconds(1))))
			.as("issued before the logout, while its callback ran")
			.isNotNull();
	}

	@Test
	void saveSessionInformationWhenTheStoreFailsThenTheLoginFails() {
		EndedSessions shared = mock(EndedSessions.class);
		given(shared.entryOf(any(), any())).willThrow(new IllegalStateException("store down"));
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, new MutableClock());
		assertThatIllegalStateException().isThrownBy(() -> signIn(registry, signedIn("sid-1")))
			.withMessage("store down");
	}

	@Test
	void checkWhenALogoutWasKeptAfterTheLoginLookedThenRevokesItsSessionAndRemovesTheMark() {
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		StoredOidcSessionRegistry registry = registryAt(loggedOut);
		MockHttpSession session = signedInSession(registry, signedIn("sid-1", loggedOut.minusSeconds(1)));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).isNull();
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING))
			.isEqualTo(Long.toString(loggedOut.toEpochMilli()));
		// After the login looked, before its session is saved: it finds no session
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		registry.check(HttpSessionAccess.of(session), loggedOut.plusSeconds(1));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT))
			.isEqualTo(loggedOut.plusSeconds(1).toEpochMilli());
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNull();
	}

	@Test
	void checkWhenManySessionsEndAfterALogoutWasKeptThenItStillRevokesTheSessionOfTheLoginUnderWay() {
		// The map store's: why sessions ended, remembered in the node's memory
		InMemoryEndedSessions shared = new InMemoryEndedSessions();
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		MutableClock clock = new MutableClock();
		clock.fixAt(loggedOut);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, clock);
		MockHttpSession session = signedInSession(registry, signedIn("sid-1", loggedOut.minusSeconds(1)));
		// After the login looked, before its session is saved: it finds no session
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		// As many other sessions end before the session's first request as the node
		// remembers ended sessions
		for (int i = 0; i < 10_000; i++) {
			shared.remember("session-" + i, ExpiryReason.IDLE, loggedOut.plus(Duration.ofHours(1)), loggedOut);
		}
		registry.check(HttpSessionAccess.of(session), loggedOut.plusSeconds(1));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).as("logged out by its provider")
			.isEqualTo(loggedOut.plusSeconds(1).toEpochMilli());
	}

	@Test
	void checkWhenTheFirstRequestComesOnceALogoutKeptAfterTheLoginLookedIsForgottenThenRevokesItsSession() {
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		StoredOidcSessionRegistry registry = registryAt(loggedOut);
		MockHttpSession session = signedInSession(registry, signedIn("sid-1", loggedOut.minusSeconds(1)));
		// After the login looked, before its session is saved: it finds no session, and
		// is kept for KEPT_FOR
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		// The session's first request comes once that logout is forgotten: whether one
		// ended the login can no longer be told, so it is never served
		Instant firstRequest = loggedOut.plus(OidcLogouts.KEPT_FOR).plusSeconds(1);
		registry.check(HttpSessionAccess.of(session), firstRequest);
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).isEqualTo(firstRequest.toEpochMilli());
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNull();
	}

	@Test
	void checkWhenALogoutTokenIssuedMoreThanTheKeepAgoArrivesWhileALoginIssuedBeforeItIsUnderWayThenRevokesItsSession() {
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
		Instant now = loggedOut.plus(Duration.ofHours(2));
		StoredOidcSessionRegistry registry = registryAt(now);
		MockHttpSession session = signedInSession(registry, signedIn("sid-1", loggedOut.minusSeconds(1)));
		// After the login looked, before its session is saved; too old to be kept
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		registry.check(HttpSessionAccess.of(session), now.plusSeconds(1));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).as("a login the logout may have ended")
			.isEqualTo(now.plusSeconds(1).toEpochMilli());
	}

	@Test
	void checkWhenNoKeptLogoutEndsTheLoginThenOnlyRemovesTheMark() {
		Instant loggedOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		StoredOidcSessionRegistry registry = registryAt(loggedOut);
		MockHttpSession session = signedInSession(registry,
				signedIn("sid-1", loggedOut.plus(OidcLogouts.SKEW).plusSeconds(1)));
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-2")));
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut)));
		registry.check(HttpSessionAccess.of(session), loggedOut.plusSeconds(1));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT))
			.as("another provider session's logout, and the user's logout before this login")
			.isNull();
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNull();
	}

	@Test
	void checkWhenTheStoreDoesNotAnswerThenFailsAndTheSessionKeepsItsMark() {
		EndedSessions shared = mock(EndedSessions.class);
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, new MutableClock());
		MockHttpSession session = signedInSession(registry, signedIn("sid-1"));
		given(shared.entryOf(any(), any())).willThrow(new DataAccessResourceFailureException("store down"));
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> registry.check(HttpSessionAccess.of(session), Instant.now()))
			.satisfies((ex) -> assertThat(StoreFailures.isUnavailable(ex)).as("answered 503").isTrue());
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNotNull();
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).isNull();
	}

	@Test
	void saveSessionInformationWhenALogoutWasKeptThenRevokesTheSessionWithoutMarkingIt() {
		InMemoryEndedSessions shared = new InMemoryEndedSessions();
		Instant loggedOut = Instant.now();
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class),
				List.of(), shared, new MutableClock());
		registry.removeSessionInformation(logoutToken((token) -> token.issuedAt(loggedOut).sessionId("sid-1")));
		MockHttpSession session = signedInSession(registry, signedIn("sid-1", loggedOut.minusSeconds(1)));
		assertThat(session.getAttribute(SessionAttributes.REVOKED_AT)).isNotNull();
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNull();
	}

	/**
	 * Return a registry that keeps why sessions ended in memory, whose clock stands at
	 * the given instant.
	 */
	private static StoredOidcSessionRegistry registryAt(Instant now) {
		MutableClock clock = new MutableClock();
		clock.fixAt(now);
		return new StoredOidcSessionRegistry(mock(SpringSessionUserSessions.class), List.of(),
				new InMemoryEndedSessions(), clock);
	}

	/**
	 * Register a login as Spring Security does in its callback, with its security context
	 * in its session, and return the session.
	 */
	private static MockHttpSession signedInSession(StoredOidcSessionRegistry registry, Object login) {
		MockHttpServletRequest callback = new MockHttpServletRequest();
		MockHttpSession session = (MockHttpSession) callback.getSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, login);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(callback));
		try {
			registry.saveSessionInformation(new OidcSessionInformation(session.getId(), Map.of(),
					(OidcUser) ((SecurityContext) login).getAuthentication().getPrincipal()));
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
		return session;
	}

	/**
	 * Register a login as Spring Security does in its callback, and return when its
	 * session was revoked, if it was.
	 */
	private static Object signIn(StoredOidcSessionRegistry registry, Object login) {
		MockHttpServletRequest callback = new MockHttpServletRequest();
		MockHttpSession session = (MockHttpSession) callback.getSession();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(callback));
		try {
			registry.saveSessionInformation(new OidcSessionInformation(session.getId(), Map.of(),
					(OidcUser) ((SecurityContext) login).getAuthentication().getPrincipal()));
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
		return session.getAttribute(SessionAttributes.REVOKED_AT);
	}

	/**
	 * Refresh the ID token of a login as Spring Security's
	 * {@link OidcAuthorizedClientRefreshedEventListener} does when an access token is
	 * refreshed (its {@code OidcUserRefreshedEventListener} then stores the refreshed
	 * user in the security context and the session), with an ID token of the same issuer,
	 * audience and subject that names no provider session.
	 */
	private static SecurityContext refreshedWithoutProviderSession(SecurityContext login) {
		SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
		holder.setContext(login);
		try {
			OidcAuthorizedClientRefreshedEventListener listener = new OidcAuthorizedClientRefreshedEventListener();
			listener.setSecurityContextHolderStrategy(holder);
			List<Object> events = new ArrayList<>();
			listener.setApplicationEventPublisher(events::add);
			Jwt refreshedIdToken = Jwt.withTokenValue("refreshed-id-token")
				.header("alg", "RS256")
				.issuer(ISSUER)
				.audience(List.of("client", "other-client"))
				.subject("user")
				.issuedAt(Instant.now().plusSeconds(1))
				.expiresAt(Instant.now().plusSeconds(60))
				.build();
			listener.setJwtDecoderFactory((registration) -> (token) -> refreshedIdToken);
			ClientRegistration registration = ClientRegistration.withRegistrationId("idp")
				.clientId("client")
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
				.authorizationUri(ISSUER + "/authorize")
				.tokenUri(ISSUER + "/token")
				.scope("openid")
				.build();
			OAuth2AccessTokenResponse response = OAuth2AccessTokenResponse.withToken("access-token")
				.tokenType(OAuth2AccessToken.TokenType.BEARER)
				.scopes(Set.of("openid"))
				.additionalParameters(Map.of("id_token", "refreshed-id-token"))
				.build();
			listener.onApplicationEvent(new OAuth2AuthorizedClientRefreshedEvent(response,
					new OAuth2AuthorizedClient(registration, "user", response.getAccessToken())));
			// Spring Security's OidcUserRefreshedEventListener stores the refreshed user
			// in
			// the security context and the session
			assertThat(events).singleElement().isInstanceOf(OidcUserRefreshedEvent.class);
			return new SecurityContextImpl(((OidcUserRefreshedEvent) events.get(0)).getAuthentication());
		}
		finally {
			holder.clearContext();
		}
	}

	private static OidcLogoutToken logoutToken(Consumer<OidcLogoutToken.Builder> customizer) {
		OidcLogoutToken.Builder token = OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(Instant.now())
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.subject("user");
		customizer.accept(token);
		return token.build();
	}

	private static Object signedIn(String providerSession) {
		return signedIn(providerSession, Instant.now());
	}

	private static Object signedIn(String providerSession, Instant issuedAt) {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.issuer(ISSUER)
			.audience(List.of("client", "other-client"))
			.subject("user")
			.issuedAt(issuedAt)
			.expiresAt(issuedAt.plusSeconds(60))
			.claims((claims) -> claims.putAll(Map.of("sid", providerSession)))
			.build();
		DefaultOidcUser user = new DefaultOidcUser(List.of(), idToken);
		return new SecurityContextImpl(new OAuth2AuthenticationToken(user, List.of(), "idp"));
	}

}
