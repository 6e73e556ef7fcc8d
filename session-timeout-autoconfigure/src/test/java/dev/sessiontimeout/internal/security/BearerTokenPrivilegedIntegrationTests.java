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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
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
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestTokens;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @RequiresPrivilegedSession} and {@code session-timeout.privileged.paths} on a
 * stateless resource-server chain: JWT access tokens signed by a locally generated RSA
 * key and decoded by {@link NimbusJwtDecoder}; the authentication time is the token's
 * {@code auth_time}; a refusal is a {@code 401} with the RFC 9470 challenge, never a
 * {@code 403}. Privileged age 15m, 5m for tokens with the scope {@code admin}.
 */
@SpringBootTest(classes = BearerTokenPrivilegedIntegrationTests.ResourceServerApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfers", "session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities=SCOPE_admin",
				"session-timeout.policies[0].privileged-max-age=5m" })
class BearerTokenPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final String BASIC_BOB = "Basic "
			+ Base64.getEncoder().encodeToString("bob:password".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant now;

	@BeforeEach
	void fixTheClock() {
		this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.now);
	}

	@Test
	void aTokenWhoseUserAuthenticatedWithinThePrivilegedAgeCallsThePrivilegedMethod() throws Exception {
		Response export = call("/api/export", token(this.now.minus(PRIVILEGED_AGE).plusSeconds(1)));
		assertThat(export.status()).as("%s", export).isEqualTo(200);
		assertThat(export.body()).contains("exported");
	}

	@Test
	void aTokenWhoseAuthTimeIsThePrivilegedAgeOldIsChallengedWithRfc9470() throws Exception {
		assertChallenged(call("/api/export", token(this.now.minus(PRIVILEGED_AGE))));
		assertChallenged(call("/api/export", token(this.now.minus(PRIVILEGED_AGE).minusSeconds(1))));
		assertThat(call("/api/me", token(this.now.minus(PRIVILEGED_AGE))).status()).isEqualTo(200);
	}

	@Test
	void aTokenWithoutAuthTimeIsNeverPrivileged() throws Exception {
		assertChallenged(call("/api/export", token(null)));
	}

	@Test
	void aPrivilegedPathChallengesATokenWhoseAuthTimeIsTooOld() throws Exception {
		assertThat(call("/api/transfers", token(this.now.minusSeconds(60))).status()).isEqualTo(200);
		assertChallenged(call("/api/transfers", token(this.now.minus(PRIVILEGED_AGE))));
		assertChallenged(call("/api/transfers", token(null)));
	}

	@Test
	void aTokenWhoseAuthoritiesChooseAPolicyGetsThatPolicysPrivilegedAge() throws Exception {
		Instant sixMinutesAgo = this.now.minus(Duration.ofMinutes(6));
		assertThat(call("/api/export", token(sixMinutesAgo, "read")).status()).isEqualTo(200);
		assertThat(call("/api/transfers", token(sixMinutesAgo, "read")).status()).isEqualTo(200);
		assertChallenged(call("/api/export", token(sixMinutesAgo, "admin")), Duration.ofMinutes(5));
		assertChallenged(call("/api/transfers", token(sixMinutesAgo, "admin")), Duration.ofMinutes(5));
		Instant fourMinutesAgo = this.now.minus(Duration.ofMinutes(4));
		assertThat(call("/api/export", token(fourMinutesAgo, "admin")).status()).isEqualTo(200);
	}

	@Test
	void aTokenThatSaysItsUserAuthenticatedInTheFutureOrAtNoReadableTimeIsNeverPrivileged() throws Exception {
		assertThat(call("/api/export", token(this.now.plusSeconds(5))).status()).as("within the clock skew")
			.isEqualTo(200);
		assertChallenged(call("/api/export", token(this.now.plusSeconds(6))));
		assertChallenged(call("/api/transfers", token(this.now.plus(Duration.ofDays(365)))));
		assertChallenged(call("/api/export", TestTokens.tokenWithAuthTime(1e20)));
		assertChallenged(call("/api/export", TestTokens.tokenWithAuthTime(-1)));
	}

	@Test
	void aForwardToAPrivilegedPathIsDecidedByTheToken() throws Exception {
		assertThat(call("/api/forward-to-transfers", token(this.now.minusSeconds(60))).status()).isEqualTo(200);
		assertChallenged(call("/api/forward-to-transfers", token(this.now.minus(PRIVILEGED_AGE))));
	}

	@Test
	void anAsyncDispatchToAPrivilegedPathIsDecidedByTheToken() throws Exception {
		assertThat(call("/api/async-to-transfers", token(this.now.minusSeconds(60))).status()).isEqualTo(200);
		assertChallenged(call("/api/async-to-transfers", token(this.now.minus(PRIVILEGED_AGE))));
	}

	@Test
	void aTokenNeverMeetsAMaxAgeOfZero() throws Exception {
		assertChallenged(call("/api/export-now", token(this.now)), Duration.ZERO);
	}

	@Test
	void aPrivilegedPathDecidesAnHttpBasicRequestWithoutSessionByItsFactor() throws Exception {
		Response fresh = new TestBrowser(this.port).get("/api/transfers", TestBrowser.JSON, "Authorization", BASIC_BOB);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		this.clock.fixAt(this.now.plus(PRIVILEGED_AGE).plusSeconds(5));
		assertChallenged(
				new TestBrowser(this.port).get("/api/transfers", TestBrowser.JSON, "Authorization", BASIC_BOB));
		assertChallenged(new TestBrowser(this.port).get("/api/export", TestBrowser.JSON, "Authorization", BASIC_BOB));
	}

	@Test
	void aPrivilegedAsyncMethodIsDecidedByTheTokenThatCalledIt() throws Exception {
		Instant sixMinutesAgo = this.now.minus(Duration.ofMinutes(6));
		Response read = call("/api/export-async", token(sixMinutesAgo, "read"));
		assertThat(read.status()).as("%s", read).isEqualTo(200);
		assertThat(read.body()).contains("exported on task-");
		assertChallenged(call("/api/export-async", token(sixMinutesAgo, "admin")), Duration.ofMinutes(5));
		assertThat(call("/api/export-async", token(this.now.minus(Duration.ofMinutes(4)), "admin")).status())
			.isEqualTo(200);
		assertChallenged(call("/api/export-async", token(null, "read")));
	}

	@Test
	void anAcrClaimIsIgnoredWhenNoAuthenticationContextClassIsRequired() throws Exception {
		Instant aMinuteAgo = this.now.minusSeconds(60);
		assertThat(call("/api/export", TestTokens.token(aMinuteAgo, "read", "urn:example:password")).status())
			.isEqualTo(200);
		assertThat(call("/api/export", TestTokens.token(aMinuteAgo, "read", null)).status()).isEqualTo(200);
	}

	@Nested
	@TestPropertySource(properties = "session-timeout.privileged.acr-values=urn:example:mfa, phr")
	class WithRequiredAuthenticationContextClasses {

		@Test
		void aRecentTokenWhoseAcrIsOneOfThemIsPrivileged() throws Exception {
			Instant aMinuteAgo = BearerTokenPrivilegedIntegrationTests.this.now.minusSeconds(60);
			assertThat(call("/api/export", TestTokens.token(aMinuteAgo, "read", "urn:example:mfa")).status())
				.isEqualTo(200);
			assertThat(call("/api/transfers", TestTokens.token(aMinuteAgo, "read", "phr")).status()).isEqualTo(200);
		}

		@Test
		void aRecentTokenWithAnotherAcrOrNoneIsChallengedWithTheAcrValues() throws Exception {
			Instant aMinuteAgo = BearerTokenPrivilegedIntegrationTests.this.now.minusSeconds(60);
			for (String acr : new String[] { "urn:example:password", "URN:EXAMPLE:MFA", "", null }) {
				assertAcrChallenged(call("/api/export", TestTokens.token(aMinuteAgo, "read", acr)), PRIVILEGED_AGE);
				assertAcrChallenged(call("/api/transfers", TestTokens.token(aMinuteAgo, "read", acr)), PRIVILEGED_AGE);
			}
			assertThat(call("/api/me", TestTokens.token(aMinuteAgo, "read", null)).status()).isEqualTo(200);
		}

		@Test
		void aTokenWithTheRightAcrIsStillChallengedWhenItsAuthTimeIsTooOld() throws Exception {
			Instant sixMinutesAgo = BearerTokenPrivilegedIntegrationTests.this.now.minus(Duration.ofMinutes(6));
			assertAcrChallenged(call("/api/export", TestTokens.token(sixMinutesAgo, "admin", "urn:example:mfa")),
					Duration.ofMinutes(5));
			assertAcrChallenged(call("/api/export", TestTokens.token(null, "read", "urn:example:mfa")), PRIVILEGED_AGE);
		}

		private static void assertAcrChallenged(Response response, Duration maxAge) {
			assertChallenged(response, maxAge);
			assertThat(response.header("WWW-Authenticate")).as("%s", response)
				.isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description=\""
						+ "This operation requires a more recent authentication.\", acr_values=\"urn:example:mfa phr\", "
						+ "max_age=" + maxAge.toSeconds());
		}

	}

	private Response call(String path, String token) {
		return new TestBrowser(this.port).get(path, TestBrowser.JSON, "Authorization", "Bearer " + token);
	}

	private static void assertChallenged(Response response) {
		assertChallenged(response, PRIVILEGED_AGE);
	}

	private static void assertChallenged(Response response, Duration maxAge) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + maxAge.toSeconds());
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	private static String token(@Nullable Instant authTime) throws Exception {
		return token(authTime, "read");
	}

	private static String token(@Nullable Instant authTime, String scope) throws Exception {
		return TestTokens.token(authTime, scope, null);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableAsync
	@Import(BearerTokenTestApi.class)
	static class ResourceServerApplication {

		@Bean
		TaskDecorator securityContextPropagation() {
			return DelegatingSecurityContextRunnable::new;
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			http.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()));
			http.httpBasic(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Api {

			private final BearerTokenTestApi.Exporter exporter;

			Api(BearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = "/api/forward-to-transfers")
			void forwardToTransfers(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/api/transfers").forward(request, response);
			}

			@GetMapping(path = "/api/async-to-transfers")
			void asyncToTransfers(HttpServletRequest request, HttpServletResponse response) {
				request.startAsync(request, response).dispatch("/api/transfers");
			}

			@GetMapping(path = "/api/export-now", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> exportNow(Authentication authentication) {
				return Map.of("name", authentication.getName(), "result", this.exporter.exportEveryTime());
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

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
