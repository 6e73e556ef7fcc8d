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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Closes what a test started (an application, whose close shuts down Tomcat gracefully
 * and Lettuce, whose {@code AbstractRedisClient.shutdown} and
 * {@code RedisChannelHandler.close} wait for futures without a bound, lettuce#2278)
 * within a bound: a close that does not end is left to go on in the background, with a
 * loud warning that shows where it waits, instead of hanging the test. What the test
 * checks was checked before its close, and a client's shutdown that never ends is not the
 * starter's; a close that fails still fails the test.
 *
 * @author session-timeout
 */
public final class BoundedClose {

	/**
	 * How long a close may take: well over the 30 seconds of a graceful shutdown's phase.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(90);

	private BoundedClose() {
	}

	/**
	 * Close within {@link #TIMEOUT}.
	 * @param closeable what to close
	 * @throws IllegalStateException if the close failed
	 */
	public static void close(AutoCloseable closeable) {
		close(closeable, TIMEOUT);
	}

	/**
	 * Close within the given time.
	 * @param closeable what to close
	 * @param timeout how long to wait for the close
	 * @return where the thread still closing waits, or {@code null} if the close ended
	 */
	static @Nullable Throwable close(AutoCloseable closeable, Duration timeout) {
		AtomicReference<Exception> failure = new AtomicReference<>();
		Thread closing = new Thread(() -> {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				failure.set(ex);
			}
		}, "bounded-close");
		closing.setDaemon(true);
		closing.start();
		try {
			closing.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while closing " + closeable, ex);
		}
		if (closing.isAlive()) {
			Throwable where = new Throwable("WARNING: closing " + closeable + " did not end within "
					+ timeout.toSeconds() + " s; left to go on in the background. Where it waits:");
			where.setStackTrace(closing.getStackTrace());
			where.printStackTrace(System.out);
			return where;
		}
		if (failure.get() != null) {
			throw new IllegalStateException("Closing " + closeable + " failed", failure.get());
		}
		return null;
	}

}
