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
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test JVM in which no test started or finished for a long time, with a report of
 * what it was doing, instead of leaving the build to hang until CI cuts it and keeps only
 * the end of its output. After {@value #LIMIT_PROPERTY} seconds (300 by default; the
 * slowest test of this module takes under one minute, 40 s on a loaded machine) without
 * progress, it prints the tests still running, the requests the servers had not answered
 * yet, every thread's stack and the Redis clients ({@link DiagnoseTimeouts}), writes a
 * digest to {@code target/timeout-reports}, which {@code .ci/run} prints last, and halts
 * the JVM. Surefire then fails the build: "The forked VM terminated without properly
 * saying goodbye". Registered for every test of this module through
 * {@code META-INF/services}.
 *
 * @author session-timeout
 */
public class HangWatch implements TestExecutionListener {

	/**
	 * The system property that sets how many seconds without progress are a hang.
	 */
	public static final String LIMIT_PROPERTY = "dev.sessiontimeout.tests.hang-limit-seconds";

	/**
	 * The exit status of a JVM that the watch halted.
	 */
	static final int HALTED = 3;

	private final Map<TestIdentifier, Long> running = new ConcurrentHashMap<>();

	private volatile long lastProgress = System.nanoTime();

	private volatile ScheduledExecutorService watch;

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		Duration limit = Duration.ofSeconds(Long.getLong(LIMIT_PROPERTY, 300));
		this.lastProgress = System.nanoTime();
		ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor((check) -> {
			Thread thread = new Thread(check, "hang-watch");
			thread.setDaemon(true);
			return thread;
		});
		watch.scheduleWithFixedDelay(() -> check(limit), 1, 1, TimeUnit.SECONDS);
		this.watch = watch;
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		ScheduledExecutorService watch = this.watch;
		if (watch != null) {
			watch.shutdownNow();
		}
	}

	@Override
	public void executionStarted(TestIdentifier testIdentifier) {
		this.lastProgress = System.nanoTime();
		this.running.put(testIdentifier, this.lastProgress);
	}

	@Override
	public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult testExecutionResult) {
		this.running.remove(testIdentifier);
		this.lastProgress = System.nanoTime();
	}

	@Override
	public void executionSkipped(TestIdentifier testIdentifier, String reason) {
		this.lastProgress = System.nanoTime();
	}

	private void check(Duration limit) {
		if (System.nanoTime() - this.lastProgress >= limit.toNanos()) {
			DiagnoseTimeouts.report("No test progressed for " + limit.toSeconds() + " s", "while running " + running());
			System.out.flush();
			Runtime.getRuntime().halt(HALTED);
		}
	}

	/**
	 * The tests still running, outermost first.
	 */
	String running() {
		return this.running.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
			.map((test) -> test.getKey().getLegacyReportingName())
			.collect(Collectors.joining(" > "));
	}

}
