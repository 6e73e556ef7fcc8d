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
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy for {@code ROLE_ADMIN} and an application whose {@link RoleHierarchy} makes
 * every {@code ROLE_SUPERADMIN} an administrator, as its URL rules and method security
 * see it: a super administrator, who may do all an administrator may, follows the
 * administrators' policy, not the looser global one. Spring Session's map store.
 */
@SpringBootTest(classes = RoleHierarchyPolicyIntegrationTests.RoleHierarchyApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].idle=10m", "session-timeout.policies[0].privileged-max-age=5m" })
class RoleHierarchyPolicyIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	@Test
	void aSuperAdministratorFollowsThePolicyOfTheAdministratorsTheRoleHierarchyMakesThemOneOf() {
		assertThat(this.browser.login("root", "password").location()).doesNotContain("error");
		Response admin = this.browser.get("/admin/users", TestBrowser.JSON);
		assertThat(admin.status()).as("the hierarchy makes root an administrator: %s", admin).isEqualTo(200);
		Response status = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.jsonString("policy")).as("%s", status).isEqualTo("administrators");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		Response close = this.browser.get("/admin/close", TestBrowser.JSON);
		assertThat(close.status()).as("%s", close).isEqualTo(401);
		assertThat(close.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
	}

	/**
	 * Account operations, privileged.
	 */
	static class AccountOperations {

		@RequiresPrivilegedSession
		public String close() {
			return "closed";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class RoleHierarchyApplication {

		@Bean
		static RoleHierarchy roleHierarchy() {
			return RoleHierarchyImpl.fromHierarchy("ROLE_SUPERADMIN > ROLE_ADMIN");
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/session/status")
				.permitAll()
				.requestMatchers("/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("root").password("{noop}password").roles("SUPERADMIN").build());
		}

		@Bean
		AccountOperations accountOperations() {
			return new AccountOperations();
		}

		@RestController
		static class AdminController {

			private final AccountOperations accounts;

			AdminController(AccountOperations accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = "/admin/users", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> users() {
				return Map.of("result", "users");
			}

			@GetMapping(path = "/admin/close", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> close() {
				return Map.of("result", this.accounts.close());
			}

		}

	}

}
