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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample in a real, headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}): sign in, watch the banner count down, be warned, stay signed
 * in, then let the idle clock run out and read why on the login page; and sign in, let
 * the sign-in grow older than the privileged age, see the export API refuse, open the
 * password page, sign in again and come back to it. Each step leaves a screenshot in
 * {@code target/screenshots}. Skipped loudly without a browser, and failed instead when
 * {@code -Dsession-timeout.browser.required=true} (CI).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SampleBrowserTests {

	private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@BeforeAll
	static void startBrowser() throws IOException {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			String message = "no browser: " + CHROMIUM + " and " + CHROMEDRIVER
					+ " are needed (Debian packages chromium and chromium-driver)";
			if (Boolean.getBoolean("session-timeout.browser.required")) {
				Assertions.fail(message + " (session-timeout.browser.required=true)");
			}
			System.err.println("!!!!!!!! SKIPPED: " + message);
			Assumptions.abort("SKIPPED: " + message);
		}
		Files.createDirectories(SCREENSHOTS);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1100,760",
				"--user-data-dir=" + Files.createTempDirectory("session-timeout-chromium"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void bannerCountsDownWarnsStaysSignedInAndTellsWhyTheSessionEnded() throws IOException {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(start);
		WebDriverWait wait = waitUpTo15Seconds();
		driver.get(url("/login"));
		screenshot("1-login");
		driver.findElement(By.name("username")).sendKeys("user");
		driver.findElement(By.name("password")).sendKeys("password");
		driver.findElement(By.tagName("form")).submit();

		WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-banner")));
		wait.until(ExpectedConditions.textToBePresentInElement(banner, "Signed in; session ends in 14:59"));
		assertThat(banner.getAttribute("class")).doesNotContain("warning");
		String firstIdleDeadline = banner.getAttribute("data-idle-expires-at");
		assertThat(firstIdleDeadline).isEqualTo(start.plus(Duration.ofMinutes(15)).toString());
		screenshot("2-banner-counting-down");

		this.clock.advance(Duration.ofMinutes(14));
		wait.until(ExpectedConditions.textToBePresentInElement(banner, "You will be signed out in 0:5"));
		assertThat(banner.getAttribute("class")).contains("warning");
		assertThat(banner.getAttribute("data-idle-expires-at")).as("polling is passive").isEqualTo(firstIdleDeadline);
		screenshot("3-warning");

		driver.findElement(By.id("stay-signed-in")).click();
		wait.until(ExpectedConditions.attributeToBe(banner, "data-idle-expires-at",
				start.plus(Duration.ofMinutes(29)).toString()));
		wait.until(ExpectedConditions.textToBePresentInElement(banner, "Signed in; session ends in 1"));
		assertThat(banner.getAttribute("class")).doesNotContain("warning");
		screenshot("4-stayed-signed-in");

		this.clock.advance(Duration.ofMinutes(15));
		wait.until(ExpectedConditions.urlContains("/login?expired=idle"));
		WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText())
			.isEqualTo("You were signed out after 15 minutes of inactivity (10 minutes for administrators).");
		screenshot("5-signed-out");
	}

	@Test
	void aStaleSignInStepsUpOnThePasswordPageAndComesBackToIt() throws IOException {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(start);
		WebDriverWait wait = waitUpTo15Seconds();
		driver.get(url("/login"));
		driver.findElement(By.name("username")).sendKeys("user");
		driver.findElement(By.name("password")).sendKeys("password");
		driver.findElement(By.tagName("form")).submit();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-banner")));

		driver.get(url("/account/security"));
		WebElement privilegedUntil = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("privileged-until")));
		assertThat(privilegedUntil.getAttribute("datetime")).isEqualTo(start.plus(Duration.ofMinutes(10)).toString());
		screenshot("6-account-security");

		this.clock.advance(Duration.ofMinutes(10));
		driver.findElement(By.id("export")).click();
		WebElement export = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("export-result")));
		wait.until(ExpectedConditions.textToBePresentInElement(export, "HTTP 401"));
		assertThat(export.getText()).contains("WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"",
				"max_age=600", "\"reason\": \"privileged\"");
		((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", export);
		screenshot("7-export-challenged");

		driver.findElement(By.id("change-password")).click();
		wait.until(ExpectedConditions.urlContains("/login?expired=privileged"));
		WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText()).isEqualTo(
				"For your security, this needs a sign-in from the last 10 minutes. Please sign in again to continue.");
		assertThat(driver.findElement(By.name("username")).getAttribute("value")).isEqualTo("user");
		screenshot("8-sign-in-again");

		WebElement password = driver.findElement(By.name("password"));
		password.sendKeys("password");
		password.submit();
		wait.until(ExpectedConditions.urlContains("/account/security/password?continue"));
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Change password");
		assertThat(driver.findElements(By.name("confirmation"))).hasSize(1);
		screenshot("9-back-on-the-password-page");
	}

	private static WebDriverWait waitUpTo15Seconds() {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		wait.withMessage(() -> "on " + driver.getCurrentUrl() + " (" + driver.getTitle() + ")");
		return wait;
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static void screenshot(String name) throws IOException {
		File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
