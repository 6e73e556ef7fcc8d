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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on WebFlux that defines no {@link SecurityWebFilterChain} of its own,
 * and has no actuator's chain either: Spring Security serves it with the default chain
 * that {@code @EnableWebFluxSecurity} builds itself (form login, HTTP Basic, every
 * exchange authenticated), which is no bean. The answers the starter writes before that
 * chain runs (a session that ended) carry the headers the chain adds to every response,
 * as they do with an application's own chain
 * ({@code AbstractReactiveSessionStoreIntegrationTests}) and on servlet. Idle 30m, on
 * WebFlux's own session store.
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveOwnWebFilterChainProxyHeadersIntegrationTests.OwnProxyApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.actuate.web.reactive."
						+ "ReactiveManagementWebSecurityAutoConfiguration" })
class ReactiveOwnWebFilterChainProxyHeadersIntegrationTests {

	private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationContext context;

	Instant start;

	WebTestClient client;

	@BeforeEach
	void freshClient() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build();
	}

	/**
	 * The application serves Spring Security with a {@link WebFilterChainProxy} of its
	 * own, whose chain is no bean and allows framing by the same origin: the answers the
	 * starter gives before that chain must not carry the frame options of a default chain
	 * that never runs (DENY), which block the application's own frames.
	 */
	@Test
	void anApiCallAndANavigationWithAnEndedSessionGetNoFrameOptionsOfADefaultChainThatNeverRuns() {
		assertThat(this.context.getBeansOfType(SecurityWebFilterChain.class)).as("no chain is a bean").isEmpty();
		String session = signIn();
		EntityExchangeResult<String> served = get("/api/me", MediaType.APPLICATION_JSON, session);
		assertThat(served.getStatus().value()).as("%s", served).isEqualTo(200);
		assertThat(served.getResponseHeaders().getFirst("X-Content-Type-Options")).as("the chain's own headers")
			.isEqualTo("nosniff");
		assertThat(served.getResponseHeaders().getFirst("X-Frame-Options")).as("the chain's own frame options")
			.isEqualTo("SAMEORIGIN");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(31)));
		EntityExchangeResult<String> api = get("/api/me", MediaType.APPLICATION_JSON, session);
		assertThat(api.getStatus().value()).as("%s", api).isEqualTo(401);
		assertThat(api.getResponseBody()).contains(ExpiryReason.IDLE.value());
		assertThat(api.getResponseHeaders().getFirst("X-Frame-Options"))
			.as("no frame options the application's chain contradicts: %s", api)
			.isIn(null, "SAMEORIGIN");
		EntityExchangeResult<String> page = get("/api/me", MediaType.TEXT_HTML, session);
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(302);
		assertThat(page.getResponseHeaders().getFirst("X-Frame-Options"))
			.as("no frame options the application's chain contradicts: %s", page)
			.isIn(null, "SAMEORIGIN");
	}

	private String signIn() {
		EntityExchangeResult<String> page = get("/login", MediaType.TEXT_HTML, null);
		assertThat(page.getStatus().value()).as("the default login page: %s", page).isEqualTo(200);
		Matcher input = CSRF_INPUT.matcher(page.getResponseBody());
		assertThat(input.find()).as("a CSRF token in %s", page.getResponseBody()).isTrue();
		String anonymous = page.getResponseCookies().getFirst("SESSION").getValue();
		EntityExchangeResult<String> login = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", anonymous)
			.body(BodyInserters.fromFormData("username", "alice")
				.with("password", "password")
				.with("_csrf", input.group(1)))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("the login: %s", login).isEqualTo(302);
		return login.getResponseCookies().getFirst("SESSION").getValue();
	}

	private EntityExchangeResult<String> get(String path, MediaType accept, String session) {
		return this.client.get().uri(path).accept(accept).cookies((cookies) -> {
			if (session != null) {
				cookies.add("SESSION", session);
			}
		}).exchange().expectBody(String.class).returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OwnProxyApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		/**
		 * The application's own proxy, whose chain is no bean, and whose headers allow
		 * framing by the same origin: no default chain of Spring Security serves it.
		 */
		@Bean
		WebFilterChainProxy springSecurityWebFilterChainFilter(MapReactiveUserDetailsService users) {
			SecurityWebFilterChain chain = ServerHttpSecurity.http()
				.authenticationManager(new UserDetailsRepositoryReactiveAuthenticationManager(users))
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated())
				.formLogin(Customizer.withDefaults())
				.headers((headers) -> headers.frameOptions(
						(frameOptions) -> frameOptions.mode(XFrameOptionsServerHttpHeadersWriter.Mode.SAMEORIGIN)))
				.build();
			return new WebFilterChainProxy(chain);
		}

		@RestController
		static class MeController {

			@GetMapping(path = "/api/me", produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			Mono<Map<String, Object>> me() {
				return Mono.just(Map.of("name", "alice"));
			}

		}

	}

}
