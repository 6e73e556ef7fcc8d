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
package dev.sessiontimeout.reactive;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expired page (the default {@code /login?expired={reason}}, Spring Security's
 * generated login page) with CSRF on, reached straight with the ended session's cookie
 * (as the countdown banner goes there): the user signs in from it, as on servlet.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveStatusCsrfIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveExpiredPageSignInIntegrationTests {

	private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	WebTestClient client;

	@BeforeEach
	void freshClient() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build();
	}

	@Test
	void aUserWhoseSessionEndedSignsInAgainFromTheExpiredPage() {
		EntityExchangeResult<String> csrf = this.client.get()
			.uri("/csrf")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		String anonymous = csrf.getResponseCookies().getFirst("SESSION").getValue();
		String token = csrf.getResponseBody().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
		EntityExchangeResult<String> login = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", anonymous)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password").with("_csrf", token))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).hasToString("/");
		String session = login.getResponseCookies().getFirst("SESSION").getValue();
		// The session ends at its idle deadline; the browser is sent to the expired page
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(31)));
		EntityExchangeResult<String> page = this.client.get()
			.uri("/login?expired=idle")
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(page.getStatus().value()).as("the expired page: %s", page).isEqualTo(200);
		Matcher input = CSRF_INPUT.matcher(page.getResponseBody());
		assertThat(input.find()).as("a CSRF token in %s", page.getResponseBody()).isTrue();
		String pageToken = input.group(1);
		// What the browser keeps: the cookie the page's answer set, if any (here the
		// session manager drops the ended session's cookie)
		ResponseCookie cookie = page.getResponseCookies().getFirst("SESSION");
		String fresh = (cookie != null && !cookie.getValue().isEmpty() && !cookie.getMaxAge().isZero())
				? cookie.getValue() : null;
		EntityExchangeResult<String> again = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookies((cookies) -> {
				if (fresh != null) {
					cookies.add("SESSION", fresh);
				}
			})
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password").with("_csrf", pageToken))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(again.getStatus().value()).as("the login from the expired page: %s", again).isEqualTo(302);
		assertThat(again.getResponseHeaders().getLocation()).hasToString("/");
	}

}
