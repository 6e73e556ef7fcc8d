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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

import io.lettuce.core.resource.Delay;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter fails closed when Redis does not answer, within a bound: a Redis server of
 * this test's own (the binary the build ships, on a free port, with an append-only file)
 * is stopped, or paused with {@code CLIENT PAUSE}, while an application uses it. No
 * request is served as the signed-in user; the answer is a {@code 503} problem within one
 * client command timeout ({@code spring.data.redis.timeout}, here 1 second; before, a
 * {@code 500} after one timeout per store access of the request and its error page, three
 * timeouts); when Redis is back, the session works again with its deadlines unchanged.
 */
class RedisOutageIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * How long {@code CLIENT PAUSE} holds every client: well over one command timeout
	 * after the request that it is to hold is sent. Redis holds the test's own
	 * {@code CLIENT UNPAUSE} as well, so the pause always lasts this long.
	 */
	private static final Duration PAUSE = COMMAND_TIMEOUT.multipliedBy(3);

	/**
	 * How soon the client reconnects, well within a command timeout, so that the first
	 * request after Redis is back waits for the reconnection instead of failing.
	 */
	private static final Duration RECONNECT_DELAY = Duration.ofMillis(50);

	private static Path directory;

	private static int port;

	private static RedisServer server;

	private static ConfigurableApplicationContext application;

	/**
	 * Start the Redis server and the application once for the class: each test starts
	 * with a running server that holds no key, and its own browser and session.
	 */
	@BeforeAll
	static void startRedisAndTheApplication() throws IOException {
		directory = Files.createTempDirectory("session-timeout-redis-outage");
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = RedisServer.newRedisServer()
			.port(port)
			.setting("appendonly yes")
			.setting("appendfsync always")
			.setting("dir " + directory)
			.build();
		server.start();
		application = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"spring.session.data.redis.repository-type=default",
					"spring.session.data.redis.namespace=session-timeout-outage", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + port, "spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
					"spring.data.redis.connect-timeout=1s", "management.endpoints.web.exposure.include=sessiontimeouts",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.initializers((context) -> ((GenericApplicationContext) context).registerBean(
					ClientResourcesBuilderCustomizer.class,
					() -> (resources) -> resources.reconnectDelay(Delay.constant(RECONNECT_DELAY))))
			.run();
	}

	/**
	 * Bring Redis back if a test left it stopped, empty it of keys and scripts, as a new
	 * server would be, and let the application's holds and reports wait for this test's
	 * requests only.
	 */
	@BeforeEach
	void startWithARunningEmptyRedis() throws IOException {
		if (!server.isActive()) {
			server.start();
		}
		command("FLUSHALL");
		command("SCRIPT FLUSH");
		application.getBean(StoreTestApplication.Holds.class).reset();
		application.getBean(StoreTestApplication.Reports.class).reset();
		application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
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

	@ParameterizedTest
	@ValueSource(strings = { "stopped", "paused" })
	void noRequestIsServedWhileRedisDoesNotAnswerAndTheSessionWorksAgainAfter(String outage) throws Exception {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		Response before = browser.get("/api/me", TestBrowser.JSON);
		assertThat(before.status()).isEqualTo(200);
		String createdAt = AbstractSessionStoreIntegrationTests.jsonNumber(before, "createdAt");
		if (outage.equals("stopped")) {
			EmbeddedRedis.stop(server);
		}
		else {
			command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
		}
		long started = System.nanoTime();
		Response during = browser.getAllowingCut("/api/me", TestBrowser.JSON);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.out.println("Redis " + outage + ": answered " + during.status() + " in " + took.toMillis() + " ms");
		assertThat(during.status()).as("%s", during).isEqualTo(503);
		assertThat(during.body()).contains("\"status\":503").doesNotContain("\"name\":\"user\"");
		assertThat(took).as("one command timeout, not one per store access")
			.isLessThan(COMMAND_TIMEOUT.multipliedBy(2));
		if (outage.equals("stopped")) {
			server.start();
		}
		else {
			command("CLIENT UNPAUSE");
		}
		Response after = browser.get("/api/me", TestBrowser.JSON);
		assertThat(after.status()).as("%s", after).isEqualTo(200);
		assertThat(after.body()).contains("\"name\":\"user\"");
		assertThat(AbstractSessionStoreIntegrationTests.jsonNumber(after, "createdAt")).isEqualTo(createdAt);
	}

	@ParameterizedTest
	@ValueSource(strings = { "stopped", "paused" })
	void aDeferredResultWhoseStoreDoesNotAnswerAtItsDispatchGetsTheOutagesAnswer(String outage) throws Exception {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		String createdAt = AbstractSessionStoreIntegrationTests.jsonNumber(browser.get("/api/me", TestBrowser.JSON),
				"createdAt");
		StoreTestApplication.Reports reports = application.getBean(StoreTestApplication.Reports.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> report = executor.submit(() -> browser.getAllowingCut("/api/report", TestBrowser.JSON));
			reports.awaitRequest();
			if (outage.equals("stopped")) {
				EmbeddedRedis.stop(server);
			}
			else {
				command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
			}
			reports.complete("the numbers of user");
			Response during = report.get(60, TimeUnit.SECONDS);
			System.out.println("Redis " + outage + " at the dispatch of a deferred result: answered " + during);
			assertThat(during.status()).as("%s", during).isEqualTo(503);
			assertThat(during.body()).contains("\"status\":503").doesNotContain("the numbers");
		}
		finally {
			executor.shutdownNow();
		}
		if (outage.equals("stopped")) {
			server.start();
		}
		else {
			command("CLIENT UNPAUSE");
		}
		Response after = browser.get("/api/me", TestBrowser.JSON);
		assertThat(after.status()).as("%s", after).isEqualTo(200);
		assertThat(AbstractSessionStoreIntegrationTests.jsonNumber(after, "createdAt")).isEqualTo(createdAt);
	}

	/**
	 * A privileged method that runs on another thread ({@code @Async}, whose future the
	 * request waits for or answers with, or a {@code Callable} of Spring MVC's) asks the
	 * store about the session that served its request once the response check interval
	 * has passed since: when the store does not answer then, the method does not run and
	 * the request gets the outage's answer.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "stopped async", "paused async", "stopped async-service", "paused async-service",
			"stopped async-app-handles", "stopped future", "paused future", "stopped callable", "paused callable" })
	void aPrivilegedMethodOnAnotherThreadWhoseStoreDoesNotAnswerIsNotRunAndGetsTheOutagesAnswer(String outageAndCall)
			throws Exception {
		String outage = outageAndCall.substring(0, outageAndCall.indexOf(' '));
		String call = outageAndCall.substring(outageAndCall.indexOf(' ') + 1);
		String path = switch (call) {
			case "async" -> "/api/hold-and-transfer-async?throughTheService=false";
			case "async-service" -> "/api/hold-and-transfer-async?throughTheService=true";
			case "async-app-handles" -> "/api/hold-and-transfer-async?throughTheService=false&appHandles";
			case "future" -> "/api/hold-and-transfer-future";
			default -> "/api/hold-and-transfer-callable";
		};
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		String createdAt = AbstractSessionStoreIntegrationTests.jsonNumber(browser.get("/api/me", TestBrowser.JSON),
				"createdAt");
		StoreTestApplication.Holds holds = application.getBean(StoreTestApplication.Holds.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> transfer = executor.submit(() -> browser.getAllowingCut(path, TestBrowser.JSON));
			holds.awaitHeld();
			if (call.equals("callable") || call.equals("future")) {
				holds.awaitDispatched();
			}
			// Past the response check interval (10s), well within the privileged age
			application.getBean(MutableClock.class).shift(Duration.ofSeconds(11));
			if (outage.equals("stopped")) {
				EmbeddedRedis.stop(server);
			}
			else {
				command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
			}
			holds.release();
			Response during = transfer.get(60, TimeUnit.SECONDS);
			System.out.println("Redis " + outageAndCall + " at a privileged method on another thread: " + during);
			assertThat(during.status()).as("%s", during).isEqualTo(503);
			assertThat(during.body()).contains("\"status\":503").doesNotContain("transferred");
		}
		finally {
			executor.shutdownNow();
		}
		if (outage.equals("stopped")) {
			server.start();
		}
		else {
			command("CLIENT UNPAUSE");
		}
		Response after = browser.get("/api/me", TestBrowser.JSON);
		assertThat(after.status()).as("%s", after).isEqualTo(200);
		assertThat(AbstractSessionStoreIntegrationTests.jsonNumber(after, "createdAt")).isEqualTo(createdAt);
	}

	/**
	 * A privileged {@code @Async} method whose store did not answer, answered with as the
	 * future of a request, fails that request at its asynchronous dispatch as the outage,
	 * also if the store answers the dispatch's own look at the session again.
	 */
	@Test
	void aFutureThatFailsBecauseTheStoreDidNotAnswerAPrivilegedMethodGetsTheOutagesAnswerOnceTheStoreIsBack()
			throws Exception {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		StoreTestApplication.Holds holds = application.getBean(StoreTestApplication.Holds.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> transfer = executor
				.submit(() -> browser.getAllowingCut("/api/hold-and-transfer-future-later", TestBrowser.JSON));
			holds.awaitHeld();
			holds.awaitDispatched();
			application.getBean(MutableClock.class).shift(Duration.ofSeconds(11));
			EmbeddedRedis.stop(server);
			// Release the transfer, and hold its failure until the store is back
			holds.reset();
			holds.awaitHeld();
			server.start();
			holds.release();
			Response answer = transfer.get(60, TimeUnit.SECONDS);
			System.out.println("Redis back at the dispatch of a failed privileged future: " + answer);
			assertThat(answer.status()).as("%s", answer).isEqualTo(503);
			assertThat(answer.body()).contains("\"status\":503").doesNotContain("transferred");
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
	}

	/**
	 * A store that stops answering after a request was decided, before Spring Session's
	 * save of its session (at the end of the request, before its response is committed),
	 * fails that request: Tomcat's {@code 500}, and what the application produced never
	 * reaches the client. Nothing is left looser: a {@code maxAge = "0"} grant that the
	 * request used is spent in the store (the claim is a store command of its own, not
	 * part of the save), so no later request is served with it, and the session keeps its
	 * deadlines (the activity that was not written only ends it earlier).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "stopped", "paused" })
	void aSaveThatFailsAfterAPrivilegedOperationIsNotServedAndLeavesItsGrantSpent(String outage) throws Exception {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		String createdAt = AbstractSessionStoreIntegrationTests.jsonNumber(browser.get("/api/me", TestBrowser.JSON),
				"createdAt");
		StoreTestApplication.Holds holds = application.getBean(StoreTestApplication.Holds.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> export = executor
				.submit(() -> browser.getAllowingCut("/api/export-and-hold", TestBrowser.JSON));
			holds.awaitHeld();
			if (outage.equals("stopped")) {
				EmbeddedRedis.stop(server);
			}
			else {
				command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
			}
			holds.release();
			Response during = export.get(60, TimeUnit.SECONDS);
			System.out.println("Redis " + outage + " at the save after a privileged operation: " + during);
			assertThat(during.status()).as("%s", during).isEqualTo(500);
			assertThat(during.body()).doesNotContain("exported", "\"name\":\"user\"");
		}
		finally {
			executor.shutdownNow();
		}
		if (outage.equals("stopped")) {
			server.start();
		}
		else {
			command("CLIENT UNPAUSE");
		}
		AbstractSessionStoreIntegrationTests.assertProblem(browser.get("/api/export", TestBrowser.JSON),
				ExpiryReason.PRIVILEGED);
		Response after = browser.get("/api/me", TestBrowser.JSON);
		assertThat(after.status()).as("%s", after).isEqualTo(200);
		assertThat(AbstractSessionStoreIntegrationTests.jsonNumber(after, "createdAt")).isEqualTo(createdAt);
	}

	@Test
	void theEndpointAnswersARevocationOrListingThatRedisDoesNotAnswerWithA503AndReportsNoSessionRevoked()
			throws IOException {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		TestBrowser browser = new TestBrowser(applicationPort);
		assertThat(browser.login("user", "password").status()).isEqualTo(302);
		EmbeddedRedis.stop(server);
		Response revocation = new TestBrowser(applicationPort).delete("/actuator/sessiontimeouts/user");
		assertThat(revocation.status()).as("%s", revocation).isEqualTo(503);
		assertThat(revocation.body()).doesNotContain("\"revoked\"");
		Response listing = new TestBrowser(applicationPort).get("/actuator/sessiontimeouts/user", TestBrowser.JSON);
		assertThat(listing.status()).as("%s", listing).isEqualTo(503);
	}

	@Test
	void theEndpointAnswersARevocationWithoutAUserWithAClientError() {
		int applicationPort = ((WebServerApplicationContext) application).getWebServer().getPort();
		Response revocation = new TestBrowser(applicationPort).delete("/actuator/sessiontimeouts");
		assertThat(revocation.status()).as("%s", revocation).isBetween(400, 499);
		Response unknown = new TestBrowser(applicationPort).delete("/actuator/sessiontimeouts/nobody");
		assertThat(unknown.status()).as("%s", unknown).isEqualTo(200);
		assertThat(unknown.body()).contains("\"revoked\":[]");
	}

	private void command(String command) throws IOException {
		EmbeddedRedis.command(port, command);
	}

}
