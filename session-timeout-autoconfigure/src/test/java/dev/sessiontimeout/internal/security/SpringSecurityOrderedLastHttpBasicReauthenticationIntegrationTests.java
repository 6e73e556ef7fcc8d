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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ordinary application without privileged paths that orders Spring Security's filter
 * last ({@code spring.security.filter.order=2147483647}): the starter's filter after
 * Spring Security's chains, registered since e1872839, is capped at the same order. A
 * request that carries the session of a user due to authenticate again and HTTP Basic
 * credentials of another user is decided by that authentication, as with Spring Security
 * in its default order: served as the other user. Spring Session's map store;
 * re-authentication 1h.
 *
 * @author session-timeout
 */
@SpringBootTest(
		classes = SpringSecurityOrderedLastHttpBasicReauthenticationIntegrationTests.ReauthenticationApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.reauthentication=1h", "session-timeout.idle=1h",
				"spring.security.filter.order=2147483647", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class SpringSecurityOrderedLastHttpBasicReauthenticationIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(50)));
		assertThat(this.browser.get("/account/overview", TestBrowser.JSON).body()).contains("overview of user");
		// Re-authentication due (1h after the login), idle not reached
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
	}

	@Test
	void aRequestOfAnotherUserByHttpBasicIsServedAsThatUser() {
		String basic = "Basic " + Base64.getEncoder().encodeToString("other:password".getBytes(StandardCharsets.UTF_8));
		Response served = this.browser.get("/account/overview", TestBrowser.JSON, "Authorization", basic);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains("overview of other");
	}

	/**
	 * The application: one security filter chain of form login and HTTP Basic.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class ReauthenticationApplication {

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
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build(),
					User.withUsername("other").password("{noop}password").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.httpBasic(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			String overview(Authentication authentication) {
				return "overview of " + authentication.getName();
			}

		}

	}

}
