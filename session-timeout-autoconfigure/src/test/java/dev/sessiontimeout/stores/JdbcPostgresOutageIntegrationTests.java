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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.PostgresServers;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TcpProxy;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter fails closed when PostgreSQL does not answer, within a bound: the
 * application reaches the server through a TCP proxy that the test cuts (every connection
 * closed, new ones refused) and restores. No request is served as the signed-in user; the
 * answer is a {@code 503} problem within the pool's connection timeout
 * ({@code spring.datasource.hikari.connection-timeout}, here 2 seconds); when the
 * database is back, the session works again with its deadlines unchanged.
 */
class JdbcPostgresOutageIntegrationTests {

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	private static final int POOL_SIZE = 2;

	@Test
	void noRequestIsServedWhilePostgresDoesNotAnswerAndTheSessionWorksAgainAfter() throws Exception {
		PostgresServers.Database database = PostgresServers.newSchema();
		URI server = URI.create(database.url().substring("jdbc:".length()));
		try (TcpProxy proxy = new TcpProxy(server.getHost(), (server.getPort() != -1) ? server.getPort() : 5432);
				ConfigurableApplicationContext application = new SpringApplicationBuilder(StoreTestApplication.class)
					.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
							"spring.datasource.url=" + database.url()
								.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port()),
							"spring.datasource.username=" + database.user(),
							"spring.datasource.password=" + database.password(),
							"spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT.toMillis(),
							"spring.datasource.hikari.validation-timeout=1000",
							"spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
							"spring.session.jdbc.initialize-schema=always",
							// Spring logs the rollback that the cut connection fails at
							// ERROR
							"logging.level.org.springframework.transaction.support.TransactionTemplate=off",
							"spring.autoconfigure.exclude="
									+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
									+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
					.run()) {
			application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) application).getWebServer().getPort());
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			Response before = browser.get("/api/me", TestBrowser.JSON);
			assertThat(before.status()).isEqualTo(200);
			String createdAt = AbstractSessionStoreIntegrationTests.jsonNumber(before, "createdAt");
			proxy.cut();
			long started = System.nanoTime();
			Response during = browser.getAllowingCut("/api/me", TestBrowser.JSON);
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			System.out.println("PostgreSQL cut: answered " + during.status() + " in " + took.toMillis() + " ms");
			assertThat(during.status()).as("%s", during).isEqualTo(503);
			assertThat(during.body()).doesNotContain("\"name\":\"user\"");
			assertThat(took).as("one connection timeout").isLessThan(CONNECTION_TIMEOUT.multipliedBy(2));
			proxy.restore();
			// Each connection the cut left in the pool fails one request, at once, and is
			// evicted; then the pool opens a new one
			Response after = browser.get("/api/me", TestBrowser.JSON);
			for (int stale = 0; stale < POOL_SIZE && after.status() == 503; stale++) {
				after = browser.get("/api/me", TestBrowser.JSON);
			}
			assertThat(after.status()).as("%s", after).isEqualTo(200);
			assertThat(after.body()).contains("\"name\":\"user\"");
			assertThat(AbstractSessionStoreIntegrationTests.jsonNumber(after, "createdAt")).isEqualTo(createdAt);
		}
	}

}
