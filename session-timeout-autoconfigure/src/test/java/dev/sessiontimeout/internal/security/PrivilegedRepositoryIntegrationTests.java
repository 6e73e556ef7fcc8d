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
import java.util.List;
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
import org.springframework.data.annotation.Id;
import org.springframework.data.map.repository.config.EnableMapRepositories;
import org.springframework.data.repository.CrudRepository;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Data repository interface whose methods carry
 * {@link RequiresPrivilegedSession}: a query method of its own and a method of
 * {@code CrudRepository} that it declares again. Both are checked like the methods of any
 * bean.
 */
@SpringBootTest(classes = PrivilegedRepositoryIntegrationTests.RepositoryApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class PrivilegedRepositoryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	private Instant start;

	private TestBrowser browser;

	@BeforeEach
	void startBrowsing() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void privilegedRepositoryMethodsAreServedWithinTheirAgeAndChallengedAfter() {
		assertThat(this.browser.login("alice", "password").location()).doesNotContain("error");
		assertThat(this.browser.get("/api/find", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(this.browser.get("/api/delete", TestBrowser.JSON).status()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(11)));
		Response find = this.browser.get("/api/find", TestBrowser.JSON);
		assertThat(find.status()).as("a query method of the repository: %s", find).isEqualTo(401);
		Response delete = this.browser.get("/api/delete", TestBrowser.JSON);
		assertThat(delete.status()).as("a CrudRepository method declared again: %s", delete).isEqualTo(401);
	}

	static class Account {

		@Id
		String id;

		String owner;

	}

	interface Accounts extends CrudRepository<Account, String> {

		@RequiresPrivilegedSession(maxAge = "10m")
		List<Account> findByOwner(String owner);

		@Override
		@RequiresPrivilegedSession(maxAge = "10m")
		void deleteById(String id);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMapRepositories(considerNestedRepositories = true,
			basePackageClasses = PrivilegedRepositoryIntegrationTests.class,
			includeFilters = @org.springframework.context.annotation.ComponentScan.Filter(
					type = org.springframework.context.annotation.FilterType.ASSIGNABLE_TYPE, classes = Accounts.class))
	static class RepositoryApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((
					requests) -> requests.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class AccountController {

			private final Accounts accounts;

			AccountController(Accounts accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = "/api/find", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> find() {
				return Map.of("found", this.accounts.findByOwner("alice").size());
			}

			@GetMapping(path = "/api/delete", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> delete() {
				this.accounts.deleteById("1");
				return Map.of("deleted", "1");
			}

		}

	}

}
