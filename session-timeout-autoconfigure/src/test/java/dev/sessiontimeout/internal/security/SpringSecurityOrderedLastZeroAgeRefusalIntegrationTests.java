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
 * Spring Security's filter ordered last
 * ({@code spring.security.filter.order=2147483647}), with a zero-age privileged path: the
 * starter's filter after Spring Security's chains is capped at the same order. A request
 * of the zero-age path that a URL rule refuses is refused, and its refusal must not spend
 * the grant, as with Spring Security in its default order. Spring Session's map store;
 * privileged max-age 0.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = SpringSecurityOrderedLastZeroAgeRefusalIntegrationTests.LateRewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=0", "session-timeout.privileged.paths=/account/transfer",
				"spring.security.filter.order=2147483647", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class SpringSecurityOrderedLastZeroAgeRefusalIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void aZeroAgePathThatAUrlRuleRefusesLeavesTheGrant() {
		Response refused = this.browser.get("/account/transfer", TestBrowser.JSON, "X-Refuse", "yes");
		assertThat(refused.status()).as("%s", refused).isEqualTo(403);
		Response transfer = this.browser.get("/account/transfer", TestBrowser.JSON);
		assertThat(transfer.status()).as("the grant is still there: %s", transfer).isEqualTo(200);
		assertThat(transfer.body()).contains("served: transfer of user");
	}

	/**
	 * The application: one security filter chain of form login, {@code /open/**} ignored,
	 * and a filter in the default order that rewrites {@code /open/moved}.
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
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers((request) -> request.getHeader("X-Refuse") != null)
						.denyAll()
						.anyRequest()
						.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		WebSecurityCustomizer ignoredPaths() {
			return (web) -> web.ignoring().requestMatchers("/open/**");
		}

		/**
		 * Rewrites {@code /open/moved}, in the default order of a registration.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			return new FilterRegistrationBean<>(new RewritingFilter(Map.of("/open/moved", "/open/page")));
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String open() {
				return "served: open";
			}

			@GetMapping(path = "/open/page", produces = MediaType.APPLICATION_JSON_VALUE)
			String page() {
				return "served: page";
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String transfer(Authentication authentication) {
				return "served: transfer of " + authentication.getName();
			}

		}

	}

}
