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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.types.RedisClientInfo;

/**
 * Prints what a hang needs to be understood when a test times out waiting for an answer
 * (a {@code TimeoutException} anywhere in its failure): every thread's stack, and the
 * clients Redis sees with their flags and last command. Only prints; the test fails as it
 * would.
 *
 * @author session-timeout
 */
public class DiagnoseTimeouts implements TestExecutionExceptionHandler {

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		if (isTimeout(throwable)) {
			StringBuilder report = new StringBuilder("=== " + context.getDisplayName() + " timed out: threads ===\n");
			for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, 64)) {
				report.append(thread);
			}
			report.append("=== Redis clients ===\n").append(redisClients());
			System.out.println(report);
		}
		throw throwable;
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
				clients.forEach((client) -> text.append(client).append('\n'));
			}
			return text.toString();
		}
		catch (RuntimeException ex) {
			return "(not read: " + ex + ")";
		}
	}

}
