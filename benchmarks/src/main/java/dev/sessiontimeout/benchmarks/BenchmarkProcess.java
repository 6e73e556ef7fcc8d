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
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * One JVM running the {@link BenchmarkApplication}, with the starter enabled or disabled,
 * and the session it signed in with.
 *
 * @author session-timeout
 */
final class BenchmarkProcess implements AutoCloseable {

	private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]+)\"");

	private final String name;

	private final boolean enabled;

	private final String instance;

	private final int port;

	private final Process process;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private @Nullable String sessionCookie;

	private BenchmarkProcess(String name, boolean enabled, String instance, int port, Process process, Path log) {
		this.name = name;
		this.enabled = enabled;
		this.instance = instance;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start the application in a new JVM on a free port.
	 * @param name {@code enabled} or {@code disabled}, for messages and the log file
	 * @param enabled the value of {@code session-timeout.enabled}
	 * @param instance the process's {@code benchmark.instance}
	 * @param jvmOptions the JVM's options, such as the heap size
	 * @param applicationArguments more Spring Boot arguments (the profile, the store)
	 * @param logDirectory where its output goes
	 * @return the process, starting
	 * @throws IOException if the JVM cannot be started
	 */
	static BenchmarkProcess start(String name, boolean enabled, String instance, List<String> jvmOptions,
			List<String> applicationArguments, Path logDirectory) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(BenchmarkApplication.class.getName());
		command.add("--server.port=" + port);
		command.add("--session-timeout.enabled=" + enabled);
		command.add("--benchmark.instance=" + instance);
		command.addAll(applicationArguments);
		Files.createDirectories(logDirectory);
		Path log = logDirectory.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new BenchmarkProcess(name, enabled, instance, port, process, log);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	String name() {
		return this.name;
	}

	boolean enabled() {
		return this.enabled;
	}

	String instance() {
		return this.instance;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	Path log() {
		return this.log;
	}

	String sessionCookie() {
		if (this.sessionCookie == null) {
			throw new IllegalStateException(this.name + ": not signed in");
		}
		return this.sessionCookie;
	}

	/**
	 * Return the id of the session: Spring Session's cookie holds it in Base64.
	 * @return the session id
	 */
	String sessionId() {
		return new String(Base64.getDecoder().decode(sessionCookie()), StandardCharsets.UTF_8);
	}

	/**
	 * Wait until the application answers.
	 * @param timeout how long at most
	 * @throws InterruptedException if interrupted while waiting
	 */
	void awaitReady(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + ": the application exited with " + this.process.exitValue()
						+ "; see " + this.log + ":\n" + tail());
			}
			try {
				if (get("/login", "text/html", null).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(
				this.name + ": no answer within " + timeout.toSeconds() + "s; see " + this.log + ":\n" + tail());
	}

	/**
	 * Sign in as {@code user}, as a browser does: the login page for the CSRF token and a
	 * session, then the form, keeping the session cookie the login gives.
	 * @throws IOException if a request fails
	 * @throws InterruptedException if interrupted while waiting
	 */
	void login() throws IOException, InterruptedException {
		HttpResponse<String> page = get("/login", "text/html", null);
		String cookie = sessionCookieOf(page);
		Matcher input = CSRF_INPUT.matcher(page.body());
		Matcher token = input.find() ? VALUE.matcher(input.group()) : null;
		if (page.statusCode() != 200 || cookie == null || token == null || !token.find()) {
			throw new IllegalStateException(this.name + ": GET /login answered " + page.statusCode()
					+ " without a session cookie or CSRF token:\n" + page.body());
		}
		String form = "username=user&password=password&_csrf="
				+ URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> login = this.http.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.header("Cookie", "SESSION=" + cookie)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		String location = login.headers().firstValue("Location").orElse("");
		String signedIn = sessionCookieOf(login);
		if (login.statusCode() != 302 || location.contains("error")) {
			throw new IllegalStateException(
					this.name + ": POST /login answered " + login.statusCode() + " to '" + location + "'");
		}
		this.sessionCookie = (signedIn != null) ? signedIn : cookie;
		checkSession();
	}

	/**
	 * Fail unless the session still signs the user in.
	 * @throws IOException if the request fails
	 * @throws InterruptedException if interrupted while waiting
	 */
	void checkSession() throws IOException, InterruptedException {
		HttpResponse<String> me = get("/api/me", "application/json", sessionCookie());
		if (me.statusCode() != 200 || !me.body().contains("\"user\"")) {
			throw new IllegalStateException(this.name + ": GET /api/me answered " + me.statusCode() + " " + me.body()
					+ ": the session is no longer signed in; the run is invalid");
		}
	}

	/**
	 * Send {@code GET} with the session cookie.
	 * @param path the path
	 * @param accept the {@code Accept} header
	 * @param cookie the session cookie, {@code null} for none
	 * @return the response
	 * @throws IOException if the request fails
	 * @throws InterruptedException if interrupted while waiting
	 */
	HttpResponse<String> get(String path, String accept, @Nullable String cookie)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", accept);
		if (cookie != null) {
			request.header("Cookie", "SESSION=" + cookie);
		}
		return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static @Nullable String sessionCookieOf(HttpResponse<?> response) {
		for (String header : response.headers().allValues("Set-Cookie")) {
			if (header.startsWith("SESSION=")) {
				int end = header.indexOf(';');
				String value = header.substring("SESSION=".length(), (end >= 0) ? end : header.length());
				return value.isEmpty() ? null : value;
			}
		}
		return null;
	}

	/**
	 * Return the CPU time the JVM used so far, user and system, in clock ticks: of the
	 * whole process and of each {@link Threads group of its threads}. A thread that ended
	 * since takes its ticks out of its group (never out of the whole), so a group's
	 * difference between two readings can only undercount.
	 * @return the ticks
	 * @throws IOException if {@code /proc} cannot be read
	 */
	CpuTicks cpuTicks() throws IOException {
		long total = ticksOf(Files.readString(Path.of("/proc", Long.toString(pid()), "stat")));
		long[] threads = new long[Threads.values().length];
		List<Path> tasks;
		try (Stream<Path> listed = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
			tasks = listed.toList();
		}
		for (Path task : tasks) {
			String stat;
			try {
				stat = Files.readString(task.resolve("stat"));
			}
			catch (NoSuchFileException ex) {
				// The thread ended since the listing
				continue;
			}
			Threads group = Threads.named(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
			if (group != null) {
				threads[group.ordinal()] += ticksOf(stat);
			}
		}
		return new CpuTicks(total, threads);
	}

	private static long ticksOf(String stat) {
		// After the command name in parentheses: state is field 3, utime 14, stime 15
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Ask the JVM to stop, without waiting.
	 */
	void destroy() {
		this.process.destroy();
	}

	/**
	 * Stop the JVM, forcibly if it does not stop within 20 seconds.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The threads whose CPU time the comparison tells apart, by the name the kernel keeps
	 * of a thread (its first 15 characters).
	 */
	enum Threads {

		/**
		 * Tomcat's: its request threads ({@code http-nio-<port>-exec-<n>}) and those of
		 * its sockets (poller, acceptor); a JDBC store's statements run on the request
		 * threads.
		 */
		TOMCAT("Tomcat (requests, sockets)", "http-nio-"),

		/**
		 * Lettuce's event loops and timer: the Redis client's I/O, encoding and decoding.
		 */
		REDIS_CLIENT("Redis client (Lettuce)", "lettuce-"),

		/**
		 * The JIT compiler's threads.
		 */
		JIT_COMPILER("JIT compiler", "C1 CompilerThre", "C2 CompilerThre"),

		/**
		 * The garbage collector's threads (G1's).
		 */
		GARBAGE_COLLECTOR("garbage collector", "GC Thread", "G1 ");

		private final String description;

		private final List<String> prefixes;

		Threads(String description, String... prefixes) {
			this.description = description;
			this.prefixes = List.of(prefixes);
		}

		String description() {
			return this.description;
		}

		static @Nullable Threads named(String name) {
			for (Threads threads : values()) {
				for (String prefix : threads.prefixes) {
					if (name.startsWith(prefix)) {
						return threads;
					}
				}
			}
			return null;
		}

	}

	/**
	 * CPU time of a process so far, in clock ticks.
	 *
	 * @param total of the whole process
	 * @param threads of each {@link Threads group of threads}, by ordinal
	 */
	record CpuTicks(long total, long[] threads) {

		CpuTicks since(CpuTicks earlier) {
			long[] threads = new long[this.threads.length];
			for (int i = 0; i < threads.length; i++) {
				threads[i] = this.threads[i] - earlier.threads[i];
			}
			return new CpuTicks(this.total - earlier.total, threads);
		}

		long of(Threads group) {
			return this.threads[group.ordinal()];
		}

	}

}
