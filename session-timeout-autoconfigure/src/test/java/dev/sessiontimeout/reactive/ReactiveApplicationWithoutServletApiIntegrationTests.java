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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.LoggedErrors;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.WithoutServletApiClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole WebFlux application, as {@code spring-boot-starter-webflux} builds it, has no
 * servlet API on its class path; this module's tests have it (for the servlet tests), so
 * a reactive code path that loads a servlet-only class passes every other test and fails
 * a real WebFlux application with {@code NoClassDefFoundError}. This test starts a whole
 * application (Netty, Spring Session's {@link ReactiveMapSessionRepository}, Spring
 * Security's form login, every clock of the starter, a privileged path, a zero-age one
 * and a privileged method) in a class loader without the servlet API, and drives it over
 * HTTP.
 *
 * @author session-timeout
 */
class ReactiveApplicationWithoutServletApiIntegrationTests {

	@Test
	void aWholeWebFluxApplicationServesEveryClockWithoutTheServletApi() throws Exception {
		// Found by a fresh WebFlux application: GET /session/status of a signed-in
		// session failed with NoClassDefFoundError: jakarta/servlet/ServletException
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try (WithoutServletApiClassLoader withoutServletApi = new WithoutServletApiClassLoader()) {
			@SuppressWarnings("unchecked")
			Callable<List<String>> run = (Callable<List<String>>) withoutServletApi
				.newInstance(SignInAndUseEveryClock.class, new Class<?>[0]);
			List<String> fatal = run.call();
			assertThat(fatal).as("errors the application logged").isEmpty();
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	/**
	 * Starts the application in the class loader that loaded this class, signs in, uses
	 * every clock over HTTP and signs out; answers the errors the application logged
	 * (none, or the first failing answer's assertion names them).
	 */
	public static class SignInAndUseEveryClock implements Callable<List<String>> {

		private static final Duration PRIVILEGED = Duration.ofMinutes(15);

		private List<String> errors = List.of();

		private final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private int port;

		@Override
		public List<String> call() throws Exception {
			assertThat(ClassUtils.isPresent("jakarta.servlet.Servlet", getClass().getClassLoader()))
				.as("the servlet API")
				.isFalse();
			assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", getClass().getClassLoader()))
				.as("Tomcat")
				.isFalse();
			SpringApplication application = new SpringApplication(App.class);
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.REACTIVE);
			try (ConfigurableApplicationContext context = application.run("--server.port=0",
					"--session-timeout.absolute=2h", "--session-timeout.idle=30m",
					"--session-timeout.reauthentication=1h", "--session-timeout.privileged.max-age=15m",
					"--session-timeout.privileged.paths=/account/transfer",
					"--session-timeout.policies[0].name=administrators",
					"--session-timeout.policies[0].authorities=ROLE_ADMIN",
					"--session-timeout.policies[0].privileged-max-age=0",
					"--spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")) {
				assertThat(context).isInstanceOf(ReactiveWebServerApplicationContext.class);
				ReactiveWebServerApplicationContext web = (ReactiveWebServerApplicationContext) context;
				assertThat(web.getWebServer().getClass().getName()).contains("Netty");
				this.port = web.getWebServer().getPort();
				this.errors = LoggedErrors.record();
				MutableClock clock = context.getBean("sessionTimeoutClock", MutableClock.class);
				Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
				clock.fixAt(start);
				useEveryClock(clock, start);
				signInAsAnAdministratorAndUseTheZeroAgePathTwice();
			}
			return this.errors;
		}

		private void useEveryClock(MutableClock clock, Instant start) {
			HttpResponse<String> signIn = signIn(this.http, "alice");
			assertThat(signIn.headers().firstValue("Location")).as(this.errors.toString()).hasValue("/");
			HttpResponse<String> page = get(this.http, "/account", "application/json");
			assertAnswer(page, 200).contains("\"name\":\"alice\"");
			HttpResponse<String> status = get(this.http, "/session/status", "application/json");
			assertAnswer(status, 200).contains("\"authenticated\":true", "\"principal\":\"alice\"",
					"\"absoluteExpiresAt\":\"" + start.plus(Duration.ofHours(2)) + "\"",
					"\"idleExpiresAt\":\"" + start.plus(Duration.ofMinutes(30)) + "\"",
					"\"reauthenticateAt\":\"" + start.plus(Duration.ofHours(1)) + "\"",
					"\"privilegedUntil\":\"" + start.plus(PRIVILEGED) + "\"");
			assertAnswer(get(this.http, "/account/transfer", "application/json"), 200)
				.contains("\"transfer\":\"alice\"");
			assertAnswer(get(this.http, "/account/export", "application/json"), 200).contains("\"export\":\"alice\"");
			HttpResponse<String> sessions = get(this.http, "/session/sessions", "application/json");
			assertAnswer(sessions, 200).contains("\"current\":true");
			clock.fixAt(start.plus(PRIVILEGED).plusSeconds(1));
			assertChallenged(get(this.http, "/account/transfer", "application/json"));
			assertChallenged(get(this.http, "/account/export", "application/json"));
			assertAnswer(get(this.http, "/account", "application/json"), 200).contains("\"name\":\"alice\"");
			assertAnswer(get(this.http, "/session/status", "application/json"), 200).contains("\"authenticated\":true");
			HttpResponse<String> logoutPage = get(this.http, "/logout", "text/html");
			assertAnswer(logoutPage, 200);
			HttpResponse<String> logout = post(this.http, "/logout", "_csrf=" + csrfToken(logoutPage));
			assertAnswer(logout, 302);
			assertThat(logout.headers().firstValue("Location")).hasValue("/login?logout");
			assertAnswer(get(this.http, "/session/status", "application/json"), 200)
				.contains("\"authenticated\":false");
			HttpResponse<String> signedOut = get(this.http, "/account", "application/json");
			assertThat(signedOut.statusCode()).as("%s %s", signedOut, this.errors).isNotEqualTo(200);
		}

		private void signInAsAnAdministratorAndUseTheZeroAgePathTwice() {
			HttpClient administrator = HttpClient.newBuilder()
				.cookieHandler(new CookieManager())
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
			signIn(administrator, "root");
			assertAnswer(get(administrator, "/account/transfer", "application/json"), 200)
				.contains("\"transfer\":\"root\"");
			assertChallenged(get(administrator, "/account/transfer", "application/json"));
		}

		private HttpResponse<String> signIn(HttpClient client, String user) {
			HttpResponse<String> loginPage = get(client, "/login", "text/html");
			assertAnswer(loginPage, 200);
			HttpResponse<String> login = post(client, "/login",
					"username=" + user + "&password=password&_csrf=" + csrfToken(loginPage));
			assertAnswer(login, 302);
			assertThat(login.headers().firstValue("Location")).as("%s", login).isNotEqualTo("/login?error");
			return login;
		}

		private void assertChallenged(HttpResponse<String> response) {
			assertAnswer(response, 401).contains("\"reason\":\"privileged\"");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}

		private org.assertj.core.api.AbstractStringAssert<?> assertAnswer(HttpResponse<String> response, int status) {
			assertThat(response.statusCode())
				.as("%s %s: %s; errors logged: %s", response.request().method(), response.uri(), response.body(),
						this.errors)
				.isEqualTo(status);
			return assertThat(response.body()).as("%s", response);
		}

		private static String csrfToken(HttpResponse<String> page) {
			Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
			assertThat(token.find()).as("a CSRF token in %s", page.body()).isTrue();
			return URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
		}

		private HttpResponse<String> get(HttpClient client, String path, String accept) {
			return send(client, request(path).header("Accept", accept).GET().build());
		}

		private HttpResponse<String> post(HttpClient client, String path, String form) {
			return send(client,
					request(path).header("Accept", "text/html")
						.header("Content-Type", "application/x-www-form-urlencoded")
						.POST(HttpRequest.BodyPublishers.ofString(form))
						.build());
		}

		private HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(10));
		}

