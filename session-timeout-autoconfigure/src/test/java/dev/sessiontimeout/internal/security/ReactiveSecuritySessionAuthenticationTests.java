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
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.header.StaticServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.SessionClocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReactiveSecuritySessionAuthentication}: which security contexts stored
 * in a WebFlux session are logins, and which logins meet the session's challenge.
 *
 * @author session-timeout
 */
class ReactiveSecuritySessionAuthenticationTests {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private static final Instant AUTH_TIME = NOW.minus(Duration.ofMinutes(20));

	private static final PendingChallenge PRIVILEGED = new PendingChallenge(ExpiryReason.PRIVILEGED,
			Duration.ofMinutes(15), NOW.minus(Duration.ofMinutes(1)), "user", "idp");

	private final ReactiveSecuritySessionAuthentication authentication = new ReactiveSecuritySessionAuthentication(
			new SessionClocks(SessionTimeoutSettings.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC), (event) -> {
			}), List.of(new OidcLoginFlow()), new WebSessionServerRequestCache(), true);

	@Test
	void loginWhenRefreshedTokensOfTheSameOidcUserAreStoredThenItIsNoLoginAndMeetsNoChallenge() {
		// Spring Security's RefreshOidcUserReactiveOAuth2AuthorizationSuccessHandler
		// stores the user of a refreshed ID token: same issuer, subject and auth_time,
		// the nonce of the login or none
		SecurityContext signedIn = context("user", AUTH_TIME, AUTH_TIME, "nonce-of-the-login");
		assertThat(this.authentication.login(signedIn,
				context("user", AUTH_TIME, NOW.minusSeconds(5), "nonce-of-the-login"), PRIVILEGED, NOW))
			.isNull();
		assertThat(this.authentication.login(signedIn, context("user", AUTH_TIME, NOW.minusSeconds(5), null),
				PRIVILEGED, NOW))
			.isNull();
		assertThat(
				this.authentication.login(signedIn, context("user", AUTH_TIME, NOW.minusSeconds(5), null), null, NOW))
			.as("nor is it a login without a challenge")
			.isNull();
	}

	@Test
	void loginWhenANewLoginOfTheSameUserCarriesTheOldAuthTimeThenItIsRefused() {
		// A provider that ignored prompt=login: a new authorization request, a new nonce
		SecurityContext signedIn = context("user", AUTH_TIME, AUTH_TIME, "nonce-of-the-login");
		assertThatExceptionOfType(SessionAuthenticationException.class).isThrownBy(() -> this.authentication
			.login(signedIn, context("user", AUTH_TIME, NOW.minusSeconds(5), "nonce-of-the-step-up"), PRIVILEGED, NOW));
		assertThatExceptionOfType(SessionAuthenticationException.class)
			.as("a login without nonce after one without nonce is still a login")
			.isThrownBy(() -> this.authentication.login(context("user", AUTH_TIME, AUTH_TIME, null),
					context("user", AUTH_TIME, NOW.minusSeconds(5), null), PRIVILEGED, NOW));
	}

	@Test
	void loginWhenAnotherSubjectWithTheLoginsNonceIsStoredThenItIsALogin() {
		SecurityContext signedIn = context("user", AUTH_TIME, AUTH_TIME, "nonce-of-the-login");
		assertThatExceptionOfType(SessionAuthenticationException.class).isThrownBy(() -> this.authentication
			.login(signedIn, context("other", NOW, NOW, "nonce-of-the-login"), PRIVILEGED, NOW));
	}

	@Test
	void loginWhenAnotherSubjectHasTheSameUserNameAttributeThenItDoesNotMeetTheChallenge() {
		// user-name-attribute=email: both subjects are named by the same email
		SecurityContext signedIn = context("user", "shared@example.com", "https://idp.example", AUTH_TIME, AUTH_TIME,
				"nonce-of-the-login");
		PendingChallenge challenge = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(15),
				NOW.minus(Duration.ofMinutes(1)), "shared@example.com", "idp");
		assertThatExceptionOfType(SessionAuthenticationException.class).as("another subject")
			.isThrownBy(() -> this.authentication.login(signedIn,
					context("other", "shared@example.com", "https://idp.example", NOW, NOW, "nonce-of-the-step-up"),
					challenge, NOW));
		assertThatExceptionOfType(SessionAuthenticationException.class).as("the same subject at another issuer")
			.isThrownBy(() -> this.authentication.login(signedIn, context("user", "shared@example.com",
					"https://other-idp.example", NOW, NOW, "nonce-of-the-step-up"), challenge, NOW));
		assertThat(this.authentication.login(signedIn,
				context("user", "shared@example.com", "https://idp.example", NOW, NOW, "nonce-of-the-step-up"),
				challenge, NOW))
			.as("the same subject at the same issuer")
			.isNotNull();
	}

	@Test
	void loginWhenAUserSignsInWhileAnotherIsImpersonatedThenItIsALoginThatMustMeetTheChallenge() {
		Authentication admin = UsernamePasswordAuthenticationToken.authenticated("admin", null,
				AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
		SecurityContext impersonating = new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
				"alice", null, List.of(new SwitchUserGrantedAuthority("ROLE_PREVIOUS_ADMINISTRATOR", admin))));
		SecurityContext bob = new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("bob", null,
				AuthorityUtils.createAuthorityList("ROLE_USER")));
		assertThat(this.authentication.login(impersonating, bob, null, NOW)).as("bob signs in").isNotNull();
		PendingChallenge alicesChallenge = new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(15),
				NOW.minus(Duration.ofMinutes(1)), "alice");
		assertThatExceptionOfType(SessionAuthenticationException.class)
			.as("bob does not meet the challenge of the impersonated alice")
			.isThrownBy(() -> this.authentication.login(impersonating, bob, alicesChallenge, NOW));
		assertThat(this.authentication.login(impersonating, new SecurityContextImpl(admin), alicesChallenge, NOW))
			.as("the switch back to the administrator is no login")
			.isNull();
	}

	@Test
	void mayBePrivilegedWhenSwitchedThenOnlyAsTheAuthenticationItWasSwitchedFrom() {
		Authentication admin = UsernamePasswordAuthenticationToken.authenticated("admin", null,
				AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
		assertThat(this.authentication.mayBePrivileged(switchedFrom(admin))).as("switched from a password login")
			.isTrue();
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.issuer("https://idp.example")
			.subject("admin")
			.audience(List.of("relying-party"))
			.issuedAt(AUTH_TIME)
			.expiresAt(AUTH_TIME.plus(Duration.ofMinutes(5)))
			.build();
		DefaultOidcUser user = new DefaultOidcUser(AuthorityUtils.createAuthorityList("OIDC_USER"), idToken);
		Authentication withoutAuthTime = new OAuth2AuthenticationToken(user, user.getAuthorities(), "idp");
		assertThat(this.authentication.mayBePrivileged(new SecurityContextImpl(withoutAuthTime)))
			.as("an ID token without auth_time")
			.isFalse();
		assertThat(this.authentication.mayBePrivileged(switchedFrom(withoutAuthTime)))
			.as("switched from an ID token without auth_time")
			.isFalse();
		Authentication remembered = new RememberMeAuthenticationToken("key", "admin",
				AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
		assertThat(this.authentication.mayBePrivileged(switchedFrom(remembered)))
			.as("switched from a remember-me login")
			.isFalse();
		assertThat(this.authentication.mayBePrivileged(switchedFrom(switchedFrom(remembered).getAuthentication())))
			.as("switched twice from a remember-me login")
			.isFalse();
	}

	private static SecurityContext switchedFrom(Authentication source) {
		return new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("customer", null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"),
						new SwitchUserGrantedAuthority("ROLE_PREVIOUS_ADMINISTRATOR", source))));
	}

	/**
	 * An answer given before Spring Security's filter chain runs carries the headers of
	 * the first chain that matches the request, as the {@code WebFilterChainProxy} picks
	 * it, written as the answer commits.
	 */
	@Test
	void writeAnswerWhenAChainMatchesThenTheAnswerCarriesItsHeadersOnly() {
		SecurityWebFilterChain other = chain("/admin/**", "X-Frame-Options", "SAMEORIGIN");
		SecurityWebFilterChain matching = chain("/api/**", "X-Content-Type-Options", "nosniff");
		SecurityWebFilterChain later = chain("/**", "Referrer-Policy", "no-referrer");
		this.authentication.setSecurityWebFilterChains(() -> List.of(other, matching, later));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/cart"));
		this.authentication.writeAnswer(exchange, () -> answer(exchange)).block(Duration.ofSeconds(5));
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(headers.getFirst("X-Frame-Options")).as("another chain's").isNull();
		assertThat(headers.getFirst("Referrer-Policy")).as("a later chain's").isNull();
	}

	@Test
	void writeAnswerWhenNoChainMatchesThenTheAnswerIsWrittenAlone() {
		this.authentication
			.setSecurityWebFilterChains(() -> List.of(chain("/admin/**", "X-Frame-Options", "SAMEORIGIN")));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/cart"));
		this.authentication.writeAnswer(exchange, () -> answer(exchange)).block(Duration.ofSeconds(5));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Frame-Options")).isNull();
	}

	@Test
	void writeAnswerWhenTheMatchingChainWritesNoHeadersThenTheAnswerIsWrittenAlone() {
		WebFilter passing = (exchange, chain) -> chain.filter(exchange);
		SecurityWebFilterChain withoutHeaders = new MatcherSecurityWebFilterChain(
				ServerWebExchangeMatchers.pathMatchers("/**"), List.of(passing));
		this.authentication.setSecurityWebFilterChains(
				() -> List.of(withoutHeaders, chain("/**", "X-Content-Type-Options", "nosniff")));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/cart"));
		this.authentication.writeAnswer(exchange, () -> answer(exchange)).block(Duration.ofSeconds(5));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Content-Type-Options")).isNull();
	}

	private static SecurityWebFilterChain chain(String pattern, String header, String value) {
		return new MatcherSecurityWebFilterChain(ServerWebExchangeMatchers.pathMatchers(pattern), List
			.of(new HttpHeaderWriterWebFilter(StaticServerHttpHeadersWriter.builder().header(header, value).build())));
	}

	private static Mono<Void> answer(ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
		return exchange.getResponse().setComplete();
	}

	private static SecurityContext context(String subject, Instant authTime, Instant issuedAt, @Nullable String nonce) {
		return context(subject, null, "https://idp.example", authTime, issuedAt, nonce);
	}

	private static SecurityContext context(String subject, @Nullable String email, String issuer, Instant authTime,
			Instant issuedAt, @Nullable String nonce) {
		OidcIdToken.Builder idToken = OidcIdToken.withTokenValue("id-token-" + issuedAt)
			.issuer(issuer)
			.subject(subject)
			.audience(List.of("relying-party"))
			.issuedAt(issuedAt)
			.expiresAt(issuedAt.plus(Duration.ofMinutes(5)))
			.authTime(authTime);
		if (nonce != null) {
			idToken.nonce(nonce);
		}
		if (email != null) {
			idToken.claim("email", email);
		}
		DefaultOidcUser user = (email != null)
				? new DefaultOidcUser(AuthorityUtils.createAuthorityList("OIDC_USER"), idToken.build(), "email")
				: new DefaultOidcUser(AuthorityUtils.createAuthorityList("OIDC_USER"), idToken.build());
		return new SecurityContextImpl(new OAuth2AuthenticationToken(user, user.getAuthorities(), "idp"));
	}

}
