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

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests of a session whose user switched to another with Spring Security's
 * {@link SwitchUserFilter} share: the {@link SwitchUserApplication} on Spring Session's
 * map store, where {@code admin} may switch ({@code /impersonate}) to {@code customer}
 * and back ({@code /impersonate/exit}), and {@link #switchToACustomer()}.
 */
abstract class AbstractSwitchUserIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	/**
	 * Sign in as the administrator, whose policy is {@code administrators}, and switch to
	 * the customer.
	 */
	void switchToACustomer() {
		assertThat(this.browser.login("admin", "password").location()).doesNotContain("error");
		assertThat(this.browser.get("/session/status", TestBrowser.JSON).jsonString("policy"))
			.isEqualTo("administrators");
		Response switched = this.browser.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON, "Session-Activity", "passive").body())
			.contains("customer");
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
	static class SwitchUserApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/session/status")
				.permitAll()
				.requestMatchers("/impersonate")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.rememberMe((rememberMe) -> rememberMe.key("session-timeout-test").userDetailsService(users));
			http.csrf((csrf) -> csrf.disable());
			SwitchUserFilter switchUser = new SwitchUserFilter();
			switchUser.setUserDetailsService(users);
			switchUser.setSwitchUserUrl("/impersonate");
			switchUser.setExitUserUrl("/impersonate/exit");
			switchUser.setTargetUrl("/home");
			switchUser.afterPropertiesSet();
			http.addFilterAfter(switchUser, AuthorizationFilter.class);
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("admin").password("{noop}password").roles("ADMIN").build(),
					User.withUsername("customer").password("{noop}password").roles("USER").build());
		}

		@Bean
		AccountOperations accountOperations() {
			return new AccountOperations();
		}

		@RestController
		static class OperationsController {

			private final AccountOperations accounts;

			OperationsController(AccountOperations accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> me(Authentication authentication) {
				return Map.of("result", authentication.getName());
			}

			@GetMapping(path = "/api/close", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> close() {
				return Map.of("result", this.accounts.close());
			}

			@GetMapping(path = "/api/privileged-path", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> privilegedPath() {
				return Map.of("result", "privileged");
			}

		}

	}

}
