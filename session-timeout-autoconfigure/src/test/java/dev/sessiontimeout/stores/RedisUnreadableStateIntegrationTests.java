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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.BoundedClose;
import dev.sessiontimeout.testsupport.EmbeddedRedis;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Foreign bytes in the starter's fields of a session's hash in Spring Session's default
 * Redis repository (a Redis server of this test's own), written behind the application's
 * back: never served, and never taken for Redis not answering.
 */
class RedisUnreadableStateIntegrationTests {

	private static final String NAMESPACE = "session-timeout-unreadable";

	private int port;

	private RedisServer server;

	private ConfigurableApplicationContext application;

	private TestBrowser browser;

	@BeforeEach
	void startRedisAndTheApplication() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.server = RedisServer.newRedisServer().port(this.port).setting("save \"\"").build();
		this.server.start();
		this.application = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"spring.session.data.redis.repository-type=default",
					"spring.session.data.redis.namespace=" + NAMESPACE, "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + this.port,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
		this.application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new TestBrowser(((WebServerApplicationContext) this.application).getWebServer().getPort());
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

	/**
	 * Bytes that Spring Session's serializer cannot decode in one of the starter's fields
	 * of the session's hash (written by something else, or cut short): Redis answers, so
	 * this is no outage; the session cannot be read back, so the request is not served
	 * and fails as it does without the starter, on every request of that session.
	 */
	@ParameterizedTest
	@CsvSource({ "dev.sessiontimeout,garbage", "dev.sessiontimeout,rO0ABXQ=", "dev.sessiontimeout,rO0ABXNyAAZGb3JlaWc=",
			"dev.sessiontimeout.privilegeGrant,garbage", "dev.sessiontimeout.challenge,garbage",
			"dev.sessiontimeout.revokedAt,garbage" })
	void aSessionWhoseStateCannotBeDecodedIsNotServedAndNotAnsweredAsAnOutage(String attribute, String value) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		String sessionId = new String(Base64.getDecoder().decode(this.browser.cookie("SESSION")),
				StandardCharsets.UTF_8);
		byte[] bytes = value.equals("garbage") ? "garbage".getBytes(StandardCharsets.UTF_8)
				: Base64.getDecoder().decode(value);
		try (var connection = this.application.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.hashCommands()
				.hSet((NAMESPACE + ":sessions:" + sessionId).getBytes(StandardCharsets.UTF_8),
						("sessionAttr:" + attribute).getBytes(StandardCharsets.UTF_8), bytes);
		}
		for (int i = 0; i < 2; i++) {
			Response response = this.browser.getAllowingCut("/api/me", TestBrowser.JSON);
			assertThat(response.status()).as("%s", response).isEqualTo(500);
			assertThat(response.body()).doesNotContain("\"name\":\"user\"", "does not answer");
		}
	}

	/**
	 * The starter's state that decodes, as text, but is not the starter's: the session is
	 * unreadable, ended as {@code invalid}.
	 */
	@ParameterizedTest
	@CsvSource({ "rO0ABXQABjM7Z2FyYg==" })
	void aSessionWhoseStateIsForeignTextEndsAsInvalid(String value) {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		String sessionId = new String(Base64.getDecoder().decode(this.browser.cookie("SESSION")),
				StandardCharsets.UTF_8);
		try (var connection = this.application.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.hashCommands()
				.hSet((NAMESPACE + ":sessions:" + sessionId).getBytes(StandardCharsets.UTF_8),
						"sessionAttr:dev.sessiontimeout".getBytes(StandardCharsets.UTF_8),
						Base64.getDecoder().decode(value));
		}
		AbstractSessionStoreIntegrationTests.assertProblem(this.browser.get("/api/me", TestBrowser.JSON),
				ExpiryReason.INVALID);
	}

}
