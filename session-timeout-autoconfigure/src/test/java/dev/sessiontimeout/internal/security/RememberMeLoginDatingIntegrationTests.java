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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationException;
import org.springframework.security.web.authentication.rememberme.TokenBasedRememberMeServices;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.testsupport.MutableClock;
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

	@Autowired
	HeaderServices headerServices;

	@Autowired
	InMemoryUserDetailsManager users;

	@Autowired
	UserSessions userSessions;

	@Autowired
	MutableClock clock;

	@BeforeEach
	void clearProbes() {
		this.probes.clear();
		this.headerServices.afterCheck = null;
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
		assertThat(this.probes.at("known services")).as("checked by the services").isEmpty();
		assertThat(this.probes.at("/known/open")).as("noted at the application").containsExactly(false);
	}

	@Test
	void aRequestOfAChainWithoutRememberMeIsNotNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie("keep-me", "not-a-token");
		browser.get("/plain/open", TestBrowser.JSON);
		assertThat(this.probes.at("/plain/open")).as("noted at the application").containsExactly(false);
	}

	/**
	 * Spring Security's {@code AbstractRememberMeServices} whose {@code autoLogin} of
	 * their own reads a token from a header (a mobile client's) rather than the cookie,
	 * and hands on to Spring Security's own for the cookie: a request with the header and
	 * without the cookie is signed in by remember-me as well, so it must be noted before
	 * its token check too.
	 */
	@Test
	void aRememberMeTokenThatAnAutoLoginOfTheServicesOwnReadsFromAHeaderIsCheckedWithTheRequestNoted() {
		TestBrowser browser = new TestBrowser(this.port);
		browser.get("/header/open", TestBrowser.JSON, HeaderServices.HEADER, "not-a-token");
		assertThat(this.probes.at("header services")).as("noted as the services checked the header's token")
			.containsExactly(true);
	}

	/**
	 * SPEC section 10 (a revoked session is never served), for the services above: a
	 * remember-me login from a header whose token is checked before a revocation of all
	 * of its user's sessions, and recorded after the revocation recorded itself and read
	 * the user's sessions (the login's was not among them yet), is not served after its
	 * request. Dated when it is recorded, rather than from before its token check, the
	 * login reads as after the revocation, which spares it.
	 */
	@Test
	void aRememberMeLoginFromAHeaderWhoseTokenWasCheckedBeforeTheRevocationIsNotServedAfterIt() {
		String token = tokenOf("user");
		this.headerServices.afterCheck = () -> {
			this.clock.shift(Duration.ofMillis(1));
			this.userSessions.revokeAll("user");
			this.clock.shift(Duration.ofMillis(1));
		};
		TestBrowser thief = new TestBrowser(this.port);
		thief.get("/header/me", TestBrowser.JSON, HeaderServices.HEADER, token);
		assertThat(this.headerServices.afterCheck).as("the revocation ran after the token check").isNull();
		assertThat(thief.cookie("SESSION")).as("the thief's session cookie").isNotNull();
		TestBrowser.Response after = thief.get("/header/me", TestBrowser.JSON);
		assertThat(after.status()).as("the thief's session after the revocation: %s", after).isEqualTo(401);
	}

	private String tokenOf(String username) {
		TokenBasedRememberMeServices services = new TokenBasedRememberMeServices("key", this.users);
		services.setAlwaysRemember(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		UserDetails user = this.users.loadUserByUsername(username);
		services.loginSuccess(new MockHttpServletRequest(), response,
				UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
		return response.getCookie("remember-me").getValue();
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
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		HeaderServices headerServices(InMemoryUserDetailsManager users, Probes probes) {
			return new HeaderServices(users, probes);
		}

		@Bean
		@Order(0)
		SecurityFilterChain headerServicesChain(HttpSecurity http, HeaderServices headerServices) {
			http.securityMatcher("/header/**");
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/header/open").permitAll().anyRequest().authenticated());
			http.rememberMe((rememberMe) -> rememberMe.rememberMeServices(headerServices));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
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
	 * Spring Security's services, whose cookie the starter knows, probed as they decode
	 * the cookie (only a request with it): an {@code autoLogin} of their own would read
	 * as services that read their token themselves.
	 */
	static final class ProbedServices extends TokenBasedRememberMeServices {

		private final Probes probes;

		ProbedServices(UserDetailsService users, Probes probes) {
			super("key", users);
			setCookieName("keep-me");
			this.probes = probes;
		}

		@Override
		protected String[] decodeCookie(String cookieValue) {
			this.probes.probe("known services");
			return super.decodeCookie(cookieValue);
		}

	}

	/**
	 * Spring Security's services with an {@code autoLogin} of their own, which reads a
	 * token from a header first (no {@code extractRememberMeCookie} of their own): the
	 * starter knows their cookie.
	 */
	static final class HeaderServices extends TokenBasedRememberMeServices {

		static final String HEADER = "X-Remember-Me";

		private final Probes probes;

		volatile @Nullable Runnable afterCheck;

		HeaderServices(UserDetailsService users, Probes probes) {
			super("key", users);
			setCookieName("head-me");
			this.probes = probes;
		}

		@Override
		public @Nullable Authentication autoLogin(HttpServletRequest request, HttpServletResponse response) {
			String token = request.getHeader(HEADER);
			if (token == null) {
				return super.autoLogin(request, response);
			}
			this.probes.probe("header services");
			UserDetails user;
			try {
				user = processAutoLoginCookie(decodeCookie(token), request, response);
			}
			catch (RememberMeAuthenticationException | UsernameNotFoundException ex) {
				return null;
			}
			Runnable afterCheck = this.afterCheck;
			this.afterCheck = null;
			if (afterCheck != null) {
				afterCheck.run();
			}
			return createSuccessfulAuthentication(request, user);
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

		@GetMapping("/header/me")
		Map<String, String> me(Authentication authentication) {
			return Map.of("user", authentication.getName());
		}

		@GetMapping({ "/known/open", "/own/open", "/plain/open", "/header/open" })
		Map<String, String> open(HttpServletRequest request) {
			this.probes.probe(request.getRequestURI());
			return Map.of("open", "yes");
		}

	}

}
