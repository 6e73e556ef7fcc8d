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
package dev.sessiontimeout.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Runs {@code wrk} against {@code GET /api/me} of one application with its session cookie
 * and reads its summary.
 *
 * @author session-timeout
 */
final class Wrk {

	static final String INSTALL_HINT = "install it with: apt-get update && apt-get install -y wrk";

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h),");

	private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([\\d.]+)");

	private static final Pattern NOT_2XX_OR_3XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private static final Pattern LATENCY = Pattern.compile("Latency\\s+(\\S+)");

	private final String executable;

	private final int threads;

	private final int connections;

	Wrk(String executable, int threads, int connections) {
		this.executable = executable;
		this.threads = threads;
		this.connections = connections;
	}

	/**
	 * Check that {@code wrk} can be run.
	 * @return its version line
	 */
	String version() {
		try {
			Process process = new ProcessBuilder(this.executable, "-v").redirectErrorStream(true).start();
			String output = read(process.getInputStream());
			process.waitFor();
			String version = output.lines().findFirst().orElse("wrk").trim();
			int copyright = version.indexOf(" Copyright");
			return (copyright > 0) ? version.substring(0, copyright) : version;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run '" + this.executable + "' (" + ex.getMessage() + "); "
					+ INSTALL_HINT + ", or pass --wrk=/path/to/wrk", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * Load {@code GET /api/me} of an application for a while.
	 * @param port the application's port
	 * @param sessionCookie the value of the {@code SESSION} cookie
	 * @param duration how long
	 * @return the summary
	 * @throws IOException if wrk cannot be run
	 * @throws InterruptedException if interrupted while waiting for wrk
	 */
	Result run(int port, String sessionCookie, Duration duration) throws IOException, InterruptedException {
		List<String> command = List.of(this.executable, "-t" + this.threads, "-c" + this.connections,
				"-d" + duration.toSeconds() + "s", "--timeout", "10s", "-H", "Accept: application/json", "-H",
				"Cookie: SESSION=" + sessionCookie, "http://127.0.0.1:" + port + "/api/me");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = read(process.getInputStream());
		int exit = process.waitFor();
		if (exit != 0) {
			throw new IllegalStateException("wrk exited with " + exit + ":\n" + output);
		}
		return Result.parse(output);
	}

	private static String read(InputStream input) throws IOException {
		try (input) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/**
	 * What one wrk run reports.
	 *
	 * @param requests the requests completed
	 * @param requestsPerSecond the throughput
	 * @param latency the mean latency, as wrk prints it
	 * @param failedResponses responses that were neither 2xx nor 3xx
	 * @param socketErrors connect, read, write errors and timeouts, {@code null} if none
	 * @param output wrk's output
	 */
	record Result(long requests, double requestsPerSecond, String latency, long failedResponses,
			@Nullable String socketErrors, String output) {

		static Result parse(String output) {
			Matcher requests = find(REQUESTS, output, "the requests completed");
			Matcher perSecond = find(REQUESTS_PER_SECOND, output, "Requests/sec");
			Matcher latency = LATENCY.matcher(output);
			Matcher failed = NOT_2XX_OR_3XX.matcher(output);
			Matcher errors = SOCKET_ERRORS.matcher(output);
			return new Result(Long.parseLong(requests.group(1)), Double.parseDouble(perSecond.group(1)),
					latency.find() ? latency.group(1) : "?", failed.find() ? Long.parseLong(failed.group(1)) : 0,
					errors.find() ? errors.group() : null, output);
		}

		private static Matcher find(Pattern pattern, String output, String what) {
			Matcher matcher = pattern.matcher(output);
			if (!matcher.find()) {
				throw new IllegalStateException("No " + what + " in wrk's output:\n" + output);
			}
			return matcher;
		}

		/**
		 * Fail unless every response was a success and no socket failed.
		 * @param what which run this was, for the message
		 */
		void checkAllSucceeded(String what) {
			if (this.failedResponses > 0) {
				throw new IllegalStateException(what + ": " + this.failedResponses + " of " + this.requests
						+ " responses were not 2xx/3xx (the session expired or was logged out?);"
						+ " the run is invalid. wrk said:\n" + this.output);
			}
			if (this.socketErrors != null) {
				throw new IllegalStateException(
						what + ": " + this.socketErrors + "; the run is invalid. wrk said:\n" + this.output);
			}
			if (this.requests == 0) {
				throw new IllegalStateException(what + ": no request completed. wrk said:\n" + this.output);
			}
		}

	}

}
