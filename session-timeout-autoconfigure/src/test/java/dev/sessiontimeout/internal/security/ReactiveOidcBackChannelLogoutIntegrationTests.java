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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.oidc.server.session.ReactiveOidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.security.core.annotation.AuthenticationPrincipal;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.TcpProxy;
import dev.sessiontimeout.testsupport.LettuceStallWatch;
import dev.sessiontimeout.testsupport.DiagnoseTimeouts;
import dev.sessiontimeout.testsupport.BoundedCloseReactiveWebServerApplicationContext;
import dev.sessiontimeout.testsupport.InFlightRequests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect back-channel logout across two reactive relying-party instances that
 * share Spring Session's reactive Redis store (default and indexed repositories), as
 * {@link OidcBackChannelLogoutIntegrationTests} does on servlet: users sign in through
 * the real Spring Authorization Server of {@link OidcStepUpIntegrationTests}, the test
 * signs a logout token with that server's key, as a provider would, and posts it to one
 * instance. It ends the sessions it names on both: by provider session ({@code sid}) only
 * that one, by subject all of the user's; another user's session stays.
 */
@ExtendWith(DiagnoseTimeouts.class)
class ReactiveOidcBackChannelLogoutIntegrationTests {

	private static final String CLIENT_ID = "relying-party";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private static String providerUrl;

