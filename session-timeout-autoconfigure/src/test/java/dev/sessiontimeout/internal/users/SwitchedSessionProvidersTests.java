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
package dev.sessiontimeout.internal.users;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.security.StoredOidcSessionRegistry;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.SpringSessionAccess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user of the same name at another identity provider is another user (README, A user's
 * sessions), also where that user switched to a customer with Spring Security's
 * {@code SwitchUserFilter}: the session in which GitHub's alice impersonates a customer
 * is GitHub's alice's (and the customer's), never the form login's alice's. Spring
 * Session's map store with the index the starter keeps, Spring Security's own
 * authentications.
 */
class SwitchedSessionProvidersTests {

	private static final Instant LOGIN = Instant.parse("2026-12-02T08:00:00Z");

	private final MutableClock clock = new MutableClock();

	private final MapSessionRepository repository = new MapSessionRepository(new ConcurrentHashMap<>());

	private final InMemoryUserSessionIndex index = new InMemoryUserSessionIndex();

	private final List<Object> events = new ArrayList<>();

	private SessionClocks clocks;

	private SpringSessionUserSessions userSessions;

	@BeforeEach
	void createUserSessions() {
		this.clock.fixAt(LOGIN);
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(8))
			.idle(Duration.ofMinutes(30))
			.build();
		this.clocks = new SessionClocks(settings, this.clock, this.events::add);
		this.clocks.setPrincipalResolver(new SecurityContextPrincipalResolver());
		InMemoryEndedSessions endedSessions = new InMemoryEndedSessions();
		this.clocks.setEndedSessions(endedSessions);
		this.userSessions = new SpringSessionUserSessions(() -> this.repository, this.clocks, this.clock,
				this.events::add);
		this.userSessions.setUserSessionIndex(this.index);
		this.userSessions.setEndedSessions(endedSessions);
	}

	@Test
	void theFormLoginsAliceNeitherListsNorEndsTheSessionInWhichGithubsAliceImpersonatesACustomer() {
		MapSession formAlices = signIn(
				new UsernamePasswordAuthenticationToken("alice", null, AuthorityUtils.createAuthorityList("ROLE_USER")),
				"alice");
		OAuth2AuthenticationToken githubAlice = new OAuth2AuthenticationToken(
				new DefaultOAuth2User(AuthorityUtils.createAuthorityList("ROLE_ADMIN"), Map.of("login", "alice"),
						"login"),
				AuthorityUtils.createAuthorityList("ROLE_ADMIN"), "github");
		Authentication customer = new UsernamePasswordAuthenticationToken("customer", null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"),
						new SwitchUserGrantedAuthority("ROLE_PREVIOUS_ADMINISTRATOR", githubAlice)));
		// Filed under both users, as the starter files a switched session
		MapSession impersonating = signIn(customer, "customer", "alice");
		String provider = this.clocks.providerOf(formAlices::getAttribute);
		assertThat(provider).as("the form login's provider").isNull();
		assertThat(this.userSessions.find("alice")
			.stream()
			.filter((session) -> session.isLive(LOGIN) && Objects.equals(session.provider(), provider))
			.map(UserSession::sessionId)).as("the sessions the form login's alice lists")
			.containsExactly(formAlices.getId());
		assertThat(this.userSessions.revoke("alice", provider, SessionIds.hash(impersonating.getId())))
			.as("the form login's alice ends GitHub's alice's session")
			.isFalse();
		assertThat(this.repository.findById(impersonating.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.isNull();
	}

	/**
	 * OpenID Connect back-channel logout (SPEC section 10): the provider logs out an
	 * administrator who, in a session of that login, impersonates a customer (Spring
	 * Security's {@code SwitchUserFilter}). That session is the administrator's as well
	 * (README, A user's sessions: revoking either user ends it), the logout token's
	 * subject finds it, and it must end with the administrator's other sessions: the
	 * administrator signed out at the provider goes on acting as the customer.
	 */
	@Test
	void aBackChannelLogoutOfAnAdministratorEndsTheSessionInWhichItImpersonatesACustomer() {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.issuer("https://idp.example.com")
			.audience(List.of("client"))
			.subject("admin-sub")
			.issuedAt(LOGIN.minusSeconds(10))
			.expiresAt(LOGIN.plusSeconds(60))
			.build();
		OAuth2AuthenticationToken administrator = new OAuth2AuthenticationToken(
				new DefaultOidcUser(AuthorityUtils.createAuthorityList("ROLE_ADMIN"), idToken),
				AuthorityUtils.createAuthorityList("ROLE_ADMIN"), "idp");
		MapSession signedIn = signIn(administrator, "admin-sub");
		Authentication customer = new UsernamePasswordAuthenticationToken("customer", null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"),
						new SwitchUserGrantedAuthority("ROLE_PREVIOUS_ADMINISTRATOR", administrator)));
		// Filed under both users, as the starter files a switched session
		MapSession impersonating = signIn(customer, "customer", "admin-sub");
		assertThat(this.userSessions.find("admin-sub")).as("the administrator's sessions")
			.extracting(UserSession::sessionId)
			.containsExactlyInAnyOrder(signedIn.getId(), impersonating.getId());
		StoredOidcSessionRegistry registry = new StoredOidcSessionRegistry(this.userSessions, List.of(),
				new InMemoryEndedSessions(), this.clock);
		registry.removeSessionInformation(OidcLogoutToken.withTokenValue("logout-token")
			.issuer("https://idp.example.com")
			.audience(List.of("client"))
			.subject("admin-sub")
			.issuedAt(LOGIN)
			.jti("jti")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.build());
		assertThat(this.repository.findById(signedIn.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.as("the administrator's session")
			.isNotNull();
		assertThat(this.repository.findById(impersonating.getId()).<Object>getAttribute(SessionAttributes.REVOKED_AT))
			.as("the session in which the administrator impersonates a customer")
			.isNotNull();
	}

	private MapSession signIn(Authentication authentication, String... filedUnder) {
		MapSession session = this.repository.createSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(authentication));
		this.clocks.start(new SpringSessionAccess(session));
		this.repository.save(session);
		for (String username : filedUnder) {
			this.index.add(username, session.getId(), LOGIN.plus(Duration.ofHours(8)), LOGIN);
		}
		return session;
	}

}
