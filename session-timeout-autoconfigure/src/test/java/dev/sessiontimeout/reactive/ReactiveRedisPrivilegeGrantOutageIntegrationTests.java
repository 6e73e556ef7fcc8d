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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.clientOf;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.getJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one use of a {@code maxAge = "0"} grant on WebFlux is never given without Redis'
 * yes: a Redis server of this test's own (the binary the build ships, on a free port)
 * pauses its writes ({@code CLIENT PAUSE ... WRITE}, which holds the claim's script but
 * lets the request read its session), and the request is answered with the {@code 503}
 * problem of a store that does not answer, as on servlet, not served; once Redis answers
 * again the grant is gone and the user steps up for the next such operation.
 */
class ReactiveRedisPrivilegeGrantOutageIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Longer than one command timeout, for the claim, and shorter than two, so that the
	 * save of the refused request's session, sent after the claim's timeout, is answered.
	 */
	private static final Duration PAUSE = COMMAND_TIMEOUT.plusSeconds(1);

	private int port;

	private RedisServer server;

	private ConfigurableApplicationContext application;

	@BeforeEach
	void startRedisAndTheApplication() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.server = RedisServer.newRedisServer().port(this.port).setting("save \"\"").build();
		this.server.start();
		this.application = new SpringApplicationBuilder(ReactiveStoreTestApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "session-timeout.privileged.max-age=0",
					"session-timeout.privileged.paths=/account/transfer",
					"spring.session.data.redis.repository-type=default",
					"spring.session.data.redis.namespace=session-timeout-grant-outage",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port,
					"spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
					"spring.data.redis.connect-timeout=1s", "management.endpoints.web.exposure.include=sessiontimeouts",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
		this.application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
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
	@ValueSource(strings = { "/account/export-once", "/account/transfer", "/account/export-once?appHandles" })
	void anOperationThatNeedsAFreshAuthenticationIsNotServedWhileRedisDoesNotAnswerItsClaim(String path)
			throws IOException {
		WebTestClient client = clientOf(this.application);
		String session = login(client, null);
		command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
		EntityExchangeResult<String> during = getJson(client, path, session);
		assertThat(during.getStatus().value()).as("%s", during).isEqualTo(503);
		assertThat(during.getResponseBody()).contains("\"status\":503").doesNotContain("alice");
		command("CLIENT UNPAUSE");
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(getJson(client, path, session),
				ExpiryReason.PRIVILEGED);
		AbstractReactiveSessionStoreIntegrationTests.assertServed(getJson(client, path, login(client, session)));
	}

	/**
	 * A privileged method that a request calls later, on another thread, claims the grant
	 * there: a claim that Redis holds is answered as the outage, never served; once Redis
	 * answers again, the grant serves at most one request.
	 */
	@Test
	void anOperationThatNeedsAFreshAuthenticationOnAnotherThreadIsNotServedWhileRedisDoesNotAnswerItsClaim()
			throws Exception {
		WebTestClient client = clientOf(this.application);
		String session = login(client, null);
		Gate gate = this.application.getBean(Gate.class);
		String path = "/account/export-once-elsewhere";
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> export = executor.submit(() -> getJson(client, path, session));
			gate.awaitArrival();
			command("CLIENT PAUSE " + PAUSE.toMillis() + " WRITE");
			gate.open();
			EntityExchangeResult<String> during = export.get(30, TimeUnit.SECONDS);
			assertThat(during.getStatus().value()).as("%s", during).isEqualTo(503);
			assertThat(during.getResponseBody()).contains("\"status\":503").doesNotContain("alice");
		}
		finally {
			executor.shutdownNow();
		}
		command("CLIENT UNPAUSE");
		int served = 0;
		for (int i = 0; i < 2; i++) {
			Future<EntityExchangeResult<String>> next = CompletableFuture
				.supplyAsync(() -> getJson(client, path, session));
			gate.awaitArrival();
			gate.open();
			EntityExchangeResult<String> after = next.get(30, TimeUnit.SECONDS);
			if (after.getStatus().value() == 200) {
				served++;
			}
			else {
				AbstractReactiveSessionStoreIntegrationTests.assertProblem(after, ExpiryReason.PRIVILEGED);
			}
		}
		assertThat(served).as("requests served with the grant").isLessThanOrEqualTo(1);
	}

	/**
	 * A store that stops answering after a request used its grant, at WebFlux's save of
	 * the session before the response is committed: the answer never reaches the client,
	 * the grant stays spent, and the session works again once Redis answers.
	 */
	@Test
	void aSaveThatFailsAfterAnOperationUsedTheGrantIsNotServedAndLeavesTheGrantSpent() throws Exception {
		WebTestClient client = clientOf(this.application);
		String session = login(client, null);
		Gate gate = this.application.getBean(Gate.class);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<String> export = executor.submit(() -> {
				try {
					EntityExchangeResult<String> result = getJson(client, "/account/export-once-later", session);
					return result.getStatus().value() + " " + result.getResponseBody();
				}
				catch (RuntimeException ex) {
					return "cut: " + ex;
				}
			});
			gate.awaitArrival();
			command("CLIENT PAUSE " + PAUSE.toMillis() + " ALL");
			gate.open();
			String during = export.get(30, TimeUnit.SECONDS);
			System.out.println("Redis paused at the save after the grant was used: " + during);
			assertThat(during).doesNotStartWith("200").doesNotContain("alice");
		}
		finally {
			executor.shutdownNow();
		}
		command("CLIENT UNPAUSE");
		AbstractReactiveSessionStoreIntegrationTests.assertProblem(getJson(client, "/account/export-once", session),
				ExpiryReason.PRIVILEGED);
		EntityExchangeResult<String> after = getJson(client, "/account", session);
		assertThat(after.getStatus().value()).as("%s", after).isEqualTo(200);
	}

	@Test
	void theEndpointAnswersARevocationOrListingThatRedisDoesNotAnswerWithA503AndReportsNoSessionRevoked()
			throws IOException {
		WebTestClient client = clientOf(this.application);
		login(client, null);
		EmbeddedRedis.stop(this.server);
		EntityExchangeResult<String> revocation = client.delete()
			.uri("/actuator/sessiontimeouts/alice")
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(revocation.getStatus().value()).as("%s", revocation).isEqualTo(503);
		assertThat(revocation.getResponseBody()).doesNotContain("\"revoked\"");
		EntityExchangeResult<String> listing = client.get()
			.uri("/actuator/sessiontimeouts/alice")
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(listing.getStatus().value()).as("%s", listing).isEqualTo(503);
	}

	private static String login(WebTestClient client, String session) {
		WebTestClient.RequestBodySpec request = client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML);
		if (session != null) {
			request.cookie(AbstractReactiveSessionStoreIntegrationTests.SESSION_COOKIE, session);
		}
		EntityExchangeResult<String> result = request
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(302);
		ResponseCookie cookie = result.getResponseCookies()
			.getFirst(AbstractReactiveSessionStoreIntegrationTests.SESSION_COOKIE);
		return (cookie != null) ? cookie.getValue() : Objects.requireNonNull(session);
	}

	private void command(String command) throws IOException {
		EmbeddedRedis.command(this.port, command);
	}

}
