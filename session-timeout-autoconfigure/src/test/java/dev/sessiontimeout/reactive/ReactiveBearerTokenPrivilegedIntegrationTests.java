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
package dev.sessiontimeout.reactive;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Privileged operations of bearer tokens on a WebFlux resource server: JWT access tokens
 * signed by a locally generated RSA key and decoded by {@link NimbusReactiveJwtDecoder};
 * the authentication time is the token's {@code auth_time}; a refusal is a {@code 401}
 * with the RFC 9470 challenge, never a {@code 403}, and starts no session; HTTP Basic,
 * which tells not when its user authenticated, is never privileged. Privileged age 15m,
 * 5m for tokens with the scope {@code admin}; {@code /api/transfers} is a privileged
 * path, {@code /api/export} a {@code @RequiresPrivilegedSession} method returning a
 * {@code Mono}.
 */
@SpringBootTest(classes = ReactiveBearerTokenPrivilegedIntegrationTests.ReactiveResourceServerApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/transfers",
				"session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities=SCOPE_admin",
				"session-timeout.policies[0].privileged-max-age=5m" })
class ReactiveBearerTokenPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

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
	void aTokenWhoseUserAuthenticatedWithinThePrivilegedAgeCallsThePrivilegedMethodAndPath() {
		String token = token(this.now.minus(PRIVILEGED_AGE).plusSeconds(1));
		EntityExchangeResult<String> export = call("/api/export", token);
		assertThat(export.getStatus().value()).as("%s", export).isEqualTo(200);
		assertThat(export.getResponseBody()).contains("exported for alice");
		assertThat(export.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).as("no session").isNull();
		assertThat(call("/api/transfers", token).getStatus().value()).isEqualTo(200);
	}

	@Test
	void aTokenWhoseAuthTimeIsThePrivilegedAgeOldIsChallengedWithRfc9470() {
		for (Instant authTime : new Instant[] { this.now.minus(PRIVILEGED_AGE),
				this.now.minus(PRIVILEGED_AGE).minusSeconds(1) }) {
			assertChallenged(call("/api/export", token(authTime)), PRIVILEGED_AGE);
			assertChallenged(call("/api/transfers", token(authTime)), PRIVILEGED_AGE);
		}
		assertThat(call("/api/me", token(this.now.minus(PRIVILEGED_AGE))).getStatus().value()).isEqualTo(200);
	}

	@Test
	void aTokenWithoutAuthTimeOrFromTheFutureIsNeverPrivileged() {
		assertChallenged(call("/api/export", token(null)), PRIVILEGED_AGE);
		assertChallenged(call("/api/transfers", token(null)), PRIVILEGED_AGE);
		assertChallenged(call("/api/export", token(this.now.plus(Duration.ofMinutes(5)))), PRIVILEGED_AGE);
	}

	@Test
	void aTokenWhoseAuthoritiesChooseAPolicyGetsThatPolicysPrivilegedAge() {
		Instant sixMinutesAgo = this.now.minus(Duration.ofMinutes(6));
		assertThat(call("/api/export", TestTokens.token(sixMinutesAgo, "read", null)).getStatus().value())
			.isEqualTo(200);
		assertChallenged(call("/api/export", TestTokens.token(sixMinutesAgo, "admin", null)), Duration.ofMinutes(5));
		assertChallenged(call("/api/transfers", TestTokens.token(sixMinutesAgo, "admin", null)), Duration.ofMinutes(5));
	}

	@Test
	void aPrivilegedPathOrMethodRefusesAnHttpBasicRequestWithoutSessionWhoseAuthenticationTimeIsUnknown() {
		EntityExchangeResult<String> me = basic("/api/me");
		assertThat(me.getStatus().value()).as("%s", me).isEqualTo(200);
		assertChallenged(basic("/api/transfers"), PRIVILEGED_AGE);
		assertChallenged(basic("/api/export"), PRIVILEGED_AGE);
	}

	@Nested
	@TestPropertySource(properties = "session-timeout.privileged.acr-values=urn:example:mfa, phr")
	class WithRequiredAuthenticationContextClasses {

		@Test
		void aRecentTokenWhoseAcrIsOneOfThemIsPrivileged() {
			Instant aMinuteAgo = ReactiveBearerTokenPrivilegedIntegrationTests.this.now.minusSeconds(60);
			assertThat(call("/api/export", TestTokens.token(aMinuteAgo, "read", "urn:example:mfa")).getStatus().value())
				.isEqualTo(200);
			assertThat(call("/api/transfers", TestTokens.token(aMinuteAgo, "read", "phr")).getStatus().value())
				.isEqualTo(200);
		}

		@Test
		void aRecentTokenWithAnotherAcrOrNoneIsChallengedWithTheAcrValues() {
			Instant aMinuteAgo = ReactiveBearerTokenPrivilegedIntegrationTests.this.now.minusSeconds(60);
			for (String acr : new String[] { "urn:example:password", "URN:EXAMPLE:MFA", null }) {
				assertAcrChallenged(call("/api/export", TestTokens.token(aMinuteAgo, "read", acr)), PRIVILEGED_AGE);
				assertAcrChallenged(call("/api/transfers", TestTokens.token(aMinuteAgo, "read", acr)), PRIVILEGED_AGE);
			}
			assertThat(call("/api/me", TestTokens.token(aMinuteAgo, "read", null)).getStatus().value()).isEqualTo(200);
		}

		private void assertAcrChallenged(EntityExchangeResult<String> response, Duration maxAge) {
			assertChallenged(response, maxAge);
			assertThat(response.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", response)
				.isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description=\""
						+ "This operation requires a more recent authentication.\", acr_values=\"urn:example:mfa phr\", "
						+ "max_age=" + maxAge.toSeconds());
		}

	}

	private EntityExchangeResult<String> call(String path, String token) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private EntityExchangeResult<String> basic(String path) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.setBasicAuth("bob", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static void assertChallenged(EntityExchangeResult<String> response, Duration maxAge) {
		assertThat(response.getStatus().value()).as("%s", response).isEqualTo(401);
		assertThat(response.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + maxAge.toSeconds());
		assertThat(response.getResponseBody()).contains("\"reason\":\"privileged\"");
		assertThat(response.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).as("no session").isNull();
	}

	private static String token(@Nullable Instant authTime) {
		return TestTokens.token(authTime, "read", null);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class ReactiveResourceServerApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
				.httpBasic(Customizer.withDefaults())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Api {

			private final ReactiveBearerTokenTestApi.Exporter exporter;

			Api(ReactiveBearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> me(Authentication authentication) {
				return Mono.just(Map.of("name", authentication.getName()));
			}

			@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Authentication authentication) {
				return this.exporter.export(authentication.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfers() {
				return Mono.just(Map.of("transfers", 0));
			}

		}

	}

}
