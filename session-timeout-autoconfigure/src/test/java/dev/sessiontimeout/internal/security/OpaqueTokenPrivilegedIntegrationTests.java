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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenClaimsContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.Transfers;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @RequiresPrivilegedSession} and {@code session-timeout.privileged.paths} on a
 * stateless resource-server chain whose access tokens are opaque. The provider of
 * {@link OidcStepUpIntegrationTests}, Spring Authorization Server, issues reference
 * tokens through the authorization code flow, and a token customizer there adds the
 * user's authentication time (the latest factor's issue instant, in epoch seconds) to
 * their claims as {@code auth_time}, which its introspection endpoint returns. The
 * resource server introspects every token over HTTP with
 * {@link SpringOpaqueTokenIntrospector}. One shiftable clock stamps the logins at the
 * provider and is the resource server's {@code sessionTimeoutClock}; the tokens' issue
 * and expiry, and so whether they are active, stay on the real clock. Privileged age 15m,
 * 5m for tokens with the scope {@code admin}.
 */
class OpaqueTokenPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final Duration ADMINISTRATORS_PRIVILEGED_AGE = Duration.ofMinutes(5);

	private static final String CLIENT_ID = "opaque-client";

	private static final String NO_AUTH_TIME_CLIENT_ID = "opaque-client-without-auth-time";

	private static final String INSTANT_AUTH_TIME_CLIENT_ID = "opaque-client-with-instant-auth-time";

	private static final String RESOURCE_SERVER_CLIENT_ID = "resource-server";

	private static final String REDIRECT_URI = "http://127.0.0.1/callback";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private static ConfigurableApplicationContext resourceServer;

	private static String providerUrl;

	private Instant start;

	@BeforeAll
	static void startTheProviderAndTheResourceServer() {
		provider = OidcStepUpIntegrationTests.startProvider(sharedClock(), OpaqueTokenClients.class);
		providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		resourceServer = new SpringApplicationBuilder(ResourceServerApplication.class).initializers(sharedClock())
			.properties("server.port=0", "introspection-uri=" + providerUrl + "/oauth2/introspect",
					"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/api/statements",
					"session-timeout.policies[0].name=administrators",
					"session-timeout.policies[0].authorities=SCOPE_admin",
					"session-timeout.policies[0].privileged-max-age=5m",
					AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY)
			.run();
	}

	@AfterAll
	static void stopTheResourceServerAndTheProvider() {
		if (resourceServer != null) {
			resourceServer.close();
		}
		if (provider != null) {
			provider.close();
		}
	}

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		clock.fixAt(this.start);
	}

	@Test
	void aTokenIntrospectedWithTheUsersFreshAuthTimeCallsThePrivilegedMethodAndPath() {
		String token = accessToken(CLIENT_ID, "read");
		Response me = call("/api/me", token);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(jsonString(me, "name")).isEqualTo("user");
		assertThat(jsonString(me, "authTime")).as("the login's instant, from the introspection response")
			.isEqualTo(String.valueOf(this.start.getEpochSecond()));
		Response transfer = call("/api/transfer", token);
		assertThat(transfer.status()).as("%s", transfer).isEqualTo(200);
		assertThat(transfer.body()).contains("transferred 10");
		Response statements = call("/api/statements", token);
		assertThat(statements.status()).as("%s", statements).isEqualTo(200);
	}

	@Test
	void aTokenIsChallengedWithRfc9470FromThePrivilegedAgeAfterItsUsersLogin() {
		String token = accessToken(CLIENT_ID, "read");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).minusSeconds(1));
		assertThat(call("/api/transfer", token).status()).isEqualTo(200);
		assertThat(call("/api/statements", token).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		assertChallenged(call("/api/transfer", token), PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", token), PRIVILEGED_AGE);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).plusSeconds(1));
		assertChallenged(call("/api/transfer", token), PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", token), PRIVILEGED_AGE);
		assertThat(call("/api/me", token).status()).as("not privileged").isEqualTo(200);
	}

	@Test
	void aTokenIssuedNowForALoginThePrivilegedAgeAgoIsChallenged() {
		clock.fixAt(this.start.minus(PRIVILEGED_AGE));
		String token = accessToken(CLIENT_ID, "read");
		clock.fixAt(this.start);
		assertChallenged(call("/api/transfer", token), PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", token), PRIVILEGED_AGE);
	}

	@Test
	void aTokenWithoutAuthTimeIsNeverPrivileged() {
		String token = accessToken(NO_AUTH_TIME_CLIENT_ID, "read");
		Response me = call("/api/me", token);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(jsonString(me, "authTime")).isEqualTo("null");
		assertChallenged(call("/api/transfer", token), PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", token), PRIVILEGED_AGE);
	}

	@Test
	void anAuthTimeThatTheProviderWritesAsAnIsoInstantIsReadToo() {
		String token = accessToken(INSTANT_AUTH_TIME_CLIENT_ID, "read");
		Response me = call("/api/me", token);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(jsonString(me, "authTime")).as("an Instant claim, as the introspection endpoint writes it")
			.isEqualTo(this.start.toString());
		assertThat(call("/api/transfer", token).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).minusSeconds(1));
		assertThat(call("/api/statements", token).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		assertChallenged(call("/api/transfer", token), PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", token), PRIVILEGED_AGE);
	}

	@Test
	void aTokenWhoseScopeChoosesAPolicyGetsThatPolicysPrivilegedAge() {
		String administrator = accessToken(CLIENT_ID, "read admin");
		String reader = accessToken(CLIENT_ID, "read");
		clock.fixAt(this.start.plus(ADMINISTRATORS_PRIVILEGED_AGE).minusSeconds(1));
		assertThat(call("/api/transfer", administrator).status()).isEqualTo(200);
		assertThat(call("/api/statements", administrator).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(ADMINISTRATORS_PRIVILEGED_AGE));
		assertChallenged(call("/api/transfer", administrator), ADMINISTRATORS_PRIVILEGED_AGE);
		assertChallenged(call("/api/statements", administrator), ADMINISTRATORS_PRIVILEGED_AGE);
		assertThat(call("/api/transfer", reader).status()).isEqualTo(200);
		assertThat(call("/api/statements", reader).status()).isEqualTo(200);
	}

	@Test
	void aRevokedOrUnknownTokenIsRefusedAsAnInvalidTokenBySpringSecurity() {
		String token = accessToken(CLIENT_ID, "read");
		assertThat(call("/api/transfer", token).status()).isEqualTo(200);
		Response revocation = new TestBrowser(providerUrl).post("/oauth2/revoke",
				Map.of("token", token, "token_type_hint", "access_token"), TestBrowser.JSON, "Authorization",
				basic(CLIENT_ID));
		assertThat(revocation.status()).as("%s", revocation).isEqualTo(200);
		assertInvalidToken(call("/api/transfer", token));
		assertInvalidToken(call("/api/me", token));
		assertInvalidToken(call("/api/statements", "never-issued"));
	}

	private static void assertChallenged(Response response, Duration maxAge) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + maxAge.toSeconds());
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	private static void assertInvalidToken(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response).startsWith("Bearer error=\"invalid_token\"");
	}

	private static Response call(String path, String token) {
		return new TestBrowser(OidcStepUpIntegrationTests.port(resourceServer)).get(path, TestBrowser.JSON,
				"Authorization", "Bearer " + token);
	}

	/**
	 * Log in at the provider, at the current instant of the clock, through the
	 * authorization code flow with PKCE, and return the access token it issues.
	 * @param clientId the client that asks for the token
	 * @param scope the scopes it asks for
	 * @return the opaque access token
	 */
	private static String accessToken(String clientId, String scope) {
		TestBrowser browser = new TestBrowser(providerUrl);
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String verifier = base64Url(random);
		String authorization = UriComponentsBuilder.fromUriString(providerUrl + "/oauth2/authorize")
			.queryParam("response_type", "code")
			.queryParam("client_id", clientId)
			.queryParam("scope", scope)
			.queryParam("redirect_uri", REDIRECT_URI)
			.queryParam("state", "state")
			.queryParam("code_challenge", codeChallenge(verifier))
			.queryParam("code_challenge_method", "S256")
			.encode()
			.toUriString();
		Response loginPage = browser.getUrl(authorization, TestBrowser.HTML);
		assertThat(loginPage.location()).as("%s", loginPage).isEqualTo(providerUrl + "/login");
		Response login = browser.login("user", "password");
		assertThat(login.location()).as("%s", login).startsWith(providerUrl + "/oauth2/authorize?");
		Response redirect = browser.getUrl(login.location(), TestBrowser.HTML);
		assertThat(redirect.location()).as("%s", redirect).startsWith(REDIRECT_URI + "?");
		String code = UriComponentsBuilder.fromUriString(redirect.location()).build().getQueryParams().getFirst("code");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", REDIRECT_URI);
		form.put("code_verifier", verifier);
		Response token = browser.post("/oauth2/token", form, TestBrowser.JSON, "Authorization", basic(clientId));
		assertThat(token.status()).as("%s", token).isEqualTo(200);
		return jsonString(token, "access_token");
	}

	private static String codeChallenge(String verifier) {
		try {
			return base64Url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String basic(String clientId) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((clientId + ":" + secret(clientId)).getBytes(StandardCharsets.UTF_8));
	}

	private static String secret(String clientId) {
		return clientId + "-secret";
	}

	private static String jsonString(Response response, String member) {
		return response.jsonString(member);
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock() {
		return (context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
	}

	/**
	 * The provider's clients for opaque tokens: three that get reference access tokens by
	 * the authorization code flow, one of them without {@code auth_time}, and the
	 * resource server, which only introspects.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OpaqueTokenClients {

		@Bean
		RegisteredClient opaqueTokenClient() {
			return referenceTokenClient(CLIENT_ID);
		}

		@Bean
		RegisteredClient opaqueTokenClientWithoutAuthTime() {
			return referenceTokenClient(NO_AUTH_TIME_CLIENT_ID);
		}

		@Bean
		RegisteredClient opaqueTokenClientWithInstantAuthTime() {
			return referenceTokenClient(INSTANT_AUTH_TIME_CLIENT_ID);
		}

		@Bean
		RegisteredClient resourceServerClient() {
			return RegisteredClient.withId(RESOURCE_SERVER_CLIENT_ID)
				.clientId(RESOURCE_SERVER_CLIENT_ID)
				.clientSecret("{noop}" + secret(RESOURCE_SERVER_CLIENT_ID))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.build();
		}

		private static RegisteredClient referenceTokenClient(String clientId) {
			return RegisteredClient.withId(clientId)
				.clientId(clientId)
				.clientSecret("{noop}" + secret(clientId))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri(REDIRECT_URI)
				.scope("read")
				.scope("admin")
				.clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
				.tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.REFERENCE).build())
				.build();
		}

		/**
		 * Reference access tokens carry the user's authentication time as
		 * {@code auth_time}: the latest issue instant of the user's factors, as Spring
		 * Authorization Server takes it for the ID token's {@code auth_time}. For the
		 * client {@value #CLIENT_ID} in epoch seconds, as RFC 9470 has it; for
		 * {@value #INSTANT_AUTH_TIME_CLIENT_ID} the {@link Instant} itself, which the
		 * introspection endpoint writes as an ISO-8601 string.
		 */
		@Bean
		OAuth2TokenCustomizer<OAuth2TokenClaimsContext> accessTokenAuthTime() {
			return (context) -> {
				String clientId = context.getRegisteredClient().getClientId();
				if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
						|| !Set.of(CLIENT_ID, INSTANT_AUTH_TIME_CLIENT_ID).contains(clientId)) {
					return;
				}
				context.getPrincipal()
					.getAuthorities()
					.stream()
					.filter(FactorGrantedAuthority.class::isInstance)
					.map((authority) -> ((FactorGrantedAuthority) authority).getIssuedAt())
					.max(Instant::compareTo)
					.ifPresent((authenticatedAt) -> context.getClaims()
						.claim(BearerTokenLoginFlow.AUTH_TIME,
								CLIENT_ID.equals(clientId) ? authenticatedAt.getEpochSecond() : authenticatedAt));
			};
		}

	}

	/**
	 * The resource server: a stateless chain that introspects opaque tokens at the
	 * provider as the client {@value #RESOURCE_SERVER_CLIENT_ID}; {@code /api/transfer}
	 * calls a {@code @RequiresPrivilegedSession} method, {@code /api/statements} is a
	 * privileged path, and {@code /api/me} is neither.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResourceServerApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			http.oauth2ResourceServer((server) -> server.opaqueToken(Customizer.withDefaults()));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		OpaqueTokenIntrospector opaqueTokenIntrospector(Environment environment) {
			return SpringOpaqueTokenIntrospector
				.withIntrospectionUri(environment.getRequiredProperty("introspection-uri"))
				.clientId(RESOURCE_SERVER_CLIENT_ID)
				.clientSecret(secret(RESOURCE_SERVER_CLIENT_ID))
				.build();
		}

		@Bean
		Transfers transfers() {
			return new Transfers();
		}

		@RestController
		static class Api {

			private final Transfers transfers;

			Api(Transfers transfers) {
				this.transfers = transfers;
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfer() {
				return Map.of("result", this.transfers.transfer("10"));
			}

			@GetMapping(path = "/api/statements", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> statements(BearerTokenAuthentication authentication) {
				return Map.of("name", authentication.getName());
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(BearerTokenAuthentication authentication) {
				return Map.of("name", authentication.getName(), "authTime",
						String.valueOf(authentication.getTokenAttributes().get(BearerTokenLoginFlow.AUTH_TIME)));
			}

		}

	}

}
