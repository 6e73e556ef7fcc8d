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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.AbstractStringAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
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
import dev.sessiontimeout.testsupport.TestTokens;
import dev.sessiontimeout.testsupport.WithoutServletApiClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole WebFlux resource server without the servlet API, as
 * {@link ReactiveApplicationWithoutServletApiIntegrationTests} starts a form-login
 * application: bearer tokens ({@code oauth2ResourceServer().jwt()}, a local
 * {@link NimbusReactiveJwtDecoder} of {@link TestTokens}' key) in a stateless chain for
 * {@code /api/**}, and in a chain that keeps its form-login users in the session, and
 * opaque tokens introspected in the application for {@code /opaque/**}; the privileged
 * age of a token from its {@code auth_time}, the policy its scope chooses, a privileged
 * path and a privileged method, and a token sent with a session cookie. Privileged age
 * 15m, 5m for tokens with the scope {@code admin}.
 *
 * @author session-timeout
 */
class ReactiveResourceServerWithoutServletApiIntegrationTests {

	@Test
	void aWholeWebFluxResourceServerDecidesBearerTokensWithoutTheServletApi() throws Exception {
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try (WithoutServletApiClassLoader withoutServletApi = new WithoutServletApiClassLoader()) {
			@SuppressWarnings("unchecked")
			Callable<List<String>> run = (Callable<List<String>>) withoutServletApi.newInstance(CallWithTokens.class,
					new Class<?>[0]);
			assertThat(run.call()).as("errors the application logged").isEmpty();
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	/**
	 * Starts the resource server in the class loader that loaded this class and calls it
	 * with tokens over HTTP; answers the errors the application logged.
	 */
	public static class CallWithTokens implements Callable<List<String>> {

		private static final Duration PRIVILEGED = Duration.ofMinutes(15);

		private List<String> errors = List.of();

		private final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private int port;

		private Instant now;

		@Override
		public List<String> call() throws Exception {
			assertThat(ClassUtils.isPresent("jakarta.servlet.Servlet", getClass().getClassLoader()))
				.as("the servlet API")
				.isFalse();
			SpringApplication application = new SpringApplication(App.class);
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.REACTIVE);
			try (ConfigurableApplicationContext context = application.run("--server.port=0",
					"--session-timeout.absolute=2h", "--session-timeout.idle=30m",
					"--session-timeout.privileged.max-age=15m",
					"--session-timeout.privileged.paths=/api/transfers,/account/transfer,/opaque/transfers",
					"--session-timeout.policies[0].name=administrators",
					"--session-timeout.policies[0].authorities=SCOPE_admin",
					"--session-timeout.policies[0].privileged-max-age=5m",
					"--spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")) {
				ReactiveWebServerApplicationContext web = (ReactiveWebServerApplicationContext) context;
				assertThat(web.getWebServer().getClass().getName()).contains("Netty");
				this.port = web.getWebServer().getPort();
				this.errors = LoggedErrors.record();
				MutableClock clock = context.getBean("sessionTimeoutClock", MutableClock.class);
				this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
				clock.fixAt(this.now);
				callTheStatelessApi();
				callWithOpaqueTokens();
				callWithASessionCookieAlong(clock);
			}
			return this.errors;
		}

		private void callTheStatelessApi() {
			String fresh = TestTokens.token(this.now.minus(PRIVILEGED).plusSeconds(1), "read", null);
			HttpResponse<String> me = call(null, "/api/me", fresh);
			assertAnswer(me, 200).contains("\"name\":\"alice\"");
			assertThat(me.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
			assertAnswer(call(null, "/api/transfers", fresh), 200).contains("\"transfers\":\"alice\"");
			assertAnswer(call(null, "/api/export", fresh), 200).contains("\"export\":\"alice\"");
			String stale = TestTokens.token(this.now.minus(PRIVILEGED), "read", null);
			assertChallenged(call(null, "/api/transfers", stale), PRIVILEGED);
			assertChallenged(call(null, "/api/export", stale), PRIVILEGED);
			assertAnswer(call(null, "/api/me", stale), 200);
			String untimed = TestTokens.token(null, "read", null);
			assertChallenged(call(null, "/api/transfers", untimed), PRIVILEGED);
			assertChallenged(call(null, "/api/export", untimed), PRIVILEGED);
			Instant sixMinutesAgo = this.now.minus(Duration.ofMinutes(6));
			assertAnswer(call(null, "/api/export", TestTokens.token(sixMinutesAgo, "read", null)), 200);
			assertChallenged(call(null, "/api/export", TestTokens.token(sixMinutesAgo, "admin", null)),
					Duration.ofMinutes(5));
			assertChallenged(call(null, "/api/transfers", TestTokens.token(sixMinutesAgo, "admin", null)),
					Duration.ofMinutes(5));
		}

		private void callWithOpaqueTokens() {
			String fresh = "at-" + this.now.minus(PRIVILEGED).plusSeconds(1).getEpochSecond();
			HttpResponse<String> transfers = call(null, "/opaque/transfers", fresh);
			assertAnswer(transfers, 200).contains("\"transfers\":\"alice\"");
			assertThat(transfers.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
			assertAnswer(call(null, "/opaque/export", fresh), 200).contains("\"export\":\"alice\"");
			for (String token : List.of("at-" + this.now.minus(PRIVILEGED).getEpochSecond(), "untimed")) {
				assertChallenged(call(null, "/opaque/transfers", token), PRIVILEGED);
				assertChallenged(call(null, "/opaque/export", token), PRIVILEGED);
			}
		}

		private void callWithASessionCookieAlong(MutableClock clock) {
			HttpResponse<String> loginPage = get("/login", "text/html");
			assertAnswer(loginPage, 200);
			HttpResponse<String> login = send(request("/login").header("Accept", "text/html")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers
					.ofString("username=alice&password=password&_csrf=" + csrfToken(loginPage)))
				.build());
			assertAnswer(login, 302);
			assertThat(login.headers().firstValue("Location")).as("%s", login).hasValue("/");
			assertAnswer(get("/session/status", "application/json"), 200).contains("\"authenticated\":true",
					"\"privilegedUntil\":\"" + this.now.plus(PRIVILEGED) + "\"");
			assertAnswer(get("/account/transfer", "application/json"), 200).contains("\"transfer\":\"alice\"");
			String stale = TestTokens.token(this.now.minus(PRIVILEGED), "read", null);
			assertChallenged(call(this.http, "/account/transfer", stale), PRIVILEGED);
			assertChallenged(call(this.http, "/account/export", stale), PRIVILEGED);
			Instant later = this.now.plus(PRIVILEGED).plusSeconds(1);
			clock.fixAt(later);
			assertAnswer(get("/account/transfer", "application/json"), 401).contains("\"reason\":\"privileged\"");
			String fresh = TestTokens.token(later.minusSeconds(60), "read", null);
			assertAnswer(call(this.http, "/account/transfer", fresh), 200).contains("\"transfer\":\"alice\"");
			assertAnswer(call(this.http, "/account/export", fresh), 200).contains("\"export\":\"alice\"");
			assertAnswer(get("/session/status", "application/json"), 200).contains("\"authenticated\":true",
					"\"principal\":\"alice\"");
		}

		private void assertChallenged(HttpResponse<String> response, Duration maxAge) {
			assertAnswer(response, 401).contains("\"reason\":\"privileged\"");
			assertThat(response.headers().firstValue("WWW-Authenticate")).as("%s", response)
				.hasValueSatisfying((challenge) -> assertThat(challenge)
					.startsWith("Bearer error=\"insufficient_user_authentication\"")
					.endsWith("max_age=" + maxAge.toSeconds()));
		}

		private AbstractStringAssert<?> assertAnswer(HttpResponse<String> response, int status) {
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

		/**
		 * Call with a token, in a client without cookies or in the given one.
		 */
		private HttpResponse<String> call(@Nullable HttpClient client, String path, String token) {
			HttpClient sender = (client != null) ? client
					: HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
			return send(sender,
					request(path).header("Accept", "application/json")
						.header("Authorization", "Bearer " + token)
						.GET()
						.build());
		}

		private HttpResponse<String> get(String path, String accept) {
			return send(request(path).header("Accept", accept).GET().build());
		}

		private HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(10));
		}

		private HttpResponse<String> send(HttpRequest request) {
			return send(this.http, request);
		}

		private HttpResponse<String> send(HttpClient client, HttpRequest request) {
			try {
				return client.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(
						request.method() + " " + request.uri() + " failed; errors logged: " + this.errors, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
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
	 * The resource server: a stateless chain of bearer tokens for {@code /api/**}, and
	 * one of form login and bearer tokens for the rest, its sessions in Spring Session's
	 * map store on the starter's clock; the user alice.
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
		ReactiveJwtDecoder jwtDecoder() {
			return NimbusReactiveJwtDecoder.withPublicKey(TestTokens.publicKey()).build();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		WebSessionManager webSessionManager(ReactiveMapSessionRepository repository, MutableClock clock) {
			SpringSessionWebSessionStore<?> store = new SpringSessionWebSessionStore<>(repository);
			store.setClock(clock);
			DefaultWebSessionManager manager = new DefaultWebSessionManager();
			manager.setSessionStore(store);
			return manager;
		}

		/**
		 * Opaque tokens, introspected here: {@code at-<epoch second>} has that
		 * {@code auth_time}, {@code untimed} none.
		 * @param http the security builder
		 * @return the chain
		 */
		@Bean
		@Order(0)
		SecurityWebFilterChain opaqueChain(ServerHttpSecurity http) {
			ReactiveOpaqueTokenIntrospector introspector = (token) -> {
				Map<String, Object> attributes = new HashMap<>(Map.of("active", true, "sub", "alice"));
				if (token.startsWith("at-")) {
					attributes.put("auth_time", Long.parseLong(token.substring(3)));
				}
				return Mono.just(new OAuth2IntrospectionAuthenticatedPrincipal("alice", attributes,
						AuthorityUtils.createAuthorityList("SCOPE_read")));
			};
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/opaque/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.opaqueToken((opaque) -> opaque.introspector(introspector)))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain apiChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@Order(2)
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/account/**").authenticated().anyExchange().permitAll())
				.formLogin(Customizer.withDefaults())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Controller {

			private final Exports exports;

			Controller(Exports exports) {
				this.exports = exports;
			}

			@GetMapping(path = { "/", "/api/me" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> me(Principal principal) {
				return Mono.just(Map.of("name", principal.getName()));
			}

			@GetMapping(path = { "/api/transfers", "/opaque/transfers" }, produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfers(Principal principal) {
				return Mono.just(Map.of("transfers", principal.getName()));
			}

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> transfer(Principal principal) {
				return Mono.just(Map.of("transfer", principal.getName()));
			}

			@GetMapping(path = { "/api/export", "/account/export", "/opaque/export" },
					produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> export(Principal principal) {
				return this.exports.export(principal.getName()).map((export) -> Map.of("export", export));
			}

		}

	}

}
