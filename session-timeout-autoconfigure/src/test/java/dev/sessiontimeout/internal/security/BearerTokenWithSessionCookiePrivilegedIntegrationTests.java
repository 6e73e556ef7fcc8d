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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bearer-token request that carries a session cookie along (a browser that signed in to
 * the application's pages and calls its API with a token): for privileged operations the
 * token decides, never the session, whose sign-in may be older or fresher than the
 * token's {@code auth_time}, and whose user may be another one (README, "A bearer-token
 * API"; SPEC §11). The session is still checked as usual: an ended one ends the request.
 * Privileged age 15m, idle 1h, container sessions.
 */
@SpringBootTest(classes = BearerTokenWithSessionCookiePrivilegedIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.idle=1h",
				"session-timeout.absolute=8h", "session-timeout.reauthentication=2h",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/transfers" })
class BearerTokenWithSessionCookiePrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
	}

	@Test
	void aFreshTokenSentWithItsUsersStaleSessionCookieIsDecidedByTheToken() {
		TestBrowser browser = signedIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		assertThat(browser.get("/page", TestBrowser.HTML).status()).as("the session is still valid").isEqualTo(200);
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		Response transfers = call(browser, "/api/transfers", fresh, TestBrowser.JSON);
		assertThat(transfers.status()).as("%s", transfers).isEqualTo(200);
		assertThat(transfers.body()).contains("alice");
		Response export = call(browser, "/api/export", fresh, TestBrowser.JSON);
		assertThat(export.status()).as("%s", export).isEqualTo(200);
	}

	@Test
	void aFreshTokenSentWithSomeoneElsesStaleSessionCookieIsDecidedByTheToken() {
		TestBrowser browser = signedIn("bob");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		Response transfers = call(browser, "/api/transfers", fresh, TestBrowser.JSON);
		assertThat(transfers.status()).as("%s", transfers).isEqualTo(200);
		assertThat(transfers.body()).contains("alice");
	}

	@Test
	void aFreshTokenSentWithASessionCookieWhoseReauthenticationIsDueIsDecidedByTheToken() {
		TestBrowser browser = signedIn("alice");
		for (Duration at : List.of(Duration.ofMinutes(50), Duration.ofMinutes(100))) {
			this.clock.fixAt(this.start.plus(at));
			assertThat(browser.get("/page", TestBrowser.HTML).status()).isEqualTo(200);
		}
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(130)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		Response me = call(browser, "/api/me", fresh, TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		Response transfers = call(browser, "/api/transfers", fresh, TestBrowser.JSON);
		assertThat(transfers.status()).as("%s", transfers).isEqualTo(200);
		Response page = browser.get("/page", TestBrowser.HTML);
		assertThat(page.status()).as("the session's own user must still sign in again: %s", page).isEqualTo(302);
		assertThat(page.location()).contains("expired=reauthentication");
	}

	@Test
	void aStaleTokenSentWithAFreshSessionCookieIsChallenged() {
		TestBrowser browser = signedIn("alice");
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(browser, "/api/transfers", stale, TestBrowser.JSON));
		assertChallenged(call(browser, "/api/export", stale, TestBrowser.JSON));
	}

	@Test
	void aTokensRefusalLeavesNoChallengeInTheSessionThatLaterTokenRequestsMustMeet() {
		TestBrowser browser = signedIn("alice");
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		for (int i = 0; i < 3; i++) {
			assertChallenged(call(browser, "/api/export", stale, TestBrowser.JSON));
			assertChallenged(call(browser, "/api/transfers", stale, TestBrowser.JSON));
		}
		Response me = call(browser, "/api/me", stale, TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
	}

	@Test
	void aTokensRefusalDoesNotChallengeAnotherUsersSession() {
		TestBrowser browser = signedIn("bob");
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(browser, "/api/export", stale, TestBrowser.JSON));
		Response me = call(browser, "/api/me", stale, TestBrowser.JSON);
		assertThat(me.status()).as("alice's token, bob's cookie: %s", me).isEqualTo(200);
		assertThat(me.body()).contains("alice");
		Response transfers = call(browser, "/api/transfers", stale, TestBrowser.JSON);
		assertChallenged(transfers);
		Response privilegedPage = browser.get("/page", TestBrowser.HTML);
		assertThat(privilegedPage.status()).as("%s", privilegedPage).isEqualTo(200);
		Response status = browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.body()).as("bob's own session is still privileged").contains("\"principal\":\"bob\"");
	}

	@Test
	void aRefusedTokenThatAcceptsHtmlStillGetsTheChallengeNotTheLoginPage() {
		TestBrowser browser = signedIn("alice");
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(browser, "/api/transfers", stale, TestBrowser.HTML));
		assertChallenged(call(new TestBrowser(this.port), "/api/transfers", stale, TestBrowser.HTML));
	}

	private TestBrowser signedIn(String username) {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.login(username, "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return browser;
	}

	private static Response call(TestBrowser browser, String path, String token, String accept) {
		return browser.get(path, accept, "Authorization", "Bearer " + token);
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + PRIVILEGED_AGE.toSeconds());
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BearerTokenTestApi.class)
	static class Application {

		@Bean
		@Order(1)
		SecurityFilterChain apiSecurityFilterChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/api/**");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			http.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain pageSecurityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/api/transfers",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

			@GetMapping("/page")
			String page() {
				return "page";
			}

		}

	}

}
