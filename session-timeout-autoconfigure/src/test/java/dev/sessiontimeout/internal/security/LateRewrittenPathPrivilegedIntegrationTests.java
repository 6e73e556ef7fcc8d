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
 * A filter of the application that rewrites an ordinary path to a privileged one, in the
 * order a {@code FilterRegistrationBean} (or a {@code Filter} bean) has unless told
 * otherwise, the lowest precedence: after Spring Security's filter chain and after the
 * starter's filter that follows it. The rewritten path is what the handler serves, so it
 * is judged as a request of it is, once the privileged age passed, whether a security
 * filter chain covers it ({@code /account/**}) or not ({@code /open/**} ignored). Spring
 * Session's map store; privileged age 15m.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = LateRewrittenPathPrivilegedIntegrationTests.LateRewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/open/transfer,/account/transfer",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class LateRewrittenPathPrivilegedIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
	}

	@Test
	void theIgnoredPrivilegedPathItselfIsChallenged() {
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenLateToAnIgnoredPrivilegedPathIsChallenged() {
		assertChallenged("/alias/open");
	}

	@Test
	void anOrdinaryPathRewrittenLateToACoveredPrivilegedPathIsChallenged() {
		assertChallenged("/alias/account");
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("served");
	}

	/**
	 * The application: one security filter chain of form login, {@code /open/**} ignored,
	 * and a filter in the default order that rewrites the {@code /alias/*} paths.
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
		 * Rewrites the {@code /alias/*} paths, in the default order of a registration.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			return new FilterRegistrationBean<>(new RewritingFilter(
					Map.of("/alias/open", "/open/transfer", "/alias/account", "/account/transfer")));
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String open() {
				return "served: open";
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String transfer(Authentication authentication) {
				return "served: transfer of " + authentication.getName();
			}

		}

	}

}
