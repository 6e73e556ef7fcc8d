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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.LettuceStallWatch;
import dev.sessiontimeout.testsupport.LoggedErrors;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.WithoutServletApiClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The twin of {@link ReactiveApplicationWithoutServletApiIntegrationTests} on Spring
 * Session Data Redis's reactive repositories, the default
 * ({@code ReactiveRedisSessionRepository}, the starter's own user index) and the indexed
 * one ({@code ReactiveRedisIndexedSessionRepository}, the store's principal index), as
 * Spring Boot configures them, with the {@code sessiontimeouts} actuator endpoint
 * exposed: a whole WebFlux application, in a class loader without the servlet API, signs
 * in, reads its status, uses the privileged path and method until the privileged age
 * ends, lists and ends its user's other sessions, has the operator read the
 * configuration, list and revoke the user's sessions, ends idle on the frozen clock
 * (counted and audited), signs out, and uses the administrators' zero-age path. Redis as
 * the reactive store tests find it ({@link RedisServers}), each run in a key namespace of
 * its own, emptied after it.
 *
 * @author session-timeout
 */
class ReactiveRedisWithoutServletApiIntegrationTests {

	/**
	 * One class loader for both runs: the second application loads no class again.
	 */
	private static WithoutServletApiClassLoader withoutServletApi;

	@BeforeAll
	static void loadWithoutTheServletApi() {
		withoutServletApi = new WithoutServletApiClassLoader();
	}

	@AfterAll
	static void closeTheClassLoader() throws IOException {
		withoutServletApi.close();
	}

	@ParameterizedTest(name = "repository-type={0}")
	@ValueSource(strings = { "default", "indexed" })
	void aWholeWebFluxApplicationOnARedisStoreServesEveryClockWithoutTheServletApi(String repositoryType)
			throws Exception {
		RedisServers.Endpoint redis = RedisServers.get();
		String namespace = "session-timeout-without-servlet-api-test:" + UUID.randomUUID();
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try {
			@SuppressWarnings("unchecked")
			Callable<List<String>> run = (Callable<List<String>>) withoutServletApi.newInstance(
					SignInAndUseEveryClock.class,
					new Class<?>[] { String.class, int.class, String.class, String.class }, redis.host(), redis.port(),
					namespace, repositoryType);
			List<String> fatal = run.call();
			assertThat(fatal).as("errors the application logged").isEmpty();
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
			try (RedisTestConnection connection = new RedisTestConnection()) {
				connection.deleteKeys(namespace);
			}
		}
	}

	/**
	 * Starts the application in the class loader that loaded this class, on the given
	 * Redis store, and drives it over HTTP; answers the errors the application logged
	 * (none, or the first failing answer's assertion names them).
	 */
	public static class SignInAndUseEveryClock implements Callable<List<String>> {

		private static final Duration IDLE = Duration.ofMinutes(30);

		private static final Duration PRIVILEGED = Duration.ofMinutes(15);

		private static final String OPERATOR = "Basic "
				+ Base64.getEncoder().encodeToString("operator:password".getBytes(StandardCharsets.UTF_8));

		private final String host;

		private final int redisPort;

		private final String namespace;

		private final String repositoryType;

		private List<String> errors = List.of();

		private int port;

		/**
		 * Create the run on the given Redis store.
		 * @param host Redis's host
		 * @param redisPort Redis's port
		 * @param namespace Spring Session's key namespace
		 * @param repositoryType Spring Session's repository type
		 */
		public SignInAndUseEveryClock(String host, int redisPort, String namespace, String repositoryType) {
			this.host = host;
			this.redisPort = redisPort;
			this.namespace = namespace;
			this.repositoryType = repositoryType;
		}

		@Override
		public List<String> call() throws Exception {
			assertThat(ClassUtils.isPresent("jakarta.servlet.Servlet", getClass().getClassLoader()))
				.as("the servlet API")
				.isFalse();
			SpringApplication application = new SpringApplication(App.class);
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.REACTIVE);
			try (ConfigurableApplicationContext context = application.run("--server.port=0",
					"--session-timeout.absolute=2h", "--session-timeout.idle=30m", "--session-timeout.store-grace=1m",
					"--session-timeout.reauthentication=1h", "--session-timeout.privileged.max-age=15m",
					"--session-timeout.privileged.paths=/account/transfer",
					"--session-timeout.policies[0].name=administrators",
					"--session-timeout.policies[0].authorities=ROLE_ADMIN",
					"--session-timeout.policies[0].privileged-max-age=0",
					"--management.endpoints.web.exposure.include=sessiontimeouts",
					"--spring.session.data.redis.repository-type=" + this.repositoryType,
					"--spring.session.data.redis.namespace=" + this.namespace, "--spring.data.redis.host=" + this.host,
					"--spring.data.redis.port=" + this.redisPort,
					"--spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")) {
				ReactiveWebServerApplicationContext web = (ReactiveWebServerApplicationContext) context;
				assertThat(web.getWebServer().getClass().getName()).contains("Netty");
				assertThat(context.getBean(ReactiveSessionRepository.class).getClass().getSimpleName())
					.isEqualTo("indexed".equals(this.repositoryType) ? "ReactiveRedisIndexedSessionRepository"
							: "ReactiveRedisSessionRepository");
				this.port = web.getWebServer().getPort();
				this.errors = LoggedErrors.record();
				MutableClock clock = context.getBean("sessionTimeoutClock", MutableClock.class);
				Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
				clock.fixAt(start);
				useEveryClock(clock, start);
				assertThat(context.getBean(MeterRegistry.class)
					.get("session.timeout.expired")
					.tag("reason", "idle")
					.counter()
					.count()).as("sessions the idle clock ended").isEqualTo(1);
				assertThat(context.getBean(AuditEventRepository.class).find("alice", null, "SESSION_EXPIRED"))
					.extracting(AuditEvent::getData)
					.anySatisfy((data) -> assertThat(data).containsEntry("reason", "idle"));
				signInAsAnAdministratorAndUseTheZeroAgePathTwice();
			}
			return this.errors;
		}

		private void useEveryClock(MutableClock clock, Instant start) {
			HttpClient laptop = newClient();
			signIn(laptop, "alice");
			assertAnswer(get(laptop, "/account"), 200).contains("\"name\":\"alice\"");
			assertAnswer(get(laptop, "/session/status"), 200).contains("\"authenticated\":true",
					"\"principal\":\"alice\"", "\"absoluteExpiresAt\":\"" + start.plus(Duration.ofHours(2)) + "\"",
					"\"idleExpiresAt\":\"" + start.plus(IDLE) + "\"",
					"\"reauthenticateAt\":\"" + start.plus(Duration.ofHours(1)) + "\"",
					"\"privilegedUntil\":\"" + start.plus(PRIVILEGED) + "\"");
			assertAnswer(get(laptop, "/account/transfer"), 200).contains("\"transfer\":\"alice\"");
			assertAnswer(get(laptop, "/account/export"), 200).contains("\"export\":\"alice\"");
			HttpClient phone = newClient();
			signIn(phone, "alice");
			assertAnswer(get(phone, "/account"), 200).contains("\"name\":\"alice\"");
			assertAnswer(get(laptop, "/session/sessions"), 200).contains("\"current\":true", "\"current\":false");
			String token = csrfToken(assertOk(get(laptop, "/logout", "text/html")));
			assertAnswer(send(laptop,
					request("/session/sessions").header("Accept", "application/json")
						.header("X-CSRF-TOKEN", token)
						.DELETE()
						.build()),
					200)
				.isEqualTo("{\"ended\":1}");
			assertEnded(get(phone, "/account"), "revoked");
			assertAnswer(get(laptop, "/session/sessions"), 200).contains("\"current\":true")
				.doesNotContain("\"current\":false");
			assertAnswer(operator("GET", "/actuator/sessiontimeouts"), 200).contains(
					"\"global\":{\"name\":\"default\",\"absolute\":\"2h\",\"idle\":\"30m\"", "\"storeGrace\":\"1m\"");
			assertAnswer(operator("GET", "/actuator/sessiontimeouts/alice"), 200).contains("\"username\":\"alice\"")
				.containsOnlyOnce("\"session\":");
			Instant lastActivity = start.plus(PRIVILEGED).plusSeconds(1);
			clock.fixAt(lastActivity);
			assertChallenged(get(laptop, "/account/transfer"));
			assertChallenged(get(laptop, "/account/export"));
			assertAnswer(get(laptop, "/account"), 200).contains("\"name\":\"alice\"");
			clock.fixAt(lastActivity.plus(IDLE).minusSeconds(1));
			assertAnswer(get(laptop, "/session/status"), 200).contains("\"authenticated\":true",
					"\"idleExpiresAt\":\"" + lastActivity.plus(IDLE) + "\"");
			clock.fixAt(lastActivity.plus(IDLE));
			assertEnded(get(laptop, "/account"), "idle");
			HttpClient desktop = newClient();
			signIn(desktop, "alice");
			HttpResponse<String> logout = post(desktop, "/logout",
					"_csrf=" + csrfToken(assertOk(get(desktop, "/logout", "text/html"))));
			assertAnswer(logout, 302);
			assertThat(logout.headers().firstValue("Location")).hasValue("/login?logout");
			assertAnswer(get(desktop, "/session/status"), 200).contains("\"authenticated\":false");
			HttpResponse<String> signedOut = get(desktop, "/account");
			assertThat(signedOut.statusCode()).as("%s %s", signedOut, this.errors).isNotEqualTo(200);
			HttpClient tablet = newClient();
			signIn(tablet, "alice");
			assertAnswer(get(tablet, "/account"), 200).contains("\"name\":\"alice\"");
			assertAnswer(operator("DELETE", "/actuator/sessiontimeouts/alice"), 200).contains("\"username\":\"alice\"")
				.containsPattern("\"revoked\":\\[\"[^\"]+\"\\]");
			assertEnded(get(tablet, "/account"), "revoked");
		}

		private void signInAsAnAdministratorAndUseTheZeroAgePathTwice() {
			HttpClient administrator = newClient();
			signIn(administrator, "root");
			assertAnswer(get(administrator, "/account/transfer"), 200).contains("\"transfer\":\"root\"");
			assertChallenged(get(administrator, "/account/transfer"));
		}

		private static HttpClient newClient() {
			return HttpClient.newBuilder()
				.cookieHandler(new CookieManager())
				.followRedirects(HttpClient.Redirect.NEVER)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
		}

		private void signIn(HttpClient client, String user) {
			HttpResponse<String> loginPage = assertOk(get(client, "/login", "text/html"));
			HttpResponse<String> login = post(client, "/login",
					"username=" + user + "&password=password&_csrf=" + csrfToken(loginPage));
			assertAnswer(login, 302);
			assertThat(login.headers().firstValue("Location")).as("%s %s", login, this.errors).hasValue("/");
		}

		private HttpResponse<String> operator(String method, String path) {
			return send(newClient(),
					request(path).header("Accept", "application/json")
						.header("Authorization", OPERATOR)
						.method(method, HttpRequest.BodyPublishers.noBody())
						.build());
		}

		private void assertChallenged(HttpResponse<String> response) {
			assertAnswer(response, 401).contains("\"reason\":\"privileged\"");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}

		private void assertEnded(HttpResponse<String> response, String reason) {
			assertAnswer(response, 401).contains("\"reason\":\"" + reason + "\"");
		}

		private HttpResponse<String> assertOk(HttpResponse<String> response) {
			assertAnswer(response, 200);
			return response;
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

		private HttpResponse<String> get(HttpClient client, String path) {
			return get(client, path, "application/json");
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
	 * The application: Spring Session's Redis store as Spring Boot configures it, on the
	 * starter's clock; form login with CSRF protection, users alice and root (an
	 * administrator); the actuator behind a chain of its own with basic authentication
	 * for the operator.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	@Import(LettuceStallWatch.WithReadmeStopgap.class)
	static class App {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		InMemoryAuditEventRepository auditEventRepository() {
			return new InMemoryAuditEventRepository();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		@Order(0)
		SecurityWebFilterChain actuatorSecurityWebFilterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().hasRole("OPERATOR"))
				.httpBasic(Customizer.withDefaults())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/account/**").authenticated().anyExchange().permitAll())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("root").password("{noop}password").roles("ADMIN").build(),
					User.withUsername("operator").password("{noop}password").roles("OPERATOR").build());
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
