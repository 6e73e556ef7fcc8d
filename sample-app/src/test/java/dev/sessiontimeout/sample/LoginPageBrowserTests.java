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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's own login page in a real Chromium, for every clock: the user follows a
 * link after the clock ran out, the login page says why, and signing in lands on the page
 * the user was going to. The sample's clocks, with an absolute lifetime of 40 minutes so
 * that it is reached within a test: everyone 40m absolute, 15m idle, 10m privileged age;
 * administrators 40m, 10m idle, re-authentication after 30m, 5m privileged age.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "session-timeout.absolute=40m")
@AutoConfigureSessionTimeoutClock
class LoginPageBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	private SampleBrowser browser;

	private WebDriver driver;

	@BeforeEach
	void startTheServerClock() {
		this.clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new SampleBrowser(chromium, this.port);
		this.driver = chromium.driver();
	}

	@Test
	void afterTheIdleTimeoutTheLoginPageSaysWhyAndTheLoginReturnsToThePage() {
		this.browser.signIn("user");
		leavePageAndAdvance(Duration.ofMinutes(15));
		assertSignsInAgainAndReturns("/account/security", "idle",
				"You were signed out after 15 minutes of inactivity (10 minutes for administrators).", "user",
				"login-page-idle");
	}

	@Test
	void atTheAbsoluteDeadlineTheLoginPageSaysWhyAndTheLoginReturnsToThePage() {
		this.browser.signIn("user");
		for (int minutes = 0; minutes < 28; minutes += 14) {
			leavePageAndAdvance(Duration.ofMinutes(14));
			this.driver.get(this.browser.url("/account"));
			this.browser.banner();
		}
		leavePageAndAdvance(Duration.ofMinutes(12));
		assertSignsInAgainAndReturns("/account/security", "absolute",
				"Your session reached its maximum lifetime of 40 minutes (1 hour for administrators). Please sign in again.",
				"user", "login-page-absolute");
	}

	@Test
	void whenReauthenticationIsDueTheLoginPageSaysWhyKeepsTheUserAndReturnsToThePage() {
		this.browser.signIn("admin");
		for (int minutes = 0; minutes < 27; minutes += 9) {
			leavePageAndAdvance(Duration.ofMinutes(9));
			this.driver.get(this.browser.url("/account"));
			this.browser.banner();
		}
		leavePageAndAdvance(Duration.ofMinutes(4));
		WebElement username = assertLoginPage("/account/security", "reauthentication", "login-page-reauthentication");
		assertThat(username.getAttribute("value")).as("the session's user, who alone may continue it")
			.isEqualTo("admin");
		assertSignsInAndReturns("/account/security", "admin");
	}

	@Test
	void forAPrivilegedPageTheLoginPageSaysWhyKeepsTheUserAndReturnsToThePage() {
		this.browser.signIn("user");
		leavePageAndAdvance(Duration.ofMinutes(10));
		WebElement username = assertLoginPage("/account/security/password", "privileged", "login-page-privileged");
		assertThat(username.getAttribute("value")).isEqualTo("user");
		assertSignsInAndReturns("/account/security/password", "user");
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Change password");
	}

	/**
	 * Leave the sample's pages (whose banner would otherwise notice the end first) and
	 * move the server's clock.
	 */
	private void leavePageAndAdvance(Duration duration) {
		this.driver.get("about:blank");
		this.clock.advance(duration);
	}

	private void assertSignsInAgainAndReturns(String path, String reason, String message, String username,
			String screenshot) {
		WebElement usernameField = assertLoginPage(path, reason, screenshot);
		assertThat(this.driver.findElement(By.id("expired")).getText()).isEqualTo(message);
		assertThat(usernameField.getAttribute("value")).as("an ended session is nobody's").isEmpty();
		usernameField.sendKeys(username);
		assertSignsInAndReturns(path, username);
	}

	private WebElement assertLoginPage(String path, String reason, String screenshot) {
		this.driver.get(this.browser.url(path));
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(this.browser.url("/login?expired=" + reason)));
		chromium.waitUpTo15Seconds().until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		chromium.screenshot(screenshot);
		return this.driver.findElement(By.name("username"));
	}

	private void assertSignsInAndReturns(String path, String username) {
		WebElement password = this.driver.findElement(By.name("password"));
		password.sendKeys("password");
		password.submit();
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(this.browser.url(path + "?continue")));
		this.browser.banner();
		Object principal = chromium
			.script("return fetch('/session/status').then((r) => r.json()).then((s) => s.principal)");
		assertThat(principal).as("signed in as").isEqualTo(username);
	}

}
