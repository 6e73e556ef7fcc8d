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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
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
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
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
 * A due re-authentication, without privileged paths: an ordinary path that needs the
 * user, whose request a filter of the application rewrites (between the starter's filter
 * and Spring Security's) to a path that {@code web.ignoring()} leaves to no security
 * filter chain. The session's decision leaves the challenge to the chain of the path it
 * judged, which never runs; the request is then either challenged or served without the
 * user, as a request of the ignored path itself is, never with the user who must
 * authenticate again. Spring Session's map store; re-authentication 1h.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = UncoveredRewrittenPathReauthenticationIntegrationTests.ReauthenticationApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.reauthentication=1h", "session-timeout.idle=1h",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class UncoveredRewrittenPathReauthenticationIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(50)));
		assertThat(this.browser.get("/account/overview", TestBrowser.JSON).body()).contains("overview of user");
		// Re-authentication due (1h after the login), idle not reached
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
	}

	@Test
	void aPathThatNeedsTheUserIsChallenged() {
		Response challenged = this.browser.get("/account/overview", TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"reauthentication\"");
	}

	@Test
	void anIgnoredPathIsServedWithoutTheUser() {
		Response served = this.browser.get("/open/me", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains("session user: none");
	}

	@Test
	void aPathRewrittenToAnIgnoredOneIsNeverServedWithTheUser() {
		Response rewritten = this.browser.get("/alias/me", TestBrowser.JSON);
		assertThat(rewritten.body()).as("%s", rewritten).doesNotContain("session user: user");
		if (rewritten.status() != 401) {
			assertThat(rewritten.body()).as("%s", rewritten).contains("session user: none");
		}
	}

	/**
	 * The application: one security filter chain of form login, {@code /open/**} ignored,
	 * and a filter that rewrites {@code /alias/me} ahead of Spring Security.
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

		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			FilterRegistrationBean<RewritingFilter> registration = new FilterRegistrationBean<>(
					new RewritingFilter(Map.of("/alias/me", "/open/me")));
			registration.setOrder(-1000);
			return registration;
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/me", produces = MediaType.APPLICATION_JSON_VALUE)
			String me(HttpServletRequest request) {
				HttpSession session = request.getSession(false);
				Object context = (session != null)
						? session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) : null;
				Authentication user = (context instanceof SecurityContext security) ? security.getAuthentication()
						: null;
				return "session user: " + ((user != null) ? user.getName() : "none");
			}

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			String overview(Authentication authentication) {
				return "overview of " + authentication.getName();
			}

		}

	}

}
