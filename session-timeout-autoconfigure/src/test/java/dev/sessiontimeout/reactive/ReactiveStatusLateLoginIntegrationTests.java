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
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status endpoint on WebFlux after a login late in the session's life:
 * {@code reauthenticateAt} and {@code privilegedUntil}, counted from it, are capped at
 * the absolute deadline, which nothing moves, just before, at and just after the instants
 * meet; the actuator endpoint shows the same instants. WebFlux's own store; absolute 1h,
 * idle off, re-authentication and privileged age 15m.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveStatusLateLoginIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=1h",
				"session-timeout.idle=-1", "session-timeout.reauthentication=15m",
				"session-timeout.privileged.max-age=15m", "management.endpoints.web.exposure.include=sessiontimeouts",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveStatusLateLoginIntegrationTests {

	private static final Duration ABSOLUTE = Duration.ofHours(1);

	private static final Duration MEET = Duration.ofMinutes(45);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@Nullable String session;

	@BeforeEach
	void signIn() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.session = null;
		login();
	}

	@Test
	void justBeforeTheInstantsMeetNothingIsCapped() {
		assertDeadlinesAfterALoginAt(MEET.minusMillis(1), ABSOLUTE.minusMillis(1));
	}

	@Test
	void whenTheInstantsMeetBothAreTheAbsoluteDeadline() {
		assertDeadlinesAfterALoginAt(MEET, ABSOLUTE);
	}

	@Test
	void justAfterTheInstantsMeetBothAreCappedAtTheAbsoluteDeadline() {
		assertDeadlinesAfterALoginAt(MEET.plusMillis(1), ABSOLUTE);
	}

	@Test
	void longAfterTheInstantsMeetBothAreCappedAtTheAbsoluteDeadline() {
		assertDeadlinesAfterALoginAt(MEET.plusMinutes(10), ABSOLUTE);
	}

	private void assertDeadlinesAfterALoginAt(Duration loginAt, Duration expected) {
		this.clock.fixAt(this.start.plus(loginAt));
		login();
		String absolute = "\"absoluteExpiresAt\":\"" + this.start.plus(ABSOLUTE) + "\"";
		String reauthenticateAt = "\"reauthenticateAt\":\"" + this.start.plus(expected) + "\"";
		String privilegedUntil = "\"privilegedUntil\":\"" + this.start.plus(expected) + "\"";
		EntityExchangeResult<String> status = get("/session/status");
		assertThat(status.getStatus().value()).as("%s", status).isEqualTo(200);
		assertThat(status.getResponseBody()).contains("\"createdAt\":\"" + this.start + "\"", absolute,
				"\"expiresAt\":\"" + this.start.plus(ABSOLUTE) + "\"", reauthenticateAt, privilegedUntil);
		EntityExchangeResult<String> listing = get("/actuator/sessiontimeouts/alice");
		assertThat(listing.getStatus().value()).as("%s", listing).isEqualTo(200);
		assertThat(listing.getResponseBody()).contains(absolute, reauthenticateAt, privilegedUntil);
	}

	private void login() {
		WebTestClient.RequestBodySpec request = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML);
		if (this.session != null) {
			request.cookie("SESSION", this.session);
		}
		EntityExchangeResult<String> login = request
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		if (login.getResponseCookies().getFirst("SESSION") != null) {
			this.session = login.getResponseCookies().getFirst("SESSION").getValue();
		}
	}

	private EntityExchangeResult<String> get(String path) {
		return client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.formLogin((form) -> form.loginPage("/login"))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

	}

}
