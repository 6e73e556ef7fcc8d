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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
import org.springframework.core.task.TaskDecorator;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Form login and a resource server in one chain, whose JWT converter returns an
 * authentication of the application's own type that holds no token and no
 * {@code FACTOR_BEARER} (a {@code UsernamePasswordAuthenticationToken} of the token's
 * subject). Alone, a token without {@code auth_time} is never privileged. Sent with the
 * cookie of a fresh session of another user (the caller's own second account, say), or of
 * its own user, Spring Security 7.1 copies that session's {@code FACTOR_PASSWORD} into
 * the token's authentication: the starter never counts it for the token, which stays
 * unprivileged (found by an adversarial review, where it was served).
 *
 * @author session-timeout
 */
@SpringBootTest(classes = BearerTokenOwnTypeInSessionChainPrivilegedIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.idle=1h",
				"session-timeout.absolute=8h", "session-timeout.privileged.max-age=5m",
				"session-timeout.privileged.paths=/api/transfers" })
class BearerTokenOwnTypeInSessionChainPrivilegedIntegrationTests {

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
	void aTokenWithoutAuthTimeAloneIsNotPrivileged() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser alone = new TestBrowser(this.port);
		assertThat(call(alone, "/api/me", noAuthTime).status()).isEqualTo(200);
		assertThat(call(alone, "/api/transfers", noAuthTime).status()).isEqualTo(401);
		assertThat(call(alone, "/api/export", noAuthTime).status()).isEqualTo(401);
		assertThat(call(alone, "/api/export-async", noAuthTime).status()).isEqualTo(401);
	}

	@Test
	void aTokenWithoutAuthTimeIsNotMadePrivilegedByItsOwnUsersFreshSessionSentAlong() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser alice = new TestBrowser(this.port);
		Response login = alice.login("alice", "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		this.clock.fixAt(this.start.plusSeconds(30));
		assertThat(alice.get("/api/transfers", TestBrowser.JSON).status()).as("the session itself is privileged")
			.isEqualTo(200);
		List<String> answers = new ArrayList<>();
		for (String path : new String[] { "/api/transfers", "/api/export", "/api/export-async" }) {
			Response response = call(alice, path, noAuthTime);
			answers.add(path + " " + response.status() + " " + response.body());
		}
		assertThat(answers).as("alice's token without auth_time, her own fresh session cookie")
			.allSatisfy((answer) -> assertThat(answer).contains(" 401 "));
	}

	@Test
	void aTokenWithoutAuthTimeIsNotMadePrivilegedByAnotherUsersFreshSessionSentAlong() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser bob = new TestBrowser(this.port);
		Response login = bob.login("bob", "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		this.clock.fixAt(this.start.plusSeconds(30));
		List<String> answers = new ArrayList<>();
		for (String path : new String[] { "/api/transfers", "/api/export", "/api/export-async" }) {
			Response response = call(bob, path, noAuthTime);
			answers.add(path + " " + response.status() + " " + response.body());
		}
		assertThat(answers).as("alice's token without auth_time, bob's fresh session cookie")
			.allSatisfy((answer) -> assertThat(answer).contains(" 401 "));
	}

	@Test
	void aTokenSentAsAnEncodedQueryParameterIsNotMadePrivilegedByAnotherUsersFreshSessionSentAlong() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser bob = freshSessionOf("bob");
		Response alone = new TestBrowser(this.port).get("/api/me?access%5Ftoken=" + noAuthTime, TestBrowser.JSON);
		assertThat(alone.status()).as("the container decodes the name: Spring Security reads the token %s", alone)
			.isEqualTo(200);
		assertThat(alone.body()).contains("\"name\":\"alice\"");
		Response transfer = bob.get("/api/transfers?access%5Ftoken=" + noAuthTime, TestBrowser.JSON);
		assertThat(transfer.status()).as("alice's token in access%%5Ftoken, bob's fresh session cookie: %s", transfer)
			.isEqualTo(401);
	}

	@Test
	void aTokenSentInAFormBodyIsNotMadePrivilegedByAnotherUsersFreshSessionSentAlong() {
		String noAuthTime = TestTokens.token(null, "read", null);
		TestBrowser bob = freshSessionOf("bob");
		Response transfer = bob.post("/api/transfers", Map.of("access_token", noAuthTime), TestBrowser.JSON);
		assertThat(transfer.status()).as("alice's token in the form body, bob's fresh session cookie: %s", transfer)
			.isEqualTo(401);
		assertThat(bob.post("/api/transfers", Map.of(), TestBrowser.JSON).status())
			.as("bob's fresh session alone is privileged")
			.isEqualTo(200);
	}

	private TestBrowser freshSessionOf(String username) {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.login(username, "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		this.clock.fixAt(this.start.plusSeconds(30));
		return browser;
	}

	private static Response call(TestBrowser browser, String path, String token) {
		return browser.get(path, TestBrowser.JSON, "Authorization", "Bearer " + token);
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
			// Tokens are also read from an access_token query parameter or form field
			DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
			tokens.setAllowUriQueryParameter(true);
			tokens.setAllowFormEncodedBodyParameter(true);
			http.oauth2ResourceServer((server) -> server.bearerTokenResolver(tokens)
				.jwt((jwt) -> jwt.jwtAuthenticationConverter((token) -> UsernamePasswordAuthenticationToken
					.authenticated(token.getSubject(), null, List.of(new SimpleGrantedAuthority("SCOPE_read"))))));
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
		static class Api {

			private final BearerTokenTestApi.Exporter exporter;

			Api(BearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
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

			@RequestMapping(path = "/api/transfers", method = { RequestMethod.GET, RequestMethod.POST },
					produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
