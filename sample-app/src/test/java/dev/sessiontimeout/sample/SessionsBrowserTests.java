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

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

/**
 * The sample's "Your sessions" page in two real, headless Chromium browsers, a laptop and
 * a phone signed in as the same user: the laptop lists both, signs the phone out, signs
 * it out again with "Sign out everywhere else", and a third time by changing the
 * password, while the laptop stays signed in; the phone lands on the login page with the
 * reason each time. Each step leaves a screenshot in {@code target/screenshots}. See
 * {@link Chromium} for when these tests are skipped.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SessionsBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	private static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
			+ " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	InMemoryUserDetailsManager users;

	private SampleBrowser browser;

	private String username;

	@BeforeEach
	void addAUserOfTheirOwn() {
		this.clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new SampleBrowser(chromium, this.port);
		this.username = "traveller-" + UUID.randomUUID().toString().substring(0, 8);
		this.users.createUser(User.withUsername(this.username).password("{noop}password").roles("USER").build());
	}

	@AfterEach
	void removeTheUser() {
		this.users.deleteUser(this.username);
	}

	@Test
	void aUserSignsOutTheirOtherDeviceFromTheSessionsPageAndByChangingThePassword() throws IOException {
		WebDriver laptop = chromium.driver();
		WebDriver phone = chromium.anotherBrowser(PHONE);
		this.browser.signIn(laptop, this.username, "password");
		this.browser.signIn(phone, this.username, "password");

		List<WebElement> rows = sessionsPage(laptop, 2);
		assertThat(rows.get(0).getText()).startsWith("Chrome on Linux (this browser)");
		assertThat(rows.get(0).findElements(By.tagName("button"))).isEmpty();
		assertThat(rows.get(1).getText()).startsWith("Safari on iOS").endsWith("Sign out");
		chromium.screenshot("sessions-1-laptop-and-phone");
		rows.get(1).findElement(By.className("sign-out")).click();
		waitFor(laptop).until(attributeToBe(By.id("sessions"), "data-loaded", "1"));
		assertThat(laptop.findElement(By.id("sessions-result")).getText()).isEqualTo("Signed out of Safari on iOS.");
		chromium.screenshot("sessions-2-phone-signed-out");
		assertSignedOut(phone, "sessions-3-phone-on-the-login-page");

		this.browser.signIn(phone, this.username, "password");
		sessionsPage(laptop, 2);
		laptop.findElement(By.id("sign-out-others")).click();
		waitFor(laptop).until(attributeToBe(By.id("sessions"), "data-loaded", "1"));
		assertThat(laptop.findElement(By.id("sessions-result")).getText())
			.isEqualTo("Signed out everywhere else: 1 session.");
		assertThat(laptop.findElement(By.id("sign-out-others")).isEnabled()).isFalse();
		assertSignedOut(phone, "sessions-4-phone-signed-out-everywhere-else");

		this.browser.signIn(phone, this.username, "password");
		laptop.get(this.browser.url("/account/security/password"));
		laptop.findElement(By.name("password")).sendKeys("correct horse");
		laptop.findElement(By.name("confirmation")).sendKeys("correct horse");
		laptop.findElement(By.tagName("form")).submit();
		WebElement notice = waitFor(laptop)
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-changed")));
		assertThat(notice.getText())
			.isEqualTo("Your password was changed, and you were signed out everywhere else (1 other session).");
		chromium.screenshot("sessions-5-password-changed");
		assertSignedOut(phone, "sessions-6-phone-signed-out-by-the-password-change");
		assertThat(sessionsPage(laptop, 1).get(0).getText()).startsWith("Chrome on Linux (this browser)");
	}

	private List<WebElement> sessionsPage(WebDriver browser, int sessions) {
		browser.get(this.browser.url("/account/sessions"));
		waitFor(browser).until(attributeToBe(By.id("sessions"), "data-loaded", String.valueOf(sessions)));
		return browser.findElements(By.cssSelector("#sessions tbody tr"));
	}

	private void assertSignedOut(WebDriver phone, String screenshot) {
		phone.get(this.browser.url("/account"));
		waitFor(phone).until(ExpectedConditions.urlContains("/login?expired=revoked"));
		WebElement notice = waitFor(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText()).isNotBlank();
		chromium.screenshot(phone, screenshot);
	}

	private static WebDriverWait waitFor(WebDriver browser) {
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
		wait.withMessage(() -> "on " + browser.getCurrentUrl() + " (" + browser.getTitle() + ")");
		return wait;
	}

}
