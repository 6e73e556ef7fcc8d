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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizationSuccessHandler;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.StoreFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ReactiveStoredOidcSessionRegistry}: which sessions a logout token
 * names.
 *
 * @author session-timeout
 */
class ReactiveStoredOidcSessionRegistryTests {

	private static final String ISSUER = "https://idp.example.com";

	private static final String CONTEXT = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;

	@Test
	void removeSessionInformationWhenTheSessionsIdTokenWasRefreshedWithoutItsProviderSessionThenItStillMatches()
			throws ReflectiveOperationException {
		ReactiveStoreUserSessions userSessions = revokingUserSessions();
		ReactiveStoredOidcSessionRegistry registry = new ReactiveStoredOidcSessionRegistry(userSessions, List.of());
		// The login's callback: Spring Security registers the session of the login
		SecurityContext login = signedIn("sid-1");
		WebSession session = signedInSession(registry, login);
		// A later request refreshes the access token, and with it the ID token, which
		// names no provider session (sid is optional in a refreshed ID token): Spring
		// Security stores the refreshed user in the session
		MockServerWebExchange later = MockServerWebExchange.builder(MockServerHttpRequest.get("/me"))
			.session(session)
			.build();
		refreshWithoutProviderSession(login, later);
		OidcUser refreshed = (OidcUser) ((SecurityContext) session.getAttributes().get(CONTEXT)).getAuthentication()
			.getPrincipal();
		assertThat(refreshed.getIdToken().getTokenValue()).isEqualTo("refreshed-id-token");
		assertThat(refreshed.getClaimAsString("sid")).isNull();
		registry.removeSessionInformation(logoutToken("sid-1")).blockLast();
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Predicate<SessionAttributeSource>> which = ArgumentCaptor.forClass(Predicate.class);
		then(userSessions).should().revoke(eq("user"), which.capture());
		assertThat(which.getValue().test(session.getAttributes()::get))
			.as("the session of the provider session that the logout token names")
			.isTrue();
		Object refreshedContext = session.getAttributes().get(CONTEXT);
		assertThat(which.getValue().test((name) -> CONTEXT.equals(name) ? refreshedContext : null))
			.as("the session of another login of the same user, whose provider session is unknown")
			.isFalse();
	}

