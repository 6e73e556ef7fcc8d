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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequiresPrivilegedSession} and privileged paths in a session whose user switched
 * to another with Spring Security's {@link SwitchUserFilter}: the switch proves no
 * factor, so it must not make a session privileged that was not. Spring Session's map
 * store, privileged age 15m, a remember-me policy with the same privileged age.
 */
@SpringBootTest(classes = SwitchUserPrivilegedIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=8h", "session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/privileged-path", "session-timeout.policies[0].name=remembered",
				"session-timeout.policies[0].remember-me=true" })
class SwitchUserPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED = Duration.ofMinutes(15);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	TestBrowser browser;

	Instant start;

	@BeforeEach
	void resetClockAndBrowser() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void anAdministratorRememberedByACookieIsNotPrivilegedAfterSwitchingToACustomer() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "admin");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).isNotNull();
		// Days later, a browser that holds only the remember-me cookie (a stolen one,
		// say)
		TestBrowser remembered = new TestBrowser(this.port);
		remembered.setCookie("remember-me", rememberMe);
		this.clock.fixAt(this.start.plus(Duration.ofDays(2)));
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("admin");
		assertChallenged(remembered.get("/api/close", TestBrowser.JSON));
		assertChallenged(remembered.get("/api/privileged-path", TestBrowser.JSON));
		Response switched = remembered.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		// Nobody proved a factor since the remember-me cookie: still never privileged
		assertChallenged(remembered.get("/api/close", TestBrowser.JSON));
		assertChallenged(remembered.get("/api/privileged-path", TestBrowser.JSON));
	}

	/**
	 * An administrator remembered by a cookie who switches to a customer is still
	 * remembered: the session keeps the policy of remember-me logins, which the
	 * customer's switched authentication, no remember-me one itself, would not choose.
	 */
	@Test
	void anAdministratorRememberedByACookieKeepsTheRememberMePolicyAfterSwitchingToACustomer() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "admin");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).isNotNull();
		TestBrowser remembered = new TestBrowser(this.port);
		remembered.setCookie("remember-me", rememberMe);
		this.clock.fixAt(this.start.plus(Duration.ofDays(2)));
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("admin");
		assertThat(remembered.get("/session/status", TestBrowser.JSON).jsonString("policy")).isEqualTo("remembered");
		Response switched = remembered.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		assertThat(remembered.get("/session/status", TestBrowser.JSON).jsonString("policy")).isEqualTo("remembered");
	}

	@Test
	void aSwitchOfUserDoesNotRefreshAStaleAuthentication() {
		assertThat(this.browser.login("admin", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		Response switched = this.browser.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/privileged-path", TestBrowser.JSON));
		Response back = this.browser.post("/impersonate/exit", Map.of(), TestBrowser.HTML);
		assertThat(back.status()).as("%s", back).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("admin");
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/privileged-path", TestBrowser.JSON));
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
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
	static class SwitchUserApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

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
