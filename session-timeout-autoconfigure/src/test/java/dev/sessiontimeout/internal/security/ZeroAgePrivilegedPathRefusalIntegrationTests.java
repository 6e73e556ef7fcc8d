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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

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
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path with a maximum age of zero, whose request Spring Security refuses
 * after the starter decided it (a missing CSRF token): the refused request must not spend
 * the one-use grant of the login, which the next, valid, request needs.
 */
@SpringBootTest(classes = ZeroAgePrivilegedPathRefusalIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=0", "session-timeout.privileged.paths=/api/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ZeroAgePrivilegedPathRefusalIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	private TestBrowser browser;

	@BeforeEach
	void startBrowsing() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void aRequestThatTheCsrfFilterRefusesDoesNotSpendTheGrantOfAMaxAgeOfZero() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		Response csrf = this.browser.get("/api/csrf", TestBrowser.JSON);
		assertThat(csrf.status()).as("%s", csrf).isEqualTo(200);
		String token = csrf.jsonString("token");
		Response forged = this.browser.post("/api/transfer", Map.of(), TestBrowser.JSON);
		assertThat(forged.status()).as("without its CSRF token: %s", forged).isEqualTo(403);
		Response transfer = this.browser.post("/api/transfer", Map.of(), TestBrowser.JSON, "X-CSRF-TOKEN", token);
		assertThat(transfer.status()).as("with its CSRF token, after the refused one: %s", transfer).isEqualTo(200);
		Response again = this.browser.post("/api/transfer", Map.of(), TestBrowser.JSON, "X-CSRF-TOKEN", token);
		assertThat(again.status()).as("the grant is used once: %s", again).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CsrfApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((
					requests) -> requests.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.ignoringRequestMatchers("/login"));
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class TransferController {

			@GetMapping(path = "/api/csrf", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> csrf(CsrfToken token) {
				return Map.of("token", token.getToken());
			}

			@PostMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> transfer() {
				return Map.of("result", "transferred 10");
			}

		}

	}

}
