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
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import redis.embedded.RedisInstance;
import redis.embedded.RedisServer;

/**
 * Stops, and talks to, the redis-server processes that tests start from the
 * {@code embedded-redis} binary, within a bound. {@link RedisServer#stop()} sends
 * {@code SIGTERM} and then waits for the process without a bound, and a redis-server
 * refuses {@code SIGTERM} when its final save fails ("Error trying to save the DB, can't
 * exit"), which would hang the test thread until CI's cut, with nothing in the log.
 *
 * @author session-timeout
 */
public final class EmbeddedRedis {

	/**
	 * How long a redis-server is given to exit after {@code SIGTERM}, and then after
	 * {@code SIGKILL}: it exits in milliseconds when it does.
	 */
	static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	/**
	 * How long {@link #command} waits to connect and for the answer: longer than any
	 * {@code CLIENT PAUSE} of the tests, which holds the answer of a
	 * {@code CLIENT UNPAUSE} sent during it.
	 */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

	private EmbeddedRedis() {
	}

	/**
	 * Stop a redis-server as {@link RedisServer#stop()} does, but kill it if it has not
	 * exited within {@link #STOP_TIMEOUT} of {@code SIGTERM}, and then fail: a test that
	 * stops Redis finds it stopped either way, and the failure says why it refused.
	 * @param server the server, stopped already or not
	 * @throws IllegalStateException if it had to be killed, or did not exit even then
	 */
	public static void stop(RedisServer server) {
		stop(server, STOP_TIMEOUT);
	}

	static void stop(RedisServer server, Duration timeout) {
		if (!server.isActive()) {
			return;
		}
		int port = server.ports().get(0);
		Process process = processOf(server);
		process.destroy();
		boolean exited = waitFor(process, timeout, port);
		if (!exited) {
			process.destroyForcibly();
			waitFor(process, timeout, port);
		}
		if (process.isAlive()) {
			throw new IllegalStateException("The redis-server on port " + port + " (pid " + process.pid()
					+ ") did not exit within " + timeout.toSeconds() + " s of SIGTERM, nor within "
					+ timeout.toSeconds() + " s of SIGKILL");
		}
		try {
			// Only marks it stopped: it waits for a process that has exited
			server.stop();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		if (!exited) {
			throw new IllegalStateException(
					"The redis-server on port " + port + " (pid " + process.pid() + ") did not exit within "
							+ timeout.toSeconds() + " s of SIGTERM, so it was killed: a redis-server "
							+ "refuses SIGTERM when its final save fails ('Error trying to save the DB, can't exit')");
		}
	}

	private static boolean waitFor(Process process, Duration timeout, int port) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping the redis-server on port " + port, ex);
		}
	}

	/**
	 * Return the process of a started server: embedded-redis (1.4.3) keeps it in a field
	 * of its own, with no accessor.
	 */
	static Process processOf(RedisServer server) {
		try {
			Field field = RedisInstance.class.getDeclaredField("process");
			field.setAccessible(true);
			return (Process) Objects.requireNonNull(field.get(server), "process");
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("Cannot reach the process of an embedded-redis server, to stop it within "
					+ "a bound (has embedded-redis changed?)", ex);
		}
	}

	/**
	 * Send one inline command to the Redis server on a local port and return the first
	 * line of its answer (for example {@code +OK}), failing if it does not answer within
	 * {@link #COMMAND_TIMEOUT}.
	 * @param port the server's port on 127.0.0.1
	 * @param command the command, for example {@code FLUSHALL}
	 * @return the first line of the answer, without its line end
	 * @throws IOException if the server cannot be reached
	 */
	public static String command(int port, String command) throws IOException {
		return command(port, command, COMMAND_TIMEOUT);
	}

	static String command(int port, String command, Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder answer = new StringBuilder();
			for (int read = in.read(); read != -1 && read != '\n'; read = in.read()) {
				if (read != '\r') {
					answer.append((char) read);
				}
			}
			return answer.toString();
		}
		catch (SocketTimeoutException ex) {
			throw new IllegalStateException("The Redis server on port " + port + " did not answer " + command
					+ " within " + timeout.toSeconds() + " s", ex);
		}
	}

}
