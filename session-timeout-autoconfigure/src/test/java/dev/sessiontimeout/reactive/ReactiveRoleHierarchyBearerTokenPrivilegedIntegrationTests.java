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
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy for {@code ROLE_ADMIN} with a privileged age of 5m (15m for everyone else),
 * and a WebFlux application whose {@link RoleHierarchy} makes a {@code superadmin} scope
 * a {@code ROLE_SUPERADMIN}, and every {@code ROLE_SUPERADMIN} a {@code ROLE_ADMIN}: a
 * request without a session, by a bearer token or HTTP Basic, of a super administrator
 * gets the administrators' privileged age, as a session login does, on a
 * {@code @RequiresPrivilegedSession} method returning a {@code Mono} and on a privileged
 * path.
 */
@SpringBootTest(
		classes = ReactiveRoleHierarchyBearerTokenPrivilegedIntegrationTests.ReactiveResourceServerApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/transfers",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].privileged-max-age=5m" })
class ReactiveRoleHierarchyBearerTokenPrivilegedIntegrationTests {

	private static final Duration ADMINISTRATORS_AGE = Duration.ofMinutes(5);

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
	void aTokenThatTheRoleHierarchyMakesAnAdministratorGetsTheAdministratorsPrivilegedAge() {
		Instant sixMinutesAgo = this.now.minus(Duration.ofMinutes(6));
		assertThat(call("/api/export", TestTokens.token(sixMinutesAgo, "read", null)).getStatus().value())
			.as("a token the hierarchy makes no administrator")
			.isEqualTo(200);
		assertChallenged(call("/api/export", TestTokens.token(sixMinutesAgo, "superadmin", null)));
		assertChallenged(call("/api/transfers", TestTokens.token(sixMinutesAgo, "superadmin", null)));
		Instant fourMinutesAgo = this.now.minus(Duration.ofMinutes(4));
		assertThat(call("/api/export", TestTokens.token(fourMinutesAgo, "superadmin", null)).getStatus().value())
			.isEqualTo(200);
	}

	@Test
	void anHttpBasicRequestWithoutSessionThatTheRoleHierarchyMakesAnAdministratorIsChallengedWithTheAdministratorsPrivilegedAge() {
		EntityExchangeResult<String> me = basic("/api/me");
		assertThat(me.getStatus().value()).as("%s", me).isEqualTo(200);
		assertChallenged(basic("/api/transfers"));
		assertChallenged(basic("/api/export"));
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
			.headers((headers) -> headers.setBasicAuth("root", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static void assertChallenged(EntityExchangeResult<String> response) {
		assertThat(response.getStatus().value()).as("%s", response).isEqualTo(401);
		assertThat(response.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + ADMINISTRATORS_AGE.toSeconds());
		assertThat(response.getResponseBody()).contains("\"reason\":\"privileged\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class ReactiveResourceServerApplication {

		@Bean
		static RoleHierarchy roleHierarchy() {
			return RoleHierarchyImpl.fromHierarchy("SCOPE_superadmin > ROLE_SUPERADMIN\nROLE_SUPERADMIN > ROLE_ADMIN");
		}

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
					User.withUsername("root").password("{noop}password").roles("SUPERADMIN").build());
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
