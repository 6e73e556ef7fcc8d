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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.Gate;
import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.clientOf;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.getJson;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.loginAlice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one privileged operation that an authentication allows with a maximum age of zero,
 * on two WebFlux nodes that share Spring Session's reactive Redis repositories: a request
 * to one node holds its copy of the session (with the grant, not saved yet) while another
 * request of the same session reaches the other node. Redis decides: exactly one of them
 * is served, for a {@code @RequiresPrivilegedSession(maxAge = "0")} method and for a
 * privileged path of a policy whose privileged age is zero alike.
 */
class ReactiveRedisPrivilegeGrantTwoNodesIntegrationTests {

	private static final String NAMESPACE = "session-timeout-reactive-grants:" + UUID.randomUUID();

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	@ParameterizedTest(name = "{0} repository, {1}")
	@CsvSource({ "default, /account/export-once-later", "default, /account/transfer-later",
			"indexed, /account/export-once-later", "indexed, /account/transfer-later" })
	void anOperationThatNeedsAFreshAuthenticationRunsOnceForParallelRequestsToTwoNodes(String repositoryType,
			String path) throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		try (ConfigurableApplicationContext first = node(repositoryType, now, "/account/transfer-later");
				ConfigurableApplicationContext second = node(repositoryType, now, "/account/transfer-later")) {
			String session = loginAlice(clientOf(first));
			CompletableFuture<EntityExchangeResult<String>> onFirst = CompletableFuture
				.supplyAsync(() -> getJson(clientOf(first), path, session));
			Gate firstGate = first.getBean(Gate.class);
			firstGate.awaitArrival();
			// The first node's request has its copy of the session, and has not saved it
			CompletableFuture<EntityExchangeResult<String>> onSecond = CompletableFuture
				.supplyAsync(() -> getJson(clientOf(second), path, session));
			Gate secondGate = second.getBean(Gate.class);
			while (!onSecond.isDone()) {
				if (secondGate.arrivedWithin(Duration.ofMillis(100))) {
					secondGate.open();
				}
			}
			EntityExchangeResult<String> secondResult = onSecond.get(30, TimeUnit.SECONDS);
			firstGate.open();
			EntityExchangeResult<String> firstResult = onFirst.get(30, TimeUnit.SECONDS);
			AbstractReactiveSessionStoreIntegrationTests.assertServed(firstResult);
			AbstractReactiveSessionStoreIntegrationTests.assertProblem(secondResult, ExpiryReason.PRIVILEGED);
		}
	}

	@ParameterizedTest(name = "{0} repository")
	@ValueSource(strings = { "default", "indexed" })
	void theChecksOfOneRequestShareTheOneUseOfItsGrant(String repositoryType) {
		// A privileged path whose handler calls the method
		try (ConfigurableApplicationContext node = node(repositoryType, Instant.now().truncatedTo(ChronoUnit.MILLIS),
				"/account/export-once")) {
			String session = loginAlice(clientOf(node));
			EntityExchangeResult<String> served = getJson(clientOf(node), "/account/export-once", session);
			AbstractReactiveSessionStoreIntegrationTests.assertServed(served);
			assertThat(served.getResponseBody()).contains("\"export\":\"alice\"");
			AbstractReactiveSessionStoreIntegrationTests
				.assertProblem(getJson(clientOf(node), "/account/export-once", session), ExpiryReason.PRIVILEGED);
		}
	}

	private static ConfigurableApplicationContext node(String repositoryType, Instant now, String privilegedPaths) {
		RedisServers.Endpoint redis = RedisServers.get();
		ConfigurableApplicationContext node = new SpringApplicationBuilder(ReactiveStoreTestApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
					"session-timeout.idle=30m", "session-timeout.privileged.max-age=0",
					"session-timeout.privileged.paths=" + privilegedPaths, "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "spring.session.data.redis.namespace=" + NAMESPACE,
					"spring.session.data.redis.repository-type=" + repositoryType,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
		node.getBean(MutableClock.class).fixAt(now);
		return node;
	}

}
