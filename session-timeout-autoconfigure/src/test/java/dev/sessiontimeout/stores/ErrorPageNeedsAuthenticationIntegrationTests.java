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
package dev.sessiontimeout.stores;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose error page needs authentication, as Spring Boot's default security
 * ({@code anyRequest().authenticated()}) has it: Spring Security authorizes the error
 * dispatch too. A signed-in request whose decision fails (the application's policy
 * override fails at the adoption of a session without the starter's state) is answered by
 * the error page with its {@code 500}.
 */
@SpringBootTest(classes = ErrorPageNeedsAuthenticationIntegrationTests.ErrorPageApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ErrorPageNeedsAuthenticationIntegrationTests {

	static final String FAILING_OVERRIDE_HEADER = "X-Registry-Down";

	@LocalServerPort
	int port;

	@Autowired
	MapSessionRepository repository;

	@Test
	void aSignedInRequestWhoseDecisionFailsIsAnsweredByTheErrorPage() {
		TestBrowser browser = new TestBrowser(this.port);
		MapSession stored = signedInSessionInStore(browser);
		assertThat(stored.<Object>getAttribute(SessionAttributes.STATE)).isNotNull();
		stored.removeAttribute(SessionAttributes.STATE);
		this.repository.save(stored);
		TestBrowser.Response failed = browser.get("/api/me", TestBrowser.JSON, FAILING_OVERRIDE_HEADER, "on");
		assertThat(failed.status()).as("%s", failed).isEqualTo(500);
	}

	/**
	 * A browser's navigation whose decision fails is not served either: the store keeps
	 * the session's last access from before it (as where the error page needs no
	 * authentication, AbstractSpringSessionStoreIntegrationTests).
	 */
	@Test
	void aNavigationWhoseDecisionFailsSavesNothingOfItsSession() {
		TestBrowser browser = new TestBrowser(this.port);
		MapSession stored = signedInSessionInStore(browser);
		stored.removeAttribute(SessionAttributes.STATE);
		Instant lastAccess = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		stored.setLastAccessedTime(lastAccess);
		this.repository.save(stored);
		TestBrowser.Response failed = browser.get("/api/me", TestBrowser.HTML, FAILING_OVERRIDE_HEADER, "on");
		MapSession after = this.repository.findById(stored.getId());
		assertThat(after).as("session in the store after %s", failed).isNotNull();
		assertThat(after.getLastAccessedTime()).as("the store's last access after %s", failed).isEqualTo(lastAccess);
		assertThat(failed.status()).as("%s", failed).isEqualTo(500);
	}

	/**
	 * Sign the user in with the browser, have a request of the session served, and return
	 * the session as the store holds it.
	 */
	private MapSession signedInSessionInStore(TestBrowser browser) {
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		TestBrowser.Response served = browser.get("/api/me", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		String id = new String(Base64.getDecoder().decode(browser.cookie("SESSION")), StandardCharsets.UTF_8);
		MapSession stored = this.repository.findById(id);
		assertThat(stored).isNotNull();
		return stored;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class ErrorPageApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@Bean
		SessionPolicyOverride failingOverride() {
			return (policy, authentication, request) -> {
				if (request.getHeader(FAILING_OVERRIDE_HEADER) != null) {
					throw new IllegalStateException("The device registry is down");
				}
				return policy;
			};
		}

		/**
		 * As Spring Boot's default: every request, the error page's included, needs an
		 * authenticated user.
		 */
		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin((form) -> form.permitAll());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		MeController meController() {
			return new MeController();
		}

	}

	@RestController
	static class MeController {

		@GetMapping("/api/me")
		Map<String, String> me(Principal principal) {
			return Map.of("name", principal.getName());
		}

	}

}
