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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static dev.sessiontimeout.sample.SampleBrowser.button;
import static dev.sessiontimeout.sample.SampleBrowser.message;
import static dev.sessiontimeout.sample.SampleBrowser.messageMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

/**
 * The sample in a real, headless Chromium: sign in, watch the starter's banner count
 * down, be warned, stay signed in, then let the idle clock run out and read why on the
 * login page; read the session as a timeline on the home page; sign in, let the sign-in
 * grow older than the privileged age, see the export API refuse, open the password page,
 * sign in again and come back to it; and every page fits its card at 1100x760. Each step
 * leaves a screenshot in {@code target/screenshots}. See {@link Chromium} for when these
 * tests are skipped.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SampleBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	private SampleBrowser browser;

	private WebDriver driver;

	private WebDriverWait wait;

	private Instant start;

	@BeforeEach
	void startTheServerClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(this.start);
		this.browser = new SampleBrowser(chromium, this.port);
		this.driver = chromium.driver();
		this.wait = chromium.waitUpTo15Seconds();
	}

	@Test
	void bannerCountsDownWarnsStaysSignedInAndTellsWhyTheSessionEnded() {
		this.driver.get(this.browser.url("/login"));
		chromium.screenshot("1-login");
		WebElement banner = this.browser.signIn("user");
		assertThat(banner.getAttribute("id")).isEqualTo("session-banner");
		this.wait.until(messageMatches(banner, "Your session ends in (15:00|14:[45]\\d)\\."));
		assertThat(banner.getAttribute("data-state")).isEqualTo("active");
		String firstIdleDeadline = banner.getAttribute("data-idle-expires-at");
		assertThat(firstIdleDeadline).isEqualTo(at(Duration.ofMinutes(15)));
		chromium.screenshot("2-banner-counting-down");

		this.clock.advance(Duration.ofMinutes(14));
		this.browser.focus();
		this.wait.until(attributeToBe(banner, "data-state", "warning"));
		assertThat(message(banner)).matches("You will be signed out in (1:00|0:[45]\\d)\\.");
		assertThat(banner.getAttribute("data-idle-expires-at")).as("polling is passive").isEqualTo(firstIdleDeadline);
		chromium.screenshot("3-warning");

		button(banner).click();
		this.wait.until(attributeToBe(banner, "data-idle-expires-at", at(Duration.ofMinutes(29))));
		this.wait.until(attributeToBe(banner, "data-state", "active"));
		chromium.screenshot("4-stayed-signed-in");

		this.clock.advance(Duration.ofMinutes(15));
		this.browser.focus();
		this.wait.until(ExpectedConditions.urlContains("/login?expired=idle"));
		WebElement notice = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText())
			.isEqualTo("You were signed out after 15 minutes of inactivity (10 minutes for administrators).");
		chromium.screenshot("5-signed-out");
	}

	@Test
	void homeShowsTheSessionAsATimelineInLocalTimeAndRelativeToTheServersNow() {
		this.browser.signIn("admin");
		this.clock.advance(Duration.ofMinutes(2));
		this.driver.navigate().refresh();
		WebElement banner = this.browser.banner();
		this.wait.until(attributeToBe(banner, "data-idle-expires-at", at(Duration.ofMinutes(12))));
		this.clock.advance(Duration.ofMinutes(1));
		this.browser.focus();
		this.wait.until((driver) -> timelineLabels().getOrDefault("idle", "").contains("in 9 minutes"));
		Map<String, String> labels = timelineLabels();
		assertThat(labels).containsOnlyKeys("now", "created", "activity", "privileged", "idle", "reauthentication",
				"absolute");
		// The page moves its "now" on with the browser's own clock from the server's, so
		// a second or two may have passed since by the time it is read
		assertThat(labels.get("now")).isIn("now · " + localTime(at(Duration.ofMinutes(3))),
				"now · " + localTime(at(Duration.ofMinutes(3).plusSeconds(1))),
				"now · " + localTime(at(Duration.ofMinutes(3).plusSeconds(2))));
		assertThat(labels.get("created")).isEqualTo(label("Session started", Duration.ZERO, "3 minutes ago"));
		assertThat(labels.get("activity")).isEqualTo(label("Last activity", Duration.ofMinutes(2), "1 minute ago"));
		assertThat(labels.get("privileged"))
			.isEqualTo(label("Privileged operations until", Duration.ofMinutes(5), "in 2 minutes"));
		assertThat(labels.get("idle"))
			.isEqualTo(label("Idle timeout session ends", Duration.ofMinutes(12), "in 9 minutes"));
		assertThat(labels.get("reauthentication"))
			.isEqualTo(label("Sign in again", Duration.ofMinutes(30), "in 27 minutes"));
		assertThat(labels.get("absolute")).isEqualTo(label("Absolute limit", Duration.ofHours(1), "in 57 minutes"));
		assertThat(overflowing()).isEmpty();
		chromium.screenshot("home-timeline");
	}

	/**
	 * Read the timeline's labels at once (it redraws as time passes): the text of each,
	 * by event, its {@code <time datetime>} first.
	 */
	@SuppressWarnings("unchecked")
	private Map<String, String> timelineLabels() {
		return (Map<String, String>) chromium.script("""
				const labels = { now: document.querySelector('#session-timeline .timeline-now-label')?.innerText };
				for (const label of document.querySelectorAll('#session-timeline .timeline-label')) {
					labels[label.dataset.event] = label.querySelector('time').dateTime + ' ' + label.innerText;
				}
				return labels;
				""");
	}

	private String label(String title, Duration at, String relative) {
		return at(at) + " " + title + "\n" + localTime(at(at)) + " · " + relative;
	}

	/**
	 * The local time of an instant as the timeline shows it, three minutes into the
	 * session: with the day in front when it falls on another day than that (a session
	 * signed in shortly before midnight).
	 */
	private String localTime(String instant) {
		return (String) chromium.script(
				"const time = new Date(arguments[0]);" + "const now = new Date(arguments[1]);"
						+ "const day = time.toDateString() === now.toDateString() ? '' : new Intl.DateTimeFormat('en', "
						+ "{ weekday: 'short', day: 'numeric', month: 'short' }).format(time) + ', ';"
						+ "return day + new Intl.DateTimeFormat('en', "
						+ "{ hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(time)",
				instant, at(Duration.ofMinutes(3)));
	}

	@Test
	void aStaleSignInStepsUpOnThePasswordPageAndComesBackToIt() {
		this.browser.signIn("user");
		this.driver.get(this.browser.url("/account/security"));
		WebElement privilegedUntil = this.wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("privileged-until")));
		assertThat(privilegedUntil.getAttribute("datetime")).isEqualTo(at(Duration.ofMinutes(10)));
		chromium.screenshot("6-account-security");

		this.clock.advance(Duration.ofMinutes(10));
		this.driver.findElement(By.id("export")).click();
		WebElement export = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("export-result")));
		this.wait.until(ExpectedConditions.textToBePresentInElement(export, "HTTP 401"));
		assertThat(export.getText()).contains("WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"",
				"max_age=600", "\"reason\": \"privileged\"");
		chromium.script("arguments[0].scrollIntoView()", export);
		chromium.screenshot("7-export-challenged");

		this.driver.findElement(By.id("change-password")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?expired=privileged"));
		WebElement notice = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText()).isEqualTo(
				"For your security, this needs a sign-in from the last 10 minutes. Please sign in again to continue.");
		assertThat(this.driver.findElement(By.name("username")).getAttribute("value")).isEqualTo("user");
		chromium.screenshot("8-sign-in-again");

		WebElement password = this.driver.findElement(By.name("password"));
		password.sendKeys("password");
		password.submit();
		this.wait.until(ExpectedConditions.urlContains("/account/security/password?continue"));
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Change password");
		assertThat(this.driver.findElements(By.name("confirmation"))).hasSize(1);
		screenshotOfTheWholePage("9-back-on-the-password-page");
	}

	@Test
	void everyPageFitsItsCardAt1100By760() {
		this.driver.get(this.browser.url("/login?expired=idle"));
		assertThat(overflowing()).isEmpty();
		screenshotOfTheWholePage("page-login-expired");
		this.browser.signIn("admin");
		for (String page : new String[] { "/", "/account", "/account/security", "/account/sessions",
				"/account/security/password" }) {
			this.driver.get(this.browser.url(page));
			this.browser.banner();
			assertThat(overflowing()).as(page).isEmpty();
			screenshotOfTheWholePage("page" + (page.equals("/") ? "-home" : page.replace('/', '-')));
		}
		this.driver.findElement(By.name("password")).sendKeys("short");
		this.driver.findElement(By.name("confirmation")).sendKeys("short");
		this.driver.findElement(By.name("confirmation")).submit();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
		assertThat(overflowing()).isEmpty();
		screenshotOfTheWholePage("page-account-security-password-error");
	}

	/**
	 * Return the elements of the page's card that reach past its content box, and whether
	 * the page scrolls sideways.
	 */
	@SuppressWarnings("unchecked")
	private List<String> overflowing() {
		return (List<String>) chromium.script("""
				const main = document.querySelector('main');
				const style = getComputedStyle(main);
				const box = main.getBoundingClientRect();
				const left = box.left + parseFloat(style.paddingLeft) - 0.5;
				const right = box.right - parseFloat(style.paddingRight) + 0.5;
				const found = [];
				for (const element of main.querySelectorAll('*')) {
					const rect = element.getBoundingClientRect();
					if (rect.width > 0 && (rect.left < left || rect.right > right)) {
						found.push(element.tagName.toLowerCase() + (element.name ? '[name=' + element.name + ']' : '')
							+ (element.className ? '.' + element.className : '') + ' ' + Math.round(rect.left) + '..'
							+ Math.round(rect.right) + ' outside ' + Math.round(left) + '..' + Math.round(right));
					}
				}
				if (document.documentElement.scrollWidth > window.innerWidth) {
					found.push('the page scrolls sideways');
				}
				return found;
				""");
	}

	/**
	 * Take a screenshot of the current page, after scrolling to its top, with the window
	 * as tall as the page where it is longer than 760 pixels.
	 */
	private void screenshotOfTheWholePage(String name) {
		chromium.script("window.scrollTo(0, 0)");
		long height = (Long) chromium.script("return document.documentElement.scrollHeight");
		Dimension size = this.driver.manage().window().getSize();
		long innerHeight = (Long) chromium.script("return window.innerHeight");
		if (height > innerHeight) {
			this.driver.manage()
				.window()
				.setSize(new Dimension(size.getWidth(), (int) (size.getHeight() + height - innerHeight)));
		}
		chromium.screenshot(name);
		this.driver.manage().window().setSize(size);
	}

	private String at(Duration elapsed) {
		return this.start.plus(elapsed).toString();
	}

}