		private HttpResponse<String> send(HttpClient client, HttpRequest request) {
			try {
				return client.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(request.method() + " " + request.uri() + " failed; errors logged: "
						+ SignInAndUseEveryClock.this.errors, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A privileged operation of reactive method security, of the starter's privileged
	 * age.
	 */
	static class Exports {

		@RequiresPrivilegedSession
		public Mono<String> export(String user) {
			return Mono.just(user);
		}

	}

	/**
	 * The application: Spring Session's map store on the starter's clock, form login with
	 * CSRF protection, users alice and root (an administrator).
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>());
		}

		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository, MutableClock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/account/**").authenticated().anyExchange().permitAll())
				.formLogin((form) -> {
				})
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("root").password("{noop}password").roles("ADMIN").build());
		}

		@RestController
		static class Controller {

			private final Exports exports;

			Controller(Exports exports) {
				this.exports = exports;
			}

			@GetMapping(path = { "/", "/account" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> account(Principal principal) {
				return Mono.just(Map.of("name", principal.getName()));
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfer(Principal principal) {
				return Mono.just(Map.of("transfer", principal.getName()));
			}

			@GetMapping(path = "/account/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Principal principal) {
				return this.exports.export(principal.getName()).map((export) -> Map.of("export", export));
			}

		}

	}

}
