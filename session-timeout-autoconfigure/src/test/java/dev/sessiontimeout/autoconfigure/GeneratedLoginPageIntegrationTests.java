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
package dev.sessiontimeout.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.springframework.context.support.StaticMessageSource;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's generated login page ({@code formLogin(withDefaults())}, CSRF on)
 * tells why the user must sign in, for every clock, and the login returns the user to
 * where they were going. Absolute 2h, idle 30m, re-authentication 45m (none for clerks),
 * privileged age 15m.
 */
@SpringBootTest(classes = GeneratedLoginPageIntegrationTests.GeneratedLoginPageApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=2h", "session-timeout.idle=30m", "session-timeout.reauthentication=45m",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/password",
				"session-timeout.policies[0].name=clerks", "session-timeout.policies[0].authorities=ROLE_CLERK",
				"session-timeout.policies[0].reauthentication=-1" })
class GeneratedLoginPageIntegrationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	TestBrowser browser;

	Instant start;

	String username = "user";

	@BeforeEach
	void resetClockAndBrowser() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.browser = new TestBrowser(this.port);
	}

	@Test
	void anIdleSessionShowsWhyOnTheGeneratedPageAndTheLoginReturnsToThePage() {
		signIn();
		shiftBy(Duration.ofMinutes(29));
		assertPage("/orders", "Orders of user");
		shiftBy(Duration.ofMinutes(30));
		assertSignsInAgainAndReturns("/orders", "idle", "You were signed out after a period of inactivity.");
	}

	@Test
	void aSessionAtItsAbsoluteDeadlineShowsWhyOnTheGeneratedPageAndTheLoginReturnsToThePage() {
		this.username = "clerk";
		signIn();
		for (int minutes = 20; minutes < 120; minutes += 20) {
			shiftBy(Duration.ofMinutes(20));
			assertPage("/orders", "Orders of clerk");
		}
		shiftBy(Duration.ofMinutes(20));
		assertSignsInAgainAndReturns("/orders", "absolute", "Your session reached its maximum length.");
	}

	@Test
	void aStaleAuthenticationShowsWhyOnTheGeneratedPageAndTheLoginReturnsToThePage() {
		signIn();
		shiftBy(Duration.ofMinutes(25));
		assertPage("/orders", "Orders of user");
		shiftBy(Duration.ofMinutes(20));
		// The page runs without the user, as every other, yet names the user, read-only:
		// only that user may continue the session
		Response named = this.browser.get("/login?expired=reauthentication", TestBrowser.HTML);
		assertThat(named.body()).as("%s", named).contains("value=\"user\"", "required readonly");
		assertThat(this.browser.get("/login", TestBrowser.HTML).body()).contains("value=\"user\"", "required readonly");
		Response page = assertSignsInAgainAndReturns("/orders", "reauthentication",
				"Please sign in again to continue.");
		assertThat(page.body()).as("the session was kept").contains("visit 2");
	}

	@Test
	void aPrivilegedPathShowsWhyOnTheGeneratedPageAndTheLoginReturnsToIt() {
		signIn();
		shiftBy(Duration.ofMinutes(14));
		assertPage("/account/password", "Change the password of user");
		shiftBy(Duration.ofMinutes(2));
		assertSignsInAgainAndReturns("/account/password", "privileged", "This needs a recent sign-in.");
	}

	@Test
	void theGeneratedPageStillServesItsOwnUrls() {
		assertThat(this.browser.get("/login", TestBrowser.HTML).body()).contains("Please sign in")
			.doesNotContain("session-timeout-reason");
		assertThat(this.browser.get("/login?error", TestBrowser.HTML).body()).contains("Invalid credentials");
		assertThat(this.browser.get("/login?logout", TestBrowser.HTML).body()).contains("You have been signed out");
		Response unknownReason = this.browser.get("/login?expired=whatever", TestBrowser.HTML);
		assertThat(unknownReason.status()).isEqualTo(302);
	}

	@Test
	void theMessageComesFromTheApplicationsMessages() {
		Response page = this.browser.get("/login?expired=revoked", TestBrowser.HTML);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("An administrator signed you out &amp; everywhere else.");
	}

	private Response assertSignsInAgainAndReturns(String path, String reason, String message) {
		Response refused = this.browser.get(path, TestBrowser.HTML);
		assertThat(refused.status()).as("%s", refused).isEqualTo(302);
		assertThat(refused.location()).endsWith("/login?expired=" + reason);
		Response loginPage = this.browser.get("/login?expired=" + reason, TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(200);
		assertThat(loginPage.body()).contains("Please sign in", message);
		if (reason.equals("idle") || reason.equals("absolute")) {
			assertThat(loginPage.body()).as("an ended session is nobody's").doesNotContain("readonly");
		}
		Response login = postLogin(csrfToken(loginPage));
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		assertThat(login.location()).endsWith(path + "?continue");
		Response page = this.browser.get(path + "?continue", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		return page;
	}

	private void signIn() {
		Response loginPage = this.browser.get("/login", TestBrowser.HTML);
		Response login = postLogin(csrfToken(loginPage));
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
	}

	private Response postLogin(String csrfToken) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", this.username);
		form.put("password", "password");
		form.put("_csrf", csrfToken);
		return this.browser.post("/login", form, TestBrowser.HTML);
	}

	private static String csrfToken(Response page) {
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as("CSRF token in %s", page.body()).isTrue();
		return matcher.group(1);
	}

	private void assertPage(String path, String text) {
		Response page = this.browser.get(path, TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		assertThat(page.body()).contains(text);
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class GeneratedLoginPageApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build(),
					User.withUsername("clerk").password("{noop}password").roles("USER", "CLERK").build());
		}

		@Bean
		StaticMessageSource messageSource() {
			StaticMessageSource messages = new StaticMessageSource();
			messages.addMessage("session-timeout.login.revoked", java.util.Locale.ENGLISH,
					"An administrator signed you out & everywhere else.");
			messages.setUseCodeAsDefaultMessage(false);
			return messages;
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			String orders(Authentication authentication, jakarta.servlet.http.HttpSession session) {
				Integer visits = (Integer) session.getAttribute("visits");
				visits = (visits != null) ? visits + 1 : 1;
				session.setAttribute("visits", visits);
				return "<html><body>Orders of " + authentication.getName() + ", visit " + visits + "</body></html>";
			}

			@GetMapping(path = "/account/password", produces = MediaType.TEXT_HTML_VALUE)
			String password(Authentication authentication) {
				return "<html><body>Change the password of " + authentication.getName() + "</body></html>";
			}

		}

	}

}