	private static final List<String> redisNamespaces = new ArrayList<>();

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
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenPostedToOneInstanceEndsTheSessionsItNamesOnBoth(String repositoryType) throws Exception {
		String[] storeProperties = storeProperties(repositoryType);
		try (ConfigurableApplicationContext first = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
				storeProperties);
				ConfigurableApplicationContext second = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
						storeProperties)) {
			assertThat(first.getBean(ReactiveOidcSessionRegistry.class))
				.isInstanceOf(ReactiveStoredOidcSessionRegistry.class);
			String firstUrl = "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(first);
			String secondUrl = "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(second);
			OidcBackChannelLogoutIntegrationTests.logoutTokensEndTheSessionsTheyName(provider, firstUrl, secondUrl);
		}
	}

	@Test
	void theKeysOfAKeptLogoutNamedAsSessionIdsTellNothing() throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				ReactiveBackChannelRelyingPartyApplication.class, storeProperties("default"))) {
			OidcBackChannelLogoutIntegrationTests.theKeysOfAKeptLogoutNamedAsSessionIdsTellNothing(provider,
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty), false);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenEndsASessionWhoseIdAndProviderSessionChangedAtAReauthentication(String repositoryType)
			throws Exception {
		String[] storeProperties = storeProperties(repositoryType);
		String[] withReauthentication = Arrays.copyOf(storeProperties, storeProperties.length + 1);
		withReauthentication[storeProperties.length] = "session-timeout.reauthentication=45m";
		try (ConfigurableApplicationContext first = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
				withReauthentication);
				ConfigurableApplicationContext second = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
						withReauthentication)) {
			OidcBackChannelLogoutIntegrationTests.logoutTokensEndSessionsReauthenticatedUnderANewId(provider, clock,
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(first),
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(second));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "map", "in-memory" })
	void aLogoutTokenEndsTheSessionsItNamesOnAStoreOfOneInstance(String store) throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				store.equals("map") ? ReactiveMapStoreRelyingPartyApplication.class
						: ReactiveInMemoryStoreRelyingPartyApplication.class,
				new String[] { "spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
						+ (store.equals("map") ? ""
								: ",org.springframework.boot.session.autoconfigure.SessionAutoConfiguration") })) {
			assertThat(relyingParty.getBean(ReactiveOidcSessionRegistry.class))
				.isInstanceOf(ReactiveStoredOidcSessionRegistry.class);
			String url = "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty);
			OidcBackChannelLogoutIntegrationTests.logoutTokensEndTheSessionsTheyName(provider, url, url);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenNamingOnlyAProviderSessionPostedToAnotherInstanceEndsThatSession(String repositoryType)
			throws Exception {
		String[] storeProperties = storeProperties(repositoryType);
		try (ConfigurableApplicationContext first = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
				storeProperties);
				ConfigurableApplicationContext second = relyingParty(ReactiveBackChannelRelyingPartyApplication.class,
						storeProperties)) {
			OidcBackChannelLogoutIntegrationTests.logoutTokensNamingOnlyAProviderSessionEndIt(provider,
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(first),
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(second));
		}
	}

	@Test
	void aLogoutTokenNamingOnlyAProviderSessionEndsThatSessionOnAStoreOfOneInstance() throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(ReactiveMapStoreRelyingPartyApplication.class,
				new String[] { "spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })) {
			String url = "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty);
			OidcBackChannelLogoutIntegrationTests.logoutTokensNamingOnlyAProviderSessionEndIt(provider, url, url);
		}
	}

	@Test
	void aLogoutTokenPostedWhileTheStoreIsDownIsAnsweredWithAnErrorAndEndsTheSessionsOnceItIsBack() throws Exception {
		RedisServers.Endpoint redis = RedisServers.get();
		try (TcpProxy proxy = new TcpProxy(redis.host(), redis.port())) {
			String[] storeProperties = storeProperties("default");
			for (int i = 0; i < storeProperties.length; i++) {
				storeProperties[i] = storeProperties[i].replace("spring.data.redis.port=" + redis.port(),
						"spring.data.redis.port=" + proxy.port());
			}
			String[] withTimeouts = Arrays.copyOf(storeProperties, storeProperties.length + 2);
			withTimeouts[storeProperties.length] = "spring.data.redis.timeout=2s";
			withTimeouts[storeProperties.length + 1] = "spring.data.redis.connect-timeout=1s";
			try (ConfigurableApplicationContext relyingParty = relyingParty(
					ReactiveBackChannelRelyingPartyApplication.class, withTimeouts)) {
				OidcBackChannelLogoutIntegrationTests.logoutTokensPostedWhileTheStoreIsDownAreAnsweredWithAnError(
						provider, "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty), proxy);
			}
		}
	}

	@Test
	void aLogoutTokenForAUserTheApplicationNamesOtherwiseThanBySubjectIsAnsweredWithAnError() throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				ReactiveAccountNamingRelyingPartyApplication.class, storeProperties("default"))) {
			OidcBackChannelLogoutIntegrationTests.logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnError(provider,
					"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenForAUserNamedOtherwisePostedToAnInstanceThatSawNoSuchLoginIsAnsweredWithAnError(
			String repositoryType) throws Exception {
		String[] storeProperties = storeProperties(repositoryType);
		try (ConfigurableApplicationContext first = relyingParty(ReactiveAccountNamingRelyingPartyApplication.class,
				storeProperties);
				ConfigurableApplicationContext second = relyingParty(ReactiveAccountNamingRelyingPartyApplication.class,
						storeProperties)) {
			OidcBackChannelLogoutIntegrationTests
				.logoutTokensForUsersNamedOtherwiseAreAnsweredWithAnErrorByAnotherInstance(provider,
						"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(first),
						"http://127.0.0.1:" + OidcStepUpIntegrationTests.port(second));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenPostedWhileTheLoginsCallbackIsRunningEndsTheSessionItSaves(String repositoryType)
			throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				ReactiveDuringLoginRelyingPartyApplication.class, storeProperties(repositoryType))) {
			OidcBackChannelLogoutIntegrationTests.logoutTokensPostedWhileTheLoginsCallbackIsRunningEndTheSessionItSaves(
					provider, clock, "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default", "indexed" })
	void aLogoutTokenPostedAfterTheLoginLookedForKeptLogoutsAndBeforeItsSessionIsSavedEndsThatSession(
			String repositoryType) throws Exception {
		try (ConfigurableApplicationContext relyingParty = relyingParty(
				ReactiveAfterLoginCheckRelyingPartyApplication.class, storeProperties(repositoryType))) {
			OidcBackChannelLogoutIntegrationTests.logoutTokensPostedAfterTheLoginsCheckEndTheSessionItSaves(provider,
					clock, "http://127.0.0.1:" + OidcStepUpIntegrationTests.port(relyingParty));
		}
	}

	private static String[] storeProperties(String repositoryType) {
		RedisServers.Endpoint redis = RedisServers.get();
		String redisNamespace = "session-timeout-test:reactive-oidc-logout:" + UUID.randomUUID();
		redisNamespaces.add(redisNamespace);
		return new String[] { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"spring.session.data.redis.namespace=" + redisNamespace,
				"spring.session.data.redis.repository-type=" + repositoryType,
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };
	}

	private static ConfigurableApplicationContext relyingParty(Class<?> application, String[] storeProperties) {
		return new SpringApplicationBuilder(application, LettuceStallWatch.WithReadmeStopgap.class,
				InFlightRequests.class)
			.contextFactory(BoundedCloseReactiveWebServerApplicationContext.FACTORY)
			.registerShutdownHook(false)
			.initializers(sharedClock())
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "spring.security.oauth2.client.registration.idp.client-id=" + CLIENT_ID,
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.provider.idp.issuer-uri=" + providerUrl)
			.properties(storeProperties)
			.run();
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> sharedClock() {
		return (context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock);
	}

	/**
	 * A reactive relying party with {@code oauth2Login()} and back-channel logout, its
	 * sessions in the reactive Redis store Spring Boot configures.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReactiveBackChannelRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated());
			http.oauth2Login(Customizer.withDefaults());
			http.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
			return http.build();
		}

		@RestController
		static class Me {

			@GetMapping(path = "/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> me(@AuthenticationPrincipal OidcUser user, WebSession session) {
				String sid = user.getClaimAsString("sid");
				Object loginSid = session.getAttribute(StoredOidcSessionRegistry.PROVIDER_SESSION_ATTRIBUTE);
				return Mono.just(Map.of("name", user.getName(), "sid", (sid != null) ? sid : "", "loginSid",
						(loginSid != null) ? loginSid : ""));
			}

		}

	}

	/**
	 * The relying party of {@link ReactiveBackChannelRelyingPartyApplication} with a user
	 * service of its own that names each user by a local account, not by the subject.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBackChannelRelyingPartyApplication.Me.class)
	static class ReactiveAccountNamingRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return new ReactiveBackChannelRelyingPartyApplication().securityWebFilterChain(http);
		}

		@Bean
		ReactiveOAuth2UserService<OidcUserRequest, OidcUser> oidcUserService() {
			OidcReactiveOAuth2UserService delegate = new OidcReactiveOAuth2UserService();
			return (request) -> delegate.loadUser(request).map(OidcBackChannelLogoutIntegrationTests::namedByAccount);
		}

	}

	/**
	 * The relying party of {@link ReactiveBackChannelRelyingPartyApplication} whose user
	 * service runs the hook of
	 * {@link OidcBackChannelLogoutIntegrationTests.DuringLoginRelyingPartyApplication} in
	 * the login's callback, once the provider answered and before the session of the
	 * login is saved.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBackChannelRelyingPartyApplication.Me.class)
	static class ReactiveDuringLoginRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return new ReactiveBackChannelRelyingPartyApplication().securityWebFilterChain(http);
		}

		@Bean
		ReactiveOAuth2UserService<OidcUserRequest, OidcUser> oidcUserService() {
			OidcReactiveOAuth2UserService delegate = new OidcReactiveOAuth2UserService();
			return (request) -> delegate.loadUser(request).publishOn(Schedulers.boundedElastic()).doOnNext((user) -> {
				Consumer<OidcUser> hook = OidcBackChannelLogoutIntegrationTests.DuringLoginRelyingPartyApplication.duringLogin;
				if (hook != null) {
					hook.accept(user);
				}
			});
		}

	}

	/**
	 * The relying party of {@link ReactiveBackChannelRelyingPartyApplication} that runs
	 * the hook of
	 * {@link OidcBackChannelLogoutIntegrationTests.AfterLoginCheckRelyingPartyApplication}
	 * in the login's callback, once the registry's {@code saveSessionInformation} ran and
	 * before the session of the login is saved: as the login's security context is saved
	 * in its session (which then changes its id, and Spring Session's store saves it).
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBackChannelRelyingPartyApplication.Me.class)
	static class ReactiveAfterLoginCheckRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			ServerSecurityContextRepository contexts = new AfterLoginCheckSecurityContextRepository();
			http.securityContextRepository(contexts);
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated());
			http.oauth2Login((login) -> login.securityContextRepository(contexts));
			http.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
			return http.build();
		}

	}

	/**
	 * Spring Security's repository of security contexts in the session, which runs the
	 * hook of
	 * {@link OidcBackChannelLogoutIntegrationTests.AfterLoginCheckRelyingPartyApplication}
	 * before it saves the context of a login.
	 */
	static class AfterLoginCheckSecurityContextRepository implements ServerSecurityContextRepository {

		private final WebSessionServerSecurityContextRepository delegate = new WebSessionServerSecurityContextRepository();

		@Override
		public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
			return Mono.fromRunnable(() -> {
				Consumer<OidcUser> hook = OidcBackChannelLogoutIntegrationTests.AfterLoginCheckRelyingPartyApplication.afterLoginCheck;
				if (hook != null && context != null && context.getAuthentication() != null
						&& context.getAuthentication().getPrincipal() instanceof OidcUser user) {
					hook.accept(user);
				}
			}).subscribeOn(Schedulers.boundedElastic()).then(Mono.defer(() -> this.delegate.save(exchange, context)));
		}

		@Override
		public Mono<SecurityContext> load(ServerWebExchange exchange) {
			return this.delegate.load(exchange);
		}

	}

	/**
	 * The relying party of {@link ReactiveBackChannelRelyingPartyApplication} with its
	 * sessions in Spring Session's {@link ReactiveMapSessionRepository}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBackChannelRelyingPartyApplication.Me.class)
	static class ReactiveMapStoreRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return new ReactiveBackChannelRelyingPartyApplication().securityWebFilterChain(http);
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository) {
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(new SpringSessionWebSessionStore<>(repository));
			return manager;
		}

	}

	/**
	 * The relying party of {@link ReactiveBackChannelRelyingPartyApplication} with its
	 * sessions in WebFlux's own {@link InMemoryWebSessionStore}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReactiveBackChannelRelyingPartyApplication.Me.class)
	static class ReactiveInMemoryStoreRelyingPartyApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return new ReactiveBackChannelRelyingPartyApplication().securityWebFilterChain(http);
		}

		@Bean
		WebSessionManager webSessionManager() {
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(new InMemoryWebSessionStore());
			return manager;
		}

	}

}
