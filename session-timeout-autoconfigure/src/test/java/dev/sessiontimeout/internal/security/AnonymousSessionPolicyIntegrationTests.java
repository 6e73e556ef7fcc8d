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

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that an anonymous visitor started (a page that keeps something in it) and in
 * which the application then signs an administrator in with its own code: the session
 * gets the administrators' policy, as one that a signed-in user starts does, not the
 * global one that applied before authentication. Spring Session's map store.
 */
@SpringBootTest(classes = AnonymousSessionPolicyIntegrationTests.AnonymousFirstApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].idle=10m", "session-timeout.policies[0].privileged-max-age=5m" })
class AnonymousSessionPolicyIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	@Test
	void anAdministratorSignedInByTheApplicationWithoutASessionGetsTheAdministratorsPolicy() {
		assertThat(this.browser.post("/sign-up", Map.of(), TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(policy(this.browser)).isEqualTo("administrators");
	}

	@Test
	void anAdministratorSignedInByTheApplicationIntoAnAnonymousSessionGetsTheAdministratorsPolicy() {
		Response visit = this.browser.get("/welcome", TestBrowser.JSON);
		assertThat(visit.status()).as("%s", visit).isEqualTo(200);
		Response anonymous = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(anonymous.status()).as("an anonymous session with clocks: %s", anonymous).isEqualTo(200);
		assertThat(this.browser.post("/sign-up", Map.of(), TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(policy(this.browser)).isEqualTo("administrators");
	}

	private static String policy(TestBrowser browser) {
		assertThat(browser.get("/api/me", TestBrowser.JSON).jsonString("result")).isEqualTo("root");
		Response status = browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		return status.jsonString("policy");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class AnonymousFirstApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/login", "/error", "/session/status", "/sign-up", "/welcome")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager();
		}

		@RestController
		static class SignUpController {

			@GetMapping(path = "/welcome", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> welcome(HttpServletRequest request) {
				// A visitor's cart, say
				request.getSession().setAttribute("cart", "empty");
				return Map.of("result", "welcome");
			}

			@PostMapping(path = "/sign-up", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> signUp(HttpServletRequest request, HttpServletResponse response) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("root", null,
						AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
				SecurityContextHolder.setContext(context);
				new HttpSessionSecurityContextRepository().saveContext(context, request, response);
				return Map.of("result", "root");
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> me(java.security.Principal principal) {
				return Map.of("result", principal.getName());
			}

		}

	}

}
