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
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth 2.0 authorized clients that the application keeps in the session with Spring
 * Security's {@link WebSessionServerOAuth2AuthorizedClientRepository} (which gives
 * whoever asks the session's client of a registration, whatever the principal) are hidden
 * while the user must authenticate again, as the user is, on WebFlux's own store: a
 * public request that asks for the client gets none, not the user's access token. The
 * user has them again after signing in again. What a request stores meanwhile is its own,
 * and the user's only if that request is the login (as a login callback stores its client
 * before the authentication); a removal meanwhile removes none of the user's.
 * Re-authentication 45m, idle 30m.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveAuthorizedClientsReauthenticationIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.reauthentication=45m",
				"session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveAuthorizedClientsReauthenticationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Nullable String session;

	@BeforeEach
	void signInWithAnAuthorizedClient() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.session = null;
		signIn();
		assertThat(send("POST", "/api/clients/api?token=token-of-alice").getStatus().value()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(25));
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"api\":\"token-of-alice\"",
				"\"viewer\":\"alice\"");
		shiftBy(Duration.ofMinutes(20));
	}

	@Test
	void aPublicRequestGetsNoneOfTheUsersClientsWhileReauthenticationIsDue() {
		EntityExchangeResult<String> clients = send("GET", "/api/clients");
		assertThat(clients.getStatus().value()).as("%s", clients).isEqualTo(200);
		assertThat(clients.getResponseBody()).contains("\"viewer\":\"anonymous\"", "\"api\":\"none\"")
			.doesNotContain("token-of-alice");
	}

	@Test
	void theUserHasTheClientsAgainAfterSigningInAgain() {
		assertThat(send("GET", "/api/clients").getResponseBody()).doesNotContain("token-of-alice");
		signIn();
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"viewer\":\"alice\"",
				"\"api\":\"token-of-alice\"");
	}

	@Test
	void aClientStoredWhileReauthenticationIsDueIsTheRequestsOwnAndNeverTheUsers() {
		EntityExchangeResult<String> stored = send("POST", "/api/clients/other?token=token-meanwhile");
		assertThat(stored.getStatus().value()).as("%s", stored).isEqualTo(200);
		assertThat(stored.getResponseBody()).as("the request sees what it stored, not the user's")
			.contains("\"viewer\":\"anonymous\"", "\"api\":\"none\"", "\"other\":\"token-meanwhile\"");
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"api\":\"none\"", "\"other\":\"none\"");
		signIn();
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"viewer\":\"alice\"",
				"\"api\":\"token-of-alice\"", "\"other\":\"none\"");
	}

	@Test
	void aClientStoredByTheLoginThatMeetsTheChallengeJoinsTheUsers() {
		// As a login callback does (oauth2Login()), before it stores the authentication
		signIn("?client=other&client-token=token-at-login");
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"viewer\":\"alice\"",
				"\"api\":\"token-of-alice\"", "\"other\":\"token-at-login\"");
	}

	@Test
	void aClientStoredByTheLoginThatMeetsTheChallengeReplacesTheUsersOfItsRegistration() {
		signIn("?client=api&client-token=token-renewed");
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"api\":\"token-renewed\"")
			.doesNotContain("token-of-alice");
	}

	@Test
	void aClientStoredByAFailedLoginIsNotKept() {
		EntityExchangeResult<String> failed = client().post()
			.uri("/signin?client=api&client-token=token-of-someone")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookies(this::withSession)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "wrong"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(failed.getResponseHeaders().getLocation()).as("%s", failed).hasToString("/login?error");
		signIn();
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"api\":\"token-of-alice\"");
	}

	@Test
	void aRemovalWhileReauthenticationIsDueRemovesNoneOfTheUsersClients() {
		EntityExchangeResult<String> removed = send("DELETE", "/api/clients/api");
		assertThat(removed.getStatus().value()).as("%s", removed).isEqualTo(200);
		assertThat(removed.getResponseBody()).contains("\"api\":\"none\"");
		signIn();
		assertThat(send("GET", "/api/clients").getResponseBody()).contains("\"api\":\"token-of-alice\"");
	}

	private void signIn() {
		signIn("");
	}

	/**
	 * Sign in at the login processing URL, which is not the expired URL's path (the login
	 * page, which sees the session as it is): it runs without the user while
	 * re-authentication is due, as a login callback does.
	 */
	private void signIn(String query) {
		EntityExchangeResult<String> login = client().post()
			.uri("/signin" + query)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookies(this::withSession)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		keepSession(login);
	}

	private EntityExchangeResult<String> send(String method, String path) {
		EntityExchangeResult<String> result = client().method(HttpMethod.valueOf(method))
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookies(this::withSession)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		keepSession(result);
		return result;
	}

	private void withSession(MultiValueMap<String, String> cookies) {
		if (this.session != null) {
			cookies.add("SESSION", this.session);
		}
	}

	private void keepSession(EntityExchangeResult<String> result) {
		ResponseCookie cookie = result.getResponseCookies().getFirst("SESSION");
		if (cookie != null && !cookie.getValue().isEmpty()) {
			this.session = cookie.getValue();
		}
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
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
		SecurityWebFilterChain appChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.formLogin((form) -> form
					.requiresAuthenticationMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/signin")))
				.addFilterBefore(Clients::storeAtLogin, SecurityWebFiltersOrder.FORM_LOGIN)
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		/**
		 * Stores, removes and loads authorized clients with the session repository, as
		 * {@code ReactiveOAuth2AuthorizedClientManager} and
		 * {@code @RegisteredOAuth2AuthorizedClient} do, with the request's principal.
		 */
		@RestController
		static class Clients {

			private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

			private final WebSessionServerOAuth2AuthorizedClientRepository clients = new WebSessionServerOAuth2AuthorizedClientRepository();

			/**
			 * Store the client that a login request names ({@code client},
			 * {@code client-token}) before the login, as a login callback does.
			 */
			static Mono<Void> storeAtLogin(ServerWebExchange exchange, WebFilterChain chain) {
				String registration = exchange.getRequest().getQueryParams().getFirst("client");
				String token = exchange.getRequest().getQueryParams().getFirst("client-token");
				if (registration == null || token == null) {
					return chain.filter(exchange);
				}
				return new WebSessionServerOAuth2AuthorizedClientRepository()
					.saveAuthorizedClient(
							new OAuth2AuthorizedClient(registration(registration), "alice", accessToken(token)),
							UsernamePasswordAuthenticationToken.unauthenticated("alice", null), exchange)
					.then(chain.filter(exchange));
			}

			static ClientRegistration registration(String id) {
				return ClientRegistration.withRegistrationId(id)
					.clientId("app")
					.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
					.tokenUri("https://idp.example/token")
					.build();
			}

			static OAuth2AccessToken accessToken(String token) {
				return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, Instant.now(),
						Instant.now().plus(Duration.ofDays(1)));
			}

			@PostMapping(path = "/api/clients/{registration}", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> store(@PathVariable String registration, @RequestParam String token,
					ServerWebExchange exchange) {
				ClientRegistration client = registration(registration);
				OAuth2AccessToken accessToken = accessToken(token);
				return principal()
					.flatMap((principal) -> this.clients.saveAuthorizedClient(
							new OAuth2AuthorizedClient(client, principal.getName(), accessToken), principal, exchange))
					.then(clients(exchange));
			}

			@DeleteMapping(path = "/api/clients/{registration}", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> remove(@PathVariable String registration, ServerWebExchange exchange) {
				return principal()
					.flatMap((principal) -> this.clients.removeAuthorizedClient(registration, principal, exchange))
					.then(clients(exchange));
			}

			@GetMapping(path = "/api/clients", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> clients(ServerWebExchange exchange) {
				return principal().flatMap((principal) -> Flux.just("api", "other")
					.concatMap((registration) -> this.clients
						.<OAuth2AuthorizedClient>loadAuthorizedClient(registration, principal, exchange)
						.map((client) -> client.getAccessToken().getTokenValue())
						.defaultIfEmpty("none")
						.map((token) -> Map.entry(registration, token)))
					.collectList()
					.map((entries) -> {
						Map<String, Object> clients = new LinkedHashMap<>();
						entries.forEach((entry) -> clients.put(entry.getKey(), entry.getValue()));
						clients.put("viewer", (principal instanceof AnonymousAuthenticationToken) ? "anonymous"
								: principal.getName());
						return clients;
					}));
			}

			private static Mono<Authentication> principal() {
				return ReactiveSecurityContextHolder.getContext()
					.mapNotNull(SecurityContext::getAuthentication)
					.defaultIfEmpty(ANONYMOUS);
			}

		}

	}

}
