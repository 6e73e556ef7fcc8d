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
package dev.sessiontimeout.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.awaitility.Awaitility;
import redis.embedded.RedisServer;

import org.springframework.util.FileSystemUtils;

/**
 * A Redis Cluster of its own for a test: masters started from the Redis binary shipped in
 * the {@code embedded-redis} test dependency, each with {@code cluster-enabled yes} on a
 * free port, joined and given the 16,384 hash slots in equal ranges. That is what
 * {@code redis-cli --cluster create} does without replicas, done here with the same
 * {@code CLUSTER ADDSLOTS} and {@code CLUSTER MEET} commands because the dependency ships
 * no {@code redis-cli}.
 */
public final class RedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	/**
	 * Redis Cluster's bus port is the client port plus this offset (Redis 6 has no
	 * {@code cluster-port} setting), so both must be free.
	 */
	private static final int BUS_PORT_OFFSET = 10000;

	private final Path directory;

	private final List<Integer> ports = new ArrayList<>();

	private final List<RedisServer> servers = new ArrayList<>();

	private RedisCluster(Path directory) {
		this.directory = directory;
	}

	/**
	 * Start a cluster of masters and wait until every one of them reports the cluster
	 * {@code ok}, or fail or skip the test (see {@link StoreRequirement}) if the binary
	 * cannot run one.
	 * @param masters how many masters
	 * @return the running cluster
	 */
	public static RedisCluster start(int masters) {
		RedisCluster cluster = null;
		try {
			cluster = new RedisCluster(Files.createTempDirectory("session-timeout-redis-cluster"));
			for (int i = 0; i < masters; i++) {
				cluster.startNode();
			}
			cluster.join();
			System.out.println("Redis Cluster for the store tests: " + masters + " masters at " + cluster.nodes());
			return cluster;
		}
		catch (IOException | RuntimeException ex) {
			if (cluster != null) {
				cluster.close();
			}
			StoreRequirement.missing("Redis Cluster", "the shipped redis-server could not form a cluster: " + ex);
			throw new IllegalStateException("unreachable");
		}
	}

	/**
	 * Return the nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return the comma-separated {@code host:port} of every master
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	private void startNode() throws IOException {
		int port = freePortWithFreeBusPort();
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.setting("bind 127.0.0.1")
			.setting("cluster-enabled yes")
			.setting("cluster-config-file nodes-" + port + ".conf")
			.setting("cluster-node-timeout 5000")
			.setting("appendonly no")
			.setting("save \"\"")
			.setting("dir " + this.directory)
			.build();
		server.start();
		this.servers.add(server);
		this.ports.add(port);
	}

	private void join() {
		RedisClient client = RedisClient.create();
		List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
		try {
			for (int port : this.ports) {
				connections.add(client.connect(RedisURI.create("127.0.0.1", port)));
			}
			int masters = connections.size();
			for (int i = 0; i < masters; i++) {
				int from = SLOTS * i / masters;
				int to = SLOTS * (i + 1) / masters;
				connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
			}
			RedisCommands<String, String> first = connections.get(0).sync();
			for (int port : this.ports.subList(1, masters)) {
				first.clusterMeet("127.0.0.1", port);
			}
			Awaitility.await("every node of the cluster at " + nodes() + " reports cluster_state:ok")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> connections.stream()
					.allMatch((connection) -> connection.sync().clusterInfo().contains("cluster_state:ok")
							&& connection.sync().clusterInfo().contains("cluster_known_nodes:" + masters)));
		}
		finally {
			connections.forEach(StatefulRedisConnection::close);
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/**
	 * Stop every node and delete their files.
	 */
	@Override
	public void close() {
		for (RedisServer server : this.servers) {
			try {
				EmbeddedRedis.stop(server);
			}
			catch (RuntimeException ex) {
				// Stopping the others matters more; it was killed
				System.err.println(ex.getMessage());
			}
		}
		this.servers.clear();
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			// A temporary directory
		}
	}

	private static int freePortWithFreeBusPort() throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 50000);
			if (free(port) && free(port + BUS_PORT_OFFSET)) {
				return port;
			}
		}
		throw new IOException("no free port p with p + " + BUS_PORT_OFFSET + " free as well");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return socket.getLocalPort() == port;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
