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

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Tests for {@link HangWatch}.
 *
 * @author session-timeout
 */
class HangWatchTests {

	private static final String HANG = "dev.sessiontimeout.tests.hang-watch-demo";

	@Test
	void whenNoTestProgressesForTheLimitThenReportsWhatRunsAndHaltsTheJvm(@TempDir Path directory) throws Exception {
		Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), "-D" + HangWatch.LIMIT_PROPERTY + "=1", "-D" + HANG + "=true",
				HangWatchTests.class.getName())
			.directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("out.txt").toFile())
			.start();
		assertThat(java.waitFor(60, TimeUnit.SECONDS)).as("halted").isTrue();
		String output = Files.readString(directory.resolve("out.txt"), StandardCharsets.UTF_8);
		assertThat(java.exitValue()).as(output).isEqualTo(HangWatch.HALTED);
		assertThat(output).contains("No test progressed for 1 s while running")
			.contains("HangWatchTests$Hanging > waitsForever()")
			.contains("\"main\"")
			.contains("CountDownLatch.await");
		assertThat(directory.resolve("target" + File.separator + "timeout-reports"))
			.isDirectoryContaining((digest) -> digest.getFileName().toString().startsWith("No_test_progressed"));
	}

	/**
	 * Run {@link Hanging} on the JUnit Platform, which finds the watch through
	 * {@code META-INF/services} as Surefire does.
	 * @param arguments none
	 */
	public static void main(String[] arguments) {
		LauncherFactory.create()
			.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Hanging.class)).build());
	}

	@EnabledIfSystemProperty(named = HANG, matches = "true")
	static class Hanging {

		@Test
		void waitsForever() throws InterruptedException {
			new CountDownLatch(1).await();
		}

	}

}
