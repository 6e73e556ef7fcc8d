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
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.LettuceStallWatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status endpoint's {@code POST} ("stay signed in") and the sessions endpoint's
 * {@code DELETE} on WebFlux with Spring Security's CSRF protection on: refused without
 * the token, and served with it, while their {@code GET} needs none (and the status
 * endpoint's stays passive); and the sign-in from the expired page. Idle 30m, on
 * WebFlux's own session store.
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
class ReactiveStatusCsrfIntegrationTests {

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
	void thePostOfTheStatusEndpointNeedsTheCsrfTokenAndCountsAsActivity() {
		EntityExchangeResult<String> csrf = this.client.get()
			.uri("/csrf")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(csrf.getStatus().value()).as("%s", csrf).isEqualTo(200);
		String session = csrf.getResponseCookies().getFirst("SESSION").getValue();
		String token = csrf.getResponseBody().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(10)));
		EntityExchangeResult<String> refused = status(session, null);
		assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(403);
		EntityExchangeResult<String> stay = status(session, token);
		assertThat(stay.getStatus().value()).as("%s", stay).isEqualTo(200);
		assertThat(stay.getResponseBody())
			.contains("\"idleExpiresAt\":\"" + this.start.plus(Duration.ofMinutes(40)) + "\"");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(35)));
		EntityExchangeResult<String> passive = this.client.get()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(passive.getStatus().value()).as("served after the first idle deadline").isEqualTo(200);
		assertThat(passive.getResponseBody())
			.contains("\"idleExpiresAt\":\"" + this.start.plus(Duration.ofMinutes(40)) + "\"");
	}

	/**
	 * A {@code POST} that Spring Security refuses for want of the CSRF token (a forged
	 * "stay signed in") is no activity: 31 minutes after the last activity, idle 30m, the
	 * session has ended (or at least its last activity is not the refused POST's).
	 */
	@Test
	void aStatusPostRefusedForWantOfTheCsrfTokenDoesNotKeepTheSessionAlive() {
		EntityExchangeResult<String> csrf = this.client.get()
			.uri("/csrf")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(csrf.getStatus().value()).as("%s", csrf).isEqualTo(200);
		String session = csrf.getResponseCookies().getFirst("SESSION").getValue();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		EntityExchangeResult<String> refused = status(session, null);
		assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(403);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(31)));
		EntityExchangeResult<String> after = this.client.get()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		// Ended (401), or at least still idle from its start, not from the refused POST
		assertThat(after.getResponseBody()).as("31 minutes after the last activity: %s", after)
			.doesNotContain("\"lastActivityAt\":\"" + this.start.plus(Duration.ofMinutes(25)) + "\"");
	}

	/**
	 * A {@code POST} with the CSRF token that is marked passive (the
	 * {@code Session-Activity: passive} header) is answered and counts as no activity.
	 */
	@Test
	void anAcceptedStatusPostMarkedPassiveDoesNotCountAsActivity() {
		EntityExchangeResult<String> csrf = csrf(null);
		String session = csrf.getResponseCookies().getFirst("SESSION").getValue();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(10)));
		EntityExchangeResult<String> passive = this.client.post()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.header("X-CSRF-TOKEN", token(csrf))
			.header("Session-Activity", "passive")
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(passive.getStatus().value()).as("%s", passive).isEqualTo(200);
		assertThat(passive.getResponseBody())
			.contains("\"idleExpiresAt\":\"" + this.start.plus(Duration.ofMinutes(30)) + "\"");
	}

	@Test
	void aHeadOfTheStatusEndpointIsAnsweredAndAsPassiveAsItsGet() {
		String session = csrf(null).getResponseCookies().getFirst("SESSION").getValue();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(10)));
		EntityExchangeResult<Void> head = this.client.head()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.exchange()
			.expectBody()
			.isEmpty();
		assertThat(head.getStatus().value()).as("%s", head).isEqualTo(200);
		assertThat(idleExpiresAt(session)).isEqualTo(this.start.plus(Duration.ofMinutes(30)).toString());
	}

	private String idleExpiresAt(String session) {
		EntityExchangeResult<String> passive = this.client.get()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(passive.getStatus().value()).as("%s", passive).isEqualTo(200);
		return passive.getResponseBody().replaceAll(".*\"idleExpiresAt\":\"([^\"]+)\".*", "$1");
	}

	@Test
	void endingSessionsAtTheSessionsEndpointNeedsTheCsrfTokenAndListingThemDoesNot() {
		EntityExchangeResult<String> csrf = csrf(null);
		String anonymous = csrf.getResponseCookies().getFirst("SESSION").getValue();
		EntityExchangeResult<String> login = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", anonymous)
			.header("X-CSRF-TOKEN", token(csrf))
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		String session = login.getResponseCookies().getFirst("SESSION").getValue();
		String token = token(csrf(session));
		EntityExchangeResult<String> listing = sessions(HttpMethod.GET, session, null);
		assertThat(listing.getStatus().value()).as("%s", listing).isEqualTo(200);
		assertThat(listing.getResponseBody()).contains("\"current\":true");
		EntityExchangeResult<String> refused = sessions(HttpMethod.DELETE, session, null);
		assertThat(refused.getStatus().value()).as("%s", refused).isEqualTo(403);
		EntityExchangeResult<String> ended = sessions(HttpMethod.DELETE, session, token);
		assertThat(ended.getStatus().value()).as("%s", ended).isEqualTo(200);
		assertThat(ended.getResponseBody()).isEqualTo("{\"ended\":0}");
	}

	private EntityExchangeResult<String> csrf(String session) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get().uri("/csrf").accept(MediaType.APPLICATION_JSON);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		EntityExchangeResult<String> csrf = request.exchange().expectBody(String.class).returnResult();
		assertThat(csrf.getStatus().value()).as("%s", csrf).isEqualTo(200);
		return csrf;
	}

	private static String token(EntityExchangeResult<String> csrf) {
		return csrf.getResponseBody().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
	}

	private EntityExchangeResult<String> sessions(HttpMethod method, String session, String token) {
		WebTestClient.RequestBodySpec request = this.client.method(method)
			.uri("/session/sessions")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session);
		if (token != null) {
			request = request.header("X-CSRF-TOKEN", token);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private EntityExchangeResult<String> status(String session, String token) {
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri("/session/status")
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", session);
		if (token != null) {
			request = request.header("X-CSRF-TOKEN", token);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	/**
	 * The expired page (the default {@code /login?expired={reason}}, Spring Security's
	 * generated login page) reached straight with the ended session's cookie, as the
	 * countdown banner goes there: the user signs in from it, as on servlet.
	 */
	@Test
	void aUserWhoseSessionEndedSignsInAgainFromTheExpiredPage() {
		EntityExchangeResult<String> csrf = csrf(null);
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(LettuceStallWatch.WithReadmeStopgap.class)
	static class CsrfApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class CsrfController {

			@GetMapping(path = "/csrf", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> csrf(ServerWebExchange exchange, WebSession session) {
				session.getAttributes().put("visited", Boolean.TRUE);
				Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
				return (token != null) ? token.map((found) -> Map.of("token", found.getToken()))
						: Mono.just(Map.of("token", "none"));
			}

		}

	}

}
