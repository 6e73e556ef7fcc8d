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
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On WebFlux as on servlet ({@code HttpBasicWithSessionCookieIntegrationTests},
 * {@code PrivilegedSessionAuthorizationManager}): an HTTP Basic request without a session
 * of its user is decided on a privileged path and by a {@code @RequiresPrivilegedSession}
 * method by the time its newest factor was proven, also when it carries another user's
 * session cookie. Spring Security 7.1's reactive authentication managers stamp no
 * {@link FactorGrantedAuthority} (its servlet {@code DaoAuthenticationProvider} does), so
 * the chain's HTTP Basic uses one that stamps it as the servlet provider does, on the
 * system clock; a user it stamps none for is never privileged, as on servlet. Privileged
 * age 15m, WebFlux's own session store.
 */
@SpringBootTest(classes = ReactiveHttpBasicPrivilegedIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.idle=1h", "session-timeout.absolute=8h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/transfers" })
class ReactiveHttpBasicPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
		this.events.clear();
	}

	@Test
	void aFreshBasicRequestIsServedOnAPrivilegedPathAndByAPrivilegedMethodAndAnOldFactorIsChallenged() {
		// The clock is the starter's; the factor is stamped on the system clock
		// The system clock, which stamps the factor: a factor from the future proves
		// nothing
		this.clock.fixAt(Instant.now());
		for (String path : new String[] { "/transfers", "/export" }) {
			EntityExchangeResult<String> fresh = get(path, null, "bob");
			assertThat(fresh.getStatus().value()).as("bob just proved his password: %s", fresh).isEqualTo(200);
			assertThat(fresh.getResponseBody()).contains("bob");
		}
		this.clock.fixAt(this.start.plus(PRIVILEGED_AGE).plus(Duration.ofMinutes(2)));
		for (String path : new String[] { "/transfers", "/export" }) {
			EntityExchangeResult<String> old = get(path, null, "bob");
			assertThat(old.getStatus().value()).as("bob's factor is as old as the clock says: %s", old).isEqualTo(401);
			assertThat(old.getResponseHeaders().getFirst("WWW-Authenticate")).contains("max_age=900");
		}
		assertThat(get("/plain", null, "bob").getStatus().value()).as("not privileged").isEqualTo(200);
	}

	@Test
	void aBasicRequestNeverMeetsAMaximumAgeOfZero() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		EntityExchangeResult<String> basic = get("/export-now", null, "bob");
		assertThat(basic.getStatus().value()).as("as on servlet: %s", basic).isEqualTo(401);
		assertThat(basic.getResponseHeaders().getFirst("WWW-Authenticate")).contains("max_age=0");
	}

	@Test
	void aBasicRequestWithoutAFactorIsNeverPrivileged() {
		// The system clock, which stamps the factor: a factor from the future proves
		// nothing
		this.clock.fixAt(Instant.now());
		for (String path : new String[] { "/transfers", "/export" }) {
			EntityExchangeResult<String> basic = get(path, null, "carol");
			assertThat(basic.getStatus().value()).as("carol proved no factor: %s", basic).isEqualTo(401);
		}
		assertThat(get("/plain", null, "carol").getStatus().value()).as("not privileged").isEqualTo(200);
	}

	@Test
	void anotherUsersBasicRequestIsDecidedByItsOwnFactorNotByTheSessionSentAlong() {
		this.clock.fixAt(this.start.minus(Duration.ofMinutes(20)));
		String alice = signIn("alice");
		this.events.clear();
		// The system clock, which stamps the factor: a factor from the future proves
		// nothing
		this.clock.fixAt(Instant.now());
		for (String path : new String[] { "/transfers", "/export" }) {
			EntityExchangeResult<String> basic = get(path, alice, "bob");
			assertThat(basic.getStatus().value())
				.as("bob just proved his password; alice's sign-in is 20 minutes old: %s", basic)
				.isEqualTo(200);
			assertThat(basic.getResponseBody()).contains("bob");
			assertThat(this.events.all()).as("nothing happened to alice's session: %s", path).isEmpty();
		}
		this.clock.fixAt(this.start.plus(PRIVILEGED_AGE).plus(Duration.ofMinutes(2)));
		EntityExchangeResult<String> old = get("/transfers", alice, "bob");
		assertThat(old.getStatus().value()).as("bob's factor is old now: %s", old).isEqualTo(401);
		assertThat(this.events.all()).as("nothing happened to alice's session").isEmpty();
		EntityExchangeResult<String> own = get("/transfers", alice, null);
		assertThat(own.getStatus().value()).as("alice's own request is challenged: %s", own).isEqualTo(401);
		assertThat(this.events.all()).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipal()).isEqualTo("alice"));
	}

	private String signIn(String username) {
		EntityExchangeResult<String> login = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", username).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		return login.getResponseCookies().getFirst("SESSION").getValue();
	}

	private EntityExchangeResult<String> get(String path, String session, String basicUser) {
		WebTestClient.RequestHeadersSpec<?> request = client().get().uri(path).accept(MediaType.APPLICATION_JSON);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		if (basicUser != null) {
			request = request.headers((headers) -> headers.setBasicAuth(basicUser, "password"));
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class Application {

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http, MapReactiveUserDetailsService users) {
			ReactiveAuthenticationManager basic = stampingThePasswordFactor(
					new UserDetailsRepositoryReactiveAuthenticationManager(users));
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated()).formLogin((form) -> {
			})
				.httpBasic((spec) -> spec.authenticationManager(basic))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		/**
		 * As Spring Security's servlet {@code DaoAuthenticationProvider} does: the
		 * password factor, issued now, for every user but carol.
		 */
		private static ReactiveAuthenticationManager stampingThePasswordFactor(ReactiveAuthenticationManager manager) {
			return (authentication) -> manager.authenticate(authentication).map((authenticated) -> {
				if ("carol".equals(authenticated.getName())) {
					return authenticated;
				}
				List<GrantedAuthority> authorities = new ArrayList<>(authenticated.getAuthorities());
				authorities.add(FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY));
				return UsernamePasswordAuthenticationToken.authenticated(authenticated.getPrincipal(),
						authenticated.getCredentials(), authorities);
			});
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build(),
					User.withUsername("carol").password("{noop}password").roles("USER").build());
		}

		@Bean
		OnceExporter onceExporter() {
			return new OnceExporter();
		}

		/**
		 * A privileged operation that needs an authentication no other operation used.
		 */
		static class OnceExporter {

			@RequiresPrivilegedSession(maxAge = "0")
			public Mono<String> export(String user) {
				return Mono.just("exported once for " + user);
			}

		}

		@RestController
		static class Api {

			private final ReactiveBearerTokenTestApi.Exporter exporter;

			private final OnceExporter onceExporter;

			Api(ReactiveBearerTokenTestApi.Exporter exporter, OnceExporter onceExporter) {
				this.exporter = exporter;
				this.onceExporter = onceExporter;
			}

			@GetMapping(path = "/export-now", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> exportNow(Authentication authentication) {
				return this.onceExporter.export(authentication.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = "/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Authentication authentication) {
				return this.exporter.export(authentication.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = "/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfers(Authentication authentication) {
				return Mono.just(Map.of("name", authentication.getName()));
			}

			@GetMapping(path = "/plain", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> plain(Authentication authentication) {
				return Mono.just(Map.of("name", authentication.getName()));
			}

		}

	}

}
