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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session manager of the application's own, which is no
 * {@link DefaultWebSessionManager} and whose session cookie the starter so cannot know:
 * every request's session is looked up and decided, rather than none. Idle 30m.
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveStoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "management.endpoints.web.exposure.include=sessiontimeouts",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@Import(CustomWebSessionManagerIntegrationTests.OwnSessionManagerConfiguration.class)
class CustomWebSessionManagerIntegrationTests {

	static final String COOKIE = "APPSESSION";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
	}

	@Test
	void aSessionOfTheApplicationsOwnManagerEndsAtItsIdleDeadline() {
		EntityExchangeResult<String> created = request(null).post()
			.uri("/api/cart?item=apple")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		var cookie = created.getResponseCookies().getFirst(COOKIE);
		assertThat(cookie).as("the application's session cookie").isNotNull();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)).minusMillis(1));
		assertThat(cart(cookie.getValue()).getStatus().value()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(60)).minusMillis(1));
		EntityExchangeResult<String> ended = cart(cookie.getValue());
		assertThat(ended.getStatus().value()).as("%s", ended).isEqualTo(401);
		assertThat(ended.getResponseBody()).contains("\"reason\":\"" + ExpiryReason.IDLE.value() + "\"");
	}

	@Test
	void aRequestWithoutASessionStartsNone() {
		EntityExchangeResult<String> anonymous = cart(null);
		assertThat(anonymous.getStatus().value()).isEqualTo(200);
		assertThat(anonymous.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
	}

	@Test
	void aSignedInUserAskingTheSelfServiceEndpointIsAnsweredNotImplementedWithWhy() {
		String session = login("alice");
		EntityExchangeResult<String> list = request(session).get()
			.uri("/session/sessions")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertNotImplemented(list);
		assertNotImplemented(request(session).delete()
			.uri("/session/sessions")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult());
		assertNotImplemented(request(session).delete()
			.uri("/session/sessions/0a69959c3e9e960d")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult());
		assertThat(cart(session).getStatus().value()).as("the session goes on").isEqualTo(200);
	}

	@Test
	void anOperatorAskingTheActuatorForAUsersSessionsIsAnsweredNotImplementedWithWhy() {
		login("alice");
		EntityExchangeResult<String> list = request(null).get()
			.uri("/actuator/sessiontimeouts/alice")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(list.getStatus().value()).as("%s", list).isEqualTo(501);
		assertThat(list.getResponseBody()).contains("a WebSessionManager of its own");
		EntityExchangeResult<String> revoke = request(null).delete()
			.uri("/actuator/sessiontimeouts/alice")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(revoke.getStatus().value()).as("%s", revoke).isEqualTo(501);
		assertThat(revoke.getResponseBody()).contains("a WebSessionManager of its own");
	}

	private static void assertNotImplemented(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(501);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponseBody()).contains("\"status\":501", "a WebSessionManager of its own");
	}

	private String login(String user) {
		EntityExchangeResult<String> login = request(null).post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", user).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		var cookie = login.getResponseCookies().getFirst(COOKIE);
		assertThat(cookie).as("the application's session cookie: %s", login).isNotNull();
		return cookie.getValue();
	}

	private EntityExchangeResult<String> cart(@Nullable String session) {
		return request(session).get()
			.uri("/api/cart")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private WebTestClient request(@Nullable String session) {
		WebTestClient.Builder builder = WebTestClient
			.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port);
		if (session != null) {
			builder.defaultCookie(COOKIE, session);
		}
		return builder.build();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OwnSessionManagerConfiguration {

		/**
		 * A session manager that delegates to WebFlux's, with a cookie of its own name.
		 */
		@Bean
		WebSessionManager webSessionManager(MutableClock clock) {
			InMemoryWebSessionStore store = new InMemoryWebSessionStore();
			store.setClock(clock);
			CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
			resolver.setCookieName(COOKIE);
			DefaultWebSessionManager delegate = new DefaultWebSessionManager();
			delegate.setSessionStore(store);
			delegate.setSessionIdResolver(resolver);
			return delegate::getSession;
		}

	}

}
