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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
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
		DefaultOidcUser namedOtherwise = new DefaultOidcUser(List.of(), namedBySubject.getIdToken(),
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
