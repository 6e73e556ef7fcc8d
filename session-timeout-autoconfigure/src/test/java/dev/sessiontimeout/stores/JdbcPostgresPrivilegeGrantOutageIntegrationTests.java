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
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.PostgresServers;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TcpProxy;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one use of a {@code maxAge = "0"} grant on Spring Session's JDBC store, with
 * PostgreSQL behind a TCP proxy that the test cuts (every connection closed, new ones
 * refused) just before the request's claim, after the request read its session: the
 * claim's {@code DELETE} never runs, the request gets the {@code 503} problem of a store
 * that does not answer, not served, and once the database is back the grant serves the
 * next request, once.
 */
class JdbcPostgresPrivilegeGrantOutageIntegrationTests {

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	private static final int POOL_SIZE = 2;

	@ParameterizedTest
	@ValueSource(strings = { "/api/export", "/api/transfer" })
	void anOperationThatNeedsAFreshAuthenticationIsNotServedWhileTheDatabaseDoesNotAnswerItsClaim(String path)
			throws Exception {
		PostgresServers.Database database = PostgresServers.newSchema();
		URI server = URI.create(database.url().substring("jdbc:".length()));
		AtomicBoolean cutBeforeNextClaim = new AtomicBoolean();
		try (TcpProxy proxy = new TcpProxy(server.getHost(), (server.getPort() != -1) ? server.getPort() : 5432);
				ConfigurableApplicationContext application = new SpringApplicationBuilder(StoreTestApplication.class)
					.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
							"session-timeout.privileged.max-age=0", "session-timeout.privileged.paths=/api/transfer",
							"spring.datasource.url=" + database.url()
								.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port()),
							"spring.datasource.username=" + database.user(),
							"spring.datasource.password=" + database.password(),
							"spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT.toMillis(),
							"spring.datasource.hikari.validation-timeout=1000",
							"spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
							"spring.session.jdbc.initialize-schema=always",
							"logging.level.org.springframework.transaction.support.TransactionTemplate=off",
							"spring.autoconfigure.exclude="
									+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
									+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
					.initializers((context) -> ((GenericApplicationContext) context).registerBean("cuttingClaims",
							BeanPostProcessor.class, () -> new BeanPostProcessor() {

								@Override
								public Object postProcessAfterInitialization(Object bean, String beanName) {
									if (!(bean instanceof PrivilegeGrants grants)) {
										return bean;
									}
									return (PrivilegeGrants) (sessionId, grant) -> {
										if (cutBeforeNextClaim.getAndSet(false)) {
											try {
												proxy.cut();
											}
											catch (IOException ex) {
												throw new UncheckedIOException(ex);
											}
										}
										return grants.use(sessionId, grant);
									};
								}

							}))
					.run()) {
			application.getBean(MutableClock.class).fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) application).getWebServer().getPort());
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			cutBeforeNextClaim.set(true);
			Response during = browser.getAllowingCut(path, TestBrowser.JSON);
			assertThat(during.status()).as("%s", during).isEqualTo(503);
			assertThat(during.body()).contains("\"status\":503").doesNotContain("\"name\":\"user\"", "exported");
			proxy.restore();
			// Each connection the cut left in the pool fails one request, at once, and is
			// evicted; then the pool opens a new one
			Response after = browser.get(path, TestBrowser.JSON);
			for (int stale = 0; stale < POOL_SIZE && after.status() == 503; stale++) {
				after = browser.get(path, TestBrowser.JSON);
			}
			AbstractSessionStoreIntegrationTests.assertServed(after);
			AbstractSessionStoreIntegrationTests.assertProblem(browser.get(path, TestBrowser.JSON),
					ExpiryReason.PRIVILEGED);
		}
	}

}
