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

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ordinary path whose request a filter of the application rewrites, between the
 * starter's filter and Spring Security's, to a privileged path that no security filter
 * chain covers: {@code /open/**} is ignored ({@code web.ignoring()}), {@code /side/**} is
 * left out by the only chain's {@code securityMatcher}. The rewritten path is judged as a
 * request of it is, though no chain's filter of the starter sees it: challenged once the
 * privileged age passed, with the answer a request of that path gets. Spring Session's
 * map store; privileged age 15m.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = UncoveredRewrittenPathPrivilegedIntegrationTests.UncoveredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/open/transfer,/side/transfer,/alias/transfer,/account/transfer",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class UncoveredRewrittenPathPrivilegedIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void anOrdinaryPathRewrittenToAnIgnoredPrivilegedPathIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		Response direct = assertChallenged("/open/transfer");
		Response rewritten = assertChallenged("/alias/open");
		assertThat(rewritten.header("WWW-Authenticate")).isEqualTo(direct.header("WWW-Authenticate"));
	}

	@Test
	void anOrdinaryPathRewrittenToAPrivilegedPathNoChainMatchesIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		Response direct = assertChallenged("/side/transfer");
		Response rewritten = assertChallenged("/alias/side");
		assertThat(rewritten.header("WWW-Authenticate")).isEqualTo(direct.header("WWW-Authenticate"));
	}

	@Test
	void anOrdinaryPathRewrittenToAnUncoveredPrivilegedPathIsServedWithinThePrivilegedAge() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(5)));
		assertServed("/alias/open", "served: open");
		assertServed("/alias/side", "served: side");
	}

	@Test
	void anOrdinaryPathRewrittenToACoveredPrivilegedPathIsStillChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(5)));
		assertServed("/alias/account", "served: transfer of user");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertChallenged("/alias/account");
	}

	@Test
	void aCoveredPrivilegedPathRewrittenToAnUncoveredOneIsChallenged() {
		// The decision left the challenge of /alias/transfer to a chain that never
		// sees the request: its rewritten path is ignored
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/transfer");
	}

	@Test
	void aChallengedRewrittenPathIsNoActivity() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/open");
		// Idle 30m from the login: the challenged request moved nothing
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(11)));
		Response ended = this.browser.get("/account/overview", TestBrowser.JSON);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"").doesNotContain("overview of user");
	}

	private void assertServed(String path, String content) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains(content);
	}

	private Response assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("served");
		assertThat(challenged.header("WWW-Authenticate")).contains("insufficient_user_authentication");
		return challenged;
	}

	/**
	 * The application: one security filter chain of form login that leaves
	 * {@code /side/**} out, {@code /open/**} ignored, and a filter that rewrites the
	 * {@code /alias/*} paths ahead of Spring Security.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class UncoveredApplication {

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
			http.securityMatcher(new NegatedRequestMatcher(PathPatternRequestMatcher.pathPattern("/side/**")));
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
		 * Rewrites the {@code /alias/*} paths, after the starter's filter and ahead of
		 * Spring Security.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			FilterRegistrationBean<RewritingFilter> registration = new FilterRegistrationBean<>(
					new RewritingFilter(Map.of("/alias/open", "/open/transfer", "/alias/side", "/side/transfer",
							"/alias/transfer", "/open/transfer", "/alias/account", "/account/transfer")));
			registration.setOrder(-1000);
			return registration;
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String open() {
				return "served: open";
			}

			@GetMapping(path = "/side/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String side() {
				return "served: side";
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String transfer(Authentication authentication) {
				return "served: transfer of " + authentication.getName();
			}

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			String overview(Authentication authentication) {
				return "overview of " + authentication.getName();
			}

		}

	}

	/**
	 * Rewrites the paths it maps to others.
	 */
	static class RewritingFilter extends OncePerRequestFilter {

		private final Map<String, String> rewrites;

		RewritingFilter(Map<String, String> rewrites) {
			this.rewrites = rewrites;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			String to = this.rewrites.get(path);
			if (to == null) {
				chain.doFilter(request, response);
				return;
			}
			HttpServletRequest moved = new HttpServletRequestWrapper(request) {

				@Override
				public String getRequestURI() {
					return request.getContextPath() + to;
				}

				@Override
				public String getServletPath() {
					return to;
				}

				@Override
				public StringBuffer getRequestURL() {
					StringBuffer url = request.getRequestURL();
					return new StringBuffer(url.substring(0, url.length() - path.length())).append(to);
				}

			};
			Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
			ServletRequestPathUtils.clearParsedRequestPath(moved);
			try {
				ServletRequestPathUtils.parseAndCache(moved);
				chain.doFilter(moved, response);
			}
			finally {
				moved.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
			}
		}

	}

}
