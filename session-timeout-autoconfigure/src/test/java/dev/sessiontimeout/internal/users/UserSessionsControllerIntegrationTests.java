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
package dev.sessiontimeout.internal.users;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-service endpoint of a user's sessions in an application with Spring Security's
 * CSRF protection on and the addresses of logins recorded: listing needs no token, ending
 * sessions does, and a request without a signed-in session is refused by the endpoint
 * itself even where the application lets anyone reach it.
 */
@SpringBootTest(classes = UserSessionsControllerIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=2h", "session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.sessions.record-ip=true" })
class UserSessionsControllerIntegrationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

	private static final Pattern HANDLE = Pattern.compile("\"id\":\"([^\"]*)\"");

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	InMemoryUserDetailsManager users;

	String username;

	TestBrowser laptop;

	TestBrowser phone;

	@BeforeEach
	void signInTwice() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.username = "user-" + UUID.randomUUID();
		this.users.createUser(User.withUsername(this.username).password("{noop}password").roles("USER").build());
		this.laptop = signIn(this.username);
		this.phone = signIn(this.username);
	}

	@Test
	void listingNeedsNoCsrfTokenAndShowsTheAddressOfEachLogin() {
		Response listing = this.laptop.get("/session/sessions", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		assertThat(listing.header("Cache-Control")).isEqualTo("no-store");
		assertThat(handles(listing)).hasSize(2);
		assertThat(listing.body()).contains("\"ip\":\"127.0.0.1\"");
	}

	@Test
	void stayingSignedInThroughTheStatusEndpointNeedsTheCsrfTokenAndItsGetNone() {
		Instant start = this.clock.instant();
		this.clock.fixAt(start.plus(Duration.ofMinutes(10)));
		Response read = this.laptop.get("/session/status", TestBrowser.JSON);
		assertThat(read.status()).as("%s", read).isEqualTo(200);
		assertThat(read.body()).contains("\"lastActivityAt\":\"" + start + "\"");
		Response withoutToken = this.laptop.post("/session/status", Map.of(), TestBrowser.JSON);
		assertThat(withoutToken.status()).as("%s", withoutToken).isEqualTo(403);
		Instant stay = start.plus(Duration.ofMinutes(20));
		this.clock.fixAt(stay);
		Response withToken = this.laptop.post("/session/status", Map.of(), TestBrowser.JSON, "X-CSRF-TOKEN",
				csrfToken(this.laptop));
		assertThat(withToken.status()).as("%s", withToken).isEqualTo(200);
		assertThat(withToken.body()).contains("\"lastActivityAt\":\"" + stay + "\"",
				"\"idleExpiresAt\":\"" + stay.plus(Duration.ofMinutes(30)) + "\"");
	}

	@Test
	void endingOneSessionNeedsTheCsrfToken() {
		String phones = handles(this.phone.get("/session/sessions", TestBrowser.JSON)).get(0);
		Response withoutToken = this.laptop.delete("/session/sessions/" + phones);
		assertThat(withoutToken.status()).as("%s", withoutToken).isEqualTo(403);
		assertPage(this.phone);
		Response withToken = this.laptop.delete("/session/sessions/" + phones, "X-CSRF-TOKEN", csrfToken(this.laptop));
		assertThat(withToken.status()).as("%s", withToken).isEqualTo(204);
		Response ended = this.phone.get("/orders", TestBrowser.HTML);
		assertThat(ended.status()).as("%s", ended).isEqualTo(302);
		assertThat(ended.location()).endsWith("/login?expired=revoked");
		assertPage(this.laptop);
	}

	@Test
	void endingEveryOtherSessionNeedsTheCsrfToken() {
		Response withoutToken = this.laptop.delete("/session/sessions");
		assertThat(withoutToken.status()).as("%s", withoutToken).isEqualTo(403);
		assertPage(this.phone);
		Response withToken = this.laptop.delete("/session/sessions", "X-CSRF-TOKEN", csrfToken(this.laptop));
		assertThat(withToken.status()).as("%s", withToken).isEqualTo(200);
		assertThat(withToken.body()).isEqualTo("{\"ended\":1}");
		assertThat(this.phone.get("/orders", TestBrowser.HTML).location()).endsWith("/login?expired=revoked");
		assertPage(this.laptop);
	}

	@Test
	void aUserWhoMustAuthenticateAgainNeitherSeesNorEndsSessionsThoughThePathIsOpen() {
		Instant start = this.clock.instant();
		for (int minutes = 20; minutes < 60; minutes += 20) {
			this.clock.fixAt(start.plus(Duration.ofMinutes(minutes)));
			assertPage(this.laptop);
		}
		this.clock.fixAt(start.plus(Duration.ofHours(1)));
		Response listing = this.laptop.get("/session/sessions", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(401);
		assertThat(listing.body()).contains("\"reason\":\"reauthentication\"").doesNotContain("\"sessions\"");
		Response end = this.laptop.delete("/session/sessions", "X-CSRF-TOKEN", csrfToken(this.laptop));
		assertThat(end.status()).as("%s", end).isEqualTo(401);
		assertThat(end.body()).contains("\"reason\":\"reauthentication\"");
	}

	@Test
	void aRequestWithoutASignedInSessionIsRefusedByTheEndpointItself() {
		TestBrowser anonymous = new TestBrowser(this.port);
		Response listing = anonymous.get("/session/sessions", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(401);
		assertThat(listing.body()).contains("\"reason\":\"invalid\"").doesNotContain("\"id\"");
		String phones = handles(this.phone.get("/session/sessions", TestBrowser.JSON)).get(0);
		Response ending = anonymous.delete("/session/sessions/" + phones, "X-CSRF-TOKEN", csrfToken(anonymous));
		assertThat(ending.status()).as("%s", ending).isEqualTo(401);
		assertPage(this.phone);
	}

	/**
	 * A request of one user (HTTP Basic here, a bearer token alike) that carries the
	 * session cookie of another acts for the request's own user: it lists, and ends by
	 * handle or all but the current, that user's sessions only, never those of the user
	 * whose session it carries.
	 */
	@Test
	void aRequestOfAnotherUserCarryingThisUsersSessionSeesAndEndsOnlyItsOwnSessions() {
		String other = "other-" + UUID.randomUUID();
		this.users.createUser(User.withUsername(other).password("{noop}password").roles("USER").build());
		TestBrowser others = signIn(other);
		List<String> othersHandles = handles(others.get("/session/sessions", TestBrowser.JSON));
		List<String> ownHandles = handles(this.phone.get("/session/sessions", TestBrowser.JSON));
		String basic = "Basic " + Base64.getEncoder().encodeToString((other + ":password").getBytes());
		Response listing = this.laptop.get("/session/sessions", TestBrowser.JSON, "Authorization", basic);
		assertThat(handles(listing)).as("the Basic user's sessions").containsExactlyElementsOf(othersHandles);
		Response end = this.laptop.delete("/session/sessions/" + ownHandles.get(0), "Authorization", basic,
				"X-CSRF-TOKEN", csrfToken(this.laptop));
		assertThat(end.status()).as("%s", end).isEqualTo(404);
		assertPage(this.laptop);
		assertPage(this.phone);
	}

	/**
	 * A request of a signed-in user without a session (HTTP Basic here, a bearer token
	 * alike) lists that user's sessions, none of them current.
	 */
	@Test
	void aRequestOfASignedInUserWithoutASessionListsThatUsersSessionsNoneCurrent() {
		TestBrowser client = new TestBrowser(this.port);
		String basic = "Basic " + Base64.getEncoder().encodeToString((this.username + ":password").getBytes());
		Response listing = client.get("/session/sessions", TestBrowser.JSON, "Authorization", basic);
		assertThat(handles(listing))
			.containsExactlyInAnyOrderElementsOf(handles(this.laptop.get("/session/sessions", TestBrowser.JSON)));
		assertThat(listing.body()).doesNotContain("\"current\":true");
	}

	private TestBrowser signIn(String username) {
		TestBrowser browser = new TestBrowser(this.port);
		Response loginPage = browser.get("/login", TestBrowser.HTML);
		Matcher matcher = CSRF.matcher(loginPage.body());
		assertThat(matcher.find()).as("CSRF token in %s", loginPage.body()).isTrue();
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", username);
		form.put("password", "password");
		form.put("_csrf", matcher.group(1));
		Response login = browser.post("/login", form, TestBrowser.HTML);
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return browser;
	}

	private static String csrfToken(TestBrowser browser) {
		Response token = browser.get("/token", TestBrowser.JSON);
		assertThat(token.status()).as("%s", token).isEqualTo(200);
		Matcher matcher = TOKEN.matcher(token.body());
		assertThat(matcher.find()).as("%s", token).isTrue();
		return matcher.group(1);
	}

	private static List<String> handles(Response listing) {
		assertThat(listing.status()).as("%s", listing).isEqualTo(200);
		return HANDLE.matcher(listing.body()).results().map((handle) -> handle.group(1)).toList();
	}

	private void assertPage(TestBrowser browser) {
		Response page = browser.get("/orders", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		assertThat(page.body()).contains("Orders of " + this.username);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CsrfApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/session/sessions/**", "/token")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.httpBasic(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager();
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			String orders(Authentication authentication) {
				return "<html><body>Orders of " + authentication.getName() + "</body></html>";
			}

			@GetMapping(path = "/token", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> token(CsrfToken token) {
				return Map.of("token", token.getToken());
			}

		}

	}

}
