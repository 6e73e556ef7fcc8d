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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.rememberme.TokenBasedRememberMeServices;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remember-me login is dated from before its token check: as the remember-me services
 * check a request's cookie, the clocks have noted when the request reached them
 * ({@link ServletSessionClocks#begin}), whether the services are Spring Security's
 * {@code AbstractRememberMeServices} (their cookie known) or services of the
 * application's own (their cookie not known). A revocation that removes the token after
 * the check thus ends the login (the stores' tests).
 *
 * @author session-timeout
 */
@SpringBootTest(classes = RememberMeLoginDatingIntegrationTests.DatingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session-timeout.absolute=2h",
				"session-timeout.idle=30m", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class RememberMeLoginDatingIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Probes probes;

	@BeforeEach
	void clearProbes() {
		this.probes.clear();
	}

	@Test
	void aRememberMeCookieOfKnownServicesIsCheckedWithTheRequestNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie("keep-me", "not-a-token");
		browser.get("/known/open", TestBrowser.JSON);
		assertThat(this.probes.at("known services")).as("noted as the services checked the cookie")
			.containsExactly(true);
	}

	@Test
	void aRememberMeCookieOfServicesOfTheirOwnIsCheckedWithTheRequestNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie("own-me", "not-a-token");
		browser.get("/own/open", TestBrowser.JSON);
		assertThat(this.probes.at("own services")).as("noted as the services checked the cookie").containsExactly(true);
	}

	@Test
	void aRequestWithoutTheRememberMeCookieIsNotNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie("own-me", "not-a-token");
		browser.get("/known/open", TestBrowser.JSON);
		assertThat(this.probes.at("known services")).as("checked by the services").containsExactly(false);
		assertThat(this.probes.at("/known/open")).as("noted at the application").containsExactly(false);
	}

	@Test
	void aRequestOfAChainWithoutRememberMeIsNotNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie("keep-me", "not-a-token");
		browser.get("/plain/open", TestBrowser.JSON);
		assertThat(this.probes.at("/plain/open")).as("noted at the application").containsExactly(false);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class DatingApplication {

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
		Probes probes(ServletSessionClocks clocks) {
			return new Probes(clocks);
		}

		@Bean
		@Order(1)
		SecurityFilterChain knownServicesChain(HttpSecurity http, InMemoryUserDetailsManager users, Probes probes) {
			http.securityMatcher("/known/**");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(new ProbedServices(users, probes)));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain ownServicesChain(HttpSecurity http, InMemoryUserDetailsManager users, Probes probes) {
			http.securityMatcher("/own/**");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(new OwnServices(users, probes)));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(3)
		SecurityFilterChain plainChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		OpenController openController(Probes probes) {
			return new OpenController(probes);
		}

	}

	/**
	 * Notes whether the clocks had noted the current request's beginning, without
	 * changing what they noted.
	 */
	static final class Probes {

		private final ServletSessionClocks clocks;

		private final Map<String, List<Boolean>> probes = new ConcurrentHashMap<>();

		Probes(ServletSessionClocks clocks) {
			this.clocks = clocks;
		}

		void probe(String where) {
			UserRevocations.Begun noted = this.clocks.begin();
			this.clocks.ended(noted);
			this.probes.computeIfAbsent(where, (key) -> new CopyOnWriteArrayList<>()).add(noted != null);
		}

		List<Boolean> at(String where) {
			return this.probes.getOrDefault(where, List.of());
		}

		void clear() {
			this.probes.clear();
		}

	}

	/**
	 * Spring Security's services, whose cookie the starter knows.
	 */
	static final class ProbedServices extends TokenBasedRememberMeServices {

		private final Probes probes;

		ProbedServices(UserDetailsService users, Probes probes) {
			super("key", users);
			setCookieName("keep-me");
			this.probes = probes;
		}

		@Override
		public @Nullable Authentication autoLogin(HttpServletRequest request, HttpServletResponse response) {
			this.probes.probe("known services");
			return super.autoLogin(request, response);
		}

	}

	/**
	 * Services of the application's own, whose cookie the starter does not know.
	 */
	static final class OwnServices implements RememberMeServices {

		private final TokenBasedRememberMeServices delegate;

		private final Probes probes;

		OwnServices(UserDetailsService users, Probes probes) {
			this.delegate = new TokenBasedRememberMeServices("key", users);
			this.delegate.setCookieName("own-me");
			this.probes = probes;
		}

		@Override
		public @Nullable Authentication autoLogin(HttpServletRequest request, HttpServletResponse response) {
			this.probes.probe("own services");
			return this.delegate.autoLogin(request, response);
		}

		@Override
		public void loginFail(HttpServletRequest request, HttpServletResponse response) {
			this.delegate.loginFail(request, response);
		}

		@Override
		public void loginSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication successfulAuthentication) {
			this.delegate.loginSuccess(request, response, successfulAuthentication);
		}

	}

	@RestController
	static class OpenController {

		private final Probes probes;

		OpenController(Probes probes) {
			this.probes = probes;
		}

		@GetMapping({ "/known/open", "/own/open", "/plain/open" })
		Map<String, String> open(HttpServletRequest request) {
			this.probes.probe(request.getRequestURI());
			return Map.of("open", "yes");
		}

	}

}
