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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import ch.qos.logback.classic.Level;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import dev.sessiontimeout.benchmarks.BenchmarkProcess.Threads;

/**
 * Compares the same application with the starter enabled and disabled on the same session
 * store: starts the {@link BenchmarkApplication} twice, as two JVMs with the same
 * options, signs in once in each, warms each up, then runs {@code wrk} against
 * {@code GET /api/me} of each, in rounds, and prints, per round and as medians, the
 * throughput and the application's CPU time per request (from {@code /proc/<pid>/stat}),
 * the ratios enabled / disabled, and the bytes that the store holds of each process's
 * session. A response other than 2xx/3xx (or a socket error) fails the run: the session
 * must stay signed in throughout.
 * <p>
 * By default ({@code load=together}) both applications are loaded at the same time, each
 * by its own wrk, so that whatever else the machine (or its host) does at that moment
 * slows both alike: on a shared virtual machine this keeps the per-round ratio within a
 * few percent where loading them one after the other ({@code load=alternating}, the order
 * swapping every round) varies by ten percent or more between rounds.
 * <p>
 * Options, as {@code --name=value} arguments or {@code -Dbench.name=value} system
 * properties: {@code profile} ({@code redis-default}, {@code redis-indexed},
 * {@code jdbc-h2}, {@code jdbc-postgres}; default {@code redis-default}), {@code warmup}
 * (each application's, default {@code 60s}), {@code rounds} (default 8), {@code duration}
 * (of each wrk run, default {@code 20s}), {@code connections} (default 8),
 * {@code threads} (wrk's, default 2), {@code jvm-options} (of both applications, default
 * {@code -Xms512m -Xmx512m}), {@code redis-host}, {@code redis-port},
 * {@code postgres-url}, {@code postgres-user}, {@code postgres-password}, {@code wrk}
 * (its path), {@code log-dir} (the applications' output, default
 * {@code target/load-comparison}), {@code startup-timeout} (default {@code 180s}),
 * {@code load} ({@code together} or {@code alternating}), {@code against}
 * ({@code disabled}, or {@code enabled} for an A/A run: the starter enabled in both
 * applications, which shows how far the ratios of two identical applications stray on
 * this machine), {@code forks} (default 1: how many pairs of applications are started and
 * measured one after the other; two JVMs of one pair can differ by a few percent for as
 * long as they run, which only the median over pairs evens out).
 * {@code benchmarks/compare.sh} builds the class path and runs it.
 *
 * @author session-timeout
 */
public final class LoadComparison {

	/**
	 * The JVM option that turns on the probes between the application's servlet filters.
	 */
	static final String FILTER_SEGMENTS_OPTION = "-Dbenchmark.filter-segments=true";

	private static final String NAMESPACE_PREFIX = "session-timeout-benchmarks:";

	private final Options options;

	private final Wrk wrk;

	private LoadComparison(Options options) {
		this.options = options;
		this.wrk = new Wrk(options.wrk(), options.threads(), options.connections());
	}

	/**
	 * Run the comparison.
	 * @param args options as {@code --name=value}; see the class documentation
	 */
	public static void main(String[] args) {
		quietLogging();
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(Options.USAGE);
			System.exit(2);
			return;
		}
		try {
			new LoadComparison(options).run();
		}
		catch (IllegalStateException ex) {
			System.err.println();
			System.err.println("FAILED: " + ex.getMessage());
			System.exit(1);
		}
		catch (Exception ex) {
			System.err.println();
			System.err.println("FAILED:");
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void quietLogging() {
		if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
			root.setLevel(Level.WARN);
		}
	}

