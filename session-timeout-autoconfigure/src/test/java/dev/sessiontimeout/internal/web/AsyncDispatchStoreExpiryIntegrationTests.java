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
package dev.sessiontimeout.internal.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.FormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deferred result (a long poll, say) is no activity when it completes: the store's own
 * expiry of its session must not move later at its asynchronous dispatch (SPEC §7: the
 * store drops the session no later than min(idle, absolute deadline) + store grace, and
 * only activity moves the idle deadline). Idle 30m, store grace 1m, Spring Session's map
 * store.
 */
@SpringBootTest(classes = AsyncDispatchStoreExpiryIntegrationTests.DeferredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class AsyncDispatchStoreExpiryIntegrationTests extends AbstractLiveApplicationTests {

	@Autowired
	Map<String, Session> sessions;

	@Autowired
	Deferreds deferreds;

	@Test
	void theAsyncDispatchOfADeferredResultDoesNotMoveTheStoresExpiryOfItsSession() throws Exception {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> response = client
			.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/long-poll"))
				.header("Accept", TestBrowser.JSON)
				.header("Cookie", "SESSION=" + this.browser.cookie("SESSION"))
				.build(), BodyHandlers.ofString());
		DeferredResult<String> deferred = this.deferreds.results.poll(30, TimeUnit.SECONDS);
		assertThat(deferred).as("the deferred result").isNotNull();
		assertThat(this.deferreds.dispatched.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
		Instant expiryBefore = storeExpiry();
		// The long poll is answered 25 minutes later: the idle deadline is 5 minutes
		// away, the store may keep the session 6 minutes more at most
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(25)));
		deferred.setResult("{\"news\":\"none\"}");
		assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(storeExpiry()).as("the store's expiry after the asynchronous dispatch")
			.isBeforeOrEqualTo(expiryBefore);
	}

	private Instant storeExpiry() {
		assertThat(this.sessions).hasSize(1);
		Session session = this.sessions.values().iterator().next();
		return session.getLastAccessedTime().plus(session.getMaxInactiveInterval());
	}

	static class Deferreds {

		final BlockingQueue<DeferredResult<String>> results = new LinkedBlockingQueue<>();

		final Semaphore dispatched = new Semaphore(0);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(FormLoginConfiguration.class)
	static class DeferredApplication {

		@Bean
		Map<String, Session> sessions() {
			return new ConcurrentHashMap<>();
		}

		@Bean
		MapSessionRepository sessionRepository(Map<String, Session> sessions) {
			return new MapSessionRepository(sessions);
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@Bean
		Deferreds deferreds() {
			return new Deferreds();
		}

		@Bean
		FilterRegistrationBean<Filter> asyncDispatchedFilter(Deferreds deferreds) {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				chain.doFilter(request, response);
				if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()) {
					deferreds.dispatched.release();
				}
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			return registration;
		}

		@RestController
		static class LongPoll {

			private final Deferreds deferreds;

			LongPoll(Deferreds deferreds) {
				this.deferreds = deferreds;
			}

			@GetMapping("/long-poll")
			DeferredResult<String> longPoll() {
				DeferredResult<String> deferred = new DeferredResult<>(60_000L);
				this.deferreds.results.add(deferred);
				return deferred;
			}

		}

	}

}
