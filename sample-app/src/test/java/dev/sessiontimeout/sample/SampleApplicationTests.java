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
package dev.sessiontimeout.sample;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as a user would, over real HTTP with CSRF protection on, moving the
 * starter's clock by hand. Users get the global clocks (absolute 8h, idle 15m, privileged
 * age 10m), administrators the {@code administrators} policy (absolute 1h,
 * re-authentication 30m, idle 10m, privileged age 5m).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SampleApplicationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Duration MILLI = Duration.ofMillis(1);

	private static final String HTML = "text/html";

	private static final String JSON = "application/json";

	private static final String PASSWORD_PAGE = "/account/security/password";

	private static final String EXPORT = "/api/account/export";

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	InMemoryUserDetailsManager users;

	private Instant start;

	private HttpClient client;

	@BeforeEach
	void newBrowser() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(this.start);
		this.client = newClient();
	}

	@AfterEach
	void restorePasswords() {
		for (String username : new String[] { "user", "admin" }) {
			this.users.updatePassword(this.users.loadUserByUsername(username), "{noop}password");
		}
	}

	@Test
	void signInShowsTheSessionsPolicyAndATimelineDrawnFromTheStatusEndpoint() throws Exception {
		signIn("user");
		HttpResponse<String> home = get("/", HTML);
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("Signed in as", "user",
				"<strong>default</strong>: absolute 8 hours, idle 15 minutes, re-authentication off,"
						+ " privileged age 10 minutes",
				"<session-timeout-banner id=\"session-banner\" warn-before=\"2m\">",
				"<script src=\"/session-timeout/session-timeout.js\" defer>", "<section id=\"session-timeline\"",
				"<script src=\"/session-timeline.js\" defer>");
		assertThat(get("/session/status", JSON).body()).contains(
				"\"idleExpiresAt\":\"" + at(Duration.ofMinutes(15)) + "\"",
				"\"absoluteExpiresAt\":\"" + at(Duration.ofHours(8)) + "\"", "\"reauthenticateAt\":null",
				"\"privilegedUntil\":\"" + at(Duration.ofMinutes(10)) + "\"");
	}

	@Test
	void theBannersScriptIsServedByTheStarterToAnyoneWithoutASession() throws Exception {
		HttpResponse<String> script = get("/session-timeout/session-timeout.js", "*/*");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(script.body()).contains("customElements.define(TAG, SessionTimeoutBanner)");
		assertThat(script.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(get("/session-banner.js", "*/*").statusCode()).as("the sample's own copy is gone").isNotEqualTo(200);
	}

	@Test
	void anAdministratorGetsTheAdministratorsPolicyWithItsShorterClocks() throws Exception {
		signIn("admin");
		assertThat(get("/", HTML).body()).contains("<strong>administrators</strong>: absolute 1 hour, idle 10 minutes,"
				+ " re-authentication 30 minutes, privileged age 5 minutes");
		assertThat(get("/session/status", JSON).body()).contains("\"principal\":\"admin\"",
				"\"policy\":\"administrators\"", "\"absoluteExpiresAt\":\"" + at(Duration.ofHours(1)) + "\"",
				"\"idleExpiresAt\":\"" + at(Duration.ofMinutes(10)) + "\"",
				"\"reauthenticateAt\":\"" + at(Duration.ofMinutes(30)) + "\"",
				"\"privilegedUntil\":\"" + at(Duration.ofMinutes(5)) + "\"");
		this.clock.set(this.start.plus(Duration.ofMinutes(5)).minus(MILLI));
		assertThat(get(EXPORT, JSON).statusCode()).isEqualTo(200);
		this.clock.set(this.start.plus(Duration.ofMinutes(5)));
		assertPrivilegedChallenge(get(EXPORT, JSON), 300);
	}

	@Test
	void accountSecurityShowsThePolicyAndUntilWhenNoNewSignInIsNeeded() throws Exception {
		signIn("user");
		this.clock.advance(Duration.ofMinutes(3));
		HttpResponse<String> security = get("/account/security", HTML);
		assertThat(security.statusCode()).isEqualTo(200);
		assertThat(security.body()).contains("<strong>default</strong>",
				"<time id=\"privileged-until\" datetime=\"" + at(Duration.ofMinutes(10)) + "\">"
						+ at(Duration.ofMinutes(10)) + "</time> (in 7 minutes)",
				"not required by your policy", "need a sign-in younger than 10 minutes", "Change password");
		HttpResponse<String> account = get("/account", HTML);
		assertThat(account.statusCode()).isEqualTo(200);
		assertThat(account.body()).contains("user", "ROLE_USER", "session-banner");
	}

	@Test
	void thePasswordPageIsServedJustBeforeThePrivilegedAgeAndAsksToSignInAgainAtIt() throws Exception {
		signIn("user");
		this.clock.set(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		HttpResponse<String> fresh = get(PASSWORD_PAGE, HTML);
		assertThat(fresh.statusCode()).isEqualTo(200);
		assertThat(fresh.body()).contains("<h1>Change password</h1>", "name=\"confirmation\"");
		this.clock.set(this.start.plus(Duration.ofMinutes(10)));
		HttpResponse<String> stale = get(PASSWORD_PAGE, HTML);
		assertThat(stale.statusCode()).isEqualTo(302);
		assertThat(location(stale)).endsWith("/login?expired=privileged");
		HttpResponse<String> login = get("/login?expired=privileged", HTML);
		assertThat(login.body()).contains(
				"For your security, this needs a sign-in from the last 10 minutes."
						+ " Please sign in again to continue.",
				"name=\"username\" autocomplete=\"username\" value=\"user\"");
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(11));
		this.clock.set(stepUpAt);
		assertThat(location(signIn("user"))).endsWith(PASSWORD_PAGE + "?continue");
		HttpResponse<String> resumed = get(PASSWORD_PAGE + "?continue", HTML);
		assertThat(resumed.statusCode()).isEqualTo(200);
		assertThat(resumed.body()).contains("<h1>Change password</h1>");
		assertThat(get("/session/status", JSON).body())
			.contains("\"privilegedUntil\":\"" + stepUpAt.plus(Duration.ofMinutes(10)) + "\"");
	}

	@Test
	void anotherUserCannotTakeOverASessionThatMustSignInAgain() throws Exception {
		signIn("user");
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(location(get(PASSWORD_PAGE, HTML))).endsWith("/login?expired=privileged");
		HttpResponse<String> other = postLogin("admin", "password");
		assertThat(location(other)).endsWith("/login?error");
		assertThat(get("/login?error", HTML).body()).contains("Only user can continue this session.");
		assertThat(get("/session/status", JSON).body()).contains("\"principal\":\"user\"");
		assertThat(location(get(PASSWORD_PAGE, HTML))).endsWith("/login?expired=privileged");
		signIn("user");
		assertThat(get(PASSWORD_PAGE, HTML).statusCode()).isEqualTo(200);
	}

	@Test
	void theExportApiAnswersJustBeforeThePrivilegedAgeAndChallengesAtIt() throws Exception {
		HttpResponse<String> anonymous = get(EXPORT, JSON);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		signIn("user");
		this.clock.set(this.start.plus(Duration.ofMinutes(10)).minus(MILLI));
		HttpResponse<String> fresh = get(EXPORT, JSON);
		assertThat(fresh.statusCode()).isEqualTo(200);
		assertThat(fresh.body()).contains("\"username\":\"user\"", "\"passwordChangedAt\":null");
		this.clock.set(this.start.plus(Duration.ofMinutes(10)));
		assertPrivilegedChallenge(get(EXPORT, JSON), 600);
		assertThat(get("/", HTML).statusCode()).as("the session is kept").isEqualTo(200);
	}

	@Test
	void changingThePasswordNeedsARecentSignInAndTakesEffect() throws Exception {
		HttpClient otherDevice = newClient();
		HttpClient current = this.client;
		this.client = otherDevice;
		signIn("user");
		this.client = current;
		signIn("user");
		String csrf = csrf(get(PASSWORD_PAGE, HTML));
		HttpResponse<String> mismatch = post(PASSWORD_PAGE,
				Map.of("password", "correct horse", "confirmation", "correct hose", "_csrf", csrf));
		assertThat(mismatch.statusCode()).isEqualTo(400);
		assertThat(mismatch.body()).contains("The two passwords differ.");
		this.clock.advance(Duration.ofMinutes(2));
		HttpResponse<String> changed = post(PASSWORD_PAGE,
				Map.of("password", "correct horse", "confirmation", "correct horse", "_csrf", csrf));
		assertThat(changed.statusCode()).isEqualTo(303);
		assertThat(location(changed)).matches(".*/account/security\\?password-changed=[1-9][0-9]*");
		Instant changedAt = this.start.plus(Duration.ofMinutes(2));
		assertThat(get("/account/security?password-changed=1", HTML).body()).contains(
				"Your password was changed, and you were signed out everywhere else (1 other session).",
				"Password last changed</th><td>" + changedAt);
		this.client = otherDevice;
		HttpResponse<String> signedOut = get("/account", HTML);
		this.client = current;
		assertThat(location(signedOut)).as("the other device was signed out").endsWith("/login?expired=revoked");
		assertThat(get("/account", HTML).statusCode()).as("this browser stays signed in").isEqualTo(200);
		assertThat(location(newClientPostLogin("user", "password"))).endsWith("/login?error");
		assertThat(location(newClientPostLogin("user", "correct horse"))).doesNotContain("error");
		this.clock.set(this.start.plus(Duration.ofMinutes(10)));
		HttpResponse<String> stale = post(PASSWORD_PAGE,
				Map.of("password", "battery staple", "confirmation", "battery staple", "_csrf", csrf));
		assertThat(stale.statusCode()).isEqualTo(302);
		assertThat(location(stale)).endsWith("/login?expired=privileged");
		assertThat(location(newClientPostLogin("user", "battery staple"))).endsWith("/login?error");
		assertThat(get(EXPORT, JSON).statusCode()).isEqualTo(401);
	}

	@Test
	void anAdministratorSignsInAgainAfterTheReauthenticationLifetimeAndKeepsTheSession() throws Exception {
		signIn("admin");
		for (int minutes = 9; minutes < 30; minutes += 9) {
			this.clock.set(this.start.plus(Duration.ofMinutes(minutes)));
			assertThat(get("/", HTML).statusCode()).isEqualTo(200);
		}
		this.clock.set(this.start.plus(Duration.ofMinutes(30)));
		HttpResponse<String> home = get("/", HTML);
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(location(home)).endsWith("/login?expired=reauthentication");
		assertThat(get("/login?expired=reauthentication", HTML).body()).contains(
				"Your session asks you to sign in again every 30 minutes. Please sign in again to continue.",
				"value=\"admin\"");
		assertThat(location(signIn("admin"))).endsWith("/?continue");
		assertThat(get("/?continue", HTML).statusCode()).isEqualTo(200);
		assertThat(get("/session/status", JSON).body()).contains("\"policy\":\"administrators\"",
				"\"reauthenticateAt\":\"" + at(Duration.ofMinutes(60)) + "\"",
				"\"absoluteExpiresAt\":\"" + at(Duration.ofHours(1)) + "\"");
	}

	@Test
	void aUserWhoMustSignInAgainCanSignOutInstead() throws Exception {
		signIn("admin");
		this.clock.set(this.start.plus(Duration.ofMinutes(9)));
		assertThat(get("/", HTML).statusCode()).isEqualTo(200);
		this.clock.set(this.start.plus(Duration.ofMinutes(18)));
		assertThat(get("/", HTML).statusCode()).isEqualTo(200);
		this.clock.set(this.start.plus(Duration.ofMinutes(27)));
		assertThat(get("/", HTML).statusCode()).isEqualTo(200);
		this.clock.set(this.start.plus(Duration.ofMinutes(30)));
		assertThat(location(get("/account", HTML))).endsWith("/login?expired=reauthentication");
		HttpResponse<String> login = get("/login?expired=reauthentication", HTML);
		assertThat(login.body()).contains("Not admin?", "action=\"/logout\"");
		HttpResponse<String> logout = post("/logout", Map.of("_csrf", csrf(login)));
		assertThat(location(logout)).endsWith("/login?logout");
		assertThat(get("/session/status", JSON).statusCode()).isEqualTo(401);
	}

	@Test
	void idleTimeoutSignsTheBrowserOutWithTheReason() throws Exception {
		signIn("user");
		this.clock.advance(Duration.ofMinutes(15));
		HttpResponse<String> home = get("/", HTML);
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(location(home)).endsWith("/login?expired=idle");
		HttpResponse<String> login = get("/login?expired=idle", HTML);
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body())
			.contains("You were signed out after 15 minutes of inactivity (10 minutes for administrators).");
	}

	@Test
	void absoluteLifetimeEndsAnActiveSessionAndApiCallsGetAProblem() throws Exception {
		signIn("user");
		for (int minutes = 10; minutes < 8 * 60; minutes += 10) {
			this.clock.advance(Duration.ofMinutes(10));
			assertThat(get("/", HTML).statusCode()).isEqualTo(200);
		}
		this.clock.advance(Duration.ofMinutes(10));
		HttpResponse<String> api = get("/", JSON);
		assertThat(api.statusCode()).isEqualTo(401);
		assertThat(api.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(api.body()).contains("\"reason\":\"absolute\"");
		assertThat(get("/login?expired=absolute", HTML).body()).contains(
				"Your session reached its maximum lifetime of 8 hours (1 hour for administrators). Please sign in again.");
	}

	private void assertPrivilegedChallenge(HttpResponse<String> response, long maxAgeSeconds) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer error=\"insufficient_user_authentication\","
					+ " error_description=\"This operation requires a more recent authentication.\", max_age="
					+ maxAgeSeconds);
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	private Instant at(Duration sinceStart) {
		return this.start.plus(sinceStart);
	}

	private HttpResponse<String> signIn(String username) throws IOException, InterruptedException {
		HttpResponse<String> login = postLogin(username, "password");
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(location(login)).doesNotContain("error");
		return login;
	}

	private HttpResponse<String> postLogin(String username, String password) throws IOException, InterruptedException {
		String csrf = csrf(get("/login", HTML));
		return post("/login", Map.of("username", username, "password", password, "_csrf", csrf));
	}

	private HttpResponse<String> newClientPostLogin(String username, String password)
			throws IOException, InterruptedException {
		HttpClient current = this.client;
		this.client = newClient();
		try {
			return postLogin(username, password);
		}
		finally {
			this.client = current;
		}
	}

	private static String csrf(HttpResponse<String> page) {
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("CSRF token in %s", page.body()).isTrue();
		return csrf.group(1);
	}

	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("(no Location in " + response + ")");
	}

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
		String body = form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return this.client.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", HTML)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpClient newClient() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
