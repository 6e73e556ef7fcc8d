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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.types.RedisClientInfo;

/**
 * Prints what a hang needs to be understood when a test times out waiting for an answer
 * (a {@code TimeoutException} anywhere in its failure): the requests the servers had not
 * answered yet ({@link InFlightRequests}), every thread's stack, and the clients Redis
 * sees with their flags and last command. A digest of it goes to
 * {@code target/timeout-reports}, which CI prints last when the build fails. Only
 * reports; the test fails as it would.
 *
 * @author session-timeout
 */
public class DiagnoseTimeouts implements TestExecutionExceptionHandler {

	/**
	 * Where the reports go, which CI prints when a build fails.
	 */
	static final Path REPORTS = Path.of("target", "timeout-reports");

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		if (isTimeout(throwable)) {
			report(context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName(), "timed out");
		}
		throw throwable;
	}

	/**
	 * Print the full report and write its digest.
	 * @param test the test that stopped waiting
	 * @param what what happened to it
	 */
	static void report(String test, String what) {
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, 64);
		String inFlight = InFlightRequests.describe();
		String clients = redisClients();
		StringBuilder report = new StringBuilder("=== " + test + " " + what + " ===\n");
		report.append("=== requests not answered yet ===\n").append(inFlight);
		report.append("=== threads ===\n");
		for (ThreadInfo thread : threads) {
			report.append(thread);
		}
		report.append("=== Redis clients ===\n").append(clients);
		System.out.println(report);
		writeDigest(test, what, inFlight, threads, clients);
	}

	/**
	 * Write the lines of the report that tell most in a few: the requests not answered,
	 * the threads at work (not waiting for work), and the Redis clients.
	 */
	private static void writeDigest(String test, String what, String inFlight, ThreadInfo[] threads, String clients) {
		StringBuilder digest = new StringBuilder("=== " + test + " " + what + " ===\nrequests not answered: ")
			.append(inFlight);
		for (ThreadInfo thread : threads) {
			StackTraceElement[] stack = thread.getStackTrace();
			if (stack.length > 0 && !isWaitingForWork(stack)) {
				digest.append("thread ")
					.append(thread.getThreadName())
					.append(' ')
					.append(thread.getThreadState())
					.append(": ")
					.append(Arrays.stream(stack).limit(4).map(String::valueOf).collect(Collectors.joining(" < ")))
					.append('\n');
			}
		}
		digest.append("Redis clients:\n").append(clients);
		try {
			Files.createDirectories(REPORTS);
			Files.writeString(REPORTS.resolve(test.replaceAll("[^A-Za-z0-9.]", "_") + ".txt"), digest,
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			System.out.println("The digest of the report was not written: " + ex);
		}
	}

	private static boolean isWaitingForWork(StackTraceElement[] stack) {
		String top = stack[0].getClassName() + "." + stack[0].getMethodName();
		String frames = Arrays.stream(stack).limit(8).map(String::valueOf).collect(Collectors.joining(" "));
		return top.contains("epollWait") || top.contains("EPoll.wait") || top.contains("accept")
				|| top.contains("socketRead") || top.equals("java.lang.Object.wait") || top.contains("Reference")
				|| (top.contains("park") && (frames.contains("getTask") || frames.contains("ScheduledThreadPool")
						|| frames.contains("ForkJoinPool") || frames.contains("DelayedWorkQueue")));
	}

	private static boolean isTimeout(Throwable throwable) {
		for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static String redisClients() {
		try (RedisTestConnection connection = new RedisTestConnection()) {
			List<RedisClientInfo> clients = connection.template()
				.execute((RedisCallback<List<RedisClientInfo>>) (redis) -> redis.serverCommands().getClientList());
			StringBuilder text = new StringBuilder();
			if (clients != null) {
				// What tells whether a client waits for Redis, or Redis for it
				clients.forEach(
						(client) -> text
							.append(Stream.of("id", "addr", "age", "idle", "flags", "cmd", "qbuf", "obl", "oll", "omem")
								.map((key) -> key + "=" + client.get(key))
								.collect(Collectors.joining(" ")))
							.append('\n'));
			}
			return text.toString();
		}
		catch (RuntimeException ex) {
			return "(not read: " + ex + ")";
		}
	}

}
