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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.RedisCluster;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The store tests on Spring Session's default {@code RedisSessionRepository} against a
 * Redis Cluster of three masters started for this class from the shipped Redis binary.
 * Every key the starter writes holds a single key, so it lands on whichever master owns
 * its hash slot; Spring Data Redis moves a renamed session (a new id at login) across
 * slots itself.
 */
class RedisClusterSessionStoreIntegrationTests extends RedisSessionStoreIntegrationTests {

	private static RedisCluster cluster;

	/**
	 * Start the cluster, to be stopped when the JVM exits: the test's application is
	 * closed after the class ({@code @DirtiesContext}), later than any {@code @AfterAll}
	 * method runs, and must not lose its nodes while it still runs.
	 */
	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start(3);
		Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
	}

	@DynamicPropertySource
	static void clusterProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", () -> cluster.nodes());
	}

	/**
	 * Log in until every master holds a session of this test, then show that each is
	 * served while its clocks run and ended, on whichever master, at its deadline.
	 */
	@Test
	void sessionsOnEveryMasterAreServedAndEndedByTheirClocks() {
		Map<RedisClusterNode, TestBrowser> browserOfMaster = new HashMap<>();
		try (RedisClusterConnection connection = this.context.getBean(RedisConnectionFactory.class)
			.getClusterConnection()) {
			assertThat(connection.clusterGetNodes()).hasSize(3);
			for (int login = 0; login < 60 && browserOfMaster.size() < 3; login++) {
				this.browser = new TestBrowser(this.port);
				assertThat(loginAsUser().status()).isEqualTo(302);
				byte[] key = expiringKey(currentSessionId()).getBytes(StandardCharsets.UTF_8);
				browserOfMaster.putIfAbsent(connection.clusterGetNodeForKey(key), this.browser);
			}
		}
		assertThat(browserOfMaster).as("masters holding a session").hasSize(3);
		this.clock.fixAt(this.start.plus(IDLE).minusMillis(1));
		browserOfMaster.values()
			.forEach((browser) -> assertThat(browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200));
		this.clock.fixAt(this.start.plus(IDLE).minusMillis(1).plus(IDLE));
		browserOfMaster.values()
			.forEach((browser) -> assertProblem(browser.get("/api/me", TestBrowser.JSON), ExpiryReason.IDLE));
	}

	@Test
	@Override
	void theStarterAddsNoRedisCommandToARequest() {
		abort("the command count is taken through a proxy in front of one Redis server; "
				+ "a cluster routes the same commands to the master of each key's slot");
	}

	@Test
	@Override
	void revokingAUserTakesRedisCommandsInProportionToThatUsersSessionsOnly() {
		abort("the command count is taken through a proxy in front of one Redis server; "
				+ "a cluster routes the same commands to the master of each key's slot");
	}

	@Override
	String[] secondInstanceProperties() {
		return Stream
			.concat(Arrays.stream(super.secondInstanceProperties()),
					Stream.of("spring.data.redis.cluster.nodes=" + cluster.nodes()))
			.toArray(String[]::new);
	}

}
