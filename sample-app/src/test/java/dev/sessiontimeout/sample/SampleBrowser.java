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
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the sample's browser tests do in the sample's pages: sign in, and read and press
 * the starter's {@code <session-timeout-banner>} through its shadow DOM.
 */
final class SampleBrowser {

	private final Chromium chromium;

	private final int port;

	SampleBrowser(Chromium chromium, int port) {
		this.chromium = chromium;
		this.port = port;
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	/**
	 * Sign in through the login form and wait for the home page's banner to count down.
	 * @param username the user, whose password is {@code password}
	 * @return the banner
	 */
	WebElement signIn(String username) {
		signIn(this.chromium.driver(), username, "password");
		this.chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(url("/")));
		return banner();
	}

	/**
	 * Sign in through the login form of a browser and wait to leave the login page, for
	 * the home page or the page the browser was going to.
	 * @param browser the browser
	 * @param username the user
	 * @param password the user's password
	 */
	void signIn(WebDriver browser, String username, String password) {
		browser.get(url("/login"));
		browser.findElement(By.name("username")).sendKeys(username);
		browser.findElement(By.name("password")).sendKeys(password);
		browser.findElement(By.tagName("form")).submit();
		new WebDriverWait(browser, Duration.ofSeconds(15)).withMessage(() -> "on " + browser.getCurrentUrl())
			.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
	}

	/**
	 * Wait for the page's banner to have the server's answer.
	 * @return the banner
	 */
	WebElement banner() {
		WebElement banner = this.chromium.waitUpTo15Seconds()
			.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("session-timeout-banner")));
		this.chromium.waitUpTo15Seconds().until(ExpectedConditions.attributeToBeNotEmpty(banner, "data-expires-at"));
		return banner;
	}

	/**
	 * Tell the page that its window has the focus again, after which the banner asks the
	 * server at once.
	 */
	void focus() {
		this.chromium.script("window.dispatchEvent(new Event('focus'))");
	}

	static String message(WebElement banner) {
		return banner.getShadowRoot().findElement(By.cssSelector("[part=message]")).getText();
	}

	static WebElement button(WebElement banner) {
		return banner.getShadowRoot().findElement(By.cssSelector("[part=button]"));
	}

	/**
	 * Return what the banner last announced to screen readers (its {@code role="status"}
	 * region).
	 * @param banner the banner
	 * @return the text
	 */
	String announcement(WebElement banner) {
		return (String) this.chromium
			.script("return arguments[0].shadowRoot.querySelector('[role=status]').textContent", banner);
	}

	static ExpectedCondition<Boolean> messageMatches(WebElement banner, String regex) {
		Pattern pattern = Pattern.compile(regex);
		return new ExpectedCondition<>() {

			@Override
			public Boolean apply(WebDriver driver) {
				return pattern.matcher(message(banner)).matches();
			}

			@Override
			public String toString() {
				return "the banner to say " + regex + " (it says \"" + message(banner) + "\")";
			}

		};
	}

}
