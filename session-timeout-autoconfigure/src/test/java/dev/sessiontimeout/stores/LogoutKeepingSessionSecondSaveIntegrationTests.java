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
package dev.sessiontimeout.stores;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout that keeps the session (Spring Security's {@code logout()} with
 * {@code invalidateHttpSession(false)} and {@code clearAuthentication(false)}) on Spring
 * Session's {@link MapSessionRepository}, on Tomcat, while a request of the same session
 * whose response is already out has not yet returned through Spring Session's filter:
 * that request's second save (spring-session#508) puts its whole copy of the session,
 * signed in, back into the map under the id the logout kept (or, for a logout that also
 * changes the session's id, under the old one). Plain Spring Session serves that copy as
 * its user; the starter ends it at its next request, reason {@code invalid}, and serves
 * the session signed out, and a login in it after the logout.
 */
class LogoutKeepingSessionSecondSaveIntegrationTests {

	@Test
	void aSessionThatALateSaveBroughtBackSignedInAfterALogoutThatKeptItIsEndedAtItsNextRequest() throws Exception {
		try (LiveApplication application = LiveApplication.start(true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout");
			assertThat(application.browser.cookie("SESSION")).as("the logout kept the session id").isEqualTo(cookie);
			assertEndedAsInvalid(application, cookie);
		}
	}

	@Test
	void aSessionThatALateSaveBroughtBackSignedInUnderItsOldIdAfterALogoutThatChangedItsIdIsEndedThere()
			throws Exception {
		try (LiveApplication application = LiveApplication.start(true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout-renaming");
			String renamed = application.browser.cookie("SESSION");
			assertThat(renamed).as("the logout changed the session id").isNotEqualTo(cookie);
			assertEndedAsInvalid(application, cookie);
			Response signedOut = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(signedOut.status()).as("%s", signedOut).isEqualTo(302);
			assertThat(signedOut.location()).as("served without its user").endsWith("/login");
			assertThat(application.stored(renamed)).as("the session kept, signed out").isTrue();
		}
	}

	private static void assertEndedAsInvalid(LiveApplication application, String cookie) {
		Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
		application.awaitReturned();
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=invalid");
		assertThat(application.stored(cookie)).as("ended again").isFalse();
		Response api = application.sentWith(cookie).get("/home", TestBrowser.JSON);
		application.awaitReturned();
		assertThat(api.status()).as("%s", api).isEqualTo(401);
		assertThat(api.jsonString("reason")).isEqualTo("invalid");
	}

	@Test
	void aSessionSignedOutByALogoutThatKeptItIsServedWithoutItsUserAndALaterLoginInItIsServed() throws Exception {
		try (LiveApplication application = LiveApplication.start(true)) {
			String cookie = application.signIn();
			Response logout = application.returned(() -> application.browser.post("/logout",
					Map.of("_csrf", application.csrfToken()), TestBrowser.HTML));
			assertThat(logout.location()).endsWith("/login?logout");
			assertThat(application.browser.cookie("SESSION")).isEqualTo(cookie);
			Response signedOut = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(signedOut.status()).as("%s", signedOut).isEqualTo(302);
			assertThat(signedOut.location()).as("served without its user").endsWith("/login");
			assertThat(application.stored(cookie)).isTrue();
			application.clock.shift(Duration.ofMillis(1));
			assertThat(application.signIn()).as("no session fixation protection").isEqualTo(cookie);
			Response home = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(home.status()).as("%s", home).isEqualTo(200);
			assertThat(home.body()).isEqualTo("home of user");
		}
	}

	/**
	 * The logout removes the security context from the session, but the held request's
	 * copy still holds it, with its authentication (the logout leaves it as it was).
	 */
	@Test
	void withoutTheStarterALateSaveServesASessionSignedOutByALogoutThatKeptItAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout");
			Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
			application.awaitReturned();
			assertThat(page.status()).as("%s", page).isEqualTo(200);
			assertThat(page.body()).isEqualTo("home of user");
		}
	}

	@Test
	void withoutTheStarterALateSaveServesTheOldIdOfASessionThatALogoutSignedOutAndRenamedAsItsUser() throws Exception {
		try (LiveApplication application = LiveApplication.start(false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout-renaming");
			Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
			application.awaitReturned();
			assertThat(page.status()).as("%s", page).isEqualTo(200);
			assertThat(page.body()).isEqualTo("home of user");
		}
	}

	/**
	 * The application on a random port, with a browser that talks to it.
	 */
	private static final class LiveApplication implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final int port;

		private final SecondSaveHold hold;

		private final MapSessionRepository repository;

		final MutableClock clock;

		final TestBrowser browser;

		private LiveApplication(ConfigurableApplicationContext context) {
			this.context = context;
			this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
			this.hold = context.getBean(SecondSaveHold.class);
			this.repository = context.getBean(MapSessionRepository.class);
			this.clock = context.getBean(MutableClock.class);
			this.browser = new TestBrowser(this.port);
		}

		static LiveApplication start(boolean starterEnabled) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(KeepingLogoutApplication.class)
				.properties("server.port=0", "session-timeout.enabled=" + starterEnabled,
						"spring.autoconfigure.exclude="
								+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
								+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
								+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
								+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
				.run();
			context.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
			return new LiveApplication(context);
		}

		/**
		 * Sign in through the form login, with the CSRF token.
		 * @return the session cookie after the login
		 */
		String signIn() {
			Map<String, String> login = Map.of("username", "user", "password", "password", "_csrf", csrfToken());
			Response signedIn = returned(() -> this.browser.post("/login", login, TestBrowser.HTML));
			assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(302);
			assertThat(signedIn.location()).doesNotContain("error");
			return this.browser.cookie("SESSION");
		}

		/**
		 * Sign in, send a request whose answer is out but that is held on its way back
		 * before Spring Session's second save, log out meanwhile (with the CSRF token),
		 * then let the held request return.
		 * @return the session cookie of the session as the held request found it
		 */
		String logoutWhileARequestIsOnItsWayBack(String logoutPath) throws Exception {
			String cookie = signIn();
			Response home = returned(() -> this.browser.get("/home", TestBrowser.HTML));
			assertThat(home.body()).isEqualTo("home of user");
			String token = csrfToken();
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<HttpResponse<String>> held = executor.submit(() -> getOnConnectionOfItsOwn("/api/held", cookie));
				assertThat(this.hold.held.await(30, TimeUnit.SECONDS)).isTrue();
				// Tomcat sends a response of known length before its request returns
				HttpResponse<String> answer = held.get(30, TimeUnit.SECONDS);
				assertThat(answer.statusCode()).as("%s", answer.body()).isEqualTo(200);
				assertThat(this.hold.returned.getCount()).as("still on its way back").isOne();
				Response logout = returned(
						() -> this.browser.post(logoutPath, Map.of("_csrf", token), TestBrowser.HTML));
				assertThat(logout.status()).as("%s", logout).isEqualTo(302);
				assertThat(logout.location()).endsWith("/login?logout");
				this.hold.release.countDown();
				assertThat(this.hold.returned.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(stored(cookie)).as("saved again by the held request").isTrue();
				return cookie;
			}
			finally {
				this.hold.release.countDown();
				executor.shutdownNow();
			}
		}

		/**
		 * Send a request on a connection that no other request takes: the client would
		 * send the next request on it once the answer is in, and Tomcat reads that
		 * request only once this one returned.
		 */
		private HttpResponse<String> getOnConnectionOfItsOwn(String path, String cookie) throws Exception {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("Accept", TestBrowser.JSON)
				.header("Cookie", "SESSION=" + cookie)
				.timeout(Duration.ofSeconds(30))
				.build();
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		}

		String csrfToken() {
			Response token = returned(() -> this.browser.get("/csrf", TestBrowser.JSON));
			assertThat(token.status()).as("%s", token).isEqualTo(200);
			return token.body();
		}

		/**
		 * Send a request and wait until it returned through every filter, Spring
		 * Session's last save included, before the next one.
		 */
		Response returned(Supplier<Response> request) {
			Response response = request.get();
			awaitReturned();
			return response;
		}

		void awaitReturned() {
			try {
				assertThat(this.hold.others.tryAcquire(30, TimeUnit.SECONDS)).as("returned").isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Return a browser that sends the given session cookie and nothing else, as one
		 * that copied it would.
		 */
		TestBrowser sentWith(String cookie) {
			TestBrowser browser = new TestBrowser(this.port);
			browser.setCookie("SESSION", cookie);
			return browser;
		}

		boolean stored(String cookie) {
			return this.repository
				.findById(new String(Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8)) != null;
		}

		@Override
		public void close() {
			this.hold.release.countDown();
			this.context.close();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class KeepingLogoutApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		/**
		 * A logout that keeps the session and the security context's authentication as
		 * they are; at {@code /logout-renaming} it also changes the session's id. A login
		 * keeps the session's id too.
		 */
		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/csrf", "/error")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.permitAll());
			http.logout((logout) -> logout
				.logoutRequestMatcher(
						new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/logout"),
								PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/logout-renaming")))
				.addLogoutHandler((request, response, authentication) -> {
					if (request.getRequestURI().equals("/logout-renaming")) {
						request.changeSessionId();
					}
				})
				.invalidateHttpSession(false)
				.clearAuthentication(false));
			http.sessionManagement((session) -> session.sessionFixation((fixation) -> fixation.none()));
			return http.build();
		}

		@Bean
		SecondSaveHold hold() {
			return new SecondSaveHold((request) -> request.getRequestURI().equals("/api/held"));
		}

		@Bean
		FilterRegistrationBean<Filter> returnedFilter(SecondSaveHold hold) {
			return hold.returnedFilter();
		}

		@Bean
		FilterRegistrationBean<Filter> holdFilter(SecondSaveHold hold) {
			return hold.holdFilter();
		}

		@Bean
		KeepingLogoutController keepingLogoutController() {
			return new KeepingLogoutController();
		}

	}

	@RestController
	static class KeepingLogoutController {

		@GetMapping("/csrf")
		String csrf(CsrfToken token) {
			return token.getToken();
		}

		@GetMapping("/home")
		String home(Principal principal) {
			return "home of " + principal.getName();
		}

		/**
		 * A JSON body of which Spring MVC sets the {@code Content-Length} (a
		 * {@code String}; Jackson's converter leaves it unset): Tomcat sends it before
		 * the request returns.
		 */
		@GetMapping(path = "/api/held", produces = MediaType.APPLICATION_JSON_VALUE)
		String held(Principal principal) {
			return "{\"user\":\"" + principal.getName() + "\"}";
		}

	}

}
