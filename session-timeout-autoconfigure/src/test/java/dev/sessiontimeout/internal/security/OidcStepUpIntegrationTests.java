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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.Exports;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.StoreTestApplication.Transfers;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps up an {@code oauth2Login()} session against a real OpenID Connect provider:
 * Spring Authorization Server runs in the same JVM as a second application, at
 * {@code localhost}, and the relying party at {@code 127.0.0.1} (a loopback redirect URI,
 * whose port the provider lets vary), each with its own browser. Both read one shiftable
 * clock for the user's authentication: the provider stamps its password factor, and so
 * the ID token's {@code auth_time}, with it. The tokens' issue and expiry stay on the
 * real clock, which the relying party validates them against. Spring Authorization Server
 * ignores {@code prompt=login} and {@code max_age}: while its own session lasts it
 * answers with the old {@code auth_time}, which the relying party refuses. Absolute
 * lifetime 2h, idle 30m, privileged age 15m; auditors must authenticate again after 45m.
 */
class OidcStepUpIntegrationTests {

	private static final Duration ABSOLUTE = Duration.ofHours(2);

	private static final Duration IDLE = Duration.ofMinutes(30);

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final Duration REAUTHENTICATION = Duration.ofMinutes(45);

	private static final String CLIENT_ID = "relying-party";

	private static final String PLAIN_CLIENT_ID = "plain-relying-party";

	private static final String NO_AUTH_TIME_CLIENT_ID = "relying-party-without-auth-time";

	private static final String EMAIL_CLIENT_ID = "relying-party-by-email";

	/**
	 * The {@code email} claim of every ID token for the client {@value #EMAIL_CLIENT_ID},
	 * whatever the subject: a claim that two subjects can share.
	 */
	private static final String SHARED_EMAIL = "shared@example.com";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private static ConfigurableApplicationContext relyingParty;

	private static String providerUrl;

	private static String relyingPartyUrl;

	private static ConfigurableApplicationContext untimedRelyingParty;

	private static ConfigurableApplicationContext trustingRelyingParty;

	private static ConfigurableApplicationContext reauthenticatingRelyingParty;

	private String rp;

	private TestBrowser browser;

	private TestBrowser providerBrowser;

	private Instant start;

