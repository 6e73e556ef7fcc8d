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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.UriComponentsBuilder;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Steps up an {@code oauth2Login()} session of a WebFlux application against a real
 * OpenID Connect provider, as {@link OidcStepUpIntegrationTests} does on servlet: Spring
 * Authorization Server (that test's provider) runs in the same JVM at {@code localhost},
 * and the reactive relying party, on Netty with WebFlux's own session store, at
 * {@code 127.0.0.1}; both read one shiftable clock for the user's authentication, so the
 * ID token's {@code auth_time} is an instant of that clock. Spring Authorization Server
 * ignores {@code prompt=login} and {@code max_age}: while its own session lasts it
 * answers with the old {@code auth_time}, which the relying party refuses. Absolute
 * lifetime 2h, idle 30m, privileged age 15m for {@code /transfers}; auditors must
 * authenticate again after 45m.
 */
class ReactiveOidcStepUpIntegrationTests {

	private static final Duration ABSOLUTE = Duration.ofHours(2);

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final Duration REAUTHENTICATION = Duration.ofMinutes(45);

	private static final String CLIENT_ID = "relying-party";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private static ConfigurableApplicationContext relyingParty;

	private static String providerUrl;

	private static String relyingPartyUrl;

	private TestBrowser browser;

	private TestBrowser providerBrowser;

	private Instant start;

	@BeforeAll
	static void startTheProviderAndTheRelyingParty() {
		provider = OidcStepUpIntegrationTests.startProvider(sharedClock());
		providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		relyingParty = new SpringApplicationBuilder(ReactiveRelyingPartyApplication.class).initializers(sharedClock())
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "session-timeout.privileged.max-age=15m",
					"session-timeout.privileged.paths=/transfers", "session-timeout.policies[0].name=auditors",
					"session-timeout.policies[0].authorities=ROLE_AUDITOR",
					"session-timeout.policies[0].reauthentication=45m",
					"spring.security.oauth2.client.registration.idp.client-id=" + CLIENT_ID,
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
		relyingPartyUrl = "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty);
	}

	@AfterAll
	static void stopTheRelyingPartyAndTheProvider() {
		if (relyingParty != null) {
			relyingParty.close();
		}
		if (provider != null) {
			provider.close();
		}
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock() {
		return (context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
	}

	@BeforeEach
	void resetClockAndBrowsers() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		clock.fixAt(this.start);
		events().clear();
		relyingParty.getBean(LoginFailures.class).clear();
		this.browser = new TestBrowser(relyingPartyUrl);
		this.providerBrowser = new TestBrowser(providerUrl);
	}

	@Test
	void aSignInAtTheProviderStartsTheClocksThatCountFromAuthenticationAtTheIdTokensAuthTime() {
		Response entry = this.browser.get("/home", TestBrowser.HTML);
		assertThat(entry.location()).as("%s", entry).endsWith("/oauth2/authorization/idp");
		Response authorization = follow(entry);
		assertThat(queryParameters(authorization.location())).containsEntry("client_id", List.of(CLIENT_ID))
			.containsEntry("scope", List.of("openid"))
			.doesNotContainKeys("prompt", "max_age");
		Response code = authorizeAtTheProvider(authorization, "auditor");
		Instant callbackAt = this.start.plus(Duration.ofMinutes(2));
		clock.fixAt(callbackAt);
		Response landing = callback(code);
		assertThat(landing.location()).endsWith("/home");
		Response home = follow(landing);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).contains("Hello auditor");
		Response status = status();
		assertThat(jsonString(status, "principal")).isEqualTo("auditor");
		assertThat(jsonString(status, "policy")).isEqualTo("auditors");
		assertThat(jsonInstant(status, "reauthenticateAt")).as("auth_time + re-authentication")
			.isEqualTo(this.start.plus(REAUTHENTICATION));
		assertThat(jsonInstant(status, "privilegedUntil")).as("auth_time + privileged age")
			.isEqualTo(this.start.plus(PRIVILEGED_AGE));
		assertThat(jsonInstant(status, "absoluteExpiresAt")).as("session creation + absolute")
			.isEqualTo(this.start.plus(ABSOLUTE));
	}

	@Test
	void aStalePrivilegedPathSendsTheBrowserToTheProviderWithPromptLoginAndMaxAge() {
		signIn("user");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).minusMillis(1));
		Response fresh = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		assertThat(fresh.body()).contains("transferred 10");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.status()).as("%s", stale).isEqualTo(302);
		assertThat(stale.location()).isEqualTo("/oauth2/authorization/idp");
		Response authorization = follow(stale);
		assertThat(authorization.status()).as("the login step is not challenged: %s", authorization).isEqualTo(302);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(queryParameters(authorization.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("900"))
			.containsEntry("client_id", List.of(CLIENT_ID))
			.containsEntry("response_type", List.of("code"))
			.containsEntry("scope", List.of("openid"))
			.containsKey("nonce");
		Response api = this.browser.get("/transfers", TestBrowser.JSON);
		assertThat(api.status()).as("%s", api).isEqualTo(401);
		assertThat(api.header("WWW-Authenticate")).contains("max_age=900");
		assertThat(events().all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED);
			assertThat(event.getPrincipal()).isEqualTo("user");
		});
	}

	@Test
	void theProvidersAnswerWithTheOldAuthTimeIsRefusedAndOnlyAFreshLoginResumesThePrivilegedPage() {
		signIn("user");
		assertThat(this.browser.post("/api/cart?item=book", Map.of(), TestBrowser.JSON).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(Duration.ofMinutes(16)));
		Response authorization = follow(this.browser.get("/transfers", TestBrowser.HTML));
		String sessionCookie = this.browser.cookie("SESSION");
		Response code = this.providerBrowser.getUrl(authorization.location(), TestBrowser.HTML);
		assertThat(code.location()).as("the provider kept its session and asked for no login")
			.startsWith(relyingPartyUrl + "/login/oauth2/code/idp?code=");
		Response refused = callback(code);
		assertThat(refused.location()).endsWith("/login?error");
		assertThat(lastLoginFailure())
			.isEqualTo("The authentication at " + this.start + " is older than the required 900s");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		Response status = status();
		assertThat(jsonString(status, "principal")).isEqualTo("user");
		assertThat(jsonInstant(status, "privilegedUntil")).isEqualTo(this.start.plus(PRIVILEGED_AGE));
		Response stillStale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stillStale.location()).isEqualTo("/oauth2/authorization/idp");
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).as("other pages still served").isEqualTo(200);
		assertThat(events().stepUps()).isEmpty();
		authorization = follow(stillStale);
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(17));
		clock.fixAt(stepUpAt);
		this.providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(authorizeAtTheProvider(authorization, "user"));
		assertThat(landing.location()).as("the saved request resumes").isEqualTo("/transfers");
		assertThat(this.browser.cookie("SESSION")).as("session id rotated").isNotEqualTo(sessionCookie);
		Response resumed = follow(landing);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("transferred 10, cart book");
		assertThat(jsonInstant(status(), "privilegedUntil")).isEqualTo(stepUpAt.plus(PRIVILEGED_AGE));
		assertThat(events().stepUps()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED);
			assertThat(event.getPrincipal()).isEqualTo("user");
		});
	}

	@Test
	void anIdTokenWhoseAuthTimeLiesInTheFutureNeitherMeetsTheChallengeNorMakesASignInPrivileged() {
		signIn("user");
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(16));
		clock.fixAt(stepUpAt);
		Response authorization = follow(this.browser.get("/transfers", TestBrowser.HTML));
		String sessionCookie = this.browser.cookie("SESSION");
		// The provider stamps the sign-in an hour ahead of the time
		clock.fixAt(stepUpAt.plus(Duration.ofHours(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response code = authorizeAtTheProvider(authorization, "user");
		clock.fixAt(stepUpAt);
		Response refused = callback(code);
		assertThat(refused.location()).as("an authentication from the future proves nothing").endsWith("/login?error");
		assertThat(lastLoginFailure()).isEqualTo("The authentication at " + stepUpAt.plus(Duration.ofHours(1))
				+ " lies in the future: it proves no recent authentication");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		assertThat(events().stepUps()).isEmpty();
		this.browser = new TestBrowser(relyingPartyUrl);
		Response signIn = follow(this.browser.get("/home", TestBrowser.HTML));
		clock.fixAt(stepUpAt.plus(Duration.ofHours(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		code = authorizeAtTheProvider(signIn, "user");
		clock.fixAt(stepUpAt);
		assertThat(follow(callback(code)).status()).as("signed in").isEqualTo(200);
		assertThat(this.browser.get("/transfers", TestBrowser.HTML).location())
			.as("yet never privileged by an auth_time from the future")
			.isEqualTo("/oauth2/authorization/idp");
	}

	@Test
	void aDueReauthenticationSendsTheBrowserToTheProviderWhoseLoginStepsAreNeverChallenged() {
		signIn("auditor");
		clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(REAUTHENTICATION));
		Response due = this.browser.get("/home", TestBrowser.HTML);
		assertThat(due.status()).as("%s", due).isEqualTo(302);
		assertThat(due.location()).isEqualTo("/oauth2/authorization/idp");
		Response authorization = follow(due);
		assertThat(authorization.status()).as("%s", authorization).isEqualTo(302);
		assertThat(queryParameters(authorization.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("2700"));
		Response stale = callback(this.providerBrowser.getUrl(authorization.location(), TestBrowser.HTML));
		assertThat(stale.location()).as("the old auth_time is refused").endsWith("/login?error");
		assertThat(lastLoginFailure())
			.isEqualTo("The authentication at " + this.start + " is older than the required 2700s");
		assertThat(jsonString(status(), "principal")).isEqualTo("auditor");
		authorization = follow(this.browser.get("/home", TestBrowser.HTML));
		Instant loginAt = this.start.plus(REAUTHENTICATION).plus(Duration.ofMinutes(1));
		clock.fixAt(loginAt);
		this.providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(authorizeAtTheProvider(authorization, "auditor"));
		assertThat(landing.location()).isEqualTo("/home");
		Response resumed = follow(landing);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("Hello auditor");
		assertThat(jsonInstant(status(), "reauthenticateAt")).isEqualTo(loginAt.plus(REAUTHENTICATION));
		assertThat(events().stepUps()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION));
	}

	@Test
	void aDueReauthenticationAsksTheProviderForALoginAlsoWhenTheBrowserGoesStraightToTheAuthorizationEndpoint() {
		signIn("auditor");
		clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(REAUTHENTICATION));
		Response authorization = this.browser.get("/oauth2/authorization/idp", TestBrowser.HTML);
		assertThat(authorization.status()).as("the login step is not challenged: %s", authorization).isEqualTo(302);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(queryParameters(authorization.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("2700"));
	}

	/**
	 * Sign in at the relying party through the provider, at the current instant of the
	 * clock, and land on the home page.
	 * @param username the user
	 */
	/**
	 * A privileged method called outside any request (a {@code Mono} subscribed later
	 * with the authentication a request served from its session) is not decided by the ID
	 * token's {@code auth_time} alone: once the session no longer serves that
	 * authentication (revoked), it is refused, as on servlet, where a call handed to
	 * another thread is decided by the session that served its authentication.
	 */
	@Test
	void aPrivilegedCallOutsideAnyRequestWithTheAuthenticationOfARevokedSessionIsRefused() {
		signIn("user");
		Response captured = this.browser.get("/capture", TestBrowser.HTML);
		assertThat(captured.status()).as("%s", captured).isEqualTo(200);
		Authentication authentication = relyingParty.getBean(CapturedAuthentication.class).get();
		Exports exports = relyingParty.getBean(Exports.class);
		assertThat(AopUtils.isAopProxy(exports)).as("advised").isTrue();
		assertThat(relyingParty.getBean(ReactiveUserSessions.class).revokeAll("user").block()).isPositive();
		clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		assertThat(this.browser.get("/home", TestBrowser.JSON).status()).as("the session is revoked").isEqualTo(401);
		assertThatException().as("a privileged call on the revoked session's authentication")
			.isThrownBy(() -> exports.export()
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication))
				.block());
	}

	private void signIn(String username) {
		Response authorization = follow(this.browser.get("/home", TestBrowser.HTML));
		Response landing = callback(authorizeAtTheProvider(authorization, username));
		assertThat(landing.location()).endsWith("/home");
		assertThat(follow(landing).status()).isEqualTo(200);
	}

	/**
	 * Follow the relying party's redirect to the provider's authorization endpoint, log
	 * in there, and return the provider's redirect back to the relying party.
	 * @param authorization the redirect to the authorization endpoint
	 * @param username the user who logs in
	 * @return the redirect to the relying party's callback
	 */
	private Response authorizeAtTheProvider(Response authorization, String username) {
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		Response loginPage = this.providerBrowser.getUrl(authorization.location(), TestBrowser.HTML);
		assertThat(loginPage.status()).as("%s", loginPage).isEqualTo(302);
		assertThat(loginPage.location()).isEqualTo(providerUrl + "/login");
		Response login = this.providerBrowser.login(username, "password");
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		assertThat(login.location()).as("%s", login).startsWith(providerUrl + "/oauth2/authorize?");
		Response code = this.providerBrowser.getUrl(login.location(), TestBrowser.HTML);
		assertThat(code.status()).as("%s", code).isEqualTo(302);
		assertThat(code.location()).startsWith(relyingPartyUrl + "/login/oauth2/code/idp?code=");
		return code;
	}

	/**
	 * Bring the provider's answer to the relying party's callback.
	 * @param code the provider's redirect with the authorization code
	 * @return the relying party's answer, a redirect
	 */
	private Response callback(Response code) {
		assertThat(code.location()).startsWith(relyingPartyUrl + "/login/oauth2/code/");
		Response callback = this.browser.getUrl(code.location(), TestBrowser.HTML);
		assertThat(callback.status()).as("%s", callback).isEqualTo(302);
		return callback;
	}

	/**
	 * Follow a redirect of the relying party.
	 * @param redirect the redirect
	 * @return the response to its location
	 */
	private Response follow(Response redirect) {
		assertThat(redirect.status()).as("%s", redirect).isEqualTo(302);
		return this.browser.getUrl(URI.create(relyingPartyUrl + "/").resolve(redirect.location()).toString(),
				TestBrowser.HTML);
	}

	private Response status() {
		Response status = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		return status;
	}

	private static String lastLoginFailure() {
		return relyingParty.getBean(LoginFailures.class).last();
	}

	private static RecordedEvents events() {
		return relyingParty.getBean(RecordedEvents.class);
	}

	private static MultiValueMap<String, String> queryParameters(String url) {
		return UriComponentsBuilder.fromUriString(url).build().getQueryParams();
	}

	private static Instant jsonInstant(Response response, String member) {
		return Instant.parse(jsonString(response, member));
	}

	private static String jsonString(Response response, String member) {
		return response.jsonString(member);
	}

	/**
	 * Remembers the last failed login, and sends the browser to {@code /login?error} as
	 * {@code oauth2Login()} does by default.
	 */
	static class LoginFailures implements ServerAuthenticationFailureHandler {

		private final ServerAuthenticationFailureHandler redirect = new RedirectServerAuthenticationFailureHandler(
				"/login?error");

		private final AtomicReference<String> last = new AtomicReference<>("");

		@Override
		public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException exception) {
			this.last.set(Objects.toString(exception.getMessage()));
			return this.redirect.onAuthenticationFailure(exchange, exception);
		}

		String last() {
			return this.last.get();
		}

		void clear() {
			this.last.set("");
		}

	}

	/**
	 * The reactive relying party: {@code oauth2Login()} of its own with the provider's
	 * issuer, discovered at startup, sessions in WebFlux's in-memory store, and the
	 * subject {@code auditor} mapped to {@code ROLE_AUDITOR}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReactiveRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, LoginFailures failures) {
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/session/status", "/login")
				.permitAll()
				.anyExchange()
				.authenticated());
			http.oauth2Login((login) -> login.authenticationFailureHandler(failures));
			http.csrf(ServerHttpSecurity.CsrfSpec::disable);
			return http.build();
		}

		@Bean
		CapturedAuthentication capturedAuthentication() {
			return new CapturedAuthentication();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		LoginFailures loginFailures() {
			return new LoginFailures();
		}

		@Bean
		GrantedAuthoritiesMapper auditorAuthoritiesMapper() {
			return (authorities) -> {
				Set<GrantedAuthority> mapped = new LinkedHashSet<>(authorities);
				for (GrantedAuthority authority : authorities) {
					if (authority instanceof OidcUserAuthority oidc
							&& "auditor".equals(oidc.getIdToken().getSubject())) {
						mapped.add(new SimpleGrantedAuthority("ROLE_AUDITOR"));
					}
				}
				return mapped;
			};
		}

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@RestController
		static class PagesController {

			private final CapturedAuthentication captured;

			PagesController(CapturedAuthentication captured) {
				this.captured = captured;
			}

			@GetMapping(path = "/capture", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> capture(Authentication authentication) {
				this.captured.set(authentication);
				return Mono.just("<html><body>captured</body></html>");
			}

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> home(Authentication authentication, WebSession session) {
				return Mono.just("<html><body>Hello " + authentication.getName() + ", cart "
						+ session.getAttribute("cart") + "</body></html>");
			}

			@GetMapping(path = "/transfers", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> transfers(WebSession session) {
				return Mono.just("<html><body>transferred 10, cart " + session.getAttribute("cart") + "</body></html>");
			}

			@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> addToCart(@RequestParam String item, WebSession session) {
				session.getAttributes().put("cart", item);
				return Mono.just(Map.of("cart", item));
			}

		}

	}

	/**
	 * The authentication that a request served, kept for a call outside any request.
	 */
	static class CapturedAuthentication extends AtomicReference<Authentication> {

	}

	/**
	 * A privileged operation that returns a {@code Mono}.
	 */
	static class Exports {

		@RequiresPrivilegedSession(maxAge = "10m")
		Mono<String> export() {
			return Mono.just("exported");
		}

	}

}
