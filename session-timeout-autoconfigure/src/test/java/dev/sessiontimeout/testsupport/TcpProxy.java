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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a local port that a test can cut, as a network failure would (every open
 * connection closed, new ones refused), and restore on the same port.
 *
 * @author session-timeout
 */
public final class TcpProxy implements AutoCloseable {

	private final String upstreamHost;

	private final int upstreamPort;

	private final int port;

	private final List<Socket> sockets = new ArrayList<>();

	private ServerSocket serverSocket;

	public TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
		this.upstreamHost = upstreamHost;
		this.upstreamPort = upstreamPort;
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.port = this.serverSocket.getLocalPort();
		listen();
	}

	public int port() {
		return this.port;
	}

	/**
	 * Close every connection and refuse new ones.
	 * @throws IOException on a failure to close
	 */
	public synchronized void cut() throws IOException {
		this.serverSocket.close();
		synchronized (this.sockets) {
			for (Socket socket : this.sockets) {
				socket.close();
			}
			this.sockets.clear();
		}
	}

	/**
	 * Accept connections again, on the same port.
	 * @throws IOException on a failure to listen
	 */
	public synchronized void restore() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		this.serverSocket = socket;
		listen();
	}

	private void listen() {
		ServerSocket listening = this.serverSocket;
		Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				Socket upstream = new Socket(this.upstreamHost, this.upstreamPort);
				synchronized (this.sockets) {
					this.sockets.add(client);
					this.sockets.add(upstream);
				}
				pump(client.getInputStream(), upstream.getOutputStream());
				pump(upstream.getInputStream(), client.getOutputStream());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void pump(InputStream in, OutputStream out) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Connection closed
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		cut();
	}

}
