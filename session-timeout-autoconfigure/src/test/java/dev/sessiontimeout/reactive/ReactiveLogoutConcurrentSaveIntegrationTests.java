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

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout on WebFlux while a request of the same session that loaded it before is still
 * running: WebFlux's session manager saves that request's copy of the session as its
 * response commits, after the logout. Spring Session's
 * {@link ReactiveMapSessionRepository} puts that whole copy back into its map, and plain
 * Spring Session serves it, signed in, to anyone who still has its cookie: after Spring
 * Security's logout with a handler that invalidates the session, after its default
 * logout, which removes the security context from the session and changes its id (the
 * copy comes back under the old id), as after the application's own invalidation. The
 * starter ends such a session at its next request, reason {@code invalid}; the session
 * that the default logout kept, under its new id, is served without a user, and so is a
 * session whose security context a logout handler of the application's removed without a
 * change of its id (the copy comes back under the same id, signed in). WebFlux's own
 * {@link InMemoryWebSessionStore} shares one session object between the requests of a
 * session: the running request's save finds it invalidated and saves nothing.
 */
class ReactiveLogoutConcurrentSaveIntegrationTests {

	private static final String SESSION_COOKIE = "SESSION";

	@Test
	void aSessionThatALateSaveBroughtBackAfterSpringSecuritysLogoutIsEndedAtItsNextRequest() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "map")) {
			String session = application.logoutWhileARequestRuns("/logout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			application.assertEndedAsInvalid(session);
		}
	}

	@Test
	void aSessionThatALateSaveBroughtBackAfterTheApplicationInvalidatedItIsEndedAtItsNextRequest() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "map")) {
			String session = application.logoutWhileARequestRuns("/signout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			application.assertEndedAsInvalid(session);
		}
	}

	@Test
	void withoutTheStarterALateSaveServesASessionThatSpringSecuritysLogoutInvalidatedAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false, "map")) {
			String session = application.logoutWhileARequestRuns("/logout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			EntityExchangeResult<String> home = application.get("/home", MediaType.TEXT_HTML, session);
			assertThat(home.getStatus().value()).as("%s", home).isEqualTo(200);
			assertThat(home.getResponseBody()).isEqualTo("home of user");
		}
	}

	@Test
	void withoutTheStarterALateSaveServesASessionThatTheApplicationInvalidatedAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false, "map")) {
			String session = application.logoutWhileARequestRuns("/signout");
			EntityExchangeResult<String> home = application.get("/home", MediaType.TEXT_HTML, session);
			assertThat(home.getStatus().value()).as("%s", home).isEqualTo(200);
			assertThat(home.getResponseBody()).isEqualTo("home of user");
		}
	}

	@Test
	void aSessionThatALateSaveBroughtBackAfterSpringSecuritysDefaultLogoutIsEndedAtItsNextRequest() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "map", "default")) {
			String session = application.logoutWhileARequestRuns("/logout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			application.assertEndedAsInvalid(session);
			application.assertSignedOut(application.signedOut());
		}
	}

	@Test
	void withoutTheStarterALateSaveServesASessionThatSpringSecuritysDefaultLogoutSignedOutAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false, "map", "default")) {
			String session = application.logoutWhileARequestRuns("/logout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			EntityExchangeResult<String> home = application.get("/home", MediaType.TEXT_HTML, session);
			assertThat(home.getStatus().value()).as("%s", home).isEqualTo(200);
			assertThat(home.getResponseBody()).isEqualTo("home of user");
		}
	}

	/**
	 * A logout handler of the application's that removes the security context from the
	 * session through the request's session, without Spring Security's repository, which
	 * would change the session's id: the session keeps its id, and the running request's
	 * copy comes back under it, signed in.
	 */
	@Test
	void aSessionThatALateSaveBroughtBackSignedInAfterALogoutThatKeptItsIdIsEndedAtItsNextRequest() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "map", "keeping")) {
			String session = application.logoutWhileARequestRuns("/logout");
			assertThat(application.stored(session)).as("saved again by the running request").isTrue();
			application.assertEndedAsInvalid(session);
		}
	}

	@Test
	void aSessionSignedOutByALogoutThatKeptItsIdIsServedWithoutItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "map", "keeping")) {
			application.assertSignedOut(application.signInThenOut());
		}
	}

	@Test
	void withoutTheStarterALateSaveServesASessionSignedOutByALogoutThatKeptItsIdAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false, "map", "keeping")) {
			String session = application.logoutWhileARequestRuns("/logout");
			EntityExchangeResult<String> home = application.get("/home", MediaType.TEXT_HTML, session);
			assertThat(home.getStatus().value()).as("%s", home).isEqualTo(200);
			assertThat(home.getResponseBody()).isEqualTo("home of user");
		}
	}

	@Test
	void webFluxsInMemoryStoreKeepsNoSessionThatARunningRequestSavesAfterTheLogout() throws Exception {
		try (LiveApplication application = LiveApplication.start(true, "memory")) {
			String session = application.logoutWhileARequestRuns("/signout");
			assertThat(application.stored(session)).as("saved again by the running request").isFalse();
			application.assertEndedAsInvalid(session);
		}
	}

	/**
	 * The application on a random port, with a client that talks to it.
	 */
	private static final class LiveApplication implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final Gate gate;

		private final WebTestClient client;

		private @Nullable String signedOut;

		private final boolean keepsId;

		private LiveApplication(ConfigurableApplicationContext context, boolean keepsId) {
			this.context = context;
			this.keepsId = keepsId;
			this.gate = context.getBean(Gate.class);
			this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
				.baseUrl("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort())
				.responseTimeout(Duration.ofSeconds(30))
				.build();
		}

		static LiveApplication start(boolean starterEnabled, String store) {
			return start(starterEnabled, store, "invalidating");
		}

		static LiveApplication start(boolean starterEnabled, String store, String logout) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(LogoutApplication.class).properties(
					"spring.main.web-application-type=reactive", "server.port=0",
					"session-timeout.enabled=" + starterEnabled, "test.store=" + store, "test.logout=" + logout,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
				.run();
			context.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
			return new LiveApplication(context, "keeping".equals(logout));
		}

		/**
		 * Sign in, send a request that loads the session and is held before it answers,
		 * log out meanwhile, then let the held request answer, which saves its copy of
		 * the session.
		 * @param logoutPath where to log out
		 * @return the session cookie of the logged-out session
		 */
		String logoutWhileARequestRuns(String logoutPath) throws Exception {
			String session = signIn();
			EntityExchangeResult<String> home = get("/home", MediaType.TEXT_HTML, session);
			assertThat(home.getResponseBody()).as("%s", home).isEqualTo("home of user");
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<EntityExchangeResult<String>> held = executor
					.submit(() -> get("/api/held", MediaType.APPLICATION_JSON, session));
				this.gate.awaitArrival();
				logout(logoutPath, session);
				this.gate.open();
				EntityExchangeResult<String> answer = held.get(30, TimeUnit.SECONDS);
				assertThat(answer.getStatus().value()).as("%s", answer).isEqualTo(200);
				assertThat(answer.getResponseBody()).isEqualTo("{\"user\":\"user\"}");
				return session;
			}
			finally {
				this.gate.open();
				executor.shutdownNow();
			}
		}

		/**
		 * Sign in, then log out at {@code /logout}, with no other request running.
		 * @return the session cookie after the logout
		 */
		String signInThenOut() {
			String session = signIn();
			logout("/logout", session);
			return (this.signedOut != null) ? this.signedOut : session;
		}

		private void logout(String logoutPath, String session) {
			EntityExchangeResult<String> logout = this.client.post()
				.uri(logoutPath)
				.accept(MediaType.TEXT_HTML)
				.cookie(SESSION_COOKIE, session)
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertThat(logout.getStatus().value()).as("%s", logout).isEqualTo(302);
			assertThat(logout.getResponseHeaders().getLocation()).hasToString("/login?logout");
			assertThat(stored(session)).as("kept by the logout under its id").isEqualTo(this.keepsId);
			ResponseCookie signedOut = logout.getResponseCookies().getFirst(SESSION_COOKIE);
			this.signedOut = (signedOut != null && !signedOut.getValue().isEmpty()) ? signedOut.getValue() : null;
		}

		private String signIn() {
			EntityExchangeResult<String> login = this.client.post()
				.uri("/login")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.TEXT_HTML)
				.body(BodyInserters.fromFormData("username", "user").with("password", "password"))
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
			assertThat(login.getResponseHeaders().getLocation()).hasToString("/");
			ResponseCookie cookie = login.getResponseCookies().getFirst(SESSION_COOKIE);
			return Objects.requireNonNull(cookie).getValue();
		}

		void assertEndedAsInvalid(String session) {
			EntityExchangeResult<String> page = get("/home", MediaType.TEXT_HTML, session);
			assertThat(page.getStatus().value()).as("%s", page).isEqualTo(302);
			assertThat(page.getResponseHeaders().getLocation()).hasToString("/login?expired=invalid");
			assertThat(stored(session)).as("ended again").isFalse();
			EntityExchangeResult<String> api = get("/home", MediaType.APPLICATION_JSON, session);
			assertThat(api.getStatus().value()).as("%s", api).isEqualTo(401);
			assertThat(api.getResponseBody()).contains("\"reason\":\"invalid\"");
		}

		/**
		 * Return the session cookie that the logout answered with: the session under the
		 * new id that a logout which keeps the session gave it.
		 * @return the cookie's value
		 */
		String signedOut() {
			assertThat(this.signedOut).as("the session kept by the logout").isNotNull();
			return Objects.requireNonNull(this.signedOut);
		}

		/**
		 * Assert that a session a logout kept is served, without a user.
		 * @param session the session's cookie
		 */
		void assertSignedOut(String session) {
			assertThat(stored(session)).as("kept by the logout").isTrue();
			EntityExchangeResult<String> page = get("/home", MediaType.TEXT_HTML, session);
			assertThat(page.getStatus().value()).as("%s", page).isEqualTo(302);
			assertThat(page.getResponseHeaders().getLocation()).hasToString("/login");
			EntityExchangeResult<String> login = get("/login", MediaType.TEXT_HTML, session);
			assertThat(login.getStatus().value()).as("%s", login).isEqualTo(200);
			assertThat(login.getResponseBody()).isEqualTo("Sign in");
			assertThat(stored(session)).as("still served").isTrue();
		}

		EntityExchangeResult<String> get(String path, MediaType accept, String session) {
			return this.client.get()
				.uri(path)
				.accept(accept)
				.cookie(SESSION_COOKIE, session)
				.exchange()
				.expectBody(String.class)
				.returnResult();
		}

		boolean stored(String session) {
			LogoutApplication application = this.context.getBean(LogoutApplication.class);
			return application.sessions.containsKey(session) || application.memory.getSessions().containsKey(session);
		}

		@Override
		public void close() {
			this.gate.open();
			this.context.close();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LogoutApplication {

		final Map<String, Session> sessions = new ConcurrentHashMap<>();

		final InMemoryWebSessionStore memory = new InMemoryWebSessionStore();

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		/**
		 * Spring Session's map store ({@code map}) or WebFlux's own ({@code memory}), on
		 * the tests' clock.
		 */
		@Bean
		WebSessionManager webSessionManager(@Value("${test.store}") String store, MutableClock clock) {
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			if ("memory".equals(store)) {
				this.memory.setClock(clock);
				manager.setSessionStore(this.memory);
			}
			else {
				SpringSessionWebSessionStore<MapSession> spring = new SpringSessionWebSessionStore<>(
						new ReactiveMapSessionRepository(this.sessions));
				spring.setClock(clock);
				manager.setSessionStore(spring);
			}
			return manager;
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		/**
		 * Form login; a logout that removes the security context from the session and
		 * invalidates it ({@code invalidating}), or Spring Security's default one
		 * ({@code default}), which saves no security context in the session and changes
		 * its id, keeping the session, or one of the application's own ({@code keeping})
		 * that removes the security context from the session and keeps the session under
		 * its id.
		 */
		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, @Value("${test.logout}") String logout) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated())
				.formLogin((form) -> form.loginPage("/login"))
				.logout((spec) -> {
					if ("keeping".equals(logout)) {
						spec.logoutHandler((exchange, authentication) -> exchange.getExchange()
							.getSession()
							.doOnNext((session) -> session.getAttributes()
								.remove(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME))
							.then());
					}
					else if (!"default".equals(logout)) {
						spec.logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
								new WebSessionServerLogoutHandler()));
					}
				})
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		LogoutController logoutController(Gate gate) {
			return new LogoutController(gate);
		}

	}

	@RestController
	static class LogoutController {

		private final Gate gate;

		LogoutController(Gate gate) {
			this.gate = gate;
		}

		@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
		Mono<String> login() {
			return Mono.just("Sign in");
		}

		/**
		 * An application's own logout, which invalidates the session.
		 */
		@PostMapping("/signout")
		Mono<Void> signOut(ServerWebExchange exchange) {
			return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.fromRunnable(() -> {
				exchange.getResponse().setStatusCode(HttpStatus.FOUND);
				exchange.getResponse().getHeaders().setLocation(URI.create("/login?logout"));
			}));
		}

		@GetMapping(path = "/home", produces = { MediaType.TEXT_HTML_VALUE, MediaType.APPLICATION_JSON_VALUE })
		Mono<String> home(Principal principal) {
			return Mono.just("home of " + principal.getName());
		}

		/**
		 * Answered once the gate opens: a request that holds its copy of the session
		 * until then.
		 */
		@GetMapping(path = "/api/held", produces = MediaType.APPLICATION_JSON_VALUE)
		Mono<String> held(Principal principal) {
			return this.gate.pass().thenReturn("{\"user\":\"" + principal.getName() + "\"}");
		}

	}

}