	private void run() throws Exception {
		String wrkVersion = this.wrk.version();
		long ticksPerSecond = clockTicksPerSecond();
		String run = UUID.randomUUID().toString().substring(0, 8);
		Path logs = Path.of(this.options.logDirectory(), this.options.profile() + "-" + run);
		System.out.printf(Locale.ROOT, "Load comparison on %s: %s, %d cores, Java %s, load average %s%n",
				this.options.profile(), wrkVersion, Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"), loadAverage());
		System.out.printf(Locale.ROOT,
				"wrk -t%d -c%d per application, loaded %s, GET /api/me; %swarm-up %ds each, %d rounds of %ds each;"
						+ " JVMs: %s; logs in %s%n",
				this.options.threads(), this.options.connections(),
				this.options.together() ? "together" : "one after the other", forksLabel(),
				this.options.warmup().toSeconds(), this.options.rounds(), this.options.duration().toSeconds(),
				String.join(" ", this.options.jvmOptions()), logs);
		List<List<Round>> forks = new ArrayList<>();
		for (int fork = 1; fork <= this.options.forks(); fork++) {
			if (this.options.forks() > 1) {
				System.out.printf(Locale.ROOT, "%n=== Pair %d of %d%n", fork, this.options.forks());
			}
			String id = (this.options.forks() > 1) ? run + "-" + fork : run;
			// Every other pair starts the second application first: a pair of JVMs can
			// differ by a few percent for as long as they run (how each one's code was
			// compiled, where the scheduler puts it), and neither application should
			// always be the first one started
			forks.add(runFork(id, (this.options.forks() > 1) ? logs.resolve("pair-" + fork) : logs, fork % 2 == 0,
					ticksPerSecond, fork == this.options.forks()));
		}
		if (forks.size() > 1) {
			summarizeForks(forks);
		}
		System.out.printf(Locale.ROOT, "%nLoad average at the end: %s%nReproduce with:%n  %s%n", loadAverage(),
				this.options.commandLine());
	}

	private String forksLabel() {
		return (this.options.forks() > 1) ? this.options.forks() + " pairs of JVMs one after the other, each: " : "";
	}

	/**
	 * Start a pair of applications, measure them and stop them.
	 * @return the measured rounds
	 */
	private List<Round> runFork(String run, Path logs, boolean baselineFirst, long ticksPerSecond,
			boolean printStoredBytes) throws Exception {
		// The second application: the starter disabled, or enabled too for a run that
		// shows how far two identical applications differ on this machine
		List<String> names = List.of("enabled", baselineName());
		Map<String, String> instances = new LinkedHashMap<>();
		Map<String, String> schemas = new LinkedHashMap<>();
		for (String name : names) {
			instances.put(name, "run-" + run + "-" + name);
			schemas.put(name, "session_timeout_bench_" + run.replace('-', '_') + "_" + name.replace('-', '_'));
		}
		if (isPostgres()) {
			createSchemas(schemas.values());
		}
		List<BenchmarkProcess> processes = new CopyOnWriteArrayList<>();
		Thread stopOnExit = new Thread(() -> processes.forEach(BenchmarkProcess::destroy));
		Runtime.getRuntime().addShutdownHook(stopOnExit);
		try {
			for (String name : baselineFirst ? List.of(names.get(1), names.get(0)) : names) {
				boolean enabled = name.equals("enabled") || this.options.againstEnabled();
				processes.add(BenchmarkProcess.start(name, enabled, instances.get(name), this.options.jvmOptions(),
						storeArguments(schemas.get(name)), logs));
			}
			BenchmarkProcess enabled = processes.get(baselineFirst ? 1 : 0);
			BenchmarkProcess disabled = processes.get(baselineFirst ? 0 : 1);
			for (BenchmarkProcess process : processes) {
				process.awaitReady(this.options.startupTimeout());
			}
			System.out.println();
			for (BenchmarkProcess process : List.of(enabled, disabled)) {
				process.login();
				System.out.printf(Locale.ROOT, "%-8s pid %d, port %d, signed in%n", process.name(), process.pid(),
						process.port());
			}
			warmUp(enabled, disabled);
			boolean segments = this.options.jvmOptions().contains(FILTER_SEGMENTS_OPTION);
			if (segments) {
				for (BenchmarkProcess process : processes) {
					filterSegments(process, true);
				}
			}
			List<Round> rounds = new ArrayList<>();
			System.out.printf(Locale.ROOT, "%n%-6s %-9s %10s %11s %9s %8s %8s %12s%n", "round", "app", "requests",
					"requests/s", "latency", "CPU s", "JIT s", "CPU us/req");
			for (int i = 1; i <= this.options.rounds(); i++) {
				List<BenchmarkProcess> order = (i % 2 == 1) ? List.of(enabled, disabled) : List.of(disabled, enabled);
				Map<BenchmarkProcess, Measurement> measured = measureRound(order, ticksPerSecond, "round " + i);
				for (BenchmarkProcess process : order) {
					Measurement measurement = measured.get(process);
					System.out.printf(Locale.ROOT, "%-6d %-9s %10d %11.1f %9s %8.2f %8.2f %12.1f%n", i, process.name(),
							measurement.requests(), measurement.requestsPerSecond(), measurement.latency(),
							measurement.cpuSeconds(), measurement.compilerSeconds(), measurement.cpuMicrosPerRequest());
				}
				Round round = new Round(measured.get(enabled), measured.get(disabled));
				rounds.add(round);
				System.out.printf(Locale.ROOT, "%-6s %s: throughput %.3f, CPU per request %.3f%n", "", ratioLabel(),
						round.throughputRatio(), round.cpuRatio());
			}
			summarize(rounds);
			if (segments) {
				printFilterSegments(enabled, disabled);
			}
			if (printStoredBytes) {
				printStoredBytes(enabled, disabled, schemas);
			}
			return rounds;
		}
		finally {
			for (BenchmarkProcess process : processes) {
				process.close();
			}
			try {
				Runtime.getRuntime().removeShutdownHook(stopOnExit);
			}
			catch (IllegalStateException ex) {
				// Already shutting down: the hook stops the processes
			}
			cleanUp(instances, schemas);
		}
	}

	private void warmUp(BenchmarkProcess enabled, BenchmarkProcess disabled) throws Exception {
		if (this.options.warmup().isZero()) {
			return;
		}
		Map<BenchmarkProcess, Measurement> measured = measureRound(List.of(enabled, disabled), 0, "warm-up",
				this.options.warmup());
		measured.forEach((process, measurement) -> System.out.printf(Locale.ROOT, "warm-up  %-8s %.1f requests/s%n",
				process.name(), measurement.requestsPerSecond()));
	}

	private Map<BenchmarkProcess, Measurement> measureRound(List<BenchmarkProcess> order, long ticksPerSecond,
			String what) throws Exception {
		return measureRound(order, ticksPerSecond, what, this.options.duration());
	}

	/**
	 * Load the applications of a round: at the same time, each by its own wrk, or one
	 * after the other in the given order.
	 */
	private Map<BenchmarkProcess, Measurement> measureRound(List<BenchmarkProcess> order, long ticksPerSecond,
			String what, Duration duration) throws Exception {
		Map<BenchmarkProcess, Measurement> measured = new LinkedHashMap<>();
		if (!this.options.together()) {
			for (BenchmarkProcess process : order) {
				measured.put(process, measure(process, duration, ticksPerSecond, what + ", " + process.name()));
			}
			return measured;
		}
		ExecutorService executor = Executors.newFixedThreadPool(order.size(), (task) -> {
			Thread thread = new Thread(task, "wrk-" + what);
			thread.setDaemon(true);
			return thread;
		});
		// Both wrk runs start together, so that neither application runs alone
		CountDownLatch start = new CountDownLatch(order.size());
		try {
			Map<BenchmarkProcess, Future<Measurement>> futures = new LinkedHashMap<>();
			for (BenchmarkProcess process : order) {
				futures.put(process, executor.submit(() -> {
					start.countDown();
					start.await();
					return measure(process, duration, ticksPerSecond, what + ", " + process.name());
				}));
			}
			Exception failure = null;
			for (Map.Entry<BenchmarkProcess, Future<Measurement>> entry : futures.entrySet()) {
				try {
					measured.put(entry.getKey(), entry.getValue().get());
				}
				catch (ExecutionException ex) {
					Exception cause = (ex.getCause() instanceof Exception exception) ? exception : ex;
					if (failure == null) {
						failure = cause;
					}
					else {
						failure.addSuppressed(cause);
					}
				}
			}
			if (failure != null) {
				throw failure;
			}
			return measured;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private Measurement measure(BenchmarkProcess process, Duration duration, long ticksPerSecond, String what)
			throws Exception {
		BenchmarkProcess.CpuTicks before = process.cpuTicks();
		Wrk.Result result = this.wrk.run(process.port(), process.sessionCookie(), duration);
		BenchmarkProcess.CpuTicks used = process.cpuTicks().since(before);
		result.checkAllSucceeded(what);
		process.checkSession();
		double secondsPerTick = (ticksPerSecond > 0) ? 1.0 / ticksPerSecond : 0;
		double[] threadSeconds = new double[Threads.values().length];
		for (Threads threads : Threads.values()) {
			threadSeconds[threads.ordinal()] = used.of(threads) * secondsPerTick;
		}
		return new Measurement(result.requests(), result.requestsPerSecond(), result.latency(),
				used.total() * secondsPerTick, threadSeconds);
	}

	private void summarize(List<Round> rounds) {
		double rpsOn = median(rounds, Round::enabled, Measurement::requestsPerSecond);
		double rpsOff = median(rounds, Round::disabled, Measurement::requestsPerSecond);
		double cpuOn = median(rounds, Round::enabled, Measurement::cpuMicrosPerRequest);
		double cpuOff = median(rounds, Round::disabled, Measurement::cpuMicrosPerRequest);
		System.out.printf(Locale.ROOT, "%nMedians over %d rounds (%s)%n", rounds.size(), this.options.profile());
		System.out.printf(Locale.ROOT, "  %-26s %10s %10s %8s%n", "", "enabled", baselineName(), ratioLabel());
		System.out.printf(Locale.ROOT, "  %-26s %10.1f %10.1f %8.3f%n", "requests/s", rpsOn, rpsOff, rpsOn / rpsOff);
		System.out.printf(Locale.ROOT, "  %-26s %10.1f %10.1f %8.3f%n", "app CPU us per request", cpuOn, cpuOff,
				cpuOn / cpuOff);
		double[] throughput = rounds.stream().mapToDouble(Round::throughputRatio).toArray();
		double[] cpu = rounds.stream().mapToDouble(Round::cpuRatio).toArray();
		System.out.printf(Locale.ROOT, "  median of the per-round ratios: throughput %.3f, CPU per request %.3f%n",
				median(throughput), median(cpu));
		System.out.printf(Locale.ROOT,
				"  middle half of the per-round ratios: throughput %.3f-%.3f, CPU per request %.3f-%.3f%n",
				quantile(throughput, 0.25), quantile(throughput, 0.75), quantile(cpu, 0.25), quantile(cpu, 0.75));
		// The same without the JIT compiler's threads: what is left of a warm-up that was
		// too short, and more of it where there is more code to compile
		double compilerOn = median(rounds, Round::enabled, Measurement::compilerSeconds);
		double compilerOff = median(rounds, Round::disabled, Measurement::compilerSeconds);
		double compiledOn = median(rounds, Round::enabled, Measurement::cpuMicrosPerRequestCompiled);
		double compiledOff = median(rounds, Round::disabled, Measurement::cpuMicrosPerRequestCompiled);
		double[] compiled = rounds.stream().mapToDouble(Round::compiledCpuRatio).toArray();
		System.out.printf(Locale.ROOT, "  %-26s %10.2f %10.2f%n", "JIT compiler CPU s a round", compilerOn,
				compilerOff);
		System.out.printf(Locale.ROOT, "  %-26s %10.1f %10.1f %8.3f%n", "CPU us per request, no JIT", compiledOn,
				compiledOff, compiledOn / compiledOff);
		System.out.printf(Locale.ROOT,
				"  without the JIT compiler's threads: median of the per-round ratios %.3f, middle half %.3f-%.3f%n",
				median(compiled), quantile(compiled, 0.25), quantile(compiled, 0.75));
		// Where the CPU time goes, by thread: the starter's own work runs on Tomcat's
		// request threads; a Redis store's I/O on Lettuce's
		System.out.printf(Locale.ROOT, "  %-28s %10s %10s %10s%n", "CPU us per request, by thread", "enabled",
				baselineName(), "difference");
		for (Threads threads : Threads.values()) {
			if (ran(rounds, threads)) {
				printThreadRow("  " + threads.description(), rounds,
						(measurement) -> measurement.threadMicrosPerRequest(threads));
			}
		}
		printThreadRow("  every other thread", rounds, Measurement::otherMicrosPerRequest);
	}

	/**
	 * Return whether a group of threads used any CPU time in the rounds: a Redis client's
	 * threads do not exist on a JDBC store.
	 */
	private static boolean ran(List<Round> rounds, Threads threads) {
		return rounds.stream()
			.anyMatch((round) -> round.enabled().threadSeconds()[threads.ordinal()] > 0
					|| round.disabled().threadSeconds()[threads.ordinal()] > 0);
	}

	private static void printThreadRow(String label, List<Round> rounds, ToDoubleFunction<Measurement> value) {
		double on = median(rounds, Round::enabled, value);
		double off = median(rounds, Round::disabled, value);
		System.out.printf(Locale.ROOT, "  %-28s %10.1f %10.1f %+10.1f%n", label, on, off, on - off);
	}

	/**
	 * Print the ratios of every pair of applications and their median: the figure that a
	 * difference between the two JVMs of one pair does not move.
	 */
	private void summarizeForks(List<List<Round>> forks) {
		System.out.printf(Locale.ROOT, "%n=== Over %d pairs of JVMs (%s, %s)%n", forks.size(), this.options.profile(),
				ratioLabel());
		System.out.printf(Locale.ROOT, "  %-6s %18s %18s %18s%n", "pair", "throughput", "CPU per request",
				"CPU, no JIT");
		double[] throughput = new double[forks.size()];
		double[] cpu = new double[forks.size()];
		double[] compiled = new double[forks.size()];
		for (int i = 0; i < forks.size(); i++) {
			Medians medians = Medians.of(forks.get(i));
			throughput[i] = medians.throughputRatio();
			cpu[i] = medians.cpuRatio();
			compiled[i] = medians.compiledCpuRatio();
			System.out.printf(Locale.ROOT, "  %-6d %18.3f %18.3f %18.3f%n", i + 1, throughput[i], cpu[i], compiled[i]);
		}
		System.out.printf(Locale.ROOT, "  %-6s %18.3f %18.3f %18.3f%n", "median", median(throughput), median(cpu),
				median(compiled));
		List<Round> all = forks.stream().flatMap(List::stream).toList();
		double[] roundCpu = all.stream().mapToDouble(Round::cpuRatio).toArray();
		double[] roundThroughput = all.stream().mapToDouble(Round::throughputRatio).toArray();
		System.out.printf(Locale.ROOT,
				"  all %d rounds: median of the per-round ratios: throughput %.3f, CPU per request %.3f;"
						+ " middle half: throughput %.3f-%.3f, CPU per request %.3f-%.3f%n",
				all.size(), median(roundThroughput), median(roundCpu), quantile(roundThroughput, 0.25),
				quantile(roundThroughput, 0.75), quantile(roundCpu, 0.25), quantile(roundCpu, 0.75));
		System.out.printf(Locale.ROOT, "  CPU us per request, by thread, %s (each pair's difference of its medians):%n",
				ratioLabel());
		printThreadDifferences("whole process", forks, Measurement::cpuMicrosPerRequest);
		for (Threads threads : Threads.values()) {
			if (ran(all, threads)) {
				printThreadDifferences(threads.description(), forks,
						(measurement) -> measurement.threadMicrosPerRequest(threads));
			}
		}
		printThreadDifferences("every other thread", forks, Measurement::otherMicrosPerRequest);
	}

	private static void printThreadDifferences(String label, List<List<Round>> forks,
			ToDoubleFunction<Measurement> value) {
		double[] differences = new double[forks.size()];
		StringBuilder pairs = new StringBuilder();
		for (int i = 0; i < forks.size(); i++) {
			List<Round> rounds = forks.get(i);
			differences[i] = median(rounds, Round::enabled, value) - median(rounds, Round::disabled, value);
			pairs.append((i > 0) ? ", " : "").append(String.format(Locale.ROOT, "%+.1f", differences[i]));
		}
		System.out.printf(Locale.ROOT, "    %-28s median %+7.1f  (pairs: %s)%n", label, median(differences), pairs);
	}

	private String baselineName() {
		return this.options.againstEnabled() ? "enabled-2" : "disabled";
	}

	private String ratioLabel() {
		return this.options.againstEnabled() ? "A/A" : "on/off";
	}

	private void printStoredBytes(BenchmarkProcess enabled, BenchmarkProcess disabled, Map<String, String> schemas)
			throws Exception {
		Map<String, StoredSessionBytes.@Nullable Report> reports = new LinkedHashMap<>();
		String where;
		if (isRedis()) {
			where = "Redis hash <namespace>:sessions:<id>";
			RedisClient client = redisClient();
			try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
				for (BenchmarkProcess process : List.of(enabled, disabled)) {
					reports.put(process.name(), StoredSessionBytes.redis(connection.sync(),
							NAMESPACE_PREFIX + process.instance(), process.sessionId()));
				}
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
		else if (isPostgres()) {
			where = "SPRING_SESSION_ATTRIBUTES, each process's schema";
			for (BenchmarkProcess process : List.of(enabled, disabled)) {
				String url = withSchema(this.options.postgresUrl(), schemas.get(process.name()));
				reports.put(process.name(), StoredSessionBytes.jdbc(StoredSessionBytes.jdbcAttributes(url,
						this.options.postgresUser(), this.options.postgresPassword(), process.sessionId())));
			}
		}
		else {
			where = "SPRING_SESSION_ATTRIBUTES of the in-memory H2 database, read by the application itself";
			for (BenchmarkProcess process : List.of(enabled, disabled)) {
				reports.put(process.name(), StoredSessionBytes.jdbc(h2Attributes(process)));
			}
		}
		System.out.printf(Locale.ROOT, "%nStored per signed-in session (%s)%n", where);
		System.out.printf(Locale.ROOT, "  %-40s %10s %10s%n", "", enabled.name(), disabled.name());
		printRow("starter attributes", reports, (report) -> (long) report.starter().size());
		printRow("starter bytes (names + values)", reports, StoredSessionBytes.Report::starterBytes);
		printRow(isRedis() ? "all hash fields" : "all attributes", reports, (report) -> (long) report.fields());
		printRow(isRedis() ? "all hash bytes (names + values)" : "all attribute bytes (names + values)", reports,
				StoredSessionBytes.Report::bytes);
		if (isRedis()) {
			printRow("Redis MEMORY USAGE of the key", reports, StoredSessionBytes.Report::memoryUsage);
		}
		StoredSessionBytes.Report on = reports.get("enabled");
		if (on != null) {
			for (StoredSessionBytes.Attribute attribute : on.starter()) {
				System.out.printf(Locale.ROOT, "    %-60s name %3d B, value %4d B%n", attribute.name(),
						attribute.nameBytes(), attribute.valueBytes());
			}
		}
	}

	private static void printRow(String label, Map<String, StoredSessionBytes.@Nullable Report> reports,
			Function<StoredSessionBytes.Report, @Nullable Long> value) {
		String[] cells = reports.values().stream().map((report) -> {
			Long number = (report != null) ? value.apply(report) : null;
			return (report == null) ? "no session" : (number != null) ? number.toString() : "-";
		}).toArray(String[]::new);
		System.out.printf(Locale.ROOT, "  %-40s %10s %10s%n", label, cells[0], cells[1]);
	}

	/**
	 * Print what the probes between the servlet filters measured in the rounds, per
	 * request, side by side (JVM option {@value #FILTER_SEGMENTS_OPTION}, see
	 * {@link FilterSegments}).
	 */
	private void printFilterSegments(BenchmarkProcess enabled, BenchmarkProcess disabled) throws Exception {
		Map<String, Object> first = filterSegments(enabled, false);
		Map<String, Object> second = filterSegments(disabled, false);
		System.out.printf(Locale.ROOT, "%nPer request of GET /api/me, between the servlet filters (thread CPU us,"
				+ " bytes allocated; %s / %s requests)%n", first.get("requests"), second.get("requests"));
		System.out.printf(Locale.ROOT, "  %-62s %20s %20s%n", "", enabled.name(), disabled.name());
		long[] totals = new long[2];
		double[] cpuTotals = new double[2];
		for (String segment : first.keySet()) {
			if (!(first.get(segment) instanceof Map<?, ?> one) || !(second.get(segment) instanceof Map<?, ?> two)) {
				continue;
			}
			long bytesOne = ((Number) one.get("bytes")).longValue();
			long bytesTwo = ((Number) two.get("bytes")).longValue();
			double cpuOne = ((Number) one.get("cpuMicros")).doubleValue();
			double cpuTwo = ((Number) two.get("cpuMicros")).doubleValue();
			totals[0] += bytesOne;
			totals[1] += bytesTwo;
			cpuTotals[0] += cpuOne;
			cpuTotals[1] += cpuTwo;
			System.out.printf(Locale.ROOT, "  %-62s %8.2f us %7d B %8.2f us %7d B%n", segment, cpuOne, bytesOne, cpuTwo,
					bytesTwo);
		}
		System.out.printf(Locale.ROOT, "  %-62s %8.2f us %7d B %8.2f us %7d B%n", "all", cpuTotals[0], totals[0],
				cpuTotals[1], totals[1]);
	}

	private Map<String, Object> filterSegments(BenchmarkProcess process, boolean reset) throws Exception {
		String path = FilterSegments.PATH + (reset ? "?reset=true" : "");
		HttpResponse<String> response = process.get(path, "application/json", process.sessionCookie());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					process.name() + ": " + path + " answered " + response.statusCode() + " " + response.body());
		}
		return JsonMapper.builder().build().readValue(response.body(), new TypeReference<Map<String, Object>>() {
		});
	}

	private Map<String, Integer> h2Attributes(BenchmarkProcess process) throws Exception {
		HttpResponse<String> response = process.get(StoredAttributesController.PATH, "application/json",
				process.sessionCookie());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(process.name() + ": " + StoredAttributesController.PATH + " answered "
					+ response.statusCode() + " " + response.body());
		}
		return JsonMapper.builder().build().readValue(response.body(), new TypeReference<Map<String, Integer>>() {
		});
	}

	private List<String> storeArguments(String schema) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--spring.profiles.active=" + this.options.profile());
		if (isRedis()) {
			arguments.add("--spring.data.redis.host=" + this.options.redisHost());
			arguments.add("--spring.data.redis.port=" + this.options.redisPort());
		}
		if (isPostgres()) {
			arguments.add("--spring.datasource.url=" + withSchema(this.options.postgresUrl(), schema));
			arguments.add("--spring.datasource.username=" + this.options.postgresUser());
			arguments.add("--spring.datasource.password=" + this.options.postgresPassword());
		}
		return arguments;
	}

