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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A TCP proxy in front of a Redis server that counts the commands crossing the wire (RESP
 * arrays from clients), so that tests can compare the round trips two applications make
 * without relying on client internals.
 */
public final class RedisCommandCounter implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final String upstreamHost;

	private final int upstreamPort;

	private final List<String> commands = new ArrayList<>();

	private final List<Socket> sockets = new ArrayList<>();

	public RedisCommandCounter(String upstreamHost, int upstreamPort) throws IOException {
		this.upstreamHost = upstreamHost;
		this.upstreamPort = upstreamPort;
		this.serverSocket = new ServerSocket(0);
		Thread acceptor = new Thread(this::accept, "redis-command-counter");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * Return the commands seen since the last call, and forget them.
	 * @return the command names, upper case, in order
	 */
	public synchronized List<String> drain() {
		List<String> drained = List.copyOf(this.commands);
		this.commands.clear();
		return drained;
	}

	private synchronized void record(String command) {
		this.commands.add(command);
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket client = this.serverSocket.accept();
				Socket upstream = new Socket(this.upstreamHost, this.upstreamPort);
				synchronized (this.sockets) {
					this.sockets.add(client);
					this.sockets.add(upstream);
				}
				pump("redis-counter-up", client.getInputStream(), upstream.getOutputStream(), true);
				pump("redis-counter-down", upstream.getInputStream(), client.getOutputStream(), false);
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void pump(String name, InputStream in, OutputStream out, boolean count) {
		Thread thread = new Thread(() -> {
			RespCommandParser parser = new RespCommandParser();
			byte[] buffer = new byte[8192];
			try {
				int read;
				while ((read = in.read(buffer)) != -1) {
					if (count) {
						parser.feed(buffer, read).forEach(this::record);
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Connection closed
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		synchronized (this.sockets) {
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}
	}

	/**
	 * Splits a client's byte stream into RESP commands: arrays of bulk strings.
	 */
	static final class RespCommandParser {

		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		List<String> feed(byte[] bytes, int length) {
			this.pending.write(bytes, 0, length);
			byte[] data = this.pending.toByteArray();
			List<String> parsed = new ArrayList<>();
			int position = 0;
			while (true) {
				int end = command(data, position, parsed);
				if (end < 0) {
					break;
				}
				position = end;
			}
			this.pending.reset();
			this.pending.write(data, position, data.length - position);
			return parsed;
		}

		private static int command(byte[] data, int start, List<String> parsed) {
			int lineEnd = lineEnd(data, start);
			if (lineEnd < 0 || data[start] != '*') {
				return -1;
			}
			int count = Integer.parseInt(new String(data, start + 1, lineEnd - start - 1, StandardCharsets.US_ASCII));
			int position = lineEnd + 2;
			String name = null;
			for (int i = 0; i < count; i++) {
				int headerEnd = lineEnd(data, position);
				if (headerEnd < 0) {
					return -1;
				}
				int size = Integer
					.parseInt(new String(data, position + 1, headerEnd - position - 1, StandardCharsets.US_ASCII));
				int bodyStart = headerEnd + 2;
				if (bodyStart + size + 2 > data.length) {
					return -1;
				}
				if (i == 0) {
					name = new String(data, bodyStart, size, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
				}
				position = bodyStart + size + 2;
			}
			parsed.add(name);
			return position;
		}

		private static int lineEnd(byte[] data, int start) {
			for (int i = start; i + 1 < data.length; i++) {
				if (data[i] == '\r' && data[i + 1] == '\n') {
					return i;
				}
			}
			return -1;
		}

	}

}
