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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.RedisServers;
import dev.sessiontimeout.testsupport.RedisTestConnection;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Spring Session's default Redis repository without an absolute deadline, whose user
 * index the starter keeps: a session signed in by remember-me at the start of a request
 * that runs for minutes is saved only as that request ends, and a login of the same user
 * in between must not make the user's revocation miss it.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = StoreTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=-1", "session-timeout.idle=30m",
				"spring.session.data.redis.repository-type=default",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class RedisLongLoginRequestIntegrationTests {

	static final String NAMESPACE = "session-timeout-test-long-login:" + UUID.randomUUID();

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	UserSessions userSessions;

	@Autowired
	StoreTestApplication.Holds holds;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		RedisServers.register(registry, NAMESPACE);
	}

	@AfterAll
	static void deleteTheNamespace() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			connection.deleteKeys(NAMESPACE);
		}
	}

	@BeforeEach
	void fixClock() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	@Test
	void aSessionWhoseLoginRequestRunsForMinutesIsRevokedWithItsUsersSessions() throws Exception {
		TestBrowser first = new TestBrowser(this.port);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(first.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = first.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		TestBrowser slow = new TestBrowser(this.port);
		slow.setCookie("remember-me", rememberMe);
		this.holds.reset();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> held = executor.submit(() -> slow.get("/api/hold", TestBrowser.JSON));
			this.holds.awaitHeld();
			this.clock.shift(Duration.ofMinutes(2));
			TestBrowser other = new TestBrowser(this.port);
			assertThat(other.login("user", "password").location()).doesNotContain("error");
			this.holds.release();
			Response answer = held.get(60, TimeUnit.SECONDS);
			assertThat(answer.status()).as("%s", answer).isEqualTo(200);
		}
		finally {
			executor.shutdownNow();
		}
		String slowSession = slow.cookie("SESSION");
		assertThat(slowSession).as("the slow request's session cookie").isNotNull();
		assertThat(this.userSessions.revokeAll("user")).as("sessions revoked").isEqualTo(3);
		TestBrowser stolen = new TestBrowser(this.port);
		stolen.setCookie("SESSION", slowSession);
		Response answer = stolen.get("/api/me", TestBrowser.JSON);
		assertThat(answer.status()).as("%s", answer).isEqualTo(401);
		assertThat(answer.body()).contains("\"reason\":\"revoked\"");
	}

}
