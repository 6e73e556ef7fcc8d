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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.clientOf;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.getJson;
import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.loginAlice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On WebFlux as on servlet ({@code RedisUnreadableStateIntegrationTests}): foreign bytes
 * in the starter's fields of a session's hash in Spring Session's reactive Redis
 * repositories, default and indexed (a Redis server of this test's own, with one
 * application per repository type), written behind the application's back: never served,
 * and never taken for Redis not answering.
 */
class ReactiveRedisUnreadableStateIntegrationTests {

	private static final String NAMESPACE = "session-timeout-reactive-unreadable";

	private static final Map<String, ConfigurableApplicationContext> applications = new HashMap<>();

	private static RedisServer server;

	private static int port;

	private ConfigurableApplicationContext application;

	private WebTestClient client;

	@BeforeAll
	static void startRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = RedisServer.newRedisServer().port(port).setting("save \"\"").build();
		server.start();
	}

	/**
	 * Use the application of the repository type, started at its first test, each type in
	 * a namespace of its own; each test signs in with a session of its own.
	 */
	private void start(String repositoryType) {
		this.application = applications.computeIfAbsent(repositoryType,
				(type) -> new SpringApplicationBuilder(ReactiveStoreTestApplication.class).properties(
						"spring.main.web-application-type=reactive", "server.port=0", "session-timeout.absolute=2h",
						"session-timeout.idle=30m", "spring.session.data.redis.repository-type=" + type,
						"spring.session.data.redis.namespace=" + namespace(type), "spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + port,
						"spring.autoconfigure.exclude="
								+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
								+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
					.run());
		this.application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.client = clientOf(this.application);
	}

	private static String namespace(String repositoryType) {
		return NAMESPACE + "-" + repositoryType;
	}

	@AfterAll
	static void stop() throws IOException {
		applications.values().forEach(BoundedClose::close);
		applications.clear();
		if (server != null && server.isActive()) {
			EmbeddedRedis.stop(server);
		}
	}

	/**
	 * Bytes that Spring Session's serializer cannot decode in one of the starter's fields
	 * of the session's hash, or in the application's (Spring Security's context): Redis
	 * answers, so this is no outage; the session cannot be read back, so the request is
	 * not served and fails as it does without the starter ({@code 500}), on every request
	 * of that session.
	 */
	@ParameterizedTest
	@CsvSource({ "default,dev.sessiontimeout,garbage", "default,dev.sessiontimeout,rO0ABXQ=",
			"default,dev.sessiontimeout,rO0ABXNyAAZGb3JlaWc=", "default,dev.sessiontimeout.privilegeGrant,garbage",
			"default,dev.sessiontimeout.challenge,garbage", "default,dev.sessiontimeout.revokedAt,garbage",
			"indexed,dev.sessiontimeout,garbage", "indexed,dev.sessiontimeout,rO0ABXQ=",
			"indexed,dev.sessiontimeout,rO0ABXNyAAZGb3JlaWc=", "indexed,dev.sessiontimeout.privilegeGrant,garbage",
			"indexed,dev.sessiontimeout.challenge,garbage", "indexed,dev.sessiontimeout.revokedAt,garbage",
			"default,SPRING_SECURITY_CONTEXT,garbage", "indexed,SPRING_SECURITY_CONTEXT,rO0ABXQ=" })
	void aSessionWhoseStateCannotBeDecodedIsNotServedAndNotAnsweredAsAnOutage(String repositoryType, String attribute,
			String value) throws IOException {
		start(repositoryType);
		String session = loginAlice(this.client);
		assertThat(get(session).getStatus().value()).isEqualTo(200);
		byte[] bytes = value.equals("garbage") ? "garbage".getBytes(StandardCharsets.UTF_8)
				: Base64.getDecoder().decode(value);
		this.application.getBean(ReactiveRedisConnectionFactory.class)
			.getReactiveConnection()
			.hashCommands()
			.hSet(StandardCharsets.UTF_8.encode(namespace(repositoryType) + ":sessions:" + session),
					StandardCharsets.UTF_8.encode("sessionAttr:" + attribute), ByteBuffer.wrap(bytes))
			.block(Duration.ofSeconds(10));
		for (int i = 0; i < 2; i++) {
			EntityExchangeResult<String> response = get(session);
			assertThat(response.getStatus().value()).as("%s", response).isEqualTo(500);
			assertThat(String.valueOf(response.getResponseBody())).doesNotContain("balance of", "does not answer");
		}
	}

	private EntityExchangeResult<String> get(String session) {
		return getJson(this.client, "/api/balance", session);
	}

}
