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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

/**
 * The countdown banner when the absolute deadline, which no activity moves, ends the
 * session first (the sample with {@code session-timeout.absolute=20m}): it says so and
 * offers no "Stay signed in", and when the server cannot be reached at the end it sends
 * the browser to the expired URL with the reason of the deadline that passed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "session-timeout.absolute=20m")
@AutoConfigureSessionTimeoutClock
class CountdownBannerAbsoluteDeadlineBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Test
	void nearTheAbsoluteDeadlineNoStaySignedInAndWithoutTheServerTheDeadlineGivesTheReason() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(start);
		SampleBrowser browser = new SampleBrowser(chromium, this.port);
		WebDriverWait wait = chromium.waitUpTo15Seconds();
		WebElement banner = browser.signIn("user");
		assertThat(banner.getAttribute("data-ends-by")).isEqualTo("idle");

		this.clock.advance(Duration.ofMinutes(10));
		button(banner).click();
		wait.until(attributeToBe(banner, "data-ends-by", "absolute"));
		assertThat(banner.getAttribute("data-expires-at")).isEqualTo(start.plus(Duration.ofMinutes(20)).toString());
		assertThat(banner.getAttribute("data-idle-expires-at"))
			.isEqualTo(start.plus(Duration.ofMinutes(25)).toString());
		assertThat(button(banner).isDisplayed()).as("nothing moves an absolute deadline").isFalse();

		this.clock.advance(Duration.ofMinutes(8).plusSeconds(30));
		browser.focus();
		wait.until(attributeToBe(banner, "data-state", "warning"));
		assertThat(message(banner))
			.matches("Your session reaches its time limit in (1:30|1:[12]\\d)\\. Save your work\\.");
		assertThat(button(banner).isDisplayed()).isFalse();
		chromium.screenshot("banner-7-absolute-limit");

		this.clock.advance(Duration.ofMinutes(1).plusSeconds(27));
		browser.focus();
		wait.until((driver) -> ((Number) chromium.script("return arguments[0].remaining", banner)).longValue() < 4000);
		// The server cannot be reached any more; its session is still valid by its clock
		chromium.script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'))");
		wait.until(ExpectedConditions.urlToBe(browser.url("/login?expired=absolute")));
		assertThat(chromium.driver().findElement(By.id("expired")).getText())
			.startsWith("Your session reached its maximum lifetime of 20 minutes");
	}

	@Test
	void whenTheIdleDeadlineMeetsTheAbsoluteOneTheAbsoluteEndsTheSessionAndNoStaySignedIn() {
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.set(start);
		SampleBrowser browser = new SampleBrowser(chromium, this.port);
		WebDriverWait wait = chromium.waitUpTo15Seconds();
		WebElement banner = browser.signIn("user");

		// Activity 5 minutes in moves the idle deadline (15 minutes) onto the absolute
		// one
		// (20 minutes): the server ends the session there with reason absolute, and no
		// activity moves it
		this.clock.advance(Duration.ofMinutes(5));
		button(banner).click();
		String end = start.plus(Duration.ofMinutes(20)).toString();
		wait.until(attributeToBe(banner, "data-idle-expires-at", end));
		assertThat(banner.getAttribute("data-absolute-expires-at")).isEqualTo(end);
		assertThat(banner.getAttribute("data-expires-at")).isEqualTo(end);
		assertThat(banner.getAttribute("data-ends-by")).isEqualTo("absolute");
		assertThat(button(banner).isDisplayed()).as("nothing moves an absolute deadline").isFalse();

		this.clock.advance(Duration.ofMinutes(13).plusSeconds(30));
		browser.focus();
		wait.until(attributeToBe(banner, "data-state", "warning"));
		assertThat(message(banner))
			.matches("Your session reaches its time limit in (1:30|1:[12]\\d)\\. Save your work\\.");
		assertThat(button(banner).isDisplayed()).isFalse();
	}

}
