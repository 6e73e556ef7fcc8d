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
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.internal.security.UncoveredRewrittenPathPrivilegedIntegrationTests.RewritingFilter;
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Privileged paths with a maximum age of zero (one use of the login's grant) and a filter
 * of the application that rewrites paths in the order a {@code FilterRegistrationBean}
 * has unless told otherwise, the lowest precedence: after Spring Security's filter chain
 * and the starter's filter that follows it. An ordinary or a zero-age path rewritten to a
 * zero-age one spends the grant once, as a request of that path does, and so does a
 * zero-age path whose handler fails, whether a security filter chain covers it
 * ({@code /account/**}) or not ({@code /open/**} ignored). A zero-age path rewritten that
 * late to an ordinary one spends the grant too (fail closed): it is claimed before the
 * late rewrite, and claiming it only right before the handler would leave what the
 * application answers itself, before the handler or without one, unclaimed or open to a
 * second request on one grant. Spring Session's map store.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = LateRewrittenZeroAgePathToOrdinaryIntegrationTests.LateRewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/open/transfer,/open/moved,/open/relay,/open/failing,"
						+ "/account/transfer,/account/moved,/account/relay,/account/failing",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class LateRewrittenZeroAgePathToOrdinaryIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void anIgnoredZeroAgePathRewrittenLateToAnOrdinaryOneSpendsTheGrant() {
		// Fail closed: the grant is claimed before the late rewrite
		assertServed("/open/moved", "page: open");
		assertChallenged("/open/transfer");
	}

	@Test
	void aCoveredZeroAgePathRewrittenLateToAnOrdinaryOneSpendsTheGrant() {
		// Fail closed: the chain claims the grant before the late rewrite
		assertServed("/account/moved", "page of user");
		assertChallenged("/account/transfer");
	}

	@Test
	void anIgnoredZeroAgePathRewrittenLateToAZeroAgeOneSpendsTheGrantOnce() {
		assertServed("/open/relay", "served: open");
		assertChallenged("/open/relay");
		assertChallenged("/open/transfer");
	}

	@Test
	void aCoveredZeroAgePathRewrittenLateToAZeroAgeOneSpendsTheGrantOnce() {
		assertServed("/account/relay", "served: transfer of user");
		assertChallenged("/account/relay");
		assertChallenged("/account/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenLateToAnIgnoredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/alias/open", "served: open");
		assertChallenged("/alias/open");
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenLateToACoveredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/alias/account", "served: transfer of user");
		assertChallenged("/alias/account");
		assertChallenged("/account/transfer");
	}

	@Test
	void anIgnoredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/open/transfer", "served: open");
		assertChallenged("/open/transfer");
		assertChallenged("/account/transfer");
	}

	@Test
	void aCoveredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/account/transfer", "served: transfer of user");
		assertChallenged("/account/transfer");
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPageSpendsNothing() {
		assertServed("/open/page", "page: open");
		assertServed("/account/page", "page of user");
		assertServed("/account/transfer", "served: transfer of user");
	}

	@Test
	void anIgnoredZeroAgePathWhoseHandlerFailsSpendsTheGrant() {
		assertFailed("/open/failing");
		assertChallenged("/open/transfer");
	}

	@Test
	void aCoveredZeroAgePathWhoseHandlerFailsSpendsTheGrant() {
		assertFailed("/account/failing");
		assertChallenged("/account/transfer");
	}

	private void assertServed(String path, String content) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s: %s", path, served).isEqualTo(200);
		assertThat(served.body()).contains(content);
	}

	private void assertFailed(String path) {
		Response failed = this.browser.get(path, TestBrowser.JSON);
		assertThat(failed.status()).as("%s: %s", path, failed).isEqualTo(500);
		assertThat(failed.body()).doesNotContain("served");
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("the grant is used once, %s: %s", path, challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("served");
	}

	/**
	 * The application: one security filter chain of form login, {@code /open/**} ignored,
	 * and a filter in the default order that rewrites paths.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class LateRewritingApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		WebSecurityCustomizer ignoredPaths() {
			return (web) -> web.ignoring().requestMatchers("/open/**");
		}

		/**
		 * Rewrites paths, in the default order of a registration.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			return new FilterRegistrationBean<>(new RewritingFilter(Map.of("/open/moved", "/open/page",
					"/account/moved", "/account/page", "/open/relay", "/open/transfer", "/account/relay",
					"/account/transfer", "/alias/open", "/open/transfer", "/alias/account", "/account/transfer")));
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String open() {
				return "served: open";
			}

			@GetMapping(path = "/open/page", produces = MediaType.APPLICATION_JSON_VALUE)
			String openPage() {
				return "page: open";
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String transfer(Authentication authentication) {
				return "served: transfer of " + authentication.getName();
			}

			@GetMapping(path = "/account/page", produces = MediaType.APPLICATION_JSON_VALUE)
			String page(Authentication authentication) {
				return "page of " + authentication.getName();
			}

			@GetMapping(path = { "/open/failing", "/account/failing" }, produces = MediaType.APPLICATION_JSON_VALUE)
			String failing() {
				throw new IllegalStateException("failing");
			}

		}

	}

}
