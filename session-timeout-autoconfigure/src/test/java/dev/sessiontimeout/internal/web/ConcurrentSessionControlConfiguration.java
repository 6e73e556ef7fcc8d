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
package dev.sessiontimeout.internal.web;

import java.util.Arrays;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;

/**
 * What the applications of the tests of Spring Security's concurrent-session control
 * share: the starter's clock, {@code sessionTimeoutClock}, for the tests to move, the
 * pages {@code /api/me} and {@code /api/privileged}, which answer the user's name, and
 * the {@link #limit security filter chain} and {@link #users users} they declare.
 */
@Configuration(proxyBeanMethods = false)
class ConcurrentSessionControlConfiguration {

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	/**
	 * Form login (CSRF off, so that a test signs in with one {@code POST}) in front of
	 * every request but the login and error pages, and at most the given number of
	 * sessions a user, counted by the registry; a login beyond them is refused.
	 * @param http the security builder
	 * @param sessionRegistry the registry
	 * @param maximumSessions the number of sessions a user may have
	 * @return the chain
	 * @throws Exception if the chain cannot be built
	 */
	static SecurityFilterChain limit(HttpSecurity http, SessionRegistry sessionRegistry, int maximumSessions)
			throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated());
		http.formLogin(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.disable());
		http.sessionManagement((sessions) -> sessions.maximumSessions(maximumSessions)
			.maxSessionsPreventsLogin(true)
			.sessionRegistry(sessionRegistry));
		return http.build();
	}

	/**
	 * Users of the role {@code USER}, each with the password {@code password}.
	 * @param names their names
	 * @return the users
	 */
	static InMemoryUserDetailsManager users(String... names) {
		return new InMemoryUserDetailsManager(Arrays.stream(names)
			.map((name) -> User.withUsername(name).password("{noop}password").roles("USER").build())
			.toList());
	}

	@RestController
	static class MeController {

		@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> me(Authentication authentication) {
			return Map.of("name", authentication.getName());
		}

		@GetMapping(path = "/api/privileged", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> privileged(Authentication authentication) {
			return Map.of("name", authentication.getName());
		}

	}

}
