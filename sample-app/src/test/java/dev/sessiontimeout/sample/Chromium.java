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
package dev.sessiontimeout.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * A real, headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) for
 * the sample's browser tests, as a JUnit extension: declare it in a static field with
 * {@link RegisterExtension @RegisterExtension}. Each test gets a fresh browser (one
 * window of 1100x760, no cookies) and can leave screenshots in
 * {@code target/screenshots}.
 * <p>
 * Without a browser every test is reported as skipped, with the reason, and a loud
 * {@code SKIPPED} line; with {@code -Ddev.sessiontimeout.browser.required=true} (CI)
 * every test fails instead. Override the binaries with the environment variables
 * {@code CHROMIUM_BINARY} and {@code CHROMEDRIVER}.
 */
final class Chromium implements ExecutionCondition, BeforeEachCallback, AfterEachCallback {

	static final String REQUIRED_PROPERTY = "dev.sessiontimeout.browser.required";

	private static final String BINARY = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");

	private static final String DRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final List<ChromeDriver> started = new ArrayList<>();

	private final List<Path> userDataDirectories = new ArrayList<>();

	private ChromeDriver driver;

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (context.getTestMethod().isEmpty()) {
			return ConditionEvaluationResult.enabled("each browser test is decided on its own");
		}
		String missing = missing();
		if (missing == null) {
			return ConditionEvaluationResult.enabled("Chromium at " + BINARY);
		}
		if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
			return ConditionEvaluationResult.enabled(missing + ", which " + REQUIRED_PROPERTY + " requires");
		}
		String reason = "SKIPPED: " + missing;
		System.err.println("!!!!!!!! " + reason + ": " + context.getDisplayName());
		return ConditionEvaluationResult.disabled(reason);
	}

	private static String missing() {
		if (new File(BINARY).canExecute() && new File(DRIVER).canExecute()) {
			return null;
		}
		return "no browser: " + BINARY + " and " + DRIVER
				+ " are needed (Debian packages chromium and chromium-driver, or set CHROMIUM_BINARY and CHROMEDRIVER)";
	}

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		String missing = missing();
		if (missing != null) {
			throw new IllegalStateException(missing + " (" + REQUIRED_PROPERTY + "=true)");
		}
		Files.createDirectories(SCREENSHOTS);
		this.driver = start();
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		this.driver = null;
		for (ChromeDriver started : this.started) {
			started.quit();
		}
		this.started.clear();
		for (Path directory : this.userDataDirectories) {
			FileSystemUtils.deleteRecursively(directory);
		}
		this.userDataDirectories.clear();
	}

	/**
	 * Start another browser for the current test, as on another device: its own cookies,
	 * its own window of 1100x760, quit after the test.
	 * @param userAgent the {@code User-Agent} it sends, such as a phone's
	 * @return the browser
	 */
	WebDriver anotherBrowser(String userAgent) throws IOException {
		driver();
		return start("--user-agent=" + userAgent);
	}

	private ChromeDriver start(String... arguments) throws IOException {
		Path userDataDirectory = Files.createTempDirectory("session-timeout-chromium");
		this.userDataDirectories.add(userDataDirectory);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
				"--disable-backgrounding-occluded-windows", "--lang=en-US", "--window-size=1100,760",
				"--user-data-dir=" + userDataDirectory);
		options.addArguments(arguments);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
			.usingAnyFreePort()
			.build();
		ChromeDriver started = new ChromeDriver(service, options);
		this.started.add(started);
		return started;
	}

	/**
	 * Return the browser of the current test.
	 * @return the driver
	 */
	WebDriver driver() {
		if (this.driver == null) {
			throw new IllegalStateException("No browser outside a test");
		}
		return this.driver;
	}

	/**
	 * Wait up to 15 seconds for a condition, saying where the browser was if it never
	 * holds.
	 * @return the wait
	 */
	WebDriverWait waitUpTo15Seconds() {
		WebDriver driver = driver();
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		wait.withMessage(() -> "on " + driver.getCurrentUrl() + " (" + driver.getTitle() + ")");
		return wait;
	}

	/**
	 * Run a script in the current page.
	 * @param script the script, whose {@code arguments} are the given arguments
	 * @param arguments the arguments
	 * @return what the script returned
	 */
	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) driver()).executeScript(script, arguments);
	}

	/**
	 * Run a script in every document that the current window loads from now on, before
	 * the page's own scripts.
	 * @param script the script
	 */
	void onEveryNewDocument(String script) {
		this.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
	}

	/**
	 * Open a new window of the same browser (same cookies, another tab of the session)
	 * and switch to it.
	 * @return the handle of the window that was current
	 */
	String openNewWindow() {
		String current = driver().getWindowHandle();
		driver().switchTo().newWindow(WindowType.WINDOW);
		driver().manage().window().setSize(new Dimension(1100, 760));
		return current;
	}

	/**
	 * Save a screenshot of the current window as {@code target/screenshots/{name}.png}.
	 * @param name the file name, without extension
	 */
	void screenshot(String name) {
		screenshot(driver(), name);
	}

	/**
	 * Save a screenshot of a browser's current window as
	 * {@code target/screenshots/{name}.png}.
	 * @param browser the browser
	 * @param name the file name, without extension
	 */
	void screenshot(WebDriver browser, String name) {
		try {
			File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
			Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
