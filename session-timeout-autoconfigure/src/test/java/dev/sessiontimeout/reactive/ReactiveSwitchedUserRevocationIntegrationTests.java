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

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.SwitchUserWebFilter;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation of a user who switched to another user (Spring Security's
 * {@link SwitchUserWebFilter}) on Spring Session's reactive map repository, whose
 * sessions the starter's own index finds by user: the switch changes the session's id,
 * and the session is still its administrator's, whose revocation must end it.
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveSwitchedUserRevocationIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveSwitchedUserRevocationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	ReactiveUserSessions userSessions;

	@Autowired
	List<SessionEndedEvent> endedEvents;

	WebTestClient client;

	@BeforeEach
	void freshClient() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build();
	}

	@Test
	void revokingAnAdministratorEndsTheSessionInWhichTheAdministratorSwitchedToAnotherUser() {
		EntityExchangeResult<String> login = post("/login", null, "username", "admin", "password", "password");
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		assertThat(login.getResponseHeaders().getLocation()).as("%s", login).hasToString("/");
		String session = cookie(login, null);
		EntityExchangeResult<String> switched = post("/login/impersonate?username=customer", session, "username",
				"customer");
		assertThat(switched.getStatus().value()).as("%s", switched).isEqualTo(302);
		assertThat(switched.getResponseHeaders().getLocation()).as("%s", switched).hasToString("/orders");
		session = cookie(switched, session);
		EntityExchangeResult<String> page = orders(session);
		assertThat(page.getStatus().value()).as("%s", page).isEqualTo(200);
		assertThat(page.getResponseBody()).isEqualTo("Orders of customer");
		assertThat(this.userSessions.revokeAll("admin").block(TIMEOUT)).as("the administrator's sessions revoked")
			.isEqualTo(1);
		// Announced with the session's user, as every other event of the session is
		assertThat(this.endedEvents).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REVOKED);
			assertThat(event.getPrincipal()).as("the session's user").isEqualTo("customer");
		});
		EntityExchangeResult<String> ended = orders(session);
		assertThat(ended.getStatus().value()).as("%s", ended).isNotEqualTo(200);
	}

	private EntityExchangeResult<String> post(String path, String session, String... form) {
		BodyInserters.FormInserter<String> body = BodyInserters.fromFormData(form[0], form[1]);
		for (int i = 2; i < form.length; i += 2) {
			body = body.with(form[i], form[i + 1]);
		}
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		return request.body(body).exchange().expectBody(String.class).returnResult();
	}

	private EntityExchangeResult<String> orders(String session) {
		return this.client.get()
			.uri("/orders")
			.accept(MediaType.TEXT_HTML)
			.cookie("SESSION", session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static String cookie(EntityExchangeResult<?> result, String previous) {
		ResponseCookie cookie = result.getResponseCookies().getFirst("SESSION");
		return (cookie != null) ? cookie.getValue() : previous;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringWebSession
	static class SwitchUserApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		List<SessionEndedEvent> endedEvents() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		ApplicationListener<SessionEndedEvent> endedEventsListener(List<SessionEndedEvent> endedEvents) {
			return endedEvents::add;
		}

		@Bean
		ReactiveMapSessionRepository reactiveSessionRepository() {
			return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("admin").password("{noop}password").roles("ADMIN").build(),
					User.withUsername("customer").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, MapReactiveUserDetailsService users) {
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/login/impersonate")
				.hasRole("ADMIN")
				.anyExchange()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			http.addFilterAfter(new SwitchUserWebFilter(users, "/orders", null), SecurityWebFiltersOrder.AUTHORIZATION);
			return http.build();
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			Mono<String> orders(Mono<Principal> principal) {
				return principal.map((user) -> "Orders of " + user.getName());
			}

		}

	}

}