	/**
	 * The WebFlux twin of SwitchedSessionProvidersTests'
	 * aBackChannelLogoutOfAnAdministratorEndsTheSessionInWhichItImpersonatesACustomer: a
	 * logout token of the user who, in the session of that login, switched to another
	 * user ({@code SwitchUserWebFilter}) names that session, which the user's sessions
	 * find under both users.
	 */
	@Test
	void removeSessionInformationWhenTheUserOfTheLoginSwitchedToAnotherUserThenItStillMatches() {
		ReactiveStoreUserSessions userSessions = revokingUserSessions();
		ReactiveStoredOidcSessionRegistry registry = new ReactiveStoredOidcSessionRegistry(userSessions, List.of());
		SecurityContext login = signedIn("sid-1");
		SecurityContext switched = new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("customer",
				null, List.of(AuthorityUtils.createAuthorityList("ROLE_USER").get(0),
						new SwitchUserGrantedAuthority("ROLE_PREVIOUS_ADMINISTRATOR", login.getAuthentication()))));
		registry.removeSessionInformation(logoutToken("sid-1")).blockLast();
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Predicate<SessionAttributeSource>> which = ArgumentCaptor.forClass(Predicate.class);
		then(userSessions).should().revoke(eq("user"), which.capture());
		assertThat(which.getValue().test((name) -> CONTEXT.equals(name) ? login : null)).as("the login's session")
			.isTrue();
		assertThat(which.getValue().test((name) -> CONTEXT.equals(name) ? switched : null))
			.as("the login's session, in which its user switched to a customer")
			.isTrue();
	}

	@Test
	void removeSessionInformationWhenTheTokenNamesOnlyAProviderSessionThenRevokesTheSessionOfItsLoginBySubjectAndIt() {
		ReactiveStoreUserSessions userSessions = revokingUserSessions();
		ReactiveStoredOidcSessionRegistry registry = new ReactiveStoredOidcSessionRegistry(userSessions, List.of());
		ReactiveStoredOidcSessionRegistry anotherNode = new ReactiveStoredOidcSessionRegistry(userSessions, List.of());
		MockServerWebExchange callback = MockServerWebExchange
			.from(MockServerHttpRequest.get("/login/oauth2/code/idp"));
		SecurityContext login = signedIn("sid-1");
		registry
			.saveSessionInformation(new OidcSessionInformation("session-1", Map.of(),
					(OidcUser) login.getAuthentication().getPrincipal()))
			.contextWrite(Context.of(ServerWebExchange.class, callback))
			.block();
		assertThatIllegalStateException()
			.isThrownBy(() -> anotherNode.removeSessionInformation(providerSessionOnly("sid-1")).blockLast())
			.as("a node that shares no store and saw no login of the provider session")
			.withMessageContaining("names no subject");
		assertThatIllegalStateException()
			.isThrownBy(() -> registry.removeSessionInformation(providerSessionOnly("sid-2")).blockLast())
			.as("a provider session that no login named")
			.withMessageContaining("names no subject");
		then(userSessions).shouldHaveNoInteractions();
		registry.removeSessionInformation(providerSessionOnly("sid-1")).blockLast();
		@SuppressWarnings("unchecked")
		ArgumentCaptor<Predicate<SessionAttributeSource>> which = ArgumentCaptor.forClass(Predicate.class);
		then(userSessions).should().revoke(eq("user"), which.capture());
		SecurityContext anotherLogin = signedIn("sid-2");
		assertThat(which.getValue().test((name) -> CONTEXT.equals(name) ? login : null)).isTrue();
		assertThat(which.getValue().test((name) -> CONTEXT.equals(name) ? anotherLogin : null))
			.as("another login of the user")
			.isFalse();
	}

	@Test
	void saveSessionInformationWhenNoStoreKeepsWhySessionsEndedThenALogoutKeptInTheNodesMemoryEndsTheLoginUnderWay() {
		ReactiveStoredOidcSessionRegistry registry = registry();
		OidcLogoutToken logoutToken = OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(Instant.now())
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.subject("user")
			.sessionId("sid-1")
			.build();
		registry.removeSessionInformation(logoutToken).blockLast();
		MockServerWebExchange callback = MockServerWebExchange
			.from(MockServerHttpRequest.get("/login/oauth2/code/idp"));
		registry
			.saveSessionInformation(new OidcSessionInformation("session-1", Map.of(),
					(OidcUser) signedIn("sid-1").getAuthentication().getPrincipal()))
			.contextWrite(Context.of(ServerWebExchange.class, callback))
			.block();
		WebSession session = callback.getSession().block();
		assertThat(session.getAttributes()).as("issued within the skew after the logout, while its callback ran")
			.containsKey(SessionAttributes.REVOKED_AT);
	}

	@Test
	void checkWhenALogoutWasKeptAfterTheLoginLookedThenRevokesItsSessionAndRemovesTheMark() {
		ReactiveStoredOidcSessionRegistry registry = registry();
		WebSession session = signedInSession(registry, signedIn("sid-1"));
		assertThat(session.getAttributes()).doesNotContainKey(SessionAttributes.REVOKED_AT)
			.containsKey(SessionAttributes.LOGOUT_CHECK_PENDING);
		// After the login looked, before its session is saved: it finds no session
		registry.removeSessionInformation(logoutToken("sid-1")).blockLast();
		Instant now = Instant.now();
		registry.check(session, now).block();
		assertThat(session.getAttributes()).containsEntry(SessionAttributes.REVOKED_AT, now.toEpochMilli())
			.doesNotContainKey(SessionAttributes.LOGOUT_CHECK_PENDING);
	}

	@Test
	void checkWhenManySessionsEndAfterALogoutWasKeptThenItStillRevokesTheSessionOfTheLoginUnderWay() {
		// WebFlux's in-memory store's: why sessions ended, remembered in the node's
		// memory
		InMemoryEndedSessions shared = new InMemoryEndedSessions();
		ReactiveStoredOidcSessionRegistry registry = new ReactiveStoredOidcSessionRegistry(revokingUserSessions(),
				List.of(), shared, null, Clock.systemUTC());
		WebSession session = signedInSession(registry, signedIn("sid-1"));
		// After the login looked, before its session is saved: it finds no session
		registry.removeSessionInformation(logoutToken("sid-1")).blockLast();
		// As many other sessions end before the session's first request as the node
		// remembers ended sessions
		Instant now = Instant.now();
		for (int i = 0; i < 10_000; i++) {
			shared.remember("session-" + i, ExpiryReason.IDLE, now.plus(Duration.ofHours(1)), now);
		}
		registry.check(session, now).block();
		assertThat(session.getAttributes()).as("logged out by its provider")
			.containsEntry(SessionAttributes.REVOKED_AT, now.toEpochMilli());
	}

	@Test
	void checkWhenTheFirstRequestComesOnceALogoutKeptAfterTheLoginLookedIsForgottenThenRevokesItsSession() {
		ReactiveStoredOidcSessionRegistry registry = registry();
		WebSession session = signedInSession(registry, signedIn("sid-1"));
		// After the login looked, before its session is saved: it finds no session, and
		// is kept for KEPT_FOR
		registry.removeSessionInformation(logoutToken("sid-1")).blockLast();
		// The session's first request comes once that logout is forgotten: whether one
		// ended the login can no longer be told, so it is never served
		Instant firstRequest = Instant.now().plus(OidcLogouts.KEPT_FOR).plusSeconds(1);
		registry.check(session, firstRequest).block();
		assertThat(session.getAttributes()).containsEntry(SessionAttributes.REVOKED_AT, firstRequest.toEpochMilli())
			.doesNotContainKey(SessionAttributes.LOGOUT_CHECK_PENDING);
	}

	@Test
	void checkWhenNoKeptLogoutEndsTheLoginThenOnlyRemovesTheMark() {
		ReactiveStoredOidcSessionRegistry registry = registry();
		WebSession session = signedInSession(registry, signedIn("sid-1"));
		registry.removeSessionInformation(logoutToken("sid-2")).blockLast();
		registry.check(session, Instant.now()).block();
		assertThat(session.getAttributes()).as("another provider session's logout")
			.doesNotContainKey(SessionAttributes.REVOKED_AT)
			.doesNotContainKey(SessionAttributes.LOGOUT_CHECK_PENDING);
	}

	@Test
	void checkWhenTheStoreDoesNotAnswerThenFailsAndTheSessionKeepsItsMark() {
		StoredEndedSessions stored = mock(StoredEndedSessions.class);
		given(stored.entryInStore(any(), any())).willReturn(Mono.empty());
		given(stored.rememberInStore(any(), any(), any())).willReturn(Mono.empty());
		ReactiveStoredOidcSessionRegistry registry = new ReactiveStoredOidcSessionRegistry(
				mock(ReactiveStoreUserSessions.class), List.of(), mock(EndedSessions.class), stored, Clock.systemUTC());
		WebSession session = signedInSession(registry, signedIn("sid-1"));
		given(stored.entryInStore(any(), any()))
			.willReturn(Mono.error(new DataAccessResourceFailureException("store down")));
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> registry.check(session, Instant.now()).block())
			.satisfies((ex) -> assertThat(StoreFailures.isUnavailable(ex)).as("answered 503").isTrue());
		assertThat(session.getAttributes()).containsKey(SessionAttributes.LOGOUT_CHECK_PENDING)
			.doesNotContainKey(SessionAttributes.REVOKED_AT);
	}

	/**
	 * Return the user sessions of a store, whose revocations of {@code user}'s sessions
	 * end none.
	 */
	private static ReactiveStoreUserSessions revokingUserSessions() {
		ReactiveStoreUserSessions userSessions = mock(ReactiveStoreUserSessions.class);
		given(userSessions.revoke(eq("user"), any())).willReturn(Mono.just(List.of()));
		return userSessions;
	}

	/**
	 * Return a registry on {@link #revokingUserSessions() such user sessions}.
	 */
	private static ReactiveStoredOidcSessionRegistry registry() {
		return new ReactiveStoredOidcSessionRegistry(revokingUserSessions(), List.of());
	}

	/**
	 * Register a login as Spring Security does in its callback, with its security context
	 * in its session, and return the session.
	 */
	private static WebSession signedInSession(ReactiveStoredOidcSessionRegistry registry, SecurityContext login) {
		MockServerWebExchange callback = MockServerWebExchange
			.from(MockServerHttpRequest.get("/login/oauth2/code/idp"));
		WebSession session = callback.getSession().block();
		session.getAttributes().put(CONTEXT, login);
		registry
			.saveSessionInformation(new OidcSessionInformation(session.getId(), Map.of(),
					(OidcUser) login.getAuthentication().getPrincipal()))
			.contextWrite(Context.of(ServerWebExchange.class, callback))
			.block();
		return session;
	}

	private static OidcLogoutToken providerSessionOnly(String providerSession) {
		return OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(Instant.now())
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.sessionId(providerSession)
			.build();
	}

	/**
	 * Refresh the ID token of a login as Spring Security's
	 * {@code RefreshOidcUserReactiveOAuth2AuthorizationSuccessHandler} does when an
	 * access token is refreshed, with an ID token of the same issuer, audience and
	 * subject that names no provider session. That handler came with Spring Security 7.1
	 * (read reflectively, so that the tests also compile on Spring Boot 4.0): before it,
	 * a reactive refresh kept the login's user, and the test does not apply.
	 */
	private static void refreshWithoutProviderSession(SecurityContext login, ServerWebExchange exchange)
			throws ReflectiveOperationException {
		String handlerType = "org.springframework.security.oauth2.client.RefreshOidcUserReactiveOAuth2AuthorizationSuccessHandler";
		assumeTrue(ClassUtils.isPresent(handlerType, null), "Spring Security 7.1's reactive refresh of the ID token");
		ReactiveOAuth2AuthorizationSuccessHandler handler = (ReactiveOAuth2AuthorizationSuccessHandler) ClassUtils
			.forName(handlerType, null)
			.getDeclaredConstructor()
			.newInstance();
		Jwt refreshedIdToken = Jwt.withTokenValue("refreshed-id-token")
			.header("alg", "RS256")
			.issuer(ISSUER)
			.audience(List.of("client", "other-client"))
			.subject("user")
			.issuedAt(Instant.now().plusSeconds(1))
			.expiresAt(Instant.now().plusSeconds(60))
			.build();
		ReactiveJwtDecoderFactory<ClientRegistration> decoders = (
				registration) -> (token) -> Mono.just(refreshedIdToken);
		handler.getClass().getMethod("setJwtDecoderFactory", ReactiveJwtDecoderFactory.class).invoke(handler, decoders);
		ClientRegistration registration = ClientRegistration.withRegistrationId("idp")
			.clientId("client")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.authorizationUri(ISSUER + "/authorize")
			.tokenUri(ISSUER + "/token")
			.scope("openid")
			.build();
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "access-token",
				Instant.now(), Instant.now().plusSeconds(60), Set.of("openid"));
		handler
			.onAuthorizationSuccess(new OAuth2AuthorizedClient(registration, "user", accessToken),
					login.getAuthentication(),
					Map.of("id_token", "refreshed-id-token", ServerWebExchange.class.getName(), exchange))
			.block();
	}

	private static OidcLogoutToken logoutToken(String providerSession) {
		return OidcLogoutToken.withTokenValue("token")
			.issuer(ISSUER)
			.audience(List.of("client"))
			.issuedAt(Instant.now())
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.subject("user")
			.sessionId(providerSession)
			.build();
	}

	private static SecurityContext signedIn(String providerSession) {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.issuer(ISSUER)
			.audience(List.of("client", "other-client"))
			.subject("user")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60))
			.claims((claims) -> claims.putAll(Map.of("sid", providerSession)))
			.build();
		DefaultOidcUser user = new DefaultOidcUser(List.of(), idToken);
		return new SecurityContextImpl(new OAuth2AuthenticationToken(user, List.of(), "idp"));
	}

}
