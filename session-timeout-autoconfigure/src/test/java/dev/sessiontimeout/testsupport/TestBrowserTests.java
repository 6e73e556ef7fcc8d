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
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TestBrowser}.
 *
 * @author session-timeout
 */
class TestBrowserTests {

	/**
	 * {@code HttpRequest.timeout} stops at the headers: a server that sends them and then
	 * never ends the body would hold the test thread without a bound.
	 */
	@Test
	void getWhenTheBodyNeverEndsThenFailsWithinTheBound() throws Exception {
		CountDownLatch done = new CountDownLatch(1);
		try (ServerSocket server = new ServerSocket(0)) {
			Thread answering = new Thread(() -> {
				try (Socket socket = server.accept()) {
					OutputStream out = socket.getOutputStream();
					out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nthe beginning"
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
					done.await(30, TimeUnit.SECONDS);
				}
				catch (IOException | InterruptedException ex) {
					// The test is over
				}
			});
			answering.setDaemon(true);
			answering.start();
			TestBrowser browser = new TestBrowser("http://127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(2));
			long started = System.nanoTime();
			assertThatIllegalStateException().isThrownBy(() -> browser.get("/report", TestBrowser.JSON))
				.havingCause()
				.withMessage("No whole answer to GET http://127.0.0.1:" + server.getLocalPort()
						+ "/report within 2 s (its body was not complete)");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
			assertThat(browser.getAllowingCut("/report", TestBrowser.JSON).status()).isZero();
		}
		finally {
			done.countDown();
		}
	}

}