	private static String withSchema(String url, String schema) {
		return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	private void createSchemas(Iterable<String> schemas) throws SQLException {
		try (Connection connection = postgres(); Statement statement = connection.createStatement()) {
			for (String schema : schemas) {
				statement.execute("CREATE SCHEMA " + schema);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create the schemas on " + this.options.postgresUrl() + " as "
					+ this.options.postgresUser() + ": " + ex.getMessage(), ex);
		}
	}

	private Connection postgres() throws SQLException {
		DriverManager.setLoginTimeout(5);
		return DriverManager.getConnection(this.options.postgresUrl(), this.options.postgresUser(),
				this.options.postgresPassword());
	}

	private void cleanUp(Map<String, String> instances, Map<String, String> schemas) {
		try {
			if (isRedis()) {
				RedisClient client = redisClient();
				try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
					for (String instance : instances.values()) {
						deleteKeys(connection.sync(), NAMESPACE_PREFIX + instance + ":*");
					}
				}
				finally {
					client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
				}
			}
			if (isPostgres()) {
				try (Connection connection = postgres(); Statement statement = connection.createStatement()) {
					for (String schema : schemas.values()) {
						statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
					}
				}
			}
		}
		catch (RuntimeException | SQLException ex) {
			System.err.println("Could not clean up the store: " + ex.getMessage());
		}
	}

