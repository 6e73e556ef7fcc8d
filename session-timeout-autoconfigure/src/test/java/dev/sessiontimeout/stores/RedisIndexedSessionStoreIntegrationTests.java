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

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests on Spring Session's {@code RedisIndexedSessionRepository}, where the
 * {@code sessions:expires:} key carries the store's expiry (the session hash itself is
 * kept five minutes longer so that expiry events can carry its attributes; it is never
 * served after the expiry).
 */
@TestPropertySource(properties = "spring.session.data.redis.repository-type=indexed")
class RedisIndexedSessionStoreIntegrationTests extends AbstractRedisSessionStoreIntegrationTests {

	@Override
	boolean indexed() {
		return true;
	}

	@Override
	String[] secondInstanceProperties() {
		return new String[] { "server.port=0", "spring.session.data.redis.repository-type=indexed",
				"spring.session.data.redis.namespace=" + NAMESPACE, "spring.data.redis.host=" + redis().host(),
				"spring.data.redis.port=" + redis().port(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };
	}

	@Test
	void aSessionTheStoreExpiresOnItsOwnIsCountedAndAudited() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StoreTestApplication.class)
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=30m",
					"session-timeout.store-grace=0s", "spring.session.data.redis.repository-type=indexed",
					"spring.session.data.redis.namespace=" + NAMESPACE + "-store-expiry",
					"spring.data.redis.host=" + redis().host(), "spring.data.redis.port=" + redis().port(),
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run()) {
			MutableClock clock = context.getBean(MutableClock.class);
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			clock.fixAt(start);
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			clock.fixAt(start.plus(IDLE).minusMillis(1));
			assertThat(browser.get("/api/me", TestBrowser.JSON, "Session-Activity", "passive").status())
				.as("passive, so one second of store lifetime is left")
				.isEqualTo(200);
			RecordedEvents events = context.getBean(RecordedEvents.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(events.all()).singleElement().satisfies((event) -> {
					assertThat(event.getReason()).isEqualTo(ExpiryReason.IDLE);
					assertThat(event.getPrincipal()).isEqualTo("user");
					assertThat(event.getDeadline()).isEqualTo(start.plus(IDLE));
				}));
			assertThat(context.getBean(MeterRegistry.class)
				.get("session.timeout.expired")
				.tag("reason", "idle")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBean(AuditEventRepository.class).find("user", null, "SESSION_EXPIRED")).hasSize(1);
		}
	}

	/**
	 * SPEC section 8: one event per ended session. Every node subscribes to the store's
	 * expiry notifications, so a session the store expires on its own, with two nodes
	 * sharing it, must still be announced once in all, not once per node.
	 */
	@Test
	void aSessionTheStoreExpiresOnItsOwnIsAnnouncedOnceAcrossTwoNodes() {
		String namespace = NAMESPACE + "-two-nodes-expiry";
		try (ConfigurableApplicationContext first = storeExpiryNode(namespace);
				ConfigurableApplicationContext second = storeExpiryNode(namespace)) {
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			first.getBean(MutableClock.class).fixAt(start);
			second.getBean(MutableClock.class).fixAt(start);
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) first).getWebServer().getPort());
			assertThat(browser.login("user", "password").status()).isEqualTo(302);
			first.getBean(MutableClock.class).fixAt(start.plus(IDLE).minusMillis(1));
			assertThat(browser.get("/api/me", TestBrowser.JSON, "Session-Activity", "passive").status())
				.as("passive, so one second of store lifetime is left")
				.isEqualTo(200);
			RecordedEvents firstEvents = first.getBean(RecordedEvents.class);
			RecordedEvents secondEvents = second.getBean(RecordedEvents.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> firstEvents.all().size() + secondEvents.all().size() >= 1);
			Awaitility.await()
				.during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(firstEvents.all().size() + secondEvents.all().size())
					.as("events of the one expired session, on either node: first %s, second %s", firstEvents.all(),
							secondEvents.all())
					.isEqualTo(1));
		}
	}

	private ConfigurableApplicationContext storeExpiryNode(String namespace) {
		return new SpringApplicationBuilder(StoreTestApplication.class).properties("server.port=0",
				"session-timeout.absolute=2h", "session-timeout.idle=30m", "session-timeout.store-grace=0s",
				"spring.session.data.redis.repository-type=indexed", "spring.session.data.redis.namespace=" + namespace,
				"spring.data.redis.host=" + redis().host(), "spring.data.redis.port=" + redis().port(),
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	@Override
	String repositoryType() {
		return "indexed";
	}

	@Override
	String expiringKey(String sessionId) {
		return NAMESPACE + ":sessions:expires:" + sessionId;
	}

}
