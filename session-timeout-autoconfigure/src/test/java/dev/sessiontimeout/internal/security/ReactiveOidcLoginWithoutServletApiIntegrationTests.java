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
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.util.ClassUtils;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.web.util.UriComponentsBuilder;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.LoggedErrors;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.WithoutServletApiClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole WebFlux relying party without the servlet API, as
 * {@code ReactiveApplicationWithoutServletApiIntegrationTests} starts a form-login
 * application: {@code oauth2Login()} against the real Spring Authorization Server of
 * {@link OidcStepUpIntegrationTests} (a servlet application, in the test's own class
 * loader), sessions in Spring Session's map store, back-channel logout. The test signs
 * in, reads the status, has its ID token renewed as Spring Security's refresh stores it
 * (no login: the stale privileged path stays stale), steps up a stale privileged path and
 * method at the provider (whose answer with the old {@code auth_time} is refused first),
 * signs out, and posts logout tokens; both applications read one clock for the user's
 * authentication. Privileged age 15m.
 *
 * @author session-timeout
 */
class ReactiveOidcLoginWithoutServletApiIntegrationTests {

	private static final Duration PRIVILEGED = Duration.ofMinutes(15);

	private final MutableClock clock = new MutableClock();

	@Test
	void aWholeWebFluxRelyingPartyLogsInStepsUpAndLogsOutWithoutTheServletApi() throws Exception {
		Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(start);
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try (ConfigurableApplicationContext provider = OidcStepUpIntegrationTests
			.startProvider((context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", this.clock));
				WithoutServletApiClassLoader withoutServletApi = new WithoutServletApiClassLoader()) {
			String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
			try (AutoCloseable relyingParty = (AutoCloseable) withoutServletApi.newInstance(RelyingParty.class,
					new Class<?>[] { String.class, Clock.class }, providerUrl, this.clock)) {
				@SuppressWarnings("unchecked")
				Supplier<List<String>> errors = (Supplier<List<String>>) relyingParty;
				String url = "http://127.0.0.1:" + ((IntSupplier) relyingParty).getAsInt();
				try {
					signInStepUpAndSignOut(providerUrl, url, start, errors);
					OidcBackChannelLogoutIntegrationTests.logoutTokensEndTheSessionsTheyName(provider, url, url);
				}
				catch (Exception | AssertionError ex) {
					throw new AssertionError(ex + "; errors the relying party logged: " + errors.get(), ex);
				}
				assertThat(errors.get()).as("errors the relying party logged").isEmpty();
			}
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	private void signInStepUpAndSignOut(String providerUrl, String url, Instant start, Supplier<List<String>> errors) {
		TestBrowser browser = new TestBrowser(url);
		Response entry = browser.get("/home", TestBrowser.HTML);
		assertThat(entry.location()).as("%s %s", entry, errors.get()).endsWith("/oauth2/authorization/idp");
		Response authorization = follow(browser, url, entry);
		assertThat(queryParameters(authorization.location())).doesNotContainKeys("prompt", "max_age");
		TestBrowser providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(browser, url,
				authorizeAtTheProvider(providerBrowser, providerUrl, url, authorization, "user"));
		assertThat(landing.location()).as("%s %s", landing, errors.get()).endsWith("/home");
		Response home = follow(browser, url, landing);
		assertThat(home.status()).as("%s %s", home, errors.get()).isEqualTo(200);
		assertThat(home.body()).contains("Hello user");
		Response status = browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s %s", status, errors.get()).isEqualTo(200);
		assertThat(status.jsonString("principal")).isEqualTo("user");
		assertThat(status.jsonString("privilegedUntil")).as("auth_time + privileged age")
			.isEqualTo(start.plus(PRIVILEGED).toString());
		assertThat(browser.get("/transfers", TestBrowser.HTML).status()).isEqualTo(200);
		assertThat(browser.get("/export", TestBrowser.JSON).status()).isEqualTo(200);

		this.clock.fixAt(start.plus(PRIVILEGED));
		Response stale = browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.location()).as("%s %s", stale, errors.get()).isEqualTo("/oauth2/authorization/idp");
		Response staleMethod = browser.get("/export", TestBrowser.JSON);
		assertThat(staleMethod.status()).as("%s %s", staleMethod, errors.get()).isEqualTo(401);
		assertThat(staleMethod.header("WWW-Authenticate")).contains("max_age=900");
		Response refresh = browser.get("/refresh", TestBrowser.JSON);
		assertThat(refresh.status()).as("%s %s", refresh, errors.get()).isEqualTo(200);
		assertThat(refresh.body()).contains("\"refreshed\":\"user\"");
		Response renewed = browser.get("/session/status", TestBrowser.JSON);
		assertThat(renewed.jsonString("principal")).as("%s", renewed).isEqualTo("user");
		assertThat(renewed.jsonString("privilegedUntil")).as("a renewal, no login: the same auth_time")
			.isEqualTo(start.plus(PRIVILEGED).toString());
		assertThat(browser.get("/home", TestBrowser.HTML).body()).contains("Hello user");
		assertThat(browser.get("/transfers", TestBrowser.HTML).location()).as("still stale")
			.isEqualTo("/oauth2/authorization/idp");
		Response stepUp = follow(browser, url, stale);
		assertThat(queryParameters(stepUp.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("900"));
		Response oldAuthTime = providerBrowser.getUrl(stepUp.location(), TestBrowser.HTML);
		assertThat(oldAuthTime.location()).as("the provider kept its session and asked for no login")
			.startsWith(url + "/login/oauth2/code/idp?code=");
		assertThat(callback(browser, url, oldAuthTime).location()).as("the old auth_time is refused")
			.endsWith("/login?error");
		Instant stepUpAt = start.plus(PRIVILEGED).plusSeconds(60);
		this.clock.fixAt(stepUpAt);
		stepUp = follow(browser, url, browser.get("/transfers", TestBrowser.HTML));
		Response resumed = callback(browser, url,
				authorizeAtTheProvider(new TestBrowser(providerUrl), providerUrl, url, stepUp, "user"));
		assertThat(resumed.location()).as("the saved request resumes").isEqualTo("/transfers");
		assertThat(follow(browser, url, resumed).status()).isEqualTo(200);
		assertThat(browser.get("/export", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(browser.get("/session/status", TestBrowser.JSON).jsonString("privilegedUntil"))
			.isEqualTo(stepUpAt.plus(PRIVILEGED).toString());
		Response logout = browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		assertThat(logout.location()).isEqualTo("/login?logout");
		assertThat(browser.get("/session/status", TestBrowser.JSON).body()).contains("\"authenticated\":false");
		assertThat(browser.get("/home", TestBrowser.HTML).location()).endsWith("/oauth2/authorization/idp");
	}

	/**
	 * Log in at the provider and return its redirect back to the relying party.
	 */
	private static Response authorizeAtTheProvider(TestBrowser providerBrowser, String providerUrl, String url,
			Response authorization, String username) {
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		Response loginPage = providerBrowser.getUrl(authorization.location(), TestBrowser.HTML);
		assertThat(loginPage.location()).as("%s", loginPage).isEqualTo(providerUrl + "/login");
		Response login = providerBrowser.login(username, "password");
		Response code = providerBrowser.getUrl(login.location(), TestBrowser.HTML);
		assertThat(code.location()).as("%s", code).startsWith(url + "/login/oauth2/code/idp?code=");
		return code;
	}

	private static Response callback(TestBrowser browser, String url, Response code) {
		assertThat(code.location()).startsWith(url + "/login/oauth2/code/");
		Response callback = browser.getUrl(code.location(), TestBrowser.HTML);
		assertThat(callback.status()).as("%s", callback).isEqualTo(302);
		return callback;
	}

	private static Response follow(TestBrowser browser, String url, Response redirect) {
		assertThat(redirect.status()).as("%s", redirect).isEqualTo(302);
		return browser.getUrl(URI.create(url + "/").resolve(redirect.location()).toString(), TestBrowser.HTML);
	}

	private static MultiValueMap<String, String> queryParameters(String url) {
		return UriComponentsBuilder.fromUriString(url).build().getQueryParams();
	}

	/**
	 * Starts the relying party in the class loader that loaded this class, on the given
	 * clock: {@link AutoCloseable} to stop it, {@link IntSupplier} of its port and
	 * {@link Supplier} of the errors it logged.
	 */
	public static class RelyingParty implements AutoCloseable, IntSupplier, Supplier<List<String>> {

		private final ConfigurableApplicationContext context;

		private final List<String> errors;

		/**
		 * Start the relying party.
		 * @param providerUrl the provider's issuer
		 * @param clock the clock of the users' authentications
		 */
		public RelyingParty(String providerUrl, Clock clock) {
			assertThat(ClassUtils.isPresent("jakarta.servlet.Servlet", getClass().getClassLoader()))
				.as("the servlet API")
				.isFalse();
			SpringApplication application = new SpringApplication(App.class);
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.REACTIVE);
			ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock = (
					context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
			application.addInitializers(sharedClock);
			this.context = application.run("--server.port=0", "--session-timeout.absolute=2h",
					"--session-timeout.idle=30m", "--session-timeout.privileged.max-age=15m",
					"--session-timeout.privileged.paths=/transfers",
					"--spring.security.oauth2.client.registration.idp.client-id=relying-party",
					"--spring.security.oauth2.client.registration.idp.client-secret=secret",
					"--spring.security.oauth2.client.registration.idp.scope=openid",
					"--spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl,
					"--spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
			assertThat(((ReactiveWebServerApplicationContext) this.context).getWebServer().getClass().getName())
				.contains("Netty");
			this.errors = LoggedErrors.record();
		}

		@Override
		public int getAsInt() {
			return ((ReactiveWebServerApplicationContext) this.context).getWebServer().getPort();
		}

		@Override
		public List<String> get() {
			return List.copyOf(this.errors);
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/**
	 * A privileged operation of reactive method security.
	 */
	static class Exports {

		@RequiresPrivilegedSession
		public Mono<String> export(String user) {
			return Mono.just(user);
		}

	}

	/**
	 * The relying party: {@code oauth2Login()} with the provider's issuer, back-channel
	 * logout, its sessions in Spring Session's map store on the shared clock.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	static class App {

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository,
				@Qualifier("sessionTimeoutClock") Clock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/session/status", "/login")
				.permitAll()
				.anyExchange()
				.authenticated());
			http.oauth2Login(Customizer.withDefaults());
			http.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
			http.csrf(ServerHttpSecurity.CsrfSpec::disable);
			return http.build();
		}

		@RestController
		static class Pages {

			private final Exports exports;

			private final Clock clock;

			Pages(Exports exports, @Qualifier("sessionTimeoutClock") Clock clock) {
				this.exports = exports;
				this.clock = clock;
			}

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> home(@AuthenticationPrincipal OidcUser user) {
				return Mono.just("<html><body>Hello " + user.getName() + "</body></html>");
			}

			@GetMapping(path = "/transfers", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> transfers() {
				return Mono.just("<html><body>transferred 10</body></html>");
			}

			@GetMapping(path = "/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(@AuthenticationPrincipal OidcUser user) {
				return this.exports.export(user.getName()).map((export) -> Map.of("export", export));
			}

			/**
			 * Store the user of a refreshed ID token, as Spring Security's
			 * {@code RefreshOidcUserReactiveOAuth2AuthorizationSuccessHandler} (Security
			 * 7.1) does when it refreshes the access token: the same issuer, subject and
			 * {@code auth_time}, no nonce, issued now.
			 */
			@GetMapping(path = "/refresh", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> refresh(Principal principal, ServerWebExchange exchange) {
				OAuth2AuthenticationToken login = (OAuth2AuthenticationToken) principal;
				OidcUser user = (OidcUser) login.getPrincipal();
				Instant now = this.clock.instant();
				OidcIdToken idToken = OidcIdToken.withTokenValue("refreshed-" + now.toEpochMilli()).claims((claims) -> {
					claims.putAll(user.getIdToken().getClaims());
					claims.remove(IdTokenClaimNames.NONCE);
				}).issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5))).build();
				OAuth2AuthenticationToken refreshed = new OAuth2AuthenticationToken(
						new DefaultOidcUser(user.getAuthorities(), idToken, user.getUserInfo(), IdTokenClaimNames.SUB),
						login.getAuthorities(), login.getAuthorizedClientRegistrationId());
				return new WebSessionServerSecurityContextRepository()
					.save(exchange, new SecurityContextImpl(refreshed))
					.thenReturn(Map.of("refreshed", refreshed.getName()));
			}

			@GetMapping(path = "/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> me(@AuthenticationPrincipal OidcUser user, WebSession session) {
				String sid = user.getClaimAsString("sid");
				Object loginSid = session.getAttribute(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE);
				return Mono.just(Map.of("name", user.getName(), "sid", (sid != null) ? sid : "", "loginSid",
						(loginSid != null) ? loginSid : ""));
			}

		}

	}

}
