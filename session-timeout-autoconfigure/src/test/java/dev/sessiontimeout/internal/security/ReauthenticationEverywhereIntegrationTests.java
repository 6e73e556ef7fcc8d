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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-authentication covers every protection, not only URL rules: an application whose URL
 * rules permit everything and whose service asks for an authenticated user with
 * {@code @PreAuthorize}, through the real filter chain on Spring Session's map store.
 * Once re-authentication is due, requests run as unauthenticated ones (public pages show
 * their anonymous view), and the service's refusal becomes the re-authentication
 * challenge; the session and its attributes are kept, and only the same user meets the
 * challenge. Re-authentication 45m, idle 30m.
 */
@SpringBootTest(classes = ReauthenticationEverywhereIntegrationTests.PermitAllApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session-timeout.reauthentication=45m",
				"session-timeout.idle=30m", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class ReauthenticationEverywhereIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signInAndFillTheCart() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		assertThat(this.browser.post("/api/cart", Map.of("item", "book"), TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(25));
		assertThat(this.browser.get("/greeting", TestBrowser.JSON).body()).contains("Hello user");
		assertThat(this.browser.get("/api/greeting-later", TestBrowser.JSON).body()).contains("\"viewer\":\"user\"");
		assertThat(this.browser.get("/api/balance", TestBrowser.JSON).body()).contains("balance of user");
		assertThat(this.browser.get("/api/statement", TestBrowser.JSON, "X-Statement", "pdf").body())
			.contains("statement of user");
		shiftBy(Duration.ofMinutes(20));
	}

	@Test
	void aDueReauthenticationRunsRequestsUnauthenticatedAndChallengesWhatAsksForAUser() {
		Response greeting = this.browser.get("/greeting", TestBrowser.JSON);
		assertThat(greeting.status()).as("%s", greeting).isEqualTo(200);
		assertThat(greeting.body()).as("a public page's anonymous view").contains("Hello anonymous");
		Response balance = this.browser.get("/api/balance", TestBrowser.JSON);
		assertThat(balance.status()).as("%s", balance).isEqualTo(401);
		assertThat(balance.body()).contains("\"reason\":\"reauthentication\"").doesNotContain("balance of");
		assertThat(balance.header("WWW-Authenticate")).contains("insufficient_user_authentication", "max_age=2700");
		assertThat(this.browser.get("/api/cart", TestBrowser.JSON).body()).as("the session is kept").contains("book");
	}

	@Test
	void aUrlRuleOnAHeaderThatAsksForAUserGetsTheReauthenticationChallenge() {
		Response statement = this.browser.get("/api/statement", TestBrowser.JSON, "X-Statement", "pdf");
		assertThat(statement.status()).as("%s", statement).isEqualTo(401);
		assertThat(statement.body()).contains("\"reason\":\"reauthentication\"").doesNotContain("statement of");
		assertThat(statement.header("WWW-Authenticate")).contains("insufficient_user_authentication", "max_age=2700");
		Response page = this.browser.get("/api/statement", TestBrowser.HTML, "X-Statement", "pdf");
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=reauthentication");
	}

	@Test
	void requestsRefusedForWantOfTheUserDoNotCountAsActivity() {
		// Last activity 20 minutes ago, idle 30m: refused by method security, then by a
		// URL rule the filter cannot evaluate ahead (on a header)
		assertThat(this.browser.get("/api/balance", TestBrowser.JSON).status()).isEqualTo(401);
		shiftBy(Duration.ofMinutes(5));
		assertThat(this.browser.get("/api/statement", TestBrowser.JSON, "X-Statement", "pdf").status()).isEqualTo(401);
		assertIdleDeadlineIn(Duration.ofMinutes(5));
	}

	@Test
	void anAsyncRequestRefusedForWantOfTheUserDoesNotCountAsActivity() {
		// Last activity 20 minutes ago, idle 30m: refused by method security on the
		// thread of a Callable, answered in its asynchronous dispatch
		Response balance = this.browser.get("/api/balance-later", TestBrowser.JSON);
		assertThat(balance.status()).as("%s", balance).isEqualTo(401);
		assertThat(balance.body()).contains("\"reason\":\"reauthentication\"");
		assertIdleDeadlineIn(Duration.ofMinutes(10));
	}

	@Test
	void requestsServedWithoutTheUserCountAsActivity() {
		assertThat(this.browser.get("/greeting", TestBrowser.JSON).body()).contains("Hello anonymous");
		shiftBy(Duration.ofMinutes(29));
		assertThat(this.browser.get("/greeting", TestBrowser.JSON).body()).contains("Hello anonymous");
		shiftBy(Duration.ofMinutes(29));
		assertThat(this.browser.get("/api/cart", TestBrowser.JSON).body()).contains("book");
	}

	@Test
	void anAsyncResultIsWrittenForTheUnauthenticatedRequestItAnswers() {
		Response greeting = this.browser.get("/api/greeting-later", TestBrowser.JSON);
		assertThat(greeting.status()).as("%s", greeting).isEqualTo(200);
		assertThat(greeting.body()).contains("\"viewer\":\"anonymous\"").doesNotContain("\"viewer\":\"user\"");
	}

	@Test
	void aBrowserIsSentToLogInAgainAndComesBackWithItsSession() {
		Response page = this.browser.get("/balance", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=reauthentication");
		Response login = this.browser.login("user", "password");
		assertThat(login.location()).as("%s", login).endsWith("/balance?continue");
		Response resumed = this.browser.get("/balance?continue", TestBrowser.HTML);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("balance of user");
		assertThat(this.browser.get("/api/cart", TestBrowser.JSON).body()).contains("book");
		assertThat(this.browser.get("/greeting", TestBrowser.JSON).body()).contains("Hello user");
	}

	@Test
	void anotherUserCannotMeetTheChallenge() {
		assertThat(this.browser.get("/api/balance", TestBrowser.JSON).status()).isEqualTo(401);
		Response other = this.browser.login("mallory", "password");
		assertThat(other.location()).as("%s", other).endsWith("/login?error");
		assertThat(this.browser.get("/api/balance", TestBrowser.JSON).status()).isEqualTo(401);
		assertThat(this.browser.get("/greeting", TestBrowser.JSON).body()).contains("Hello anonymous");
	}

	/**
	 * Assert that the session, polled passively just before, ends for idleness in the
	 * given time from now, and not before.
	 */
	private void assertIdleDeadlineIn(Duration duration) {
		shiftBy(duration.minusMillis(1));
		Response before = this.browser.get("/api/cart", TestBrowser.JSON, "Session-Activity", "passive");
		assertThat(before.status()).as("%s", before).isEqualTo(200);
		shiftBy(Duration.ofMillis(1));
		Response idle = this.browser.get("/greeting", TestBrowser.JSON);
		assertThat(idle.status()).as("%s", idle).isEqualTo(401);
		assertThat(idle.body()).contains("\"reason\":\"idle\"");
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@EnableMethodSecurity
	static class PermitAllApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers((request) -> request.getHeader("X-Statement") != null)
						.authenticated()
						.anyRequest()
						.permitAll());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build(),
					User.withUsername("mallory").password("{noop}password").build());
		}

		/**
		 * Adds who views a response to every map the application answers with, as
		 * applications that render the user into their pages do: in an asynchronous
		 * result's own dispatch.
		 */
		@ControllerAdvice
		static class Viewer implements ResponseBodyAdvice<Object> {

			@Override
			public boolean supports(MethodParameter returnType,
					Class<? extends HttpMessageConverter<?>> converterType) {
				return true;
			}

			@Override
			public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
					Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
					ServerHttpResponse response) {
				if (!(body instanceof Map<?, ?> map)) {
					return body;
				}
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				boolean user = authentication != null && authentication.isAuthenticated()
						&& !"anonymousUser".equals(authentication.getName());
				Map<Object, Object> viewed = new LinkedHashMap<>(map);
				viewed.put("viewer", user ? authentication.getName() : "anonymous");
				return viewed;
			}

		}

		@Bean
		Accounts accounts() {
			return new Accounts();
		}

		static class Accounts {

			@PreAuthorize("isAuthenticated()")
			public String balance() {
				return "balance of " + SecurityContextHolder.getContext().getAuthentication().getName();
			}

		}

		@RestController
		static class Pages {

			private final Accounts accounts;

			Pages(Accounts accounts) {
				this.accounts = accounts;
			}

			@GetMapping(path = "/greeting", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> greeting() {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				boolean user = authentication != null && authentication.isAuthenticated()
						&& !"anonymousUser".equals(authentication.getName());
				return Map.of("greeting", "Hello " + (user ? authentication.getName() : "anonymous"));
			}

			@GetMapping(path = "/api/greeting-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Callable<Map<String, Object>> greetingLater() {
				return () -> Map.of("greeting", "Hello");
			}

			@GetMapping(path = "/api/balance-later", produces = MediaType.APPLICATION_JSON_VALUE)
			Callable<Map<String, Object>> balanceLater() {
				return () -> Map.of("balance", this.accounts.balance());
			}

			@GetMapping(path = "/api/statement",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			Map<String, Object> statement() {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				return Map.of("statement", "statement of " + authentication.getName());
			}

			@GetMapping(path = "/api/balance", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> balance() {
				return Map.of("balance", this.accounts.balance());
			}

			@GetMapping(path = "/balance", produces = MediaType.TEXT_HTML_VALUE)
			String balancePage() {
				return "<html><body>" + this.accounts.balance() + "</body></html>";
			}

			@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> addToCart(@RequestParam String item, HttpSession session) {
				session.setAttribute("cart", item);
				return Map.of("cart", item);
			}

			@GetMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> cart(HttpSession session) {
				return Map.of("cart", String.valueOf(session.getAttribute("cart")));
			}

		}

	}

}
