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
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerMaximumSessionsExceededHandler;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.WebSession;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the applications of the tests of Spring Security's reactive concurrent-session
 * control share: the starter's clock, {@code sessionTimeoutClock}, for the tests to move,
 * the page {@code /api/me}, which answers the user's name, every name as a user
 * ({@link #users}), and the {@link #limit security filter chain} they declare; and what
 * the tests do against such an application on a port: {@link #login sign in} with the
 * form and send a request with the {@link #SESSION_COOKIE session cookie}.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveConcurrentSessionControlConfiguration {

	static final String SESSION_COOKIE = "SESSION";

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	/**
	 * Every name signs in with the same password: each test has users of its own.
	 * @return the users
	 */
	@Bean
	ReactiveUserDetailsService users() {
		return (username) -> Mono.just(User.withUsername(username).password("{noop}password").roles("USER").build());
	}

	/**
	 * Form login (CSRF off, so that a test signs in with one {@code POST}) in front of
	 * every request but the login page, and at most the given number of sessions a user,
	 * counted by the registry.
	 * @param http the security builder
	 * @param maximumSessions the number of sessions a user may have
	 * @param handler what a login beyond them does, {@code null} for Spring Security's
	 * default
	 * @return the chain
	 */
	static SecurityWebFilterChain limit(ServerHttpSecurity http, int maximumSessions,
			@Nullable ServerMaximumSessionsExceededHandler handler) {
		http.authorizeExchange(
				(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated());
		http.formLogin((form) -> {
		});
		http.csrf(ServerHttpSecurity.CsrfSpec::disable);
		http.sessionManagement((sessions) -> sessions.concurrentSessions((concurrency) -> {
			concurrency.maximumSessions(SessionLimit.of(maximumSessions));
			if (handler != null) {
				concurrency.maximumSessionsExceededHandler(handler);
			}
		}));
		return http.build();
	}

	/**
	 * Return a name no other test signs in with.
	 * @return the name
	 */
	static String newUser() {
		return "user-" + UUID.randomUUID();
	}

	/**
	 * Return a client of the application on the given port, with a connection of its own.
	 * @param port the application's port
	 * @return the client
	 */
	static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * Post the login form, which must answer a redirect.
	 * @param port the application's port
	 * @param username the user's name
	 * @return the answer
	 */
	static EntityExchangeResult<String> signIn(int port, String username) {
		return signIn(port, username, null);
	}

	/**
	 * Post the login form in a session, if any (a step-up in a signed-in one), which must
	 * answer a redirect.
	 * @param port the application's port
	 * @param username the user's name
	 * @param session the session's id, or {@code null}
	 * @return the answer
	 */
	static EntityExchangeResult<String> signIn(int port, String username, @Nullable String session) {
		EntityExchangeResult<String> result = client(port).post().uri("/login").cookies((cookies) -> {
			if (session != null) {
				cookies.add(SESSION_COOKIE, session);
			}
		})
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", username).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(302);
		return result;
	}

	/**
	 * Sign in, which must succeed.
	 * @param port the application's port
	 * @param username the user's name
	 * @return the id of the new session
	 */
	static String login(int port, String username) {
		EntityExchangeResult<String> result = signIn(port, username);
		assertThat(location(result)).as("%s", result).doesNotContain("error");
		return cookie(result);
	}

	static String location(EntityExchangeResult<String> result) {
		return String.valueOf(result.getResponseHeaders().getLocation());
	}

	static String cookie(EntityExchangeResult<String> result) {
		ResponseCookie cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		return Objects.requireNonNull(cookie, () -> "no session cookie: " + result).getValue();
	}

	/**
	 * Send a request of the session that accepts JSON.
	 * @param port the application's port
	 * @param method the request's method
	 * @param path the request's path
	 * @param session the session's id
	 * @return the answer
	 */
	static EntityExchangeResult<String> request(int port, HttpMethod method, String path, String session) {
		return client(port).method(method)
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	/**
	 * Get {@code /api/me} in the session.
	 * @param port the application's port
	 * @param session the session's id
	 * @return the answer
	 */
	static EntityExchangeResult<String> me(int port, String session) {
		return request(port, HttpMethod.GET, "/api/me", session);
	}

	@RestController
	static class MeController {

		@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> me(Authentication authentication) {
			return Map.of("name", authentication.getName());
		}

		@PostMapping(path = "/api/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
		Mono<Map<String, Object>> rotate(WebSession session) {
			return session.changeSessionId().thenReturn(Map.of("rotated", true));
		}

	}

}
