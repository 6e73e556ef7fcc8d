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
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.TaskDecorator;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bearer-token request that carries a session cookie along into a security filter chain
 * that keeps its users in the session (form login and a resource server in one chain, as
 * many applications have). Spring Security 7.1's {@code BearerTokenAuthenticationFilter}
 * then adds the authorities of the session's user, whoever that is, to the token's
 * authentication; the token's privileged age must still be that of the policy its own
 * authorities choose, never one that the session sent along chooses. Privileged age 5m;
 * 1h for the {@code staff} policy, which {@code ROLE_STAFF} chooses (bob's role, no
 * token's).
 */
@SpringBootTest(classes = BearerTokenInSessionChainPrivilegedIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.idle=1h",
				"session-timeout.absolute=8h", "session-timeout.privileged.max-age=5m",
				"session-timeout.privileged.paths=/api/transfers", "session-timeout.policies[0].name=staff",
				"session-timeout.policies[0].authorities=ROLE_STAFF",
				"session-timeout.policies[0].privileged-max-age=1h" })
class BearerTokenInSessionChainPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(5);

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
	void aTokenIsDecidedByThePolicyOfItsOwnAuthoritiesNotByThoseOfTheSessionSentAlong() {
		String tenMinutesOld = TestTokens.token(this.start.minus(Duration.ofMinutes(10)), "read", null);
		for (String path : new String[] { "/api/export", "/api/transfers", "/api/export-async" }) {
			Response alone = call(new TestBrowser(this.port), path, tenMinutesOld);
			assertChallenged(alone);
			assertThat(alone.setCookies()).as("the refusal starts no session: %s", alone).isEmpty();
		}
		TestBrowser bob = signedIn("bob");
		assertThat(bob.get("/api/transfers", TestBrowser.JSON).status()).as("bob's own session is staff")
			.isEqualTo(200);
		assertChallenged(call(bob, "/api/export", tenMinutesOld));
		assertChallenged(call(bob, "/api/transfers", tenMinutesOld));
		assertChallenged(call(bob, "/api/export-async", tenMinutesOld));
		Response me = call(bob, "/api/me", tenMinutesOld);
		assertThat(me.body()).as("the token's user: %s", me).contains("alice");
	}

	@Test
	void aTokenOfTheSessionsOwnUserIsDecidedByThePolicyOfItsOwnAuthoritiesToo() {
		TestBrowser alice = signedIn("alice");
		String tenMinutesOld = TestTokens.token(this.start.minus(Duration.ofMinutes(10)), "read", null);
		assertChallenged(call(alice, "/api/export", tenMinutesOld));
		assertChallenged(call(alice, "/api/transfers", tenMinutesOld));
		String fresh = TestTokens.token(this.start.minusSeconds(60), "read", null);
		assertThat(call(alice, "/api/export", fresh).status()).isEqualTo(200);
		assertThat(call(alice, "/api/transfers", fresh).status()).isEqualTo(200);
	}

	@Test
	void aFreshTokenWithItsUsersStaleSessionIsPrivilegedAndAStaleOneWithAFreshSessionIsNot() {
		TestBrowser alice = signedIn("alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(10)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		assertThat(call(alice, "/api/transfers", fresh).status()).isEqualTo(200);
		assertThat(call(alice, "/api/export", fresh).status()).isEqualTo(200);
		Response stalePage = alice.get("/api/transfers", TestBrowser.JSON);
		assertThat(stalePage.status()).as("the session's own sign-in is too old: %s", stalePage).isEqualTo(401);
		TestBrowser bob = signedIn("bob");
		String stale = TestTokens.token(this.clock.instant().minus(Duration.ofMinutes(10)), "read", null);
		assertChallenged(call(bob, "/api/transfers", stale));
		assertChallenged(call(bob, "/api/export", stale));
		Response own = bob.get("/api/transfers", TestBrowser.JSON);
		assertThat(own.status()).as("the token's refusal is not the session's: %s", own).isEqualTo(200);
		assertThat(own.body()).contains("bob");
	}

	@Test
	void aTokenWithoutAuthTimeIsNotMadePrivilegedByTheFactorsOfAFreshSessionSentAlong() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser alice = signedIn("alice");
		TestBrowser bob = signedIn("bob");
		this.clock.fixAt(this.start.plusSeconds(30));
		for (TestBrowser browser : new TestBrowser[] { alice, bob }) {
			assertChallenged(call(browser, "/api/transfers", noAuthTime));
			assertChallenged(call(browser, "/api/export", noAuthTime));
			assertChallenged(call(browser, "/api/export-async", noAuthTime));
		}
	}

	@Nested
	@TestPropertySource(
			properties = { "session-timeout.privileged.max-age=0", "session-timeout.policies[0].privileged-max-age=0" })
	class WhenEveryPrivilegedOperationNeedsANewAuthentication {

		@Test
		void aTokenRequestDoesNotUseTheOnePrivilegedOperationOfTheLoginOfTheSessionSentAlong() {
			TestBrowser alice = signedIn("alice");
			String fresh = TestTokens.token(BearerTokenInSessionChainPrivilegedIntegrationTests.this.start, "read",
					null);
			Response token = call(alice, "/api/transfers", fresh);
			assertThat(token.status()).as("a token never meets a maximum age of zero: %s", token).isEqualTo(401);
			assertThat(token.header("WWW-Authenticate")).endsWith("max_age=0");
			Response own = alice.get("/api/transfers", TestBrowser.JSON);
			assertThat(own.status()).as("the login's one privileged operation is still the session's: %s", own)
				.isEqualTo(200);
			assertThat(alice.get("/api/transfers", TestBrowser.JSON).status()).as("and only one").isEqualTo(401);
		}

	}

	private TestBrowser signedIn(String username) {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.login(username, "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return browser;
	}

	private static Response call(TestBrowser browser, String path, String token) {
		return browser.get(path, TestBrowser.JSON, "Authorization", "Bearer " + token);
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
	@EnableAsync
	@Import(BearerTokenTestApi.class)
	static class Application {

		@Bean
		TaskDecorator securityContextPropagation() {
			return DelegatingSecurityContextRunnable::new;
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("STAFF").build());
		}

		@RestController
		static class Api {

			private final BearerTokenTestApi.Exporter exporter;

			Api(BearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

			@GetMapping(path = "/api/export-async", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> exportAsync(Authentication authentication) throws Throwable {
				try {
					return Map.of("name", authentication.getName(), "result",
							this.exporter.exportLater().get(30, TimeUnit.SECONDS));
				}
				catch (ExecutionException ex) {
					throw ex.getCause();
				}
			}

		}

	}

}
