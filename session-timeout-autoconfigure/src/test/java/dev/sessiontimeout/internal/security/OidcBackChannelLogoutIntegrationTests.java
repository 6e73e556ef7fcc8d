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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.core.annotation.AuthenticationPrincipal;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.PostgresServers;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.TcpProxy;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.DiagnoseTimeouts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect back-channel logout across two relying-party instances that share one
 * session store (Redis with Spring Boot's default repository, or PostgreSQL): users sign
 * in through the real Spring Authorization Server of {@link OidcStepUpIntegrationTests},
 * which sends no logout tokens itself (spring-security#18296), so the test signs one with
 * that server's key, as a provider would, and posts it to one instance. It ends the
 * sessions it names on both: by provider session ({@code sid}) only that one, by subject
 * all of the user's; another user's session stays.
 */
@ExtendWith(DiagnoseTimeouts.class)
class OidcBackChannelLogoutIntegrationTests {

	private static final String CLIENT_ID = "relying-party";

	static final String ACCOUNT_PREFIX = "account-of-";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private static String providerUrl;

	private static final List<String> redisNamespaces = new ArrayList<>();

	/**
	 * The session fixation protection of the relying parties' logins:
	 * {@code change-session-id} (Spring Security's default), {@code new-session} or
	 * {@code migrate-session}.
	 */
	static final String SESSION_FIXATION = "test.session-fixation";

	@BeforeAll
	static void startTheProvider() {
		clock.fixAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		provider = OidcStepUpIntegrationTests.startProvider(sharedClock());
		providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
	}

	@AfterAll
	static void stopTheProvider() {
		if (provider != null) {
			provider.close();
		}
		try (RedisTestConnection connection = new RedisTestConnection()) {
			redisNamespaces.forEach(connection::deleteKeys);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "redis-indexed", "postgresql" })
	void aLogoutTokenPostedToOneInstanceEndsTheSessionsItNamesOnBoth(String store) throws Exception {
		String[] storeProperties = storeProperties(store);
		try (ConfigurableApplicationContext first = relyingParty(BackChannelRelyingPartyApplication.class,
				storeProperties, true);
				ConfigurableApplicationContext second = relyingParty(BackChannelRelyingPartyApplication.class,
						storeProperties, false)) {
			assertThat(first.getBean(OidcSessionRegistry.class)).isInstanceOf(StoredOidcSessionRegistry.class);
			String firstUrl = urlOf(first);
			String secondUrl = urlOf(second);
			logoutTokensEndTheSessionsTheyName(provider, firstUrl, secondUrl);
		}
	}

	@Test
	void theKeysOfAKeptLogoutNamedAsSessionIdsTellNothing() throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(BackChannelRelyingPartyApplication.class,
				storeProperties("redis"), true)) {
			theKeysOfAKeptLogoutNamedAsSessionIdsTellNothing(provider, urlOf(relyingParty), true);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "redis-indexed", "postgresql" })
	void aLogoutTokenEndsASessionWhoseIdAndProviderSessionChangedAtAReauthentication(String store) throws Exception {
		String[] storeProperties = storeProperties(store);
		String[] withReauthentication = Arrays.copyOf(storeProperties, storeProperties.length + 1);
		withReauthentication[storeProperties.length] = "session-timeout.reauthentication=45m";
		try (ConfigurableApplicationContext first = relyingParty(BackChannelRelyingPartyApplication.class,
				withReauthentication, true);
				ConfigurableApplicationContext second = relyingParty(BackChannelRelyingPartyApplication.class,
						withReauthentication, false)) {
			logoutTokensEndSessionsReauthenticatedUnderANewId(provider, clock, urlOf(first), urlOf(second));
		}
	}

	/**
	 * Sign a user in at one instance of a relying party whose users authenticate again
	 * after 45 minutes (their idle timeout 30), let the reauthentication fall due, sign
	 * in again at the provider (a new provider session, and a new session id here), and
	 * post a logout token of the new provider session to the other instance: it ends the
	 * session under its new id.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param clock the clock of the provider and the relying party, put back afterwards
	 * @param firstUrl the instance the user signs in at
	 * @param secondUrl the instance the logout token is posted to
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensEndSessionsReauthenticatedUnderANewId(ConfigurableApplicationContext provider,
			MutableClock clock, String firstUrl, String secondUrl) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		Instant start = clock.instant();
		try {
			TestBrowser laptop = signIn(providerUrl, firstUrl, "user");
			String signedInId = laptop.cookie("SESSION");
			String signedInSid = jsonString(laptop.get("/me", TestBrowser.JSON), "sid");
			clock.fixAt(start.plus(Duration.ofMinutes(25)));
			assertSignedIn(laptop, "user");
			clock.fixAt(start.plus(Duration.ofMinutes(46)));
			Response due = laptop.get("/me", TestBrowser.HTML);
			assertThat(due.status()).as("the reauthentication is due: %s", due).isEqualTo(302);
			Response authorization = laptop.getUrl(URI.create(firstUrl + "/").resolve(due.location()).toString(),
					TestBrowser.HTML);
			assertThat(authorization.location()).as("%s then %s", due, authorization).contains("prompt=login");
			Response callback = laptop.getUrl(authorizeAtTheProvider(providerUrl, firstUrl, authorization, "user"),
					TestBrowser.HTML);
			assertThat(callback.status()).as("%s", callback).isEqualTo(302);
			assertSignedIn(laptop, "user");
			assertThat(laptop.cookie("SESSION")).as("a new session id").isNotEqualTo(signedInId);
			String reauthenticatedSid = jsonString(laptop.get("/me", TestBrowser.JSON), "sid");
			assertThat(reauthenticatedSid).as("a new provider session").isNotEqualTo(signedInSid);
			assertThat(jsonString(laptop.get("/me", TestBrowser.JSON), "loginSid"))
				.as("the provider session of the new login, kept in the session")
				.isEqualTo(reauthenticatedSid);

			Response bySid = postLogoutToken(secondUrl, logoutToken(provider, "user", reauthenticatedSid, providerUrl));
			assertThat(bySid.status()).as("%s", bySid).isEqualTo(200);
			assertRevoked(laptop);
		}
		finally {
			clock.fixAt(start);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "map", "container" })
	void aLogoutTokenEndsTheSessionsItNamesOnAStoreOfOneInstance(String store) throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				store.equals("map") ? MapStoreRelyingPartyApplication.class : BackChannelRelyingPartyApplication.class,
				storeProperties(store), true)) {
			assertThat(relyingParty.getBean(OidcSessionRegistry.class)).isInstanceOf(StoredOidcSessionRegistry.class);
			String url = urlOf(relyingParty);
			logoutTokensEndTheSessionsTheyName(provider, url, url);
		}
	}

	@Test
	void aLogoutTokenPostedWhileTheStoreIsDownIsAnsweredWithAnErrorAndEndsTheSessionsOnceItIsBack() throws Exception {
		RedisServers.Endpoint redis = RedisServers.get();
		try (TcpProxy proxy = new TcpProxy(redis.host(), redis.port())) {
			String[] storeProperties = storeProperties("redis");
			for (int i = 0; i < storeProperties.length; i++) {
				storeProperties[i] = storeProperties[i].replace("spring.data.redis.port=" + redis.port(),
						"spring.data.redis.port=" + proxy.port());
			}
			String[] withTimeouts = Arrays.copyOf(storeProperties, storeProperties.length + 2);
			withTimeouts[storeProperties.length] = "spring.data.redis.timeout=2s";
			withTimeouts[storeProperties.length + 1] = "spring.data.redis.connect-timeout=1s";
			try (ConfigurableApplicationContext relyingParty = relyingParty(BackChannelRelyingPartyApplication.class,
					withTimeouts, true)) {
				logoutTokensPostedWhileTheStoreIsDownAreAnsweredWithAnError(provider, urlOf(relyingParty), proxy);
			}
		}
	}

	/**
	 * Sign a user in, cut the relying party off its store, and post a logout token: it is
	 * answered with an error, not taken for done; once the store is back, the same token
	 * ends the session.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param relyingPartyUrl the relying party
	 * @param store the connection to the relying party's store
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensPostedWhileTheStoreIsDownAreAnsweredWithAnError(ConfigurableApplicationContext provider,
			String relyingPartyUrl, TcpProxy store) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		TestBrowser browser = signIn(providerUrl, relyingPartyUrl, "user");
		String token = logoutToken(provider, "user", null, providerUrl);
		store.cut();
		Response whileDown = postLogoutToken(relyingPartyUrl, token);
		assertThat(whileDown.status()).as("a logout the store could not record: %s", whileDown)
			.isGreaterThanOrEqualTo(500);
		store.restore();
		Response onceBack = postLogoutToken(relyingPartyUrl, token);
		assertThat(onceBack.status()).as("%s", onceBack).isEqualTo(200);
		assertRevoked(browser);
	}

	@Test
	void aLogoutTokenForAUserTheApplicationNamesOtherwiseThanBySubjectIsAnsweredWithAnError() throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(AccountNamingRelyingPartyApplication.class,
				storeProperties("redis"), true)) {
			logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnError(provider, urlOf(relyingParty));
		}
	}

	/**
	 * Sign a user in at a relying party whose user service names its users by another
	 * claim than their subject, and post a logout token of the user's subject: it can
	 * find none of the user's sessions, so it is answered with an error, lest the
	 * provider take the logout for done while the session stays signed in.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param relyingPartyUrl the relying party
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnError(ConfigurableApplicationContext provider,
			String relyingPartyUrl) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		signIn(providerUrl, relyingPartyUrl, "user", ACCOUNT_PREFIX + "user");
		Response bySubject = postLogoutToken(relyingPartyUrl, logoutToken(provider, "user", null, providerUrl));
		assertThat(bySubject.status()).as("a logout that can end none of the user's sessions: %s", bySubject)
			.isEqualTo(500);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "postgresql" })
	void aLogoutTokenForAUserNamedOtherwisePostedToAnInstanceThatSawNoSuchLoginIsAnsweredWithAnError(String store)
			throws Exception {
		String[] storeProperties = storeProperties(store);
		try (ConfigurableApplicationContext first = relyingParty(AccountNamingRelyingPartyApplication.class,
				storeProperties, true);
				ConfigurableApplicationContext second = relyingParty(AccountNamingRelyingPartyApplication.class,
						storeProperties, false)) {
			logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnErrorByAnotherInstance(provider, urlOf(first),
					urlOf(second));
		}
	}

	/**
	 * Sign a user in at one instance of a relying party whose user service names its
	 * users by another claim than their subject, and post a logout token of the user's
	 * subject to another instance, which has seen no such login: it can find none of the
	 * user's sessions, so it is answered with an error, and the session stays.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param firstUrl the instance the user signs in at
	 * @param secondUrl the instance the logout token is posted to
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnErrorByAnotherInstance(
			ConfigurableApplicationContext provider, String firstUrl, String secondUrl) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		TestBrowser browser = signIn(providerUrl, firstUrl, "user", ACCOUNT_PREFIX + "user");
		Response bySubject = postLogoutToken(secondUrl, logoutToken(provider, "user", null, providerUrl));
		assertSignedIn(browser, ACCOUNT_PREFIX + "user");
		assertThat(bySubject.status())
			.as("a logout that ended none of the user's sessions, at an instance that saw no login: %s", bySubject)
			.isGreaterThanOrEqualTo(400);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "redis-indexed", "postgresql" })
	void aLogoutTokenNamingOnlyAProviderSessionPostedToAnotherInstanceEndsThatSession(String store) throws Exception {
		String[] storeProperties = storeProperties(store);
		try (ConfigurableApplicationContext first = relyingParty(BackChannelRelyingPartyApplication.class,
				storeProperties, true);
				ConfigurableApplicationContext second = relyingParty(BackChannelRelyingPartyApplication.class,
						storeProperties, false)) {
			logoutTokensNamingOnlyAProviderSessionEndIt(provider, urlOf(first), urlOf(second));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "map", "container" })
	void aLogoutTokenNamingOnlyAProviderSessionEndsThatSessionOnAStoreOfOneInstance(String store) throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				store.equals("map") ? MapStoreRelyingPartyApplication.class : BackChannelRelyingPartyApplication.class,
				storeProperties(store), true)) {
			String url = urlOf(relyingParty);
			logoutTokensNamingOnlyAProviderSessionEndIt(provider, url, url);
		}
	}

	/**
	 * Post a logout token of a subject with no session, which the relying party keeps for
	 * a login under way, then send requests that name the keys it is kept under as their
	 * session ids: anyone can compute them, so they tell nothing (the answer of an
	 * unknown session, not that the provider logged that user out).
	 * @param provider the provider, whose key signs the logout token
	 * @param url the relying party
	 * @param encodedIds whether the session cookie holds the session id in Base64, as
	 * Spring Session's servlet cookie does
	 * @throws Exception if the logout token cannot be signed
	 */
	static void theKeysOfAKeptLogoutNamedAsSessionIdsTellNothing(ConfigurableApplicationContext provider, String url,
			boolean encodedIds) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		String subject = "signed-out-" + UUID.randomUUID();
		Response answer = postLogoutToken(url, logoutToken(provider, subject, null, providerUrl));
		assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		OidcLogoutToken kept = OidcLogoutToken.withTokenValue("kept")
			.issuer(providerUrl)
			.audience(List.of(CLIENT_ID))
			.subject(subject)
			.issuedAt(Instant.now())
			.jti("kept")
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
			.build();
		assertThat(OidcLogouts.keys(kept)).isNotEmpty().allSatisfy((key) -> {
			TestBrowser browser = new TestBrowser(url);
			browser.setCookie("SESSION",
					encodedIds ? Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) : key);
			Response me = browser.get("/me", TestBrowser.JSON);
			assertThat(me.status()).as("%s", me).isEqualTo(401);
			assertThat(jsonString(me, "reason")).as("%s", me).isEqualTo(ExpiryReason.INVALID.value());
		});
	}

	/**
	 * Sign a user in twice, post logout tokens that name a provider session ({@code sid})
	 * and no subject: one of a provider session that no login named is answered with an
	 * error; one of the first login's ends that session only.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param firstUrl the instance the user signs in at
	 * @param secondUrl the instance the logout tokens are posted to
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensNamingOnlyAProviderSessionEndIt(ConfigurableApplicationContext provider, String firstUrl,
			String secondUrl) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		TestBrowser laptop = signIn(providerUrl, firstUrl, "user");
		TestBrowser phone = signIn(providerUrl, firstUrl, "user");
		String sid = jsonString(laptop.get("/me", TestBrowser.JSON), "sid");
		assertThat(sid).isNotEmpty().isNotEqualTo(jsonString(phone.get("/me", TestBrowser.JSON), "sid"));
		Response unknown = postLogoutToken(secondUrl, logoutToken(provider, null, "unknown-" + sid, providerUrl));
		assertThat(unknown.status()).as("a provider session that no login named: %s", unknown).isEqualTo(500);
		assertSignedIn(laptop, "user");
		Response bySid = postLogoutToken(secondUrl, logoutToken(provider, null, sid, providerUrl));
		assertThat(bySid.status()).as("%s", bySid).isEqualTo(200);
		assertRevoked(laptop);
		assertSignedIn(phone, "user");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "redis-indexed", "postgresql", "container" })
	void aLogoutTokenPostedWhileTheLoginsCallbackIsRunningEndsTheSessionItSaves(String store) throws Exception {
		onOneRelyingParty(DuringLoginRelyingPartyApplication.class, store,
				OidcBackChannelLogoutIntegrationTests::logoutTokensPostedWhileTheLoginsCallbackIsRunningEndTheSessionItSaves);
	}

	/**
	 * Post a logout token for a login while its callback runs (the provider answered, the
	 * session is not saved yet): the session it saves is ended at its first request, and
	 * the user's next login, after the logout, is served.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param clock the clock of the relying party, set to now
	 * @param url the relying party, with the hook of
	 * {@link DuringLoginRelyingPartyApplication}
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensPostedWhileTheLoginsCallbackIsRunningEndTheSessionItSaves(
			ConfigurableApplicationContext provider, MutableClock clock, String url) throws Exception {
		// The provider issues its tokens by the real clock, and the relying party takes a
		// logout token issued more than a minute ahead of its own as issued then
		clock.fixAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		List<Response> logouts = new ArrayList<>();
		DuringLoginRelyingPartyApplication.duringLogin = (user) -> {
			try {
				logouts.add(postLogoutToken(url,
						logoutToken(provider, user.getSubject(), user.getClaimAsString("sid"), providerUrl)));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		try {
			TestBrowser browser = new TestBrowser(url);
			Response callback = callback(providerUrl, url, browser, "user");
			assertThat(callback.status()).as("%s", callback).isEqualTo(302);
			assertThat(logouts).hasSize(1);
			assertThat(logouts.get(0).status()).as("%s", logouts.get(0)).isEqualTo(200);
			assertRevoked(browser);
		}
		finally {
			DuringLoginRelyingPartyApplication.duringLogin = null;
		}
		// A logout of all the user's sessions half a minute ago ends none issued since
		Response earlier = postLogoutToken(url, logoutToken(provider, "user", null, providerUrl,
				Date.from(Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS))));
		assertThat(earlier.status()).as("%s", earlier).isEqualTo(200);
		TestBrowser later = signIn(providerUrl, url, "user");
		assertSignedIn(later, "user");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "redis", "redis-indexed", "postgresql", "container" })
	void aLogoutTokenPostedAfterTheLoginLookedForKeptLogoutsAndBeforeItsSessionIsSavedEndsThatSession(String store)
			throws Exception {
		onOneRelyingParty(AfterLoginCheckRelyingPartyApplication.class, store,
				OidcBackChannelLogoutIntegrationTests::logoutTokensPostedAfterTheLoginsCheckEndTheSessionItSaves);
	}

	// With newSession() the session fixation strategy copies only Spring Security's own
	// attributes to the login's new session. The registry's revocation, its mark and the
	// login's sid still reach that session: SessionManagementConfigurer builds its
	// composite strategy over its live list at init(), with the fixation strategy
	// appended, and oauth2Login() adds the strategy that calls saveSessionInformation at
	// configure(), so it runs after the fixation, on the new session
	@ParameterizedTest(name = "{0}, {1}")
	@CsvSource({ "redis, new-session", "postgresql, new-session", "container, new-session", "redis, migrate-session" })
	void aLogoutTokenPostedWhileTheLoginsCallbackIsRunningEndsTheSessionOfALoginThatMovesToANewSession(String store,
			String fixation) throws Exception {
		onOneRelyingParty(DuringLoginRelyingPartyApplication.class, store,
				OidcBackChannelLogoutIntegrationTests::logoutTokensPostedWhileTheLoginsCallbackIsRunningEndTheSessionItSaves,
				SESSION_FIXATION + "=" + fixation);
	}

	@ParameterizedTest(name = "{0}, {1}")
	@CsvSource({ "redis, new-session", "postgresql, new-session", "container, new-session", "redis, migrate-session" })
	void aLogoutTokenPostedAfterTheLoginLookedForKeptLogoutsEndsTheSessionOfALoginThatMovesToANewSession(String store,
			String fixation) throws Exception {
		onOneRelyingParty(AfterLoginCheckRelyingPartyApplication.class, store,
				OidcBackChannelLogoutIntegrationTests::logoutTokensPostedAfterTheLoginsCheckEndTheSessionItSaves,
				SESSION_FIXATION + "=" + fixation);
	}

	@ParameterizedTest(name = "{0}, {1}")
	@CsvSource({ "redis, new-session", "redis, migrate-session" })
	void aLogoutTokenEndsTheSessionsItNamesOfLoginsThatMoveToANewSession(String store, String fixation)
			throws Exception {
		String[] storeProperties = storeProperties(store);
		try (ConfigurableApplicationContext first = relyingParty(BackChannelRelyingPartyApplication.class,
				storeProperties, true, SESSION_FIXATION + "=" + fixation);
				ConfigurableApplicationContext second = relyingParty(BackChannelRelyingPartyApplication.class,
						storeProperties, false, SESSION_FIXATION + "=" + fixation)) {
			logoutTokensEndTheSessionsTheyName(provider, urlOf(first), urlOf(second));
		}
	}

	/**
	 * Post a logout token for a login once the login looked for the logouts kept for it
	 * (the registry's {@code saveSessionInformation} ran) and before its request ends,
	 * when its session is saved: the session it saves is ended at its first request.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param clock the clock of the relying party, set to now
	 * @param url the relying party, with the hook of
	 * {@link AfterLoginCheckRelyingPartyApplication}
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensPostedAfterTheLoginsCheckEndTheSessionItSaves(ConfigurableApplicationContext provider,
			MutableClock clock, String url) throws Exception {
		// As in logoutTokensPostedWhileTheLoginsCallbackIsRunningEndTheSessionItSaves
		clock.fixAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		List<Response> logouts = new ArrayList<>();
		AfterLoginCheckRelyingPartyApplication.afterLoginCheck = (user) -> {
			try {
				logouts.add(postLogoutToken(url,
						logoutToken(provider, user.getSubject(), user.getClaimAsString("sid"), providerUrl)));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		try {
			TestBrowser browser = new TestBrowser(url);
			Response callback = callback(providerUrl, url, browser, "user");
			assertThat(callback.status()).as("%s", callback).isEqualTo(302);
			assertThat(logouts).hasSize(1);
			assertThat(logouts.get(0).status()).as("%s", logouts.get(0)).isEqualTo(200);
			assertRevoked(browser);
		}
		finally {
			AfterLoginCheckRelyingPartyApplication.afterLoginCheck = null;
		}
	}

	/**
	 * Sign users in at two relying-party instances that share a session store, post
	 * logout tokens to one or the other, and check which sessions end: by provider
	 * session ({@code sid}) only that one, by subject all of the user's; another user's
	 * session stays, and a token of another issuer is refused.
	 * @param provider the provider, whose key signs the logout tokens
	 * @param firstUrl the first instance
	 * @param secondUrl the second instance
	 * @throws Exception if a logout token cannot be signed
	 */
	static void logoutTokensEndTheSessionsTheyName(ConfigurableApplicationContext provider, String firstUrl,
			String secondUrl) throws Exception {
		String providerUrl = "http://localhost:" + OidcStepUpIntegrationTests.port(provider);
		TestBrowser laptop = signIn(providerUrl, firstUrl, "user");
		TestBrowser phone = signIn(providerUrl, secondUrl, "user");
		TestBrowser auditor = signIn(providerUrl, secondUrl, "auditor");
		String laptopsProviderSession = jsonString(laptop.get("/me", TestBrowser.JSON), "sid");
		assertThat(jsonString(laptop.get("/me", TestBrowser.JSON), "loginSid"))
			.as("the provider session of the login, kept in the session")
			.isEqualTo(laptopsProviderSession);
		assertThat(laptopsProviderSession).isNotEqualTo(jsonString(phone.get("/me", TestBrowser.JSON), "sid"));

		Response bySid = postLogoutToken(secondUrl, logoutToken(provider, "user", laptopsProviderSession, providerUrl));
		assertThat(bySid.status()).as("%s", bySid).isEqualTo(200);
		assertRevoked(laptop);
		assertSignedIn(phone, "user");
		assertSignedIn(auditor, "auditor");

		Response bySubject = postLogoutToken(firstUrl, logoutToken(provider, "user", null, providerUrl));
		assertThat(bySubject.status()).as("%s", bySubject).isEqualTo(200);
		assertRevoked(phone);
		assertSignedIn(auditor, "auditor");

		Response ofAnotherProvider = postLogoutToken(firstUrl,
				logoutToken(provider, "auditor", null, "http://localhost:1/elsewhere"));
		assertThat(ofAnotherProvider.status()).as("a token of another issuer is refused").isBetween(400, 499);
		assertSignedIn(auditor, "auditor");
	}

	private static String[] storeProperties(String store) {
		String noRedisNoJdbc = AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY;
		if (store.equals("map")) {
			return new String[] { noRedisNoJdbc };
		}
		if (store.equals("container")) {
			return new String[] {
					noRedisNoJdbc + ",org.springframework.boot.session.autoconfigure.SessionAutoConfiguration" };
		}
		if (store.startsWith("redis")) {
			RedisServers.Endpoint redis = RedisServers.get();
			String redisNamespace = "session-timeout-test:oidc-logout:" + UUID.randomUUID();
			redisNamespaces.add(redisNamespace);
			return new String[] { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"spring.session.data.redis.namespace=" + redisNamespace,
					"spring.session.data.redis.repository-type="
							+ (store.equals("redis-indexed") ? "indexed" : "default"),
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };
		}
		PostgresServers.Database database = PostgresServers.newSchema();
		return new String[] { "spring.datasource.url=" + database.url(),
				"spring.datasource.username=" + database.user(), "spring.datasource.password=" + database.password(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" };
	}

	/**
	 * Run a scenario of the provider and one relying party, an instance of the given
	 * application on the given store, whose clock the scenario sets.
	 */
	private static void onOneRelyingParty(Class<?> application, String store, ScenarioOfOne scenario,
			String... properties) throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(application, storeProperties(store), true,
				properties)) {
			scenario.run(provider, clock, urlOf(relyingParty));
		}
	}

	private static String urlOf(ConfigurableApplicationContext relyingParty) {
		return "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty);
	}

	private static ConfigurableApplicationContext relyingParty(Class<?> application, String[] storeProperties,
			boolean first, String... properties) {
		return new SpringApplicationBuilder(application).initializers(sharedClock())
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"spring.session.jdbc.initialize-schema=" + (first ? "always" : "never"),
					"spring.security.oauth2.client.registration.idp.client-id=" + CLIENT_ID,
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl)
			.properties(storeProperties)
			.properties(properties)
			.run();
	}

	/**
	 * Sign in at a relying party through the provider, each user in a browser and a
	 * provider session of its own.
	 */
	private static TestBrowser signIn(String providerUrl, String relyingPartyUrl, String username) {
		return signIn(providerUrl, relyingPartyUrl, username, username);
	}

	/**
	 * Sign in at a relying party through the provider, as a user the relying party names
	 * as given.
	 */
	private static TestBrowser signIn(String providerUrl, String relyingPartyUrl, String username, String name) {
		TestBrowser browser = new TestBrowser(relyingPartyUrl);
		Response callback = callback(providerUrl, relyingPartyUrl, browser, username);
		assertThat(callback.status()).as("%s", callback).isEqualTo(302);
		assertSignedIn(browser, name);
		return browser;
	}

	/**
	 * Sign in at a relying party through the provider, and return the answer to the
	 * login's callback.
	 */
	private static Response callback(String providerUrl, String relyingPartyUrl, TestBrowser browser, String username) {
		Response entry = browser.get("/me", TestBrowser.HTML);
		assertThat(entry.status()).as("%s", entry).isEqualTo(302);
		Response authorization = browser.getUrl(URI.create(relyingPartyUrl + "/").resolve(entry.location()).toString(),
				TestBrowser.HTML);
		return browser.getUrl(authorizeAtTheProvider(providerUrl, relyingPartyUrl, authorization, username),
				TestBrowser.HTML);
	}

	/**
	 * Log in at the provider, in a browser and a provider session of its own, and return
	 * the provider's redirect back to the relying party's callback.
	 */
	private static String authorizeAtTheProvider(String providerUrl, String relyingPartyUrl, Response authorization,
			String username) {
		TestBrowser providerBrowser = new TestBrowser(providerUrl);
		assertThat(authorization.location()).startsWith(providerUrl + "/oauth2/authorize?");
		assertThat(providerBrowser.getUrl(authorization.location(), TestBrowser.HTML).location())
			.isEqualTo(providerUrl + "/login");
		Response login = providerBrowser.login(username, "password");
		Response code = providerBrowser.getUrl(login.location(), TestBrowser.HTML);
		assertThat(code.location()).startsWith(relyingPartyUrl + "/login/oauth2/code/idp?code=");
		return code.location();
	}

	/**
	 * Sign a logout token with the provider's key, as a provider sends one.
	 */
	private static String logoutToken(ConfigurableApplicationContext provider, String subject, String providerSession,
			String issuer) throws Exception {
		return logoutToken(provider, subject, providerSession, issuer, new Date());
	}

	/**
	 * Sign a logout token with the provider's key, issued at the given time.
	 */
	@SuppressWarnings("unchecked")
	private static String logoutToken(ConfigurableApplicationContext provider, String subject, String providerSession,
			String issuer, Date issuedAt) throws Exception {
		JWKSource<SecurityContext> keys = provider.getBean(JWKSource.class);
		RSAKey key = (RSAKey) keys.get(new JWKSelector(new JWKMatcher.Builder().privateOnly(true).build()), null)
			.get(0);
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer)
			.audience(CLIENT_ID)
			.issueTime(issuedAt)
			.jwtID(UUID.randomUUID().toString())
			.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
		if (subject != null) {
			claims.subject(subject);
		}
		if (providerSession != null) {
			claims.claim("sid", providerSession);
		}
		SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
			.type(new JOSEObjectType("logout+jwt"))
			.build(), claims.build());
		token.sign(new RSASSASigner(key));
		return token.serialize();
	}

	private static Response postLogoutToken(String relyingPartyUrl, String logoutToken) {
		return new TestBrowser(relyingPartyUrl).post("/logout/connect/back-channel/idp",
				Map.of("logout_token", logoutToken), TestBrowser.JSON);
	}

	private static void assertSignedIn(TestBrowser browser, String username) {
		Response me = browser.get("/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(jsonString(me, "name")).isEqualTo(username);
	}

	private static void assertRevoked(TestBrowser browser) {
		Response me = browser.get("/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(401);
		assertThat(jsonString(me, "reason")).isEqualTo(ExpiryReason.REVOKED.value());
	}

	private static String jsonString(Response response, String member) {
		return response.jsonString(member);
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock() {
		return (context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
	}

	/**
	 * A relying party with {@code oauth2Login()} and back-channel logout, its sessions in
	 * the store Spring Boot configures.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BackChannelRelyingPartyApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated());
			sessionFixation(http, environment);
			http.oauth2Login(Customizer.withDefaults());
			http.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
			return http.build();
		}

		@RestController
		static class Me {

			@GetMapping(path = "/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(@AuthenticationPrincipal OidcUser user, HttpSession session) {
				String sid = user.getClaimAsString("sid");
				Object loginSid = session.getAttribute(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE);
				return Map.of("name", user.getName(), "sid", (sid != null) ? sid : "", "loginSid",
						(loginSid != null) ? loginSid : "");
			}

		}

	}

	/**
	 * The relying party of {@link BackChannelRelyingPartyApplication} with a user service
	 * of its own that names each user by a local account, not by the subject.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BackChannelRelyingPartyApplication.Me.class)
	static class AccountNamingRelyingPartyApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment) throws Exception {
			return new BackChannelRelyingPartyApplication().securityFilterChain(http, environment);
		}

		@Bean
		OAuth2UserService<OidcUserRequest, OidcUser> oidcUserService() {
			OidcUserService delegate = new OidcUserService();
			return (request) -> namedByAccount(delegate.loadUser(request));
		}

	}

	/**
	 * Configure the session fixation protection that {@link #SESSION_FIXATION} names.
	 * @param http the relying party's security
	 * @param environment its environment
	 * @throws Exception if the security cannot be configured
	 */
	static void sessionFixation(HttpSecurity http, Environment environment) throws Exception {
		String fixation = environment.getProperty(SESSION_FIXATION, "change-session-id");
		http.sessionManagement((sessions) -> sessions.sessionFixation((protection) -> {
			switch (fixation) {
				case "change-session-id" -> protection.changeSessionId();
				case "new-session" -> protection.newSession();
				case "migrate-session" -> protection.migrateSession();
				default -> throw new IllegalArgumentException("Unknown session fixation protection " + fixation);
			}
		}));
	}

	/**
	 * Return a user named by a local account of its subject, as an application's user
	 * service may.
	 * @param user the user as the provider names it
	 * @return the user named by its account
	 */
	static OidcUser namedByAccount(OidcUser user) {
		return new DefaultOidcUser(user.getAuthorities(), user.getIdToken(),
				new OidcUserInfo(Map.of("sub", user.getSubject(), "account", ACCOUNT_PREFIX + user.getSubject())),
				"account");
	}

	/**
	 * The relying party of {@link BackChannelRelyingPartyApplication} whose user service
	 * runs {@link #duringLogin} in the login's callback, once the provider answered and
	 * before the session of the login is saved.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BackChannelRelyingPartyApplication.Me.class)
	static class DuringLoginRelyingPartyApplication {

		static volatile @Nullable Consumer<OidcUser> duringLogin;

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment) throws Exception {
			return new BackChannelRelyingPartyApplication().securityFilterChain(http, environment);
		}

		@Bean
		OAuth2UserService<OidcUserRequest, OidcUser> oidcUserService() {
			OidcUserService delegate = new OidcUserService();
			return (request) -> {
				OidcUser user = delegate.loadUser(request);
				Consumer<OidcUser> hook = duringLogin;
				if (hook != null) {
					hook.accept(user);
				}
				return user;
			};
		}

	}

	/**
	 * The relying party of {@link BackChannelRelyingPartyApplication} whose success
	 * handler runs {@link #afterLoginCheck} in the login's callback, once the registry's
	 * {@code saveSessionInformation} ran and before the session of the login is saved.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BackChannelRelyingPartyApplication.Me.class)
	static class AfterLoginCheckRelyingPartyApplication {

		static volatile @Nullable Consumer<OidcUser> afterLoginCheck;

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated());
			sessionFixation(http, environment);
			AuthenticationSuccessHandler delegate = new SavedRequestAwareAuthenticationSuccessHandler();
			http.oauth2Login((login) -> login.successHandler((request, response, authentication) -> {
				Consumer<OidcUser> hook = afterLoginCheck;
				if (hook != null && authentication.getPrincipal() instanceof OidcUser user) {
					hook.accept(user);
				}
				delegate.onAuthenticationSuccess(request, response, authentication);
			}));
			http.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
			return http.build();
		}

	}

	/**
	 * The relying party of {@link BackChannelRelyingPartyApplication} with its sessions
	 * in Spring Session's {@link MapSessionRepository}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(BackChannelRelyingPartyApplication.Me.class)
	static class MapStoreRelyingPartyApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment) throws Exception {
			return new BackChannelRelyingPartyApplication().securityFilterChain(http, environment);
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

	/**
	 * A scenario of the provider and one relying party.
	 */
	@FunctionalInterface
	private interface ScenarioOfOne {

		/**
		 * Run the scenario.
		 * @param provider the provider, whose key signs the logout tokens
		 * @param clock the clock of the relying party
		 * @param url the relying party
		 * @throws Exception on any failure
		 */
		void run(ConfigurableApplicationContext provider, MutableClock clock, String url) throws Exception;

	}

}
