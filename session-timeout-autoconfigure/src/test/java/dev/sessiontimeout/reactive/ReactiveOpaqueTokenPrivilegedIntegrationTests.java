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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opaque access tokens on a WebFlux resource server, introspected by the application's
 * {@link ReactiveOpaqueTokenIntrospector}: decided by the {@code auth_time} that the
 * introspection returns (in epoch seconds or as an ISO-8601 instant) as JWTs are, never
 * privileged without it or from the future, for the privileged path
 * {@code /api/transfers} and the {@code @RequiresPrivilegedSession} method of
 * {@code /api/export} alike. Privileged age 15m.
 */
@SpringBootTest(classes = ReactiveOpaqueTokenPrivilegedIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/transfers" })
class ReactiveOpaqueTokenPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final Map<String, Map<String, Object>> TOKENS = new HashMap<>();

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant now;

	@BeforeEach
	void fixTheClock() {
		this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.now);
		TOKENS.clear();
	}

	@Test
	void aTokenIntrospectedWithAFreshAuthTimeIsPrivilegedAndStartsNoSession() {
		token("seconds", this.now.minusSeconds(60).getEpochSecond());
		token("iso", this.now.minusSeconds(60).toString());
		for (String token : List.of("seconds", "iso")) {
			for (String path : List.of("/api/export", "/api/transfers")) {
				EntityExchangeResult<String> response = call(path, token);
				assertThat(response.getStatus().value()).as("%s %s", token, response).isEqualTo(200);
				assertThat(response.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
			}
		}
	}

	@Test
	void aTokenIntrospectedWithAnOldUnknownOrFutureAuthTimeIsChallenged() {
		token("old", this.now.minus(PRIVILEGED_AGE).getEpochSecond());
		token("none", null);
		token("future", this.now.plus(Duration.ofDays(1)).getEpochSecond());
		token("unreadable", "yesterday");
		for (String token : List.of("old", "none", "future", "unreadable")) {
			for (String path : List.of("/api/export", "/api/transfers")) {
				EntityExchangeResult<String> response = call(path, token);
				assertThat(response.getStatus().value()).as("%s %s", token, response).isEqualTo(401);
				assertThat(response.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", response)
					.startsWith("Bearer error=\"insufficient_user_authentication\"")
					.endsWith("max_age=" + PRIVILEGED_AGE.toSeconds());
				assertThat(response.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
			}
			assertThat(call("/api/me", token).getStatus().value()).isEqualTo(200);
		}
	}

	private static void token(String value, @Nullable Object authTime) {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("active", true);
		attributes.put("sub", "alice");
		if (authTime != null) {
			attributes.put("auth_time", authTime);
		}
		TOKENS.put(value, attributes);
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class Application {

		@Bean
		ReactiveOpaqueTokenIntrospector introspector() {
			return (token) -> {
				Map<String, Object> attributes = TOKENS.get(token);
				return (attributes != null)
						? Mono.just(new OAuth2IntrospectionAuthenticatedPrincipal("alice", attributes,
								AuthorityUtils.createAuthorityList("SCOPE_read")))
						: Mono.error(new BadOpaqueTokenException("unknown"));
			};
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.opaqueToken(Customizer.withDefaults()))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
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