	private static void deleteKeys(RedisCommands<byte[], byte[]> redis, String pattern) {
		ScanArgs match = ScanArgs.Builder.matches(pattern).limit(1000);
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<byte[]> keys = redis.scan(cursor, match);
			if (!keys.getKeys().isEmpty()) {
				redis.del(keys.getKeys().toArray(new byte[0][]));
			}
			cursor = keys;
		}
		while (!cursor.isFinished());
	}

	private RedisClient redisClient() {
		return RedisClient
			.create(RedisURI.builder().withHost(this.options.redisHost()).withPort(this.options.redisPort()).build());
	}

	private boolean isRedis() {
		return this.options.profile().startsWith("redis-");
	}

	private boolean isPostgres() {
		return this.options.profile().equals("jdbc-postgres");
	}

	private static long clockTicksPerSecond() throws IOException, InterruptedException {
		Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
		String output = new String(getconf.getInputStream().readAllBytes()).trim();
		if (getconf.waitFor() != 0) {
			throw new IllegalStateException("getconf CLK_TCK failed: " + output);
		}
		return Long.parseLong(output);
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/**
	 * Return a quantile of the values, interpolated between the two nearest.
	 */
	static double quantile(double[] values, double q) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		double position = q * (sorted.length - 1);
		int below = (int) Math.floor(position);
		int above = Math.min(below + 1, sorted.length - 1);
		return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
	}

	/**
	 * Return the median of a value of one application's measurements over the rounds.
	 */
	static double median(List<Round> rounds, Function<Round, Measurement> application,
			ToDoubleFunction<Measurement> value) {
		return median(rounds.stream().map(application).mapToDouble(value).toArray());
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * One measured wrk run.
	 *
	 * @param requests the requests completed
	 * @param requestsPerSecond the throughput
	 * @param latency wrk's mean latency
	 * @param cpuSeconds the application's CPU time during the run
	 * @param threadSeconds the CPU time during the run of each {@link Threads group of
	 * its threads}, by ordinal
	 */
	record Measurement(long requests, double requestsPerSecond, String latency, double cpuSeconds,
			double[] threadSeconds) {

		double cpuMicrosPerRequest() {
			return this.cpuSeconds * 1_000_000 / this.requests;
		}

		double compilerSeconds() {
			return this.threadSeconds[Threads.JIT_COMPILER.ordinal()];
		}

		/**
		 * Return the CPU time per request of every thread but the JIT compiler's: the
		 * cost of a request once the code it runs is compiled.
		 */
		double cpuMicrosPerRequestCompiled() {
			return (this.cpuSeconds - compilerSeconds()) * 1_000_000 / this.requests;
		}

		double threadMicrosPerRequest(Threads threads) {
			return this.threadSeconds[threads.ordinal()] * 1_000_000 / this.requests;
		}

		/**
		 * Return the CPU time per request of the threads of no {@link Threads group}, and
		 * of threads that ended during the run.
		 */
		double otherMicrosPerRequest() {
			double other = this.cpuSeconds;
			for (double seconds : this.threadSeconds) {
				other -= seconds;
			}
			return other * 1_000_000 / this.requests;
		}

	}

	/**
	 * One round: a run of each application.
	 *
	 * @param enabled the application with the starter
	 * @param disabled the application without
	 */
	record Round(Measurement enabled, Measurement disabled) {

		double throughputRatio() {
			return this.enabled.requestsPerSecond() / this.disabled.requestsPerSecond();
		}

		double cpuRatio() {
			return this.enabled.cpuMicrosPerRequest() / this.disabled.cpuMicrosPerRequest();
		}

		double compiledCpuRatio() {
			return this.enabled.cpuMicrosPerRequestCompiled() / this.disabled.cpuMicrosPerRequestCompiled();
		}

	}

	/**
	 * The ratios of the medians of one pair's rounds, enabled / disabled.
	 *
	 * @param throughputRatio of the requests per second
	 * @param cpuRatio of the CPU time per request
	 * @param compiledCpuRatio of the CPU time per request without the JIT compiler's
	 */
	record Medians(double throughputRatio, double cpuRatio, double compiledCpuRatio) {

		static Medians of(List<Round> rounds) {
			return new Medians(ratio(rounds, Measurement::requestsPerSecond),
					ratio(rounds, Measurement::cpuMicrosPerRequest),
					ratio(rounds, Measurement::cpuMicrosPerRequestCompiled));
		}

		private static double ratio(List<Round> rounds, ToDoubleFunction<Measurement> value) {
			return median(rounds, Round::enabled, value) / median(rounds, Round::disabled, value);
		}

	}

	/**
	 * The options of a comparison.
	 *
	 * @param profile the store profile
	 * @param warmup each application's warm-up
	 * @param rounds how many rounds
	 * @param duration each wrk run's duration
	 * @param connections wrk's connections
	 * @param threads wrk's threads
	 * @param jvmOptions both applications' JVM options
	 * @param redisHost the Redis host
	 * @param redisPort the Redis port
	 * @param postgresUrl the PostgreSQL database, as a JDBC URL
	 * @param postgresUser the PostgreSQL user
	 * @param postgresPassword the PostgreSQL password
	 * @param wrk the wrk executable
	 * @param logDirectory where the applications' output goes
	 * @param startupTimeout how long the applications may take to start
	 * @param together whether both applications are loaded at the same time
	 * @param againstEnabled whether the second application has the starter enabled too
	 * @param forks how many pairs of applications are started and measured, one pair
	 * after the other
	 */
	record Options(String profile, Duration warmup, int rounds, Duration duration, int connections, int threads,
			List<String> jvmOptions, String redisHost, int redisPort, String postgresUrl, String postgresUser,
			String postgresPassword, String wrk, String logDirectory, Duration startupTimeout, boolean together,
			boolean againstEnabled, int forks) {

		static final String USAGE = """
				Usage: benchmarks/compare.sh [--name=value ...] (or -Dbench.name=value)
				  --profile=redis-default    redis-default, redis-indexed, jdbc-h2 or jdbc-postgres
				  --warmup=60s               warm-up of each application
				  --rounds=8                 measured rounds; the order enabled/disabled alternates
				  --duration=20s             each wrk run
				  --connections=8            wrk connections
				  --threads=2                wrk threads
				  --jvm-options='-Xms512m -Xmx512m'  JVM options of both applications
				  --redis-host=127.0.0.1 --redis-port=6379
				  --postgres-url=jdbc:postgresql://127.0.0.1:5432/test --postgres-user=postgres --postgres-password=
				  --wrk=wrk                  the wrk executable
				  --log-dir=target/load-comparison  the applications' output
				  --startup-timeout=180s
				  --load=together            together (both loaded at once, each by its own wrk) or
				                             alternating (one after the other, the order swapping)
				  --against=disabled         the second application: the starter disabled, or
				                             enabled too (an A/A run: how far two identical
				                             applications differ on this machine)
				  --forks=1                  pairs of applications started and measured one
				                             after the other, each with the warm-up and rounds
				                             above; their ratios and the median of them""";

		private static final Map<String, String> DEFAULTS = defaults();

		private static Map<String, String> defaults() {
			Map<String, String> defaults = new LinkedHashMap<>();
			defaults.put("profile", "redis-default");
			defaults.put("warmup", "60s");
			defaults.put("rounds", "8");
			defaults.put("duration", "20s");
			defaults.put("connections", "8");
			defaults.put("threads", "2");
			defaults.put("jvm-options", "-Xms512m -Xmx512m");
			defaults.put("redis-host", "127.0.0.1");
			defaults.put("redis-port", "6379");
			defaults.put("postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
			defaults.put("postgres-user", "postgres");
			defaults.put("postgres-password", "");
			defaults.put("wrk", "wrk");
			defaults.put("log-dir", "target/load-comparison");
			defaults.put("startup-timeout", "180s");
			defaults.put("load", "together");
			defaults.put("against", "disabled");
			defaults.put("forks", "1");
			return defaults;
		}

		static Options parse(String[] args) {
			Map<String, String> values = new LinkedHashMap<>();
			DEFAULTS.forEach((name, value) -> values.put(name, System.getProperty("bench." + name, value)));
			for (String arg : args) {
				int equals = arg.indexOf('=');
				if (!arg.startsWith("--") || equals < 0 || !DEFAULTS.containsKey(arg.substring(2, equals))) {
					throw new IllegalArgumentException("Unknown argument: " + arg);
				}
				values.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
			String profile = values.get("profile");
			if (!BenchmarkApplication.STORE_PROFILES.contains(profile)) {
				throw new IllegalArgumentException(
						"--profile must be one of " + BenchmarkApplication.STORE_PROFILES + ", not " + profile);
			}
			Options options = new Options(profile, duration(values, "warmup", true), positive(values, "rounds"),
					duration(values, "duration", false), positive(values, "connections"), positive(values, "threads"),
					List.of(values.get("jvm-options").trim().split("\\s+")), values.get("redis-host"),
					positive(values, "redis-port"), values.get("postgres-url"), values.get("postgres-user"),
					values.get("postgres-password"), values.get("wrk"), values.get("log-dir"),
					duration(values, "startup-timeout", false), together(values.get("load")),
					againstEnabled(values.get("against")), positive(values, "forks"));
			if (options.connections() < options.threads()) {
				throw new IllegalArgumentException("wrk needs at least as many connections as threads");
			}
			return options;
		}

		private static Duration duration(Map<String, String> values, String name, boolean zeroAllowed) {
			try {
				Duration duration = DurationStyle.detectAndParse(values.get(name));
				if (duration.isNegative() || (duration.isZero() && !zeroAllowed) || duration.toMillis() % 1000 != 0) {
					throw new IllegalArgumentException("--" + name + " must be a positive whole number of seconds");
				}
				return duration;
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--" + name + "=" + values.get(name) + ": " + ex.getMessage(), ex);
			}
		}

		private static boolean together(String load) {
			return switch (load) {
				case "together" -> true;
				case "alternating" -> false;
				default -> throw new IllegalArgumentException("--load must be together or alternating, not " + load);
			};
		}

		private static boolean againstEnabled(String against) {
			return switch (against) {
				case "disabled" -> false;
				case "enabled" -> true;
				default -> throw new IllegalArgumentException("--against must be disabled or enabled, not " + against);
			};
		}

		private static int positive(Map<String, String> values, String name) {
			try {
				int value = Integer.parseInt(values.get(name));
				if (value < 1) {
					throw new NumberFormatException("not positive");
				}
				return value;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + name + " must be a positive number, not " + values.get(name),
						ex);
			}
		}

		String commandLine() {
			StringBuilder command = new StringBuilder("benchmarks/compare.sh");
			command.append(" --profile=").append(this.profile);
			command.append(" --warmup=").append(this.warmup.toSeconds()).append('s');
			command.append(" --rounds=").append(this.rounds);
			command.append(" --duration=").append(this.duration.toSeconds()).append('s');
			command.append(" --connections=").append(this.connections);
			command.append(" --threads=").append(this.threads);
			command.append(" --jvm-options='").append(String.join(" ", this.jvmOptions)).append('\'');
			command.append(" --load=").append(this.together ? "together" : "alternating");
			if (this.againstEnabled) {
				command.append(" --against=enabled");
			}
			if (this.forks > 1) {
				command.append(" --forks=").append(this.forks);
			}
			return command.toString();
		}

	}

}
