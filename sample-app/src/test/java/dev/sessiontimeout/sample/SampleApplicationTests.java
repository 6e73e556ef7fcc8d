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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as a user would, over real HTTP with CSRF protection on, moving the
 * starter's clock by hand.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ShiftableClock.Configuration.class)
class SampleApplicationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	ShiftableClock clock;

	private HttpClient client;

	@BeforeEach
	void newBrowser() {
		this.clock.setInstant(Instant.now());
		this.client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Test
	void signInShowsTheSessionDeadlines() throws Exception {
		signIn("user");
		HttpResponse<String> home = get("/", "text/html");
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("Signed in as", "user", "Idle deadline", "Absolute deadline");
	}

	@Test
	void accountPagesShowTheUserAndTheAuthenticationAge() throws Exception {
		signIn("admin");
		HttpResponse<String> account = get("/account", "text/html");
		assertThat(account.statusCode()).isEqualTo(200);
		assertThat(account.body()).contains("admin", "ROLE_ADMIN", "session-banner");
		HttpResponse<String> security = get("/account/security", "text/html");
		assertThat(security.statusCode()).isEqualTo(200);
		assertThat(security.body()).contains("You signed in", "Privileged operations need a sign-in younger than",
				"15 minutes");
	}

	@Test
	void idleTimeoutSignsTheBrowserOutWithTheReason() throws Exception {
		signIn("user");
		this.clock.shift(Duration.ofMinutes(15));
		HttpResponse<String> home = get("/", "text/html");
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(home.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?expired=idle"));
		HttpResponse<String> login = get("/login?expired=idle", "text/html");
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("You were signed out after 15 minutes of inactivity.");
	}

	@Test
	void absoluteLifetimeEndsAnActiveSessionAndApiCallsGetAProblem() throws Exception {
		signIn("admin");
		for (int minutes = 10; minutes < 8 * 60; minutes += 10) {
			this.clock.shift(Duration.ofMinutes(10));
			assertThat(get("/", "text/html").statusCode()).isEqualTo(200);
		}
		this.clock.shift(Duration.ofMinutes(10));
		HttpResponse<String> api = get("/", "application/json");
		assertThat(api.statusCode()).isEqualTo(401);
		assertThat(api.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(api.body()).contains("\"reason\":\"absolute\"");
	}

	private void signIn(String username) throws IOException, InterruptedException {
		HttpResponse<String> page = get("/login", "text/html");
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("CSRF token in %s", page.body()).isTrue();
		String form = "username=" + username + "&password=password&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> login = this.client.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).doesNotContain("error"));
	}

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
