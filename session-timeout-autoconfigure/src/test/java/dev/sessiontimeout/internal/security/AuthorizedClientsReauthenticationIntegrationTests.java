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
package dev.sessiontimeout.internal.security;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.AuthenticatedPrincipalOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth 2.0 authorized clients that the application keeps in the session with Spring
 * Security's {@link HttpSessionOAuth2AuthorizedClientRepository} (which gives whoever
 * asks the session's client of a registration, whatever the principal) are hidden while
 * the user must authenticate again, as the user is: a public page that asks for the
 * client gets none, not the user's access token. The user has them again after signing in
 * again. What a request stores meanwhile is its own, and the user's only if that request
 * is the login (as a login callback stores its client before the authentication); a
 * removal meanwhile removes none of the user's. Spring Boot's default repository, which
 * keeps the clients of authenticated users out of the session, gives none either. Through
 * the real filter chain on Spring Session's map store; re-authentication 45m, idle 30m.
 */
@SpringBootTest(classes = AuthorizedClientsReauthenticationIntegrationTests.ClientsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session-timeout.reauthentication=45m",
				"session-timeout.idle=30m", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class AuthorizedClientsReauthenticationIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signInWithAnAuthorizedClient() {
		assertThat(signIn().status()).isEqualTo(302);
		Response stored = this.browser.post("/clients/api", Map.of("token", "token-of-user"), TestBrowser.JSON);
		assertThat(stored.status()).as("%s", stored).isEqualTo(200);
		Response storedByBoot = this.browser.post("/boot/clients/other", Map.of("token", "boot-token-of-user"),
				TestBrowser.JSON);
		assertThat(storedByBoot.status()).as("%s", storedByBoot).isEqualTo(200);
		shiftBy(Duration.ofMinutes(25));
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"api\":\"token-of-user\"",
				"\"viewer\":\"user\"");
		assertThat(this.browser.get("/boot/clients", TestBrowser.JSON).body())
			.contains("\"other\":\"boot-token-of-user\"", "\"viewer\":\"user\"");
		shiftBy(Duration.ofMinutes(20));
	}

	@Test
	void aPublicPageGetsNoneOfTheUsersClientsWhileReauthenticationIsDue() {
		Response clients = this.browser.get("/clients", TestBrowser.JSON);
		assertThat(clients.status()).as("%s", clients).isEqualTo(200);
		assertThat(clients.body()).contains("\"viewer\":\"anonymous\"", "\"api\":\"none\"")
			.doesNotContain("token-of-user");
	}

	@Test
	void springBootsDefaultRepositoryGivesAnAnonymousRequestNoneOfTheUsersClients() {
		// Its anonymous requests' clients are in the session, its users' are not
		Response clients = this.browser.get("/boot/clients", TestBrowser.JSON);
		assertThat(clients.body()).as("%s", clients)
			.contains("\"viewer\":\"anonymous\"", "\"other\":\"none\"")
			.doesNotContain("boot-token-of-user");
		assertThat(signIn().status()).isEqualTo(302);
		assertThat(this.browser.get("/boot/clients", TestBrowser.JSON).body()).contains("\"viewer\":\"user\"",
				"\"other\":\"boot-token-of-user\"");
	}

	@Test
	void theUserHasTheClientsAgainAfterSigningInAgain() {
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).doesNotContain("token-of-user");
		assertThat(signIn().status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"viewer\":\"user\"",
				"\"api\":\"token-of-user\"");
	}

	@Test
	void aClientStoredWhileReauthenticationIsDueIsTheRequestsOwnAndNeverTheUsers() {
		Response stored = this.browser.post("/clients/other", Map.of("token", "token-meanwhile"), TestBrowser.JSON);
		assertThat(stored.status()).as("%s", stored).isEqualTo(200);
		assertThat(stored.body()).as("the request sees what it stored, not the user's")
			.contains("\"viewer\":\"anonymous\"", "\"api\":\"none\"", "\"other\":\"token-meanwhile\"");
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"api\":\"none\"",
				"\"other\":\"none\"");
		assertThat(signIn().status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"viewer\":\"user\"",
				"\"api\":\"token-of-user\"", "\"other\":\"none\"");
	}

	@Test
	void aClientStoredByTheLoginThatMeetsTheChallengeJoinsTheUsers() {
		// As a login callback does (oauth2Login()), before it stores the authentication
		assertThat(loginStoring("other", "token-at-login").status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"viewer\":\"user\"",
				"\"api\":\"token-of-user\"", "\"other\":\"token-at-login\"");
	}

	@Test
	void aClientStoredByTheLoginThatMeetsTheChallengeReplacesTheUsersOfItsRegistration() {
		assertThat(loginStoring("api", "token-renewed").status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"api\":\"token-renewed\"")
			.doesNotContain("token-of-user");
	}

	@Test
	void aClientStoredByAFailedLoginIsNotKept() {
		Map<String, String> form = Map.of("username", "user", "password", "wrong", "client", "api", "client-token",
				"token-of-someone");
		assertThat(this.browser.post("/signin", form, TestBrowser.HTML).location()).endsWith("/login?error");
		assertThat(signIn().status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"api\":\"token-of-user\"");
	}

	@Test
	void aRemovalWhileReauthenticationIsDueRemovesNoneOfTheUsersClients() {
		Response removed = this.browser.delete("/clients/api");
		assertThat(removed.status()).as("%s", removed).isEqualTo(200);
		assertThat(removed.body()).contains("\"api\":\"none\"");
		assertThat(signIn().status()).isEqualTo(302);
		assertThat(this.browser.get("/clients", TestBrowser.JSON).body()).contains("\"api\":\"token-of-user\"");
	}

	/**
	 * Sign in at the login processing URL, which is not the expired URL's path (the login
	 * page, which sees the session as it is): it runs without the user while
	 * re-authentication is due, as a login callback does.
	 */
	private Response signIn() {
		return this.browser.post("/signin", Map.of("username", "user", "password", "password"), TestBrowser.HTML);
	}

	private Response loginStoring(String registration, String token) {
		return this.browser.post("/signin",
				Map.of("username", "user", "password", "password", "client", registration, "client-token", token),
				TestBrowser.HTML);
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class ClientsApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			http.formLogin((form) -> form.loginProcessingUrl("/signin"));
			http.addFilterBefore(new ClientAtLoginFilter(), UsernamePasswordAuthenticationFilter.class);
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		/**
		 * Stores the client that a login request names ({@code client},
		 * {@code client-token}) before the login, as a login callback does.
		 */
		static final class ClientAtLoginFilter extends OncePerRequestFilter {

			private final HttpSessionOAuth2AuthorizedClientRepository clients = new HttpSessionOAuth2AuthorizedClientRepository();

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				String registration = request.getParameter("client");
				String token = request.getParameter("client-token");
				if ("POST".equals(request.getMethod()) && registration != null && token != null) {
					this.clients.saveAuthorizedClient(
							new OAuth2AuthorizedClient(Clients.registration(registration), "user",
									Clients.accessToken(token)),
							UsernamePasswordAuthenticationToken.unauthenticated("user", null), request, response);
				}
				chain.doFilter(request, response);
			}

		}

		/**
		 * Stores, removes and loads authorized clients with the session repository, as
		 * {@code OAuth2AuthorizedClientManager} and
		 * {@code @RegisteredOAuth2AuthorizedClient} do, with the request's principal.
		 */
		@RestController
		static class Clients {

			private static final ClientRegistration API = registration("api");

			private static final ClientRegistration OTHER = registration("other");

			private final OAuth2AuthorizedClientRepository session = new HttpSessionOAuth2AuthorizedClientRepository();

			/**
			 * Spring Boot's default: the clients of authenticated users in the
			 * {@code OAuth2AuthorizedClientService}, those of anonymous ones in the
			 * session.
			 */
			private final OAuth2AuthorizedClientRepository boot = new AuthenticatedPrincipalOAuth2AuthorizedClientRepository(
					new InMemoryOAuth2AuthorizedClientService(new InMemoryClientRegistrationRepository(API, OTHER)));

			static OAuth2AccessToken accessToken(String token) {
				return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, Instant.now(),
						Instant.now().plus(Duration.ofDays(1)));
			}

			static ClientRegistration registration(String id) {
				return ClientRegistration.withRegistrationId(id)
					.clientId("app")
					.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
					.tokenUri("https://idp.example/token")
					.build();
			}

			private OAuth2AuthorizedClientRepository repository(String name) {
				return "boot".equals(name) ? this.boot : this.session;
			}

			@PostMapping(path = { "/clients/{registration}", "/{repository}/clients/{registration}" },
					produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> store(@PathVariable(required = false) String repository,
					@PathVariable String registration, @RequestParam String token, HttpServletRequest request,
					HttpServletResponse response) {
				Authentication principal = SecurityContextHolder.getContext().getAuthentication();
				OAuth2AccessToken accessToken = accessToken(token);
				repository(repository)
					.saveAuthorizedClient(new OAuth2AuthorizedClient("api".equals(registration) ? API : OTHER,
							principal.getName(), accessToken), principal, request, response);
				return clients(repository, request);
			}

			@DeleteMapping(path = "/clients/{registration}", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> remove(@PathVariable String registration, HttpServletRequest request,
					HttpServletResponse response) {
				this.session.removeAuthorizedClient(registration,
						SecurityContextHolder.getContext().getAuthentication(), request, response);
				return clients(null, request);
			}

			@GetMapping(path = { "/clients", "/{repository}/clients" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> clients(@PathVariable(required = false) String repository, HttpServletRequest request) {
				Authentication principal = SecurityContextHolder.getContext().getAuthentication();
				Map<String, Object> clients = new LinkedHashMap<>();
				for (String registration : new String[] { "api", "other" }) {
					OAuth2AuthorizedClient client = repository(repository).loadAuthorizedClient(registration, principal,
							request);
					clients.put(registration, (client != null) ? client.getAccessToken().getTokenValue() : "none");
				}
				boolean user = principal != null && principal.isAuthenticated()
						&& !"anonymousUser".equals(principal.getName());
				clients.put("viewer", user ? principal.getName() : "anonymous");
				return clients;
			}

		}

	}

}
