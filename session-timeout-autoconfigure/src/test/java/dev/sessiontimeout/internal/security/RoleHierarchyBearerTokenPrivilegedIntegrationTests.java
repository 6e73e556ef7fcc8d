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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
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
 * A policy for {@code ROLE_ADMIN} with a privileged age of 5m (15m for everyone else),
 * and an application whose {@link RoleHierarchy} makes a {@code superadmin} scope a
 * {@code ROLE_SUPERADMIN}, and every {@code ROLE_SUPERADMIN} a {@code ROLE_ADMIN}: a
 * request without a session, by a bearer token or HTTP Basic, of a super administrator
 * gets the administrators' privileged age, as a session login does, on
 * {@code @RequiresPrivilegedSession} methods, privileged paths and a forward to one, not
 * the looser global one.
 */
@SpringBootTest(classes = RoleHierarchyBearerTokenPrivilegedIntegrationTests.ResourceServerApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfers", "session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].privileged-max-age=5m" })
class RoleHierarchyBearerTokenPrivilegedIntegrationTests {

	private static final Duration ADMINISTRATORS_AGE = Duration.ofMinutes(5);

	private static final String BASIC_ROOT = "Basic "
			+ Base64.getEncoder().encodeToString("root:password".getBytes(StandardCharsets.UTF_8));

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
		assertThat(call("/api/export", TestTokens.token(sixMinutesAgo, "read", null)).status())
			.as("a token the hierarchy makes no administrator")
			.isEqualTo(200);
		assertChallenged(call("/api/export", TestTokens.token(sixMinutesAgo, "superadmin", null)));
		assertChallenged(call("/api/transfers", TestTokens.token(sixMinutesAgo, "superadmin", null)));
		assertChallenged(call("/api/forward-to-transfers", TestTokens.token(sixMinutesAgo, "superadmin", null)));
		Instant fourMinutesAgo = this.now.minus(Duration.ofMinutes(4));
		assertThat(call("/api/export", TestTokens.token(fourMinutesAgo, "superadmin", null)).status()).isEqualTo(200);
	}

	@Test
	void anHttpBasicRequestWithoutSessionThatTheRoleHierarchyMakesAnAdministratorGetsTheAdministratorsPrivilegedAge() {
		Response fresh = basic("/api/transfers");
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		this.clock.fixAt(this.now.plus(ADMINISTRATORS_AGE).plusSeconds(5));
		assertChallenged(basic("/api/transfers"));
		assertChallenged(basic("/api/export"));
	}

	private Response call(String path, String token) {
		return new TestBrowser(this.port).get(path, TestBrowser.JSON, "Authorization", "Bearer " + token);
	}

	private Response basic(String path) {
		return new TestBrowser(this.port).get(path, TestBrowser.JSON, "Authorization", BASIC_ROOT);
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + ADMINISTRATORS_AGE.toSeconds());
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BearerTokenTestApi.class)
	static class ResourceServerApplication {

		@Bean
		static RoleHierarchy roleHierarchy() {
			return RoleHierarchyImpl.fromHierarchy("SCOPE_superadmin > ROLE_SUPERADMIN\nROLE_SUPERADMIN > ROLE_ADMIN");
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
					User.withUsername("root").password("{noop}password").roles("SUPERADMIN").build());
		}

		@RestController
		static class Api {

			@GetMapping(path = "/api/forward-to-transfers")
			void forwardToTransfers(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/api/transfers").forward(request, response);
			}

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
