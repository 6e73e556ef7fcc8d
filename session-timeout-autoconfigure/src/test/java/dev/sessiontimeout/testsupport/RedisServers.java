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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import redis.embedded.RedisServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Finds a Redis server for the tests: {@code SESSION_TIMEOUT_REDIS_HOST} /
 * {@code SESSION_TIMEOUT_REDIS_PORT} if set, else 127.0.0.1:6379 if a server answers
 * there, else a Redis binary shipped in the {@code embedded-redis} test dependency,
 * started once on a free port and stopped when the JVM exits.
 */
public final class RedisServers {

	private static Endpoint endpoint;

	private RedisServers() {
	}

	/**
	 * Return the Redis server to use, failing or skipping the test if there is none.
	 * @return the host and port
	 */
	public static synchronized Endpoint get() {
		if (endpoint == null) {
			endpoint = find();
			System.out.println("Redis for the store tests: " + endpoint.description());
		}
		return endpoint;
	}

	/**
	 * Point the application of a test at the Redis server of {@link #get()}, with Spring
	 * Session's keys in a namespace of the test's own.
	 * @param registry the test's dynamic properties
	 * @param namespace Spring Session's key namespace
	 */
	public static void register(DynamicPropertyRegistry registry, String namespace) {
		registry.add("spring.data.redis.host", () -> get().host());
		registry.add("spring.data.redis.port", () -> get().port());
		registry.add("spring.session.data.redis.namespace", () -> namespace);
	}

	private static Endpoint find() {
		String host = System.getenv().getOrDefault("SESSION_TIMEOUT_REDIS_HOST", "127.0.0.1");
		int port = Integer.parseInt(System.getenv().getOrDefault("SESSION_TIMEOUT_REDIS_PORT", "6379"));
		if (answersPing(host, port)) {
			return new Endpoint(host, port, "running at " + host + ":" + port);
		}
		try {
			int freePort = freePort();
			RedisServer server = new RedisServer(freePort);
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					EmbeddedRedis.stop(server);
				}
				catch (RuntimeException ex) {
					// The JVM is exiting; it was killed
					System.err.println(ex.getMessage());
				}
			}));
			if (answersPing("127.0.0.1", freePort)) {
				return new Endpoint("127.0.0.1", freePort, "embedded, started on port " + freePort);
			}
		}
		catch (IOException | RuntimeException ex) {
			StoreRequirement.missing("Redis",
					"no server answers at " + host + ":" + port + " and the embedded server failed to start: " + ex);
		}
		StoreRequirement.missing("Redis",
				"no server answers at " + host + ":" + port + " and the embedded server did not answer");
		throw new IllegalStateException("unreachable");
	}

	private static boolean answersPing(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[5];
			int read = in.readNBytes(answer, 0, 5);
			return read == 5 && "+PONG".equals(new String(answer, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Where a Redis server answers.
	 *
	 * @param host the host
	 * @param port the port
	 * @param description how it was found
	 */
	public record Endpoint(String host, int port, String description) {
	}

}
