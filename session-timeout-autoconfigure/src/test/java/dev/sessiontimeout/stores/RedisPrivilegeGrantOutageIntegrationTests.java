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
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.error.ErrorPageRegistrar;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one use of a {@code maxAge = "0"} grant on servlet is never given without the
 * store's yes, and a claim the store did not answer is answered as the store's outage: a
 * Redis server of this test's own (the binary the build ships, on a free port) pauses its
 * writes ({@code CLIENT PAUSE ... WRITE}, which holds the claim's script but lets the
 * request read its session), and the request gets the {@code 503} problem, not served;
 * once Redis answers again, the grant is spent exactly when the store spent it.
 */
class RedisPrivilegeGrantOutageIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Longer than one command timeout, for the claim, and shorter than two, so that the
	 * save of the refused request's session, sent after the claim's timeout, is answered.
	 */
	private static final Duration PAUSE = COMMAND_TIMEOUT.plusSeconds(1);

	/**
	 * What the next claim does instead of asking Redis alone: nothing, so Redis is asked;
	 * {@code "lost"}, a claim that never reaches Redis; {@code "unanswered"}, a claim
	 * that Redis ran but whose answer never came back.
	 */
	private static final AtomicReference<String> nextClaim = new AtomicReference<>();

	private static int port;

	private static RedisServer server;

	private static ConfigurableApplicationContext application;

	private TestBrowser browser;

	/**
	 * Start the Redis server and the application once for the class: each test starts
	 * with a server that holds no key and no script, and a browser and session of its
	 * own.
	 */
	@BeforeAll
	static void startRedisAndTheApplication() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = RedisServer.newRedisServer().port(port).setting("save \"\"").build();
		server.start();
		application = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"session-timeout.privileged.max-age=0", "session-timeout.privileged.paths=/api/transfer",
					"spring.session.data.redis.repository-type=default",
					"spring.session.data.redis.namespace=session-timeout-grant-outage",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
					"spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
					"spring.data.redis.connect-timeout=1s",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.initializers((context) -> ((GenericApplicationContext) context).registerBean("failingClaims",
					BeanPostProcessor.class, () -> new BeanPostProcessor() {

						@Override
						public Object postProcessAfterInitialization(Object bean, String beanName) {
							return (bean instanceof PrivilegeGrants grants) ? failing(grants) : bean;
						}

					}))
			.initializers((context) -> ((GenericApplicationContext) context).registerBean("lockedPage",
					ErrorPageRegistrar.class,
					() -> (registry) -> registry.addErrorPages(new ErrorPage(HttpStatus.LOCKED, "/api/transfer"))))
			.run();
	}

	/**
	 * Empty Redis of keys and of the claim's script, as a new server would be: the claim
	 * of the first privileged request of a test is an {@code EVALSHA} of a script Redis
	 * has not loaded.
	 */
	@BeforeEach
	void startWithAnEmptyRedis() throws IOException {
		nextClaim.set(null);
		command("FLUSHALL");
		command("SCRIPT FLUSH");
		application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new TestBrowser(((WebServerApplicationContext) application).getWebServer().getPort());
	}

	private static PrivilegeGrants failing(PrivilegeGrants grants) {
		return new PrivilegeGrants() {

			@Override
			public boolean use(String sessionId, long grant) {
				return grants.use(sessionId, grant);
			}

			@Override
			public boolean use(String sessionId, Instant createdAt, String grant) {
				String failure = nextClaim.getAndSet(null);
				if (failure == null) {
					return grants.use(sessionId, createdAt, grant);
				}
				if (failure.equals("unanswered")) {
					grants.use(sessionId, createdAt, grant);
				}
				throw new QueryTimeoutException("Redis command timed out (" + failure + ")");
			}

		};
	}

	@AfterAll
	static void stop() throws IOException {
		if (application != null) {
			BoundedClose.close(application);
		}
		if (server != null && server.isActive()) {
			EmbeddedRedis.stop(server);
		}
	}

	/**
	 * Redis holds the claim's {@code EVALSHA} of a script it has not loaded yet, and
	 * answers it with {@code NOSCRIPT} once it is back: the claim never ran, so the grant
	 * is still there for the next request, once.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/export", "/api/transfer" })
	void anOperationThatNeedsAFreshAuthenticationIsNotServedWhileRedisDoesNotAnswerItsClaim(String path)
			throws IOException {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
		Response during = this.browser.getAllowingCut(path, TestBrowser.JSON);
		assertUnavailable(during);
		command("CLIENT UNPAUSE");
		AbstractSessionStoreIntegrationTests.assertServed(this.browser.get(path, TestBrowser.JSON));
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get(path, TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
	}

	/**
	 * Redis holds the claim of a script it has loaded, and runs it once it is back: the
	 * grant is spent, unserved, and the user steps up again.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/export", "/api/transfer" })
	void aClaimThatRedisRanOnceBackSpendsTheGrantUnserved(String path) throws IOException {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		AbstractSessionStoreIntegrationTests.assertServed(this.browser.get(path, TestBrowser.JSON));
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
		assertUnavailable(this.browser.getAllowingCut(path, TestBrowser.JSON));
		command("CLIENT UNPAUSE");
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get(path, TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		AbstractSessionStoreIntegrationTests.assertServed(this.browser.get(path, TestBrowser.JSON));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/export", "/api/transfer" })
	void aClaimThatNeverReachedTheStoreLeavesTheGrantForTheNextRequest(String path) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		nextClaim.set("lost");
		assertNotServed(this.browser.getAllowingCut(path, TestBrowser.JSON));
		AbstractSessionStoreIntegrationTests.assertServed(this.browser.get(path, TestBrowser.JSON));
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get(path, TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/export", "/api/transfer" })
	void aClaimThatTheStoreRanWithoutAnsweringSpendsTheGrantUnserved(String path) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		nextClaim.set("unanswered");
		assertNotServed(this.browser.getAllowingCut(path, TestBrowser.JSON));
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get(path, TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
	}

	/**
	 * A privileged path reached by a forward from an ordinary path claims the grant at
	 * the forward: a claim that Redis holds is answered as the outage, never served, and
	 * the grant stays for the next request, once.
	 */
	@Test
	void aPrivilegedPathReachedByAForwardIsNotServedWhileRedisDoesNotAnswerItsClaim() throws IOException {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
		assertUnavailable(this.browser.getAllowingCut("/api/forward-to-transfer", TestBrowser.JSON));
		command("CLIENT UNPAUSE");
		assertTransferred(this.browser.get("/api/forward-to-transfer", TestBrowser.JSON));
		assertNotServed(this.browser.get("/api/forward-to-transfer", TestBrowser.JSON));
	}

	/**
	 * Spring Session saves the session before an include and before an error response
	 * ({@code sendError}): with Redis holding writes, that save fails before the
	 * privileged path is reached, so its grant is never claimed. The request is not
	 * served (a {@code 500}: a save's failure, not a lookup's), and the grant stays for
	 * the next request, once.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/include-transfer", "/api/locked" })
	void aPrivilegedPathThatAnIncludeOrAnErrorPageWouldReachIsNotServedWhenTheSaveBeforeItFails(String path)
			throws IOException {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
		assertNotServed(this.browser.getAllowingCut(path, TestBrowser.JSON));
		command("CLIENT UNPAUSE");
		assertTransferred(this.browser.get(path, TestBrowser.JSON));
		assertNotServed(this.browser.get(path, TestBrowser.JSON));
	}

	/**
	 * A privileged path reached by a forward, an include or as an error page claims the
	 * grant in that dispatch: a claim that never reached the store is answered as the
	 * outage, and the grant stays for the next request, once.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/forward-to-transfer", "/api/include-transfer", "/api/locked" })
	void aPrivilegedPathReachedByAnotherDispatchWhoseClaimNeverReachedTheStoreLeavesTheGrantUnserved(String path) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		nextClaim.set("lost");
		assertUnavailable(this.browser.getAllowingCut(path, TestBrowser.JSON));
		assertTransferred(this.browser.get(path, TestBrowser.JSON));
		assertNotServed(this.browser.get(path, TestBrowser.JSON));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/forward-to-transfer", "/api/include-transfer", "/api/locked" })
	void aPrivilegedPathReachedByAnotherDispatchWhoseClaimTheStoreRanWithoutAnsweringSpendsTheGrantUnserved(
			String path) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		nextClaim.set("unanswered");
		assertUnavailable(this.browser.getAllowingCut(path, TestBrowser.JSON));
		assertNotServed(this.browser.get(path, TestBrowser.JSON));
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		assertTransferred(this.browser.get(path, TestBrowser.JSON));
	}

	/**
	 * An application that handles the failed claim itself (the privileged step is
	 * optional) answers its request; the claim never reached Redis, so the grant is still
	 * there for the next request, once.
	 */
	@Test
	void aClaimThatNeverReachedTheStoreAndThatTheApplicationHandledLeavesTheGrantForTheNextRequest() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		nextClaim.set("lost");
		Response handled = this.browser.get("/api/export-if-possible", TestBrowser.JSON);
		assertThat(handled.status()).as("%s", handled).isEqualTo(200);
		assertThat(handled.body()).contains("not exported");
		AbstractSessionStoreIntegrationTests.assertServed(this.browser.get("/api/export", TestBrowser.JSON));
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get("/api/export", TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
	}

	private static void assertNotServed(Response response) {
		assertThat(response.status()).as("%s", response).isNotEqualTo(200);
		assertThat(response.body()).doesNotContain("\"name\":\"user\"", "exported", "transferred");
	}

	private static void assertTransferred(Response response) {
		assertThat(response.status()).as("%s", response).isIn(200, 423);
		assertThat(response.body()).contains("transferred 10");
	}

	private static void assertUnavailable(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(503);
		assertThat(response.body()).contains("\"status\":503")
			.doesNotContain("\"name\":\"user\"", "exported", "transferred");
		assertThat(response.header("Cache-Control")).contains("no-store");
	}

	private static void command(String command) throws IOException {
		EmbeddedRedis.command(port, command);
	}

}
