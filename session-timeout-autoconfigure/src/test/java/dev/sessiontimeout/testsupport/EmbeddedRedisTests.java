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
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EmbeddedRedis}.
 *
 * @author session-timeout
 */
class EmbeddedRedisTests {

	@Test
	void stopWhenTheServerExitsOnSigtermThenStopsIt() throws IOException {
		RedisServer server = RedisServer.newRedisServer().port(freePort()).setting("save \"\"").build();
		server.start();
		Process process = EmbeddedRedis.processOf(server);
		EmbeddedRedis.stop(server, Duration.ofSeconds(10));
		assertThat(server.isActive()).isFalse();
		assertThat(process.isAlive()).isFalse();
	}

	/**
	 * A redis-server whose final save fails (its directory is gone) refuses
	 * {@code SIGTERM}: embedded-redis' own {@code stop()} would wait for it forever.
	 */
	@Test
	void stopWhenTheServerRefusesSigtermThenKillsItAndSaysWhy(@TempDir Path directory) throws IOException {
		Path data = Files.createDirectory(directory.resolve("data"));
		RedisServer server = RedisServer.newRedisServer()
			.port(freePort())
			.setting("save 3600 1")
			.setting("dir " + data)
			.build();
		server.start();
		Process process = EmbeddedRedis.processOf(server);
		try {
			FileSystemUtils.deleteRecursively(data);
			long started = System.nanoTime();
			assertThatIllegalStateException().isThrownBy(() -> EmbeddedRedis.stop(server, Duration.ofSeconds(2)))
				.withMessageContaining("did not exit within 2 s of SIGTERM, so it was killed")
				.withMessageContaining("final save fails");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(server.isActive()).isFalse();
			assertThat(process.isAlive()).isFalse();
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Test
	void stopWhenAlreadyStoppedThenDoesNothing() throws IOException {
		RedisServer server = RedisServer.newRedisServer().port(freePort()).setting("save \"\"").build();
		EmbeddedRedis.stop(server);
		assertThat(server.isActive()).isFalse();
	}

	@Test
	void commandThenReturnsTheFirstLineOfTheAnswer() throws IOException {
		RedisServer server = RedisServer.newRedisServer().port(freePort()).setting("save \"\"").build();
		server.start();
		try {
			assertThat(EmbeddedRedis.command(server.ports().get(0), "PING")).isEqualTo("+PONG");
			assertThat(EmbeddedRedis.command(server.ports().get(0), "NOSUCHCOMMAND")).startsWith("-ERR");
		}
		finally {
			EmbeddedRedis.stop(server);
		}
	}

	@Test
	void commandWhenTheServerDoesNotAnswerThenFailsWithinTheBound() throws IOException {
		try (ServerSocket silent = new ServerSocket(0)) {
			Thread acceptor = new Thread(() -> {
				try (Socket accepted = silent.accept()) {
					accepted.getInputStream().readAllBytes();
				}
				catch (IOException ex) {
					// Closed
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			assertThatIllegalStateException()
				.isThrownBy(() -> EmbeddedRedis.command(silent.getLocalPort(), "PING", Duration.ofSeconds(1)))
				.withMessage("The Redis server on port " + silent.getLocalPort() + " did not answer PING within 1 s");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
