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

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static dev.sessiontimeout.sample.SampleBrowser.button;
import static dev.sessiontimeout.sample.SampleBrowser.message;
import static dev.sessiontimeout.sample.SampleBrowser.messageMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

/**
 * The starter's countdown banner, {@code <session-timeout-banner>}, on the sample's pages
 * in a real, headless Chromium, with the server's {@code sessionTimeoutClock} moved by
 * hand: the countdown follows the server's clock and not the browser's, the warning comes
 * within {@code warn-before}, "Stay signed in" moves the deadline in every tab of the
 * session, and at the end the browser goes to the expired URL with the reason. Each step
 * leaves a screenshot in {@code target/screenshots}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class CountdownBannerBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	/**
	 * Puts the page's wall clock ({@code Date}) 5 hours 17 minutes behind.
	 */
	private static final String SKEWED_DATE = """
			(() => {
				const skew = -(5 * 3600 + 17 * 60) * 1000;
				const RealDate = Date;
				class SkewedDate extends RealDate {
					constructor(...values) {
						if (values.length === 0) {
							super(RealDate.now() + skew);
						}
						else {
							super(...values);
						}
					}
					static now() {
						return RealDate.now() + skew;
					}
				}
				window.Date = SkewedDate;
			})();
			""";

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
	void countdownFollowsTheServersDeadlineAndClockNotTheBrowsersClock() {
		chromium.onEveryNewDocument(SKEWED_DATE);
		WebElement banner = this.browser.signIn("user");
		long skew = (Long) chromium.script("return Date.now()") - System.currentTimeMillis();
		assertThat(skew).as("the page's wall clock is hours behind").isLessThan(-5 * 3600 * 1000L);
		assertThat(banner.getAttribute("data-expires-at")).isEqualTo(at(Duration.ofMinutes(15)));
		assertThat(banner.getAttribute("data-ends-by")).isEqualTo("idle");
		this.wait.until(messageMatches(banner, "Your session ends in (15:00|14:[45]\\d)\\."));
		assertThat(banner.getAttribute("data-state")).isEqualTo("active");
		chromium.screenshot("banner-1-counting-down");

		this.clock.advance(Duration.ofMinutes(10));
		this.browser.focus();
		this.wait.until(messageMatches(banner, "Your session ends in (5:00|4:[45]\\d)\\."));
		assertThat(banner.getAttribute("data-expires-at")).as("asking is passive")
			.isEqualTo(at(Duration.ofMinutes(15)));
		chromium.screenshot("banner-2-server-clock-moved-on");
	}

	@Test
	void warningAppearsWithinWarnBeforeOfTheEnd() {
		WebElement banner = this.browser.signIn("user");
		this.clock.advance(Duration.ofMinutes(12));
		this.browser.focus();
		this.wait.until(messageMatches(banner, "Your session ends in (3:00|2:[45]\\d)\\."));
		assertThat(banner.getAttribute("data-state")).isEqualTo("active");

		this.clock.advance(Duration.ofMinutes(1));
		this.browser.focus();
		this.wait.until(attributeToBe(banner, "data-state", "warning"));
		assertThat(message(banner)).matches("You will be signed out in (2:00|1:[45]\\d)\\.");
		assertThat(this.browser.announcement(banner)).isEqualTo("You will be signed out in 2 minutes.");
		assertThat(button(banner).isDisplayed()).isTrue();
		assertThat(button(banner).getText()).isEqualTo("Stay signed in");
		chromium.screenshot("banner-3-warning");
	}

	@Test
	void aPageLanguageThatIsNoValidLocaleStillGetsTheWarning() {
		WebElement banner = this.browser.signIn("user");
		// A language as Java's Locale.toString() writes it, which Intl refuses
		chromium.script("document.documentElement.lang = 'en_US'");
		this.clock.advance(Duration.ofMinutes(13));
		this.browser.focus();
		this.wait.until(attributeToBe(banner, "data-state", "warning"));
		this.wait.until(messageMatches(banner, "You will be signed out in (2:00|1:[45]\\d)\\."));
		assertThat(this.browser.announcement(banner)).isEqualTo("You will be signed out in 2 minutes.");
	}

	@Test
	void staySignedInMovesTheDeadline() {
		WebElement banner = this.browser.signIn("user");
		this.clock.advance(Duration.ofMinutes(13).plusSeconds(30));
		this.browser.focus();
		this.wait.until(attributeToBe(banner, "data-state", "warning"));

		button(banner).click();
		this.wait.until(attributeToBe(banner, "data-idle-expires-at", at(Duration.ofMinutes(28).plusSeconds(30))));
		this.wait.until(attributeToBe(banner, "data-state", "active"));
		assertThat(message(banner)).matches("Your session ends in (15:00|14:[45]\\d)\\.");
		// {time} is the local time of the new end, as the page's locale writes it
		assertThat(this.browser.announcement(banner)).isIn(extendedAnnouncements(banner));
		chromium.screenshot("banner-4-stayed-signed-in");
	}

	@Test
	void onASkewedClockTheAnnouncedEndIsTheTimeTheBrowsersClockWillShowThen() {
		chromium.onEveryNewDocument(SKEWED_DATE);
		WebElement banner = this.browser.signIn("user");
		this.clock.advance(Duration.ofMinutes(5));
		button(banner).click();
		this.wait.until(attributeToBe(banner, "data-idle-expires-at", at(Duration.ofMinutes(20))));
		this.wait.until((driver) -> this.browser.announcement(banner).startsWith("You are still signed in."));
		assertThat(this.browser.announcement(banner)).isIn(extendedAnnouncements(banner));
	}

	@Test
	void staySignedInInOneTabMovesTheOtherTabsCountdownWithoutItsPoll() {
		staySignedInInOneTabMovesTheOtherTab("banner-5-other-tab-in-step");
	}

	@Test
	void tabsKeepInStepThroughStorageEventsWithoutBroadcastChannel() {
		chromium.onEveryNewDocument("delete window.BroadcastChannel;");
		staySignedInInOneTabMovesTheOtherTab(null);
	}

	private void staySignedInInOneTabMovesTheOtherTab(String screenshot) {
		WebElement first = this.browser.signIn("user");
		boolean broadcastChannel = (Boolean) chromium.script("return typeof BroadcastChannel === 'function'");
		String firstWindow = chromium.openNewWindow();
		if (!broadcastChannel) {
			chromium.onEveryNewDocument("delete window.BroadcastChannel;");
		}
		this.driver.get(this.browser.url("/account"));
		WebElement second = this.browser.banner();
		String secondWindow = this.driver.getWindowHandle();
		assertThat(chromium.script("return typeof BroadcastChannel === 'function'")).isEqualTo(broadcastChannel);
		assertThat(second.getAttribute("data-idle-expires-at")).isEqualTo(at(Duration.ofMinutes(15)));
		// From now on this tab hears nothing from the server: its polls and checks never
		// end
		chromium.script("window.fetch = () => new Promise(() => {})");

		this.driver.switchTo().window(firstWindow);
		this.clock.advance(Duration.ofMinutes(5));
		button(first).click();
		this.wait.until(attributeToBe(first, "data-idle-expires-at", at(Duration.ofMinutes(20))));

		this.driver.switchTo().window(secondWindow);
		this.wait.until(attributeToBe(second, "data-idle-expires-at", at(Duration.ofMinutes(20))));
		this.wait.until(messageMatches(second, "Your session ends in (15:00|14:[45]\\d)\\."));
		if (screenshot != null) {
			chromium.screenshot(screenshot);
		}
	}

	@Test
	void atTheEndTheBrowserGoesToTheExpiredUrlWithTheServersReason() {
		WebElement banner = this.browser.signIn("user");
		this.clock.advance(Duration.ofMinutes(14).plusSeconds(57));
		this.browser.focus();
		this.wait.until(attributeToBe(banner, "data-state", "warning"));
		// The countdown reaches zero by itself and asks the server, whose clock is past
		// the
		// deadline by then
		this.clock.advance(Duration.ofSeconds(3));
		this.wait.until(ExpectedConditions.urlToBe(this.browser.url("/login?expired=idle")));
		WebElement notice = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expired")));
		assertThat(notice.getText())
			.isEqualTo("You were signed out after 15 minutes of inactivity (10 minutes for administrators).");
		chromium.screenshot("banner-6-signed-out");
	}

	@Test
	void aSessionEndedElsewhereSendsTheBrowserToTheExpiredUrlAtItsNextCheck() {
		this.browser.signIn("user");
		this.clock.advance(Duration.ofMinutes(15));
		this.browser.focus();
		this.wait.until(ExpectedConditions.urlToBe(this.browser.url("/login?expired=idle")));
	}

	/**
	 * The announcement after "Stay signed in": the end on the page's own clock, its now
	 * plus the server's remaining time, give or take two seconds for a minute that turns
	 * meanwhile.
	 */
	private List<String> extendedAnnouncements(WebElement banner) {
		@SuppressWarnings("unchecked")
		List<String> times = (List<String>) chromium.script("""
				const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
					{ hour: 'numeric', minute: '2-digit' });
				const end = Date.now() + arguments[0].remaining;
				return [format.format(new Date(end - 2000)), format.format(new Date(end + 2000))];
				""", banner);
		return times.stream().map((time) -> "You are still signed in. Your session now ends at " + time + ".").toList();
	}

	private String at(Duration elapsed) {
		return this.start.plus(elapsed).toString();
	}

}