	@BeforeAll
	static void startTheProviderAndTheRelyingParty() {
		provider = startProvider(sharedClock());
		providerUrl = "http://localhost:" + port(provider);
		relyingParty = new SpringApplicationBuilder(RelyingPartyApplication.class).initializers(sharedClock())
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"session-timeout.privileged.max-age=15m", "session-timeout.policies[0].name=auditors",
					"session-timeout.policies[0].authorities=ROLE_AUDITOR",
					"session-timeout.policies[0].reauthentication=45m",
					"spring.security.oauth2.client.registration.idp.client-id=" + CLIENT_ID,
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl,
					AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY)
			.run();
		relyingPartyUrl = "http://127.0.0.1:" + port(relyingParty);
		untimedRelyingParty = startRelyingPartyWithoutAuthenticationTimes(false);
		trustingRelyingParty = startRelyingPartyWithoutAuthenticationTimes(true);
		reauthenticatingRelyingParty = startRelyingPartyWithoutAuthenticationTimes(false,
				"session-timeout.reauthentication=" + REAUTHENTICATION.toMinutes() + "m");
	}

	/**
	 * Start the provider, on a free port, without sessions in a store.
	 * @param clock registers the clock that stamps the users' authentications
	 * @param configurations further configurations of the provider, such as more
	 * {@link RegisteredClient} beans
	 * @return the provider
	 */
	static ConfigurableApplicationContext startProvider(
			ApplicationContextInitializer<ConfigurableApplicationContext> clock, Class<?>... configurations) {
		Class<?>[] sources = new Class<?>[configurations.length + 1];
		sources[0] = ProviderApplication.class;
		System.arraycopy(configurations, 0, sources, 1, configurations.length);
		return new SpringApplicationBuilder(sources).initializers(clock)
			.properties("server.port=0", "session-timeout.enabled=false", "spring.autoconfigure.exclude="
					+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
					+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
					+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
					+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	/**
	 * Start a relying party with two logins that do not tell when the user authenticated:
	 * {@code plain}, a plain OAuth 2.0 login that reads the provider's {@code /user}
	 * endpoint, and {@code noauthtime}, an OpenID Connect login whose ID tokens carry no
	 * {@code auth_time}.
	 */
	private static ConfigurableApplicationContext startRelyingPartyWithoutAuthenticationTimes(
			boolean callbackTimeAsAuthenticationTime, String... moreProperties) {
		String registration = "spring.security.oauth2.client.registration.";
		String plainProvider = "spring.security.oauth2.client.provider.plainidp.";
		return new SpringApplicationBuilder(RelyingPartyApplication.class).initializers(sharedClock())
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"session-timeout.privileged.max-age=15m",
					"session-timeout.oauth2.callback-time-as-authentication-time=" + callbackTimeAsAuthenticationTime,
					registration + "plain.client-id=" + PLAIN_CLIENT_ID,
					registration + "plain.client-secret=plain-secret",
					registration + "plain.authorization-grant-type=authorization_code",
					registration + "plain.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
					registration + "plain.scope=read", registration + "plain.provider=plainidp",
					plainProvider + "authorization-uri=" + providerUrl + "/oauth2/authorize",
					plainProvider + "token-uri=" + providerUrl + "/oauth2/token",
					plainProvider + "user-info-uri=" + providerUrl + "/user",
					plainProvider + "user-name-attribute=login",
					registration + "noauthtime.client-id=" + NO_AUTH_TIME_CLIENT_ID,
					registration + "noauthtime.client-secret=noauthtime-secret",
					registration + "noauthtime.scope=openid", registration + "noauthtime.provider=idp",
					registration + "email.client-id=" + EMAIL_CLIENT_ID,
					registration + "email.client-secret=email-secret", registration + "email.scope=openid,email",
					registration + "email.provider=emailidp",
					"spring.security.oauth2.client.provider.emailidp.issuer-uri=" + providerUrl,
					"spring.security.oauth2.client.provider.emailidp.user-name-attribute=email",
					"spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl,
					AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY)
			.properties(moreProperties)
			.run();
	}

	@AfterAll
	static void stopTheRelyingPartyAndTheProvider() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { relyingParty,
				untimedRelyingParty, trustingRelyingParty, reauthenticatingRelyingParty }) {
			if (context != null) {
				context.close();
			}
		}
		if (provider != null) {
			provider.close();
		}
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock() {
		return (context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@BeforeEach
	void resetClockAndBrowsers() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		clock.fixAt(this.start);
		relyingParty.getBean(RecordedEvents.class).clear();
		this.rp = relyingPartyUrl;
		this.browser = new TestBrowser(relyingPartyUrl);
		this.providerBrowser = new TestBrowser(providerUrl);
	}

	@Test
	void aSignInAtTheProviderStartsTheClocksThatCountFromAuthenticationAtTheIdTokensAuthTime() {
		Response entry = this.browser.get("/home", TestBrowser.HTML);
		Response authorization = follow(entry);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(queryParameters(authorization.location())).containsEntry("client_id", List.of(CLIENT_ID))
			.containsEntry("scope", List.of("openid"))
			.doesNotContainKeys("prompt", "max_age");
		Response code = authorizeAtTheProvider(authorization, "user");
		Instant callbackAt = this.start.plus(Duration.ofMinutes(2));
		clock.fixAt(callbackAt);
		Response landing = callback(code);
		assertThat(landing.location()).endsWith("/home?continue");
		Response home = follow(landing);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).contains("Hello user");
		Response status = status();
		assertThat(jsonString(status, "principal")).isEqualTo("user");
		assertThat(jsonString(status, "policy")).isEqualTo("default");
		assertThat(jsonInstant(status, "privilegedUntil")).as("auth_time + privileged age")
			.isEqualTo(this.start.plus(PRIVILEGED_AGE));
		assertThat(jsonInstant(status, "idleExpiresAt")).as("last activity + idle").isEqualTo(callbackAt.plus(IDLE));
		assertThat(jsonInstant(status, "absoluteExpiresAt")).as("session creation + absolute")
			.isEqualTo(this.start.plus(ABSOLUTE));
		assertThat(status.body()).contains("\"reauthenticateAt\":null");
	}

	@Test
	void aStalePrivilegedSessionSendsTheBrowserToTheProviderWithPromptLoginAndMaxAge() {
		signIn("user");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).minusMillis(1));
		Response fresh = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		assertThat(fresh.body()).contains("transferred 10");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.status()).as("%s", stale).isEqualTo(302);
		assertThat(stale.location()).endsWith("/oauth2/authorization/idp");
		Response authorization = follow(stale);
		assertThat(authorization.status()).as("%s", authorization).isEqualTo(302);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(queryParameters(authorization.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("900"))
			.containsEntry("client_id", List.of(CLIENT_ID))
			.containsEntry("response_type", List.of("code"))
			.containsEntry("scope", List.of("openid"));
		assertThat(events().all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED);
			assertThat(event.getPrincipal()).isEqualTo("user");
			assertThat(event.getDeadline()).isEqualTo(this.start.plus(PRIVILEGED_AGE));
		});
	}

	@Test
	void theProvidersAnswerWithTheOldAuthTimeIsRefusedAndTheUserStaysChallenged() {
		signIn("user");
		clock.fixAt(this.start.plus(Duration.ofMinutes(16)));
		Response authorization = follow(this.browser.get("/transfers", TestBrowser.HTML));
		String sessionCookie = this.browser.cookie("SESSION");
		Response code = this.providerBrowser.getUrl(authorization.location(), TestBrowser.HTML);
		assertThat(code.location()).as("the provider kept its session and asked for no login")
			.startsWith(relyingPartyUrl + "/login/oauth2/code/idp?code=");
		Response refused = callback(code);
		assertThat(refused.location()).endsWith("/login?error");
		assertThat(lastLoginError())
			.isEqualTo("The authentication at " + this.start + " is older than the required 900s");
		assertThat(follow(refused).body()).contains("Invalid credentials");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		Response status = status();
		assertThat(jsonString(status, "principal")).isEqualTo("user");
		assertThat(jsonInstant(status, "privilegedUntil")).isEqualTo(this.start.plus(PRIVILEGED_AGE));
		Response stillStale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stillStale.status()).as("%s", stillStale).isEqualTo(302);
		assertThat(stillStale.location()).endsWith("/oauth2/authorization/idp");
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).as("other pages still served").isEqualTo(200);
		assertThat(events().stepUps()).isEmpty();
	}

	@Test
	void aFreshLoginAtTheProviderMeetsTheChallengeAndResumesThePrivilegedPage() {
		signIn("user");
		assertThat(this.browser.post("/api/cart", Map.of("item", "book"), TestBrowser.JSON).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response authorization = follow(this.browser.get("/transfers", TestBrowser.HTML));
		String sessionCookie = this.browser.cookie("SESSION");
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(16));
		clock.fixAt(stepUpAt);
		this.providerBrowser = new TestBrowser(providerUrl);
		Response code = authorizeAtTheProvider(authorization, "user");
		Response landing = callback(code);
		assertThat(landing.location()).endsWith("/transfers?continue");
		assertThat(this.browser.cookie("SESSION")).as("session id rotated").isNotEqualTo(sessionCookie);
		Response resumed = follow(landing);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("transferred 10, cart book");
		assertThat(jsonInstant(status(), "privilegedUntil")).isEqualTo(stepUpAt.plus(PRIVILEGED_AGE));
		assertThat(events().all()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED));
		assertThat(events().stepUps()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.PRIVILEGED);
			assertThat(event.getPrincipal()).isEqualTo("user");
		});
	}

	@Test
	void anOlderSingleSignOnAtTheProviderServesNoOperationThatNeedsAFreshAuthentication() {
		Response authorization = follow(this.browser.get("/home", TestBrowser.HTML));
		Response code = authorizeAtTheProvider(authorization, "user");
		clock.fixAt(this.start.plus(Duration.ofMinutes(2)));
		assertThat(follow(callback(code)).status()).isEqualTo(200);
		Response stale = this.browser.get("/export", TestBrowser.HTML);
		assertThat(stale.status()).as("auth_time 2 minutes old: %s", stale).isEqualTo(302);
		Response stepUp = follow(stale);
		assertThat(queryParameters(stepUp.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("0"));
		clock.fixAt(this.start.plus(Duration.ofMinutes(3)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(authorizeAtTheProvider(stepUp, "user"));
		assertThat(landing.location()).endsWith("/export?continue");
		Response exported = follow(landing);
		assertThat(exported.status()).as("%s", exported).isEqualTo(200);
		assertThat(exported.body()).contains("exported");
		assertThat(this.browser.get("/export", TestBrowser.HTML).status()).as("one operation per authentication")
			.isEqualTo(302);
	}

	@Test
	void aStepUpThatAnOlderSingleSignOnMeetsServesNoOperationThatNeedsAFreshAuthentication() {
		signIn("user");
		Instant singleSignOnAt = this.start.plus(Duration.ofMinutes(10));
		clock.fixAt(singleSignOnAt);
		this.providerBrowser = new TestBrowser(providerUrl);
		assertThat(this.providerBrowser.login("user", "password").status())
			.as("the user signs in at the provider again, for another application")
			.isEqualTo(302);
		clock.fixAt(this.start.plus(Duration.ofMinutes(16)));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.location()).endsWith("/oauth2/authorization/idp");
		Response code = this.providerBrowser.getUrl(follow(stale).location(), TestBrowser.HTML);
		assertThat(code.location()).as("the provider kept its session and asked for no login")
			.startsWith(relyingPartyUrl + "/login/oauth2/code/idp?code=");
		Response landing = callback(code);
		assertThat(landing.location()).as("auth_time 6 minutes old meets the 15 minutes")
			.endsWith("/transfers?continue");
		assertThat(follow(landing).status()).isEqualTo(200);
		assertThat(jsonInstant(status(), "privilegedUntil")).isEqualTo(singleSignOnAt.plus(PRIVILEGED_AGE));
		Response export = this.browser.get("/export", TestBrowser.HTML);
		assertThat(export.status()).as("an older single sign-on grants no maxAge=0 operation: %s", export)
			.isEqualTo(302);
		assertThat(export.location()).endsWith("/oauth2/authorization/idp");
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

	@Test
	void anApiCallToAPrivilegedMethodGetsAChallengeWithTheMaximumAge() {
		signIn("user");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).minusMillis(1));
		Response fresh = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertThat(stale.status()).as("%s", stale).isEqualTo(401);
		assertThat(stale.contentType()).startsWith("application/problem+json");
		assertThat(jsonString(stale, "reason")).isEqualTo("privileged");
		assertThat(stale.header("WWW-Authenticate")).isEqualTo("Bearer error=\"insufficient_user_authentication\","
				+ " error_description=\"This operation requires a more recent authentication.\", max_age=900");
	}

	@Test
	void theReauthenticationLifetimeSendsTheBrowserToTheProviderAndOnlyAFreshLoginMeetsIt() {
		signIn("auditor");
		assertThat(this.browser.post("/api/cart", Map.of("item", "book"), TestBrowser.JSON).status()).isEqualTo(200);
		Response status = status();
		assertThat(jsonString(status, "policy")).isEqualTo("auditors");
		assertThat(jsonInstant(status, "reauthenticateAt")).isEqualTo(this.start.plus(REAUTHENTICATION));
		clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).as("active before the idle deadline")
			.isEqualTo(200);
		clock.fixAt(this.start.plus(REAUTHENTICATION).minusMillis(1));
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(REAUTHENTICATION));
		Response due = this.browser.get("/home", TestBrowser.HTML);
		assertThat(due.status()).as("%s", due).isEqualTo(302);
		assertThat(due.location()).endsWith("/oauth2/authorization/idp");
		Response authorization = follow(due);
		assertThat(authorization.status()).as("%s", authorization).isEqualTo(302);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(queryParameters(authorization.location())).containsEntry("prompt", List.of("login"))
			.containsEntry("max_age", List.of("2700"));
		Response stale = callback(this.providerBrowser.getUrl(authorization.location(), TestBrowser.HTML));
		assertThat(stale.location()).as("the old auth_time is refused").endsWith("/login?error");
		assertThat(lastLoginError())
			.isEqualTo("The authentication at " + this.start + " is older than the required 2700s");
		Response errorPage = follow(stale);
		assertThat(errorPage.status()).as("the login page, path of the expired URL, is never challenged: %s", errorPage)
			.isEqualTo(200);
		assertThat(errorPage.body()).contains("Invalid credentials");
		assertThat(jsonString(status(), "principal")).isEqualTo("auditor");
		Response stillDue = this.browser.get("/home", TestBrowser.HTML);
		assertThat(stillDue.location()).endsWith("/oauth2/authorization/idp");
		authorization = follow(stillDue);
		Instant loginAt = this.start.plus(REAUTHENTICATION).plus(Duration.ofMinutes(1));
		clock.fixAt(loginAt);
		this.providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(authorizeAtTheProvider(authorization, "auditor"));
		assertThat(landing.location()).endsWith("/home?continue");
		Response resumed = follow(landing);
		assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
		assertThat(resumed.body()).contains("Hello auditor, cart book");
		status = status();
		assertThat(jsonInstant(status, "reauthenticateAt")).isEqualTo(loginAt.plus(REAUTHENTICATION));
		assertThat(jsonInstant(status, "absoluteExpiresAt")).isEqualTo(this.start.plus(ABSOLUTE));
		assertThat(events().all()).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION);
			assertThat(event.getDeadline()).isEqualTo(this.start.plus(REAUTHENTICATION));
			assertThat(event.getPolicy()).isEqualTo("auditors");
		});
		assertThat(events().stepUps()).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.REAUTHENTICATION));
	}

	@Test
	void aPlainOAuth2LoginIsNeverPrivilegedAndAFreshLoginDoesNotMeetTheChallenge() {
		useRelyingParty(untimedRelyingParty);
		signIn("plain", "user");
		assertNeverPrivilegedAndNoLoginMeetsTheChallenge("plain");
	}

	@Test
	void anIdTokenWithoutAuthTimeIsNeverPrivilegedAndAFreshLoginDoesNotMeetTheChallenge() {
		useRelyingParty(untimedRelyingParty);
		signIn("noauthtime", "user");
		assertNeverPrivilegedAndNoLoginMeetsTheChallenge("noauthtime");
	}

	@Test
	void theCallbackTimeCountsAsTheAuthenticationTimeOnlyWhenTheApplicationOptsIn() {
		useRelyingParty(trustingRelyingParty);
		signIn("plain", "user");
		Response transfers = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(transfers.status()).as("%s", transfers).isEqualTo(200);
		assertThat(transfers.body()).contains("transferred 10");
		assertThat(this.browser.get("/export", TestBrowser.HTML).status()).isEqualTo(200);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.location()).endsWith("/oauth2/authorization/plain");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).plus(Duration.ofMinutes(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response landing = callback(authorizeAtTheProvider(follow(stale), "user"));
		assertThat(landing.location()).endsWith("/transfers?continue");
		assertThat(follow(landing).status()).isEqualTo(200);
	}

	@Test
	void aUserOfTheSameNameAtAnotherProviderDoesNotMeetTheChallenge() {
		useRelyingParty(trustingRelyingParty);
		signIn("plain", "user");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.location()).endsWith("/oauth2/authorization/plain");
		String sessionCookie = this.browser.cookie("SESSION");
		this.providerBrowser = new TestBrowser(providerUrl);
		Response otherProvider = this.browser.get("/oauth2/authorization/noauthtime", TestBrowser.HTML);
		Response refused = callback(authorizeAtTheProvider(otherProvider, "user"));
		assertThat(refused.location()).as("user at noauthtime is not user at plain").endsWith("/login?error");
		assertThat(lastLoginError()).startsWith("This session belongs to another user");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		assertThat(this.browser.get("/transfers", TestBrowser.HTML).location()).endsWith("/oauth2/authorization/plain");
		assertThat(events(this.rp).stepUps()).isEmpty();
	}

	@Test
	void anIdTokenWhoseAuthTimeLiesInTheFutureDoesNotMeetTheChallenge() {
		signIn("user");
		Instant stepUpAt = this.start.plus(Duration.ofMinutes(16));
		clock.fixAt(stepUpAt);
		Response authorization = follow(this.browser.get("/transfers", TestBrowser.HTML));
		String sessionCookie = this.browser.cookie("SESSION");
		// The provider stamps the sign-in an hour ahead of the time: its ID token says
		// auth_time = stepUpAt + 1h, issued (iat) now
		clock.fixAt(stepUpAt.plus(Duration.ofHours(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response code = authorizeAtTheProvider(authorization, "user");
		clock.fixAt(stepUpAt);
		Response refused = callback(code);
		assertThat(refused.location()).as("an authentication from the future proves nothing").endsWith("/login?error");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		assertThat(this.browser.get("/transfers", TestBrowser.HTML).location()).endsWith("/oauth2/authorization/idp");
		assertThat(events().stepUps()).isEmpty();
	}

	@Test
	void aSignInWhoseIdTokenHasAnAuthTimeInTheFutureIsNeverPrivileged() {
		Response authorization = follow(this.browser.get("/home", TestBrowser.HTML));
		clock.fixAt(this.start.plus(Duration.ofHours(1)));
		Response code = authorizeAtTheProvider(authorization, "user");
		clock.fixAt(this.start);
		Response landing = callback(code);
		assertThat(landing.location()).endsWith("/home?continue");
		assertThat(follow(landing).status()).isEqualTo(200);
		Response transfers = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(transfers.status()).as("auth_time an hour in the future: %s", transfers).isEqualTo(302);
		assertThat(transfers.location()).endsWith("/oauth2/authorization/idp");
		assertThat(this.browser.get("/export", TestBrowser.HTML).status()).as("no maxAge=0 grant").isEqualTo(302);
	}

	@Test
	void anotherSubjectWithTheSameUserNameAttributeDoesNotMeetTheChallenge() {
		useRelyingParty(untimedRelyingParty);
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(302);
		Response landing = callback(
				authorizeAtTheProvider(this.browser.get("/oauth2/authorization/email", TestBrowser.HTML), "user"));
		assertThat(landing.location()).endsWith("/home?continue");
		assertThat(follow(landing).body()).contains("Hello " + SHARED_EMAIL);
		clock.fixAt(this.start.plus(PRIVILEGED_AGE));
		Response stale = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(stale.location()).endsWith("/oauth2/authorization/email");
		String sessionCookie = this.browser.cookie("SESSION");
		clock.fixAt(this.start.plus(PRIVILEGED_AGE).plus(Duration.ofMinutes(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response refused = callback(authorizeAtTheProvider(follow(stale), "auditor"));
		assertThat(refused.location()).as("auditor (sub) has user's email, yet is not user").endsWith("/login?error");
		assertThat(lastLoginError()).startsWith("This session belongs to another user");
		assertThat(this.browser.cookie("SESSION")).as("session kept, id not rotated").isEqualTo(sessionCookie);
		assertThat(this.browser.get("/transfers", TestBrowser.HTML).location()).endsWith("/oauth2/authorization/email");
		assertThat(events(this.rp).stepUps()).isEmpty();
		this.providerBrowser = new TestBrowser(providerUrl);
		Response met = callback(
				authorizeAtTheProvider(follow(this.browser.get("/transfers", TestBrowser.HTML)), "user"));
		assertThat(met.location()).as("the same subject meets it").endsWith("/transfers?continue");
	}

	/**
	 * As {@link #anotherSubjectWithTheSameUserNameAttributeDoesNotMeetTheChallenge()},
	 * once re-authentication is due: the callback then runs without the session's user
	 * (hidden from the request), which must not make the login's check take any user of
	 * the same name for the session's.
	 */
	@Test
	void anotherSubjectWithTheSameUserNameAttributeDoesNotMeetADueReauthentication() {
		useRelyingParty(reauthenticatingRelyingParty);
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(302);
		Response landing = callback(
				authorizeAtTheProvider(this.browser.get("/oauth2/authorization/email", TestBrowser.HTML), "user"));
		assertThat(follow(landing).body()).contains("Hello " + SHARED_EMAIL);
		clock.fixAt(this.start.plus(Duration.ofMinutes(25)));
		assertThat(this.browser.get("/home", TestBrowser.HTML).body()).contains("Hello " + SHARED_EMAIL);
		clock.fixAt(this.start.plus(REAUTHENTICATION).plus(Duration.ofMinutes(1)));
		Response due = this.browser.get("/home", TestBrowser.HTML);
		assertThat(due.location()).as("%s", due).endsWith("/oauth2/authorization/email");
		this.providerBrowser = new TestBrowser(providerUrl);
		Response refused = callback(authorizeAtTheProvider(follow(due), "auditor"));
		assertThat(refused.location()).as("auditor (sub) has user's email, yet is not user").endsWith("/login?error");
		assertThat(lastLoginError()).startsWith("This session belongs to another user");
		assertThat(events(this.rp).stepUps()).isEmpty();
	}

	private void assertNeverPrivilegedAndNoLoginMeetsTheChallenge(String registrationId) {
		Response transfers = this.browser.get("/transfers", TestBrowser.HTML);
		assertThat(transfers.status()).as("just signed in, yet not privileged: %s", transfers).isEqualTo(302);
		assertThat(transfers.location()).endsWith("/oauth2/authorization/" + registrationId);
		Response api = this.browser.get("/api/transfer", TestBrowser.JSON);
		assertThat(api.status()).as("%s", api).isEqualTo(401);
		assertThat(jsonString(api, "reason")).isEqualTo("privileged");
		assertThat(this.browser.get("/export", TestBrowser.HTML).status()).as("no maxAge=0 grant").isEqualTo(302);
		clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		this.providerBrowser = new TestBrowser(providerUrl);
		Response refused = callback(authorizeAtTheProvider(follow(transfers), "user"));
		assertThat(refused.location()).as("a fresh login at the provider, whose time is unknown")
			.endsWith("/login?error");
		assertThat(lastLoginError()).isEqualTo("The authentication does not tell when the user authenticated:"
				+ " a plain OAuth 2.0 login, or an ID token without auth_time");
		assertThat(this.browser.get("/transfers", TestBrowser.HTML).status()).isEqualTo(302);
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).as("other pages still served").isEqualTo(200);
		assertThat(events(this.rp).stepUps()).isEmpty();
	}

	private void useRelyingParty(ConfigurableApplicationContext context) {
		this.rp = "http://127.0.0.1:" + port(context);
		this.browser = new TestBrowser(this.rp);
		context.getBean(RecordedEvents.class).clear();
	}

	/**
	 * Sign in with a registration of a relying party that offers several: the home page
	 * sends the browser to the login page, and the user picks the registration.
	 * @param registrationId the registration
	 * @param username the user
	 */
	private void signIn(String registrationId, String username) {
		assertThat(this.browser.get("/home", TestBrowser.HTML).status()).isEqualTo(302);
		Response authorization = this.browser.get("/oauth2/authorization/" + registrationId, TestBrowser.HTML);
		Response landing = callback(authorizeAtTheProvider(authorization, username));
		assertThat(landing.location()).endsWith("/home?continue");
		Response home = follow(landing);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).contains("Hello user");
	}

	/**
	 * Sign in at the relying party through the provider, at the current instant of the
	 * clock, and land on the home page.
	 * @param username the user
	 */
	private void signIn(String username) {
		Response authorization = follow(this.browser.get("/home", TestBrowser.HTML));
		Response landing = callback(authorizeAtTheProvider(authorization, username));
		assertThat(landing.location()).endsWith("/home?continue");
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
		assertThat(code.location()).startsWith(this.rp + "/login/oauth2/code/");
		assertThat(code.location()).contains("?code=");
		return code;
	}

	/**
	 * Bring the provider's answer to the relying party's callback.
	 * @param code the provider's redirect with the authorization code
	 * @return the relying party's answer, a redirect
	 */
	private Response callback(Response code) {
		assertThat(code.location()).startsWith(this.rp + "/login/oauth2/code/");
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
		return this.browser.getUrl(URI.create(this.rp + "/").resolve(redirect.location()).toString(), TestBrowser.HTML);
	}

	private Response status() {
		Response status = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		return status;
	}

	private String lastLoginError() {
		Response error = this.browser.get("/login-error", TestBrowser.JSON);
		assertThat(error.status()).as("%s", error).isEqualTo(200);
		return jsonString(error, "message");
	}

	private static RecordedEvents events() {
		return relyingParty.getBean(RecordedEvents.class);
	}

	private static RecordedEvents events(String relyingPartyUrl) {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { relyingParty,
				untimedRelyingParty, trustingRelyingParty, reauthenticatingRelyingParty }) {
			if (relyingPartyUrl.endsWith(":" + port(context))) {
				return context.getBean(RecordedEvents.class);
			}
		}
		throw new IllegalArgumentException(relyingPartyUrl);
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
	 * The relying party: {@code oauth2Login()} with the provider's issuer, discovered at
	 * startup, sessions in Spring Session's in-memory store, and the subject
	 * {@code auditor} mapped to {@code ROLE_AUDITOR}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class RelyingPartyApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error", "/session/status", "/login-error")
						.permitAll()
						.anyRequest()
						.authenticated());
			http.oauth2Login(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
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
		Transfers transfers() {
			return new Transfers();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@RestController
		static class PagesController {

			private final Transfers transfers;

			private final Exports exports;

			PagesController(Transfers transfers, Exports exports) {
				this.transfers = transfers;
				this.exports = exports;
			}

			@GetMapping(path = "/export", produces = MediaType.TEXT_HTML_VALUE)
			String export() {
				return "<html><body>" + this.exports.export() + "</body></html>";
			}

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			String home(Authentication authentication, HttpSession session) {
				return "<html><body>Hello " + authentication.getName() + ", cart " + session.getAttribute("cart")
						+ "</body></html>";
			}

			@GetMapping(path = "/transfers", produces = MediaType.TEXT_HTML_VALUE)
			String transfersPage(HttpSession session) {
				return "<html><body>" + this.transfers.transfer("10") + ", cart " + session.getAttribute("cart")
						+ "</body></html>";
			}

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfer(Authentication authentication) {
				return Map.of("name", authentication.getName(), "result", this.transfers.transfer("10"));
			}

			@GetMapping(path = "/login-error", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> loginError(HttpSession session) {
				Object error = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
				return Map.of("message", (error instanceof Exception ex) ? ex.getMessage() : "");
			}

			@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> addToCart(@RequestParam String item, HttpSession session) {
				session.setAttribute("cart", item);
				return Map.of("cart", item);
			}

		}

	}

	/**
	 * The OpenID Connect provider: Spring Authorization Server with form login, the
	 * relying parties' clients (no consent) and any {@link RegisteredClient} beans, and
	 * users whose password factor is stamped with the test clock.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ProviderApplication {

		@Bean
		@Order(1)
		SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http) throws Exception {
			http.oauth2AuthorizationServer((server) -> {
				http.securityMatcher(server.getEndpointsMatcher());
				server.oidc(Customizer.withDefaults());
			});
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain loginSecurityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		ClockStampedPasswordAuthenticationProvider authenticationProvider(
				@Qualifier("sessionTimeoutClock") Clock clock) {
			UserDetailsService users = new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build(),
					User.withUsername("auditor").password("{noop}password").roles("USER").build());
			return new ClockStampedPasswordAuthenticationProvider(users, clock);
		}

		@Bean
		RegisteredClientRepository registeredClientRepository(ObjectProvider<RegisteredClient> moreClients) {
			List<RegisteredClient> clients = new ArrayList<>(
					List.of(client(CLIENT_ID, "idp", OidcScopes.OPENID), client(PLAIN_CLIENT_ID, "plain", "read"),
							client(NO_AUTH_TIME_CLIENT_ID, "noauthtime", OidcScopes.OPENID),
							client(EMAIL_CLIENT_ID, "email", OidcScopes.OPENID, OidcScopes.EMAIL)));
			moreClients.orderedStream().forEach(clients::add);
			return new InMemoryRegisteredClientRepository(clients);
		}

		private static RegisteredClient client(String clientId, String registrationId, String... scopes) {
			return RegisteredClient.withId(clientId)
				.clientId(clientId)
				.clientSecret("{noop}" + (CLIENT_ID.equals(clientId) ? "secret" : registrationId + "-secret"))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri("http://127.0.0.1/login/oauth2/code/" + registrationId)
				.scopes((granted) -> granted.addAll(List.of(scopes)))
				.clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
				.build();
		}

		/**
		 * ID tokens for the client {@value #NO_AUTH_TIME_CLIENT_ID} carry no
		 * {@code auth_time}, as some providers' do; those for the client
		 * {@value #EMAIL_CLIENT_ID} carry the same {@code email} for every subject.
		 */
		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> idTokenCustomizer() {
			return (context) -> {
				if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
					return;
				}
				String clientId = context.getRegisteredClient().getClientId();
				if (NO_AUTH_TIME_CLIENT_ID.equals(clientId)) {
					context.getClaims().claims((claims) -> claims.remove(IdTokenClaimNames.AUTH_TIME));
				}
				if (EMAIL_CLIENT_ID.equals(clientId)) {
					context.getClaims().claim("email", SHARED_EMAIL);
				}
			};
		}

		/**
		 * A plain OAuth 2.0 user endpoint, as GitHub's {@code /user}: the login of the
		 * access token's subject, for a valid token of the provider.
		 */
		@Bean
		@Order(0)
		SecurityFilterChain userEndpointSecurityFilterChain(HttpSecurity http, JwtDecoder jwtDecoder) throws Exception {
			http.securityMatcher("/user");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.decoder(jwtDecoder)));
			return http.build();
		}

		@RestController
		static class UserEndpoint {

			@GetMapping(path = "/user", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> user(Authentication authentication) {
				return Map.of("login", authentication.getName());
			}

		}

		@Bean
		JWKSource<SecurityContext> jwkSource() throws NoSuchAlgorithmException {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keyPair = generator.generateKeyPair();
			RSAKey key = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic())
				.privateKey((RSAPrivateKey) keyPair.getPrivate())
				.keyID("test")
				.build();
			return new ImmutableJWKSet<>(new JWKSet(key));
		}

		@Bean
		JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
			return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
		}

		@Bean
		AuthorizationServerSettings authorizationServerSettings() {
			return AuthorizationServerSettings.builder().build();
		}

	}

	/**
	 * Password login whose factor, and so the ID token's {@code auth_time}, carries the
	 * instant of the test clock instead of the system clock.
	 */
	static class ClockStampedPasswordAuthenticationProvider extends DaoAuthenticationProvider {

		private final Clock clock;

		ClockStampedPasswordAuthenticationProvider(UserDetailsService users, Clock clock) {
			super(users);
			this.clock = clock;
		}

		@Override
		protected Authentication createSuccessAuthentication(Object principal, Authentication authentication,
				UserDetails user) {
			Authentication result = super.createSuccessAuthentication(principal, authentication, user);
			Collection<GrantedAuthority> authorities = result.getAuthorities()
				.stream()
				.map((authority) -> (authority instanceof FactorGrantedAuthority factor)
						? FactorGrantedAuthority.withAuthority(factor.getAuthority())
							.issuedAt(this.clock.instant())
							.build()
						: authority)
				.toList();
			UsernamePasswordAuthenticationToken stamped = UsernamePasswordAuthenticationToken
				.authenticated(result.getPrincipal(), result.getCredentials(), authorities);
			stamped.setDetails(result.getDetails());
			return stamped;
		}

	}

}
