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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What Spring Session does on each servlet container, without this starter
 * ({@code session-timeout.enabled=false}), when the application completes a response
 * before its request returns: its {@code SessionRepositoryFilter} saves a request's
 * session when the response is committed (by {@code sendRedirect}, or by writing the last
 * byte of a {@code Content-Length}) and again when the request returns through it, and
 * {@link MapSessionRepository} saves a whole copy each time. A container that sends the
 * response before the request returns (Jetty for a redirect and for a body of known
 * length, Tomcat for a body of known length only: it sends a redirect once the request
 * returned) lets the client's next request, on another connection, load and save the
 * session before the first request's second save, which then writes the first request's
 * older copy over it: what the next request saved is lost. The map store tests trip over
 * it on Jetty (a login's redirect, whose second save undoes the activity that the request
 * after the login recorded), which is why the {@code jetty} profile does not run them.
 * Spring Session's Redis and JDBC repositories save only what changed since their last
 * save.
 */
@DirtiesContext
@SpringBootTest(classes = SpringSessionSecondSaveIntegrationTests.RedirectingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.enabled=false",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class SpringSessionSecondSaveIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SecondSaveHold hold;

	@Autowired
	MapSessionRepository repository;

	@Test
	void aRedirectedRequestsSecondSaveOverwritesTheNextRequestsSaveOnJettyOnly() throws Exception {
		assertSecondSave("/first", 302, !AbstractSessionStoreIntegrationTests.ON_TOMCAT);
	}

	@Test
	void theSecondSaveOfAResponseWithAContentLengthOverwritesTheNextRequestsSaveOnBothContainers() throws Exception {
		assertSecondSave("/first-body", 200, true);
	}

	/**
	 * Send a request that sets the session attribute {@code value} to {@code first} and
	 * answers, hold it on its way back before Spring Session's second save, and, once its
	 * response has arrived, send one that sets it to {@code second}.
	 * @param firstPath the path of the first request
	 * @param firstStatus the status it answers with
	 * @param sentBeforeItReturns whether the container sends its response before the
	 * request returned
	 */
	private void assertSecondSave(String firstPath, int firstStatus, boolean sentBeforeItReturns) throws Exception {
		this.hold.reset();
		TestBrowser browser = new TestBrowser(this.port);
		assertThat(browser.get("/second", TestBrowser.HTML).body()).isEqualTo("second");
		assertThat(this.hold.others.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
		String cookie = "SESSION=" + browser.cookie("SESSION");
		String sessionId = new String(Base64.getDecoder().decode(browser.cookie("SESSION")), StandardCharsets.UTF_8);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> first = executor.submit(() -> browser.get(firstPath, TestBrowser.HTML));
			// The application answered; the request is held on its way back, before
			// Spring Session's second save
			assertThat(this.hold.held.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(stored(sessionId)).as("saved as the response was committed").isEqualTo("first");
			if (!sentBeforeItReturns) {
				assertThatExceptionOfType(TimeoutException.class).as("the response waits for the request")
					.isThrownBy(() -> first.get(1, TimeUnit.SECONDS));
				this.hold.release.countDown();
				assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(firstStatus);
				assertThat(this.hold.returned.getCount()).isZero();
				getOnNewConnection("/second", cookie);
				assertThat(stored(sessionId)).isEqualTo("second");
				return;
			}
			Response answer = first.get(30, TimeUnit.SECONDS);
			assertThat(answer.status()).as("the response, before the request returned").isEqualTo(firstStatus);
			assertThat(this.hold.returned.getCount()).isOne();
			// The next request on a connection of its own (the held request's own takes
			// no other request before it returned), as a browser may send it
			getOnNewConnection("/second", cookie);
			assertThat(stored(sessionId)).isEqualTo("second");
			this.hold.release.countDown();
			assertThat(this.hold.returned.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(stored(sessionId)).as("after the first request's second save of its own copy")
				.isEqualTo("first");
		}
		finally {
			this.hold.release.countDown();
			executor.shutdownNow();
		}
	}

	private @Nullable Object stored(String sessionId) {
		MapSession session = this.repository.findById(sessionId);
		assertThat(session).isNotNull();
		return session.getAttribute("value");
	}

	/**
	 * Send a request on a connection of its own and wait until it returned through Spring
	 * Session's filter, after its last save.
	 */
	private void getOnNewConnection(String path, String cookie) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Cookie", cookie)
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s %s", path, response.body()).isEqualTo(200);
		assertThat(this.hold.others.tryAcquire(30, TimeUnit.SECONDS)).as("%s returned", path).isTrue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class RedirectingApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Bean
		SecondSaveHold hold() {
			return new SecondSaveHold((request) -> request.getRequestURI().startsWith("/first"));
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
		RedirectingController redirectingController() {
			return new RedirectingController();
		}

	}

	@RestController
	static class RedirectingController {

		@GetMapping("/first")
		void first(HttpSession session, HttpServletResponse response) throws IOException {
			session.setAttribute("value", "first");
			response.sendRedirect("/next");
		}

		/**
		 * A body of which Spring MVC sets the {@code Content-Length}.
		 */
		@GetMapping("/first-body")
		String firstBody(HttpSession session) {
			session.setAttribute("value", "first");
			return "first";
		}

		@GetMapping("/second")
		String second(HttpSession session) {
			session.setAttribute("value", "second");
			return "second";
		}

	}

}
