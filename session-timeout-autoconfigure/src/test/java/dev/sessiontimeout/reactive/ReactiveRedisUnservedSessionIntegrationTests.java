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
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.clientOf;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.loginAlice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On WebFlux as on servlet, a request that the starter does not serve because its store
 * does not answer ({@code 503}) or its decision fails ({@code 500}) saves nothing of its
 * session. A Redis server of this test's own (Spring Session's default and indexed
 * repositories) pauses ({@code CLIENT PAUSE ... ALL}) while the request reads the last
 * access of a session that lost the starter's state, which the starter adopts from it,
 * and answers again before the session manager's save of the request's copy. That save
 * would write the copy's last access (the request's start) over the store's, so that the
 * session, idle since before, would be adopted later as if the unserved request were its
 * activity, and served past its idle deadline.
 */
class ReactiveRedisUnservedSessionIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration IDLE = Duration.ofMinutes(30);

	/**
	 * Longer than one command timeout, for the read of the last access, and shorter than
	 * two, so that a save of the unserved request's copy, sent after that read's timeout,
	 * would be answered.
	 */
	private static final Duration PAUSE = COMMAND_TIMEOUT.plusSeconds(1);

	private int port;

	private RedisServer server;

	private ConfigurableApplicationContext application;

	private WebTestClient client;

	private void start(String repositoryType) throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.server = RedisServer.newRedisServer().port(this.port).setting("save \"\"").build();
		this.server.start();
		this.application = new SpringApplicationBuilder(ReactiveStoreTestApplication.class).properties(
				"spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
				"session-timeout.idle=" + IDLE.toMinutes() + "m",
				"spring.session.data.redis.repository-type=" + repositoryType,
				"spring.session.data.redis.namespace=session-timeout-unserved", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + this.port, "spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
				"spring.data.redis.connect-timeout=1s",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
		this.application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.client = clientOf(this.application);
	}

	@AfterEach
	void stop() throws IOException {
		if (this.application != null) {
			BoundedClose.close(this.application);
		}
		if (this.server != null && this.server.isActive()) {
			EmbeddedRedis.stop(this.server);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void aRequestAnsweredAsTheOutageAtTheAdoptionOfItsSessionSavesNothingOfIt(String repositoryType) throws Exception {
		assertOutageAtAdoptionSavesNothing(repositoryType, false);
	}

	/**
	 * An application's own {@code WebFilter}, ordered before the starter's, that looks
	 * the session up first shares the request's one copy of it with the starter: that
	 * copy is not saved either.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void aRequestAnsweredAsTheOutageAtTheAdoptionOfASessionAnApplicationFilterLookedUpFirstSavesNothingOfIt(
			String repositoryType) throws Exception {
		assertOutageAtAdoptionSavesNothing(repositoryType, true);
	}

	private void assertOutageAtAdoptionSavesNothing(String repositoryType, boolean earlyLook) throws Exception {
		start(repositoryType);
		String session = loginAlice(this.client);
		EntityExchangeResult<String> served = get("/account", session, null);
		assertThat(served.getStatus().value()).isEqualTo(200);
		removeState(session);
		Instant lastAccess = lastAccessInStore(session);
		Gate gate = this.application.getBean(Gate.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			// Held by the policy override, after the session's lookup and before the
			// read of its last access
			Future<EntityExchangeResult<String>> unserved = executor
				.submit(() -> get("/api/cart", session, "gated", earlyLook));
			gate.awaitArrival();
			command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
			gate.open();
			EntityExchangeResult<String> during = unserved.get(30, TimeUnit.SECONDS);
			assertThat(during.getStatus().value()).as("%s", during).isEqualTo(503);
			// Answered before Spring Security's filter chain, with its headers
			AbstractReactiveSessionStoreIntegrationTests.assertSameSecurityHeaders(during, served);
		}
		finally {
			executor.shutdownNow();
		}
		command("CLIENT UNPAUSE");
		assertIdleSinceBefore(session, lastAccess);
	}

	/**
	 * A failure of the decision that adopts the session (its user's policy override
	 * fails) answers the request {@code 500}, unserved: nothing of its session is saved
	 * either.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void aRequestWhoseAdoptionOfItsSessionFailsSavesNothingOfIt(String repositoryType) throws Exception {
		assertFailedAdoptionSavesNothing(repositoryType, false);
	}

	/**
	 * The same, with the session looked up first by an application's filter ordered
	 * before the starter's.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void aRequestWhoseAdoptionOfASessionAnApplicationFilterLookedUpFirstFailsSavesNothingOfIt(String repositoryType)
			throws Exception {
		assertFailedAdoptionSavesNothing(repositoryType, true);
	}

	private void assertFailedAdoptionSavesNothing(String repositoryType, boolean earlyLook) throws Exception {
		start(repositoryType);
		String session = loginAlice(this.client);
		assertThat(get("/account", session, null).getStatus().value()).isEqualTo(200);
		removeState(session);
		Instant lastAccess = lastAccessInStore(session);
		EntityExchangeResult<String> failed = get("/api/cart", session, "registry-down", earlyLook);
		assertThat(failed.getStatus().value()).as("%s", failed).isEqualTo(500);
		assertIdleSinceBefore(session, lastAccess);
	}

	/**
	 * Assert that the store still has the session's last access from before the unserved
	 * request, and that the session, adopted from it, ends as idle once that is as long
	 * ago as the idle timeout (else the unserved request counted as its activity).
	 */
	private void assertIdleSinceBefore(String session, Instant lastAccess) {
		Instant inStore = lastAccessInStore(session);
		this.application.getBean(MutableClock.class).fixAt(lastAccess.plus(IDLE));
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(get("/api/cart", session, null), ExpiryReason.IDLE);
		assertThat(inStore).as("the store's last access of the session").isEqualTo(lastAccess);
	}

	@SuppressWarnings("unchecked")
	private ReactiveSessionRepository<Session> repository() {
		return this.application.getBean(ReactiveSessionRepository.class);
	}

	private void removeState(String sessionId) {
		Session stored = repository().findById(sessionId).block(Duration.ofSeconds(10));
		assertThat(stored).as("session %s in the store", sessionId).isNotNull();
		assertThat(stored.<Object>getAttribute(SessionAttributes.STATE)).isNotNull();
		stored.removeAttribute(SessionAttributes.STATE);
		repository().save(stored).block(Duration.ofSeconds(10));
	}

	private Instant lastAccessInStore(String sessionId) {
		Session stored = repository().findById(sessionId).block(Duration.ofSeconds(10));
		assertThat(stored).as("session %s in the store", sessionId).isNotNull();
		return stored.getLastAccessedTime();
	}

	private EntityExchangeResult<String> get(String path, String session, String device) {
		return get(path, session, device, false);
	}

	/**
	 * Send a {@code GET}; with {@code earlyLook}, the application's own filter ordered
	 * before the starter's looks the session up first.
	 */
	private EntityExchangeResult<String> get(String path, String session, String device, boolean earlyLook) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie(AbstractReactiveSessionStoreIntegrationTests.SESSION_COOKIE, session);
		if (device != null) {
			request.header(ReactiveStoreTestApplication.DEVICE_HEADER, device);
		}
		if (earlyLook) {
			request.header(AbstractReactiveSessionStoreIntegrationTests.EARLY_LOOK_HEADER, "true");
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	private void command(String command) throws IOException {
		EmbeddedRedis.command(this.port, command);
	}

}
