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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
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
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.SessionChallengedEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.TestTokens;
import dev.sessiontimeout.testsupport.TokenAuthentication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens on a WebFlux resource server, as on servlet
 * ({@code BearerTokenWithSessionCookiePrivilegedIntegrationTests},
 * {@code BearerTokenCustomConverterPrivilegedIntegrationTests}): a token request that
 * carries a session cookie along is decided by its token alone, never by that session
 * (older or fresher, another user's, one whose re-authentication is due), and its refusal
 * is the {@code 401} with the RFC 9470 challenge, whatever it accepts, and leaves nothing
 * in the session sent along; an application's own reactive converter that keeps
 * {@code FACTOR_BEARER} in an authentication of its own type is decided by the token's
 * {@code auth_time} (README, "A bearer-token API"; SPEC §11, §12). Privileged age 15m,
 * idle 1h, re-authentication 2h, WebFlux's own session store; {@code /api/**} is a
 * stateless resource-server chain, {@code /custom/**} one with the application's own
 * converter, {@code /plain/**} and {@code /own/**} ones with converters of the
 * application's own types, anything else a form-login chain.
 */
@SpringBootTest(classes = ReactiveBearerTokenWithSessionCookieIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.idle=1h", "session-timeout.absolute=8h", "session-timeout.reauthentication=2h",
				"session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfers,/custom/transfers,/plain/transfers,/own/transfers" })
class ReactiveBearerTokenWithSessionCookieIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	Events events;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
		this.events.clear();
	}

	@Test
	void aConvertedTokenOfTheApplicationsOwnTypeIsDecidedByItsAuthTime() {
		for (String path : List.of("/custom/export", "/custom/transfers")) {
			assertChallenged(call(null, path, TestTokens.token(null, "read", null), MediaType.APPLICATION_JSON));
			assertChallenged(call(null, path, TestTokens.token(this.start.minus(Duration.ofDays(30)), "read", null),
					MediaType.APPLICATION_JSON));
			EntityExchangeResult<String> recent = call(null, path,
					TestTokens.token(this.start.minusSeconds(60), "read", null), MediaType.APPLICATION_JSON);
			assertThat(recent.getStatus().value()).as("%s", recent).isEqualTo(200);
		}
	}

	@Test
	void aConvertedTokenWithoutTheBearerFactorIsStillDecidedByItsAuthTimeNotByTheSessionSentAlong() {
		String session = signIn("alice", null);
		for (String path : List.of("/plain/export", "/plain/transfers")) {
			assertChallenged(call(session, path, TestTokens.token(null, "read", null), MediaType.APPLICATION_JSON));
			assertChallenged(call(session, path, TestTokens.token(this.start.minus(Duration.ofDays(30)), "read", null),
					MediaType.APPLICATION_JSON));
			EntityExchangeResult<String> recent = call(session, path,
					TestTokens.token(this.start.minusSeconds(60), "read", null), MediaType.APPLICATION_JSON);
			assertThat(recent.getStatus().value()).as("%s", recent).isEqualTo(200);
		}
	}

	@Test
	void aTokenConvertedToAnAuthenticationThatHoldsNoTokenIsNotDecidedByItsUsersFreshSessionSentAlong() {
		String session = signIn("alice", null);
		for (String path : List.of("/own/transfers", "/own/export")) {
			assertChallenged(call(session, path, TestTokens.token(null, "read", null), MediaType.APPLICATION_JSON));
			assertChallenged(call(session, path, TestTokens.token(this.start.minusSeconds(60), "read", null),
					MediaType.APPLICATION_JSON));
			assertChallenged(call(null, path, TestTokens.token(this.start.minusSeconds(60), "read", null),
					MediaType.APPLICATION_JSON));
		}
		assertThat(page(session).getStatus().value()).as("the session itself is still privileged").isEqualTo(200);
	}

	@Test
	void aFreshTokenSentWithItsUsersStaleSessionCookieIsDecidedByTheToken() {
		String session = signIn("alice", null);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		for (String path : List.of("/api/transfers", "/api/export", "/custom/transfers", "/custom/export")) {
			EntityExchangeResult<String> response = call(session, path, fresh, MediaType.APPLICATION_JSON);
			assertThat(response.getStatus().value()).as("%s", response).isEqualTo(200);
			assertThat(response.getResponseBody()).contains("alice");
		}
	}

	@Test
	void aFreshTokenSentWithSomeoneElsesStaleSessionCookieIsDecidedByTheToken() {
		String session = signIn("bob", null);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		for (String path : List.of("/api/transfers", "/api/export")) {
			EntityExchangeResult<String> response = call(session, path, fresh, MediaType.APPLICATION_JSON);
			assertThat(response.getStatus().value()).as("%s", response).isEqualTo(200);
			assertThat(response.getResponseBody()).contains("alice");
		}
	}

	@Test
	void aFreshTokenSentWithASessionCookieWhoseReauthenticationIsDueIsDecidedByTheToken() {
		String session = signIn("alice", null);
		for (Duration at : List.of(Duration.ofMinutes(50), Duration.ofMinutes(100))) {
			this.clock.fixAt(this.start.plus(at));
			assertThat(page(session).getStatus().value()).isEqualTo(200);
		}
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(130)));
		String fresh = TestTokens.token(this.clock.instant().minusSeconds(60), "read", null);
		for (String path : List.of("/api/me", "/api/transfers", "/api/export")) {
			EntityExchangeResult<String> response = call(session, path, fresh, MediaType.APPLICATION_JSON);
			assertThat(response.getStatus().value()).as("%s", response).isEqualTo(200);
			assertThat(response.getResponseBody()).contains("alice");
		}
		EntityExchangeResult<String> page = page(session);
		assertThat(page.getStatus().value()).as("the session's own user must still sign in again: %s", page)
			.isEqualTo(302);
	}

	@Test
	void aStaleTokenSentWithAFreshSessionCookieIsChallenged() {
		String session = signIn("alice", null);
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		for (String path : List.of("/api/transfers", "/api/export", "/custom/transfers", "/custom/export")) {
			assertChallenged(call(session, path, stale, MediaType.APPLICATION_JSON));
		}
	}

	@Test
	void aTokensRefusalRecordsNoChallengeInTheSessionSentAlong() {
		String session = signIn("alice", null);
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(session, "/api/transfers", stale, MediaType.APPLICATION_JSON));
		assertChallenged(call(session, "/api/export", stale, MediaType.APPLICATION_JSON));
		assertThat(this.events.of(SessionChallengedEvent.class)).as("the session's user was challenged by no one")
			.isEmpty();
	}

	@Test
	void aTokensRefusalDoesNotChallengeAnotherUsersSession() {
		String session = signIn("bob", null);
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(session, "/api/export", stale, MediaType.APPLICATION_JSON));
		assertChallenged(call(session, "/api/transfers", stale, MediaType.APPLICATION_JSON));
		EntityExchangeResult<String> me = call(session, "/api/me", stale, MediaType.APPLICATION_JSON);
		assertThat(me.getStatus().value()).as("%s", me).isEqualTo(200);
		assertThat(page(session).getStatus().value()).isEqualTo(200);
		// Without a pending challenge of bob's, another user signs in with the session
		// as with any other session
		EntityExchangeResult<String> login = login("alice", session);
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).hasToString("/");
		assertThat(this.events.of(SessionChallengedEvent.class)).as("bob was challenged by alice's token").isEmpty();
	}

	@Test
	void aRefusedTokenThatAcceptsHtmlStillGetsTheChallengeNotARedirect() {
		String stale = TestTokens.token(this.start.minus(PRIVILEGED_AGE), "read", null);
		assertChallenged(call(null, "/api/transfers", stale, MediaType.TEXT_HTML));
		assertChallenged(call(null, "/api/export", stale, MediaType.TEXT_HTML));
		String session = signIn("alice", null);
		assertChallenged(call(session, "/api/transfers", stale, MediaType.TEXT_HTML));
		assertChallenged(call(session, "/api/export", stale, MediaType.TEXT_HTML));
		// Nor was the token's request saved for after the next login of the session
		EntityExchangeResult<String> login = login("alice", session);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).hasToString("/");
	}

	@Nested
	@TestPropertySource(properties = { "session-timeout.privileged.max-age=0",
			"session-timeout.privileged.paths=/api/transfers,/page" })
	class WhenEveryPrivilegedOperationNeedsANewAuthentication {

		@Test
		void aTokenRequestDoesNotUseTheOnePrivilegedOperationOfTheLoginOfTheSessionSentAlong() {
			String session = signIn("alice", null);
			String fresh = TestTokens.token(ReactiveBearerTokenWithSessionCookieIntegrationTests.this.start, "read",
					null);
			EntityExchangeResult<String> token = call(session, "/api/transfers", fresh, MediaType.APPLICATION_JSON);
			assertThat(token.getStatus().value()).as("a token never meets a maximum age of zero: %s", token)
				.isEqualTo(401);
			assertThat(token.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).endsWith("max_age=0");
			EntityExchangeResult<String> own = page(session);
			assertThat(own.getStatus().value())
				.as("the login's one privileged operation is still the session's: %s", own)
				.isEqualTo(200);
			assertThat(page(session).getStatus().value()).as("and only one").isEqualTo(302);
		}

	}

	private String signIn(String username, @Nullable String session) {
		EntityExchangeResult<String> login = login(username, session);
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).hasToString("/");
		return login.getResponseCookies().getFirst("SESSION").getValue();
	}

	private EntityExchangeResult<String> login(String username, @Nullable String session) {
		WebTestClient.RequestBodySpec request = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		return request.body(BodyInserters.fromFormData("username", username).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private EntityExchangeResult<String> page(String session) {
		return client().get()
			.uri("/page")
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private EntityExchangeResult<String> call(@Nullable String session, String path, String token, MediaType accept) {
		WebTestClient.RequestHeadersSpec<?> request = client().get()
			.uri(path)
			.accept(accept)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private static void assertChallenged(EntityExchangeResult<String> response) {
		assertThat(response.getStatus().value()).as("%s", response).isEqualTo(401);
		assertThat(response.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + PRIVILEGED_AGE.toSeconds());
		assertThat(response.getResponseBody()).as("%s", response).contains("\"reason\":\"privileged\"");
	}

	static class Events {

		private final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionTimeoutEvent event) {
			this.events.add(event);
		}

		List<SessionTimeoutEvent> of(Class<?> type) {
			return this.events.stream().filter(type::isInstance).toList();
		}

		void clear() {
			this.events.clear();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBearerTokenTestApi.class)
	static class Application {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain apiChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> {
				}))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(2)
		SecurityWebFilterChain customConverterChain(ServerHttpSecurity http) {
			ReactiveJwtAuthenticationConverterAdapter standard = new ReactiveJwtAuthenticationConverterAdapter(
					new JwtAuthenticationConverter());
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/custom/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server
					.jwt((jwt) -> jwt.jwtAuthenticationConverter((token) -> standard.convert(token)
						.map((converted) -> new TokenAuthentication(token, converted.getAuthorities())))))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		/**
		 * A converter of the application's own whose authentication keeps the token as
		 * its principal but has none of Spring Security's factor authorities.
		 * @param http the security builder
		 * @return the chain
		 */
		@Bean
		@Order(3)
		SecurityWebFilterChain plainConverterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/plain/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter((token) -> Mono
					.just(new TokenAuthentication(token, AuthorityUtils.createAuthorityList("SCOPE_read"))))))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		/**
		 * A converter of the application's own whose authentication is of the token's
		 * subject and holds no token: the starter cannot read when its user
		 * authenticated.
		 * @param http the security builder
		 * @return the chain
		 */
		@Bean
		@Order(4)
		SecurityWebFilterChain ownTypeConverterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/own/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt
					.jwtAuthenticationConverter((token) -> Mono.just(UsernamePasswordAuthenticationToken
						.authenticated(token.getSubject(), null, AuthorityUtils.createAuthorityList("SCOPE_read"))))))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(5)
		SecurityWebFilterChain pageChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated()).formLogin((form) -> {
			}).csrf(ServerHttpSecurity.CsrfSpec::disable).build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Api {

			private final ReactiveBearerTokenTestApi.Exporter exporter;

			Api(ReactiveBearerTokenTestApi.Exporter exporter) {
				this.exporter = exporter;
			}

			@GetMapping(path = { "/api/export", "/custom/export", "/plain/export", "/own/export" },
					produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Authentication authentication) {
				return this.exporter.export(authentication.getName()).map((export) -> Map.of("export", export));
			}

			@GetMapping(path = { "/api/export", "/custom/export" }, produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> exportPage(Authentication authentication) {
				return this.exporter.export(authentication.getName());
			}

			@GetMapping(
					path = { "/api/me", "/api/transfers", "/custom/transfers", "/plain/transfers", "/own/transfers" },
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			Mono<Map<String, Object>> me(Authentication authentication) {
				return Mono.just(Map.of("name", authentication.getName()));
			}

			@GetMapping(path = "/page", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> page() {
				return Mono.just("page");
			}

		}

	}

}
