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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that uses Spring Security's generated login page
 * ({@code formLogin(Customizer.withDefaults())}, no login page of its own), in a real
 * Chromium, for every clock: the user opens a page after the clock ran out, the generated
 * page says why above its form, and signing in lands on the page the user was going to,
 * never on a {@code /login?...} URL or a 404, even when an image of the ended session is
 * answered after the navigation that saved the page in a new session. Absolute 40m, idle
 * 15m, privileged age 10m for {@code /account/password}; auditors must authenticate again
 * after 20m.
 */
@SpringBootTest(classes = GeneratedLoginPageBrowserTests.GeneratedLoginPageApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=40m", "session-timeout.idle=15m",
				"session-timeout.privileged.max-age=10m", "session-timeout.privileged.paths=/account/password",
				"session-timeout.policies[0].name=auditors", "session-timeout.policies[0].authorities=ROLE_AUDITOR",
				"session-timeout.policies[0].reauthentication=20m" })
@AutoConfigureSessionTimeoutClock
class GeneratedLoginPageBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	Gate gate;

	private WebDriver driver;

	@BeforeEach
	void startTheServerClock() {
		this.clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.driver = chromium.driver();
	}

	@AfterEach
	void releaseTheGate() {
		this.gate.release();
	}

	@Test
	void afterTheIdleTimeoutTheGeneratedPageSaysWhyAndTheLoginReturnsToThePage() {
		signIn("user");
		advance(Duration.ofMinutes(15));
		assertSignsInAgainAndReturns("/orders", "idle",
				"You were signed out after a period of inactivity. Please sign in again.", "user",
				"generated-login-idle");
	}

	@Test
	void atTheAbsoluteDeadlineTheGeneratedPageSaysWhyAndTheLoginReturnsToThePage() {
		signIn("user");
		for (int minutes = 0; minutes < 28; minutes += 14) {
			advance(Duration.ofMinutes(14));
			open("/orders");
		}
		advance(Duration.ofMinutes(12));
		assertSignsInAgainAndReturns("/orders", "absolute",
				"Your session reached its maximum length. Please sign in again.", "user", "generated-login-absolute");
	}

	@Test
	void whenReauthenticationIsDueTheGeneratedPageSaysWhyKeepsTheUserAndReturnsToThePage() {
		signIn("auditor");
		advance(Duration.ofMinutes(14));
		open("/orders");
		advance(Duration.ofMinutes(6));
		WebElement username = assertLoginPage("/orders", "reauthentication", "Please sign in again to continue.",
				"generated-login-reauthentication");
		assertThat(username.getAttribute("readonly")).as("only the session's user may continue it").isNotNull();
		assertThat(username.getAttribute("value")).isEqualTo("auditor");
		assertSignsInAndReturns("/orders", "Orders of auditor, visit 3");
	}

	@Test
	void forAPrivilegedPageTheGeneratedPageSaysWhyKeepsTheUserAndReturnsToThePage() {
		signIn("user");
		open("/account/password");
		advance(Duration.ofMinutes(10));
		WebElement username = assertLoginPage("/account/password", "privileged",
				"This needs a recent sign-in. Please sign in again to continue.", "generated-login-privileged");
		assertThat(username.getAttribute("value")).isEqualTo("user");
		assertSignsInAndReturns("/account/password", "Change the password of user");
	}

	@Test
	void anImageOfTheEndedSessionAnsweredAfterTheNavigationLeavesTheNewSessionToTheLogin() throws Exception {
		signIn("user");
		String first = this.driver.getWindowHandle();
		// A second tab loads an image while the session is still served, and the image's
		// request waits, until after the navigation below, in front of every filter
		this.gate.arm();
		this.driver.switchTo().newWindow(WindowType.TAB);
		String second = this.driver.getWindowHandle();
		open("/orders");
		((JavascriptExecutor) this.driver).executeScript("window.pixel = 'loading'; const image = new Image(); "
				+ "image.onload = image.onerror = () => window.pixel = 'answered'; image.src = '/pixel';");
		this.gate.awaitHeld();
		advance(Duration.ofMinutes(15));
		this.driver.switchTo().window(first);
		WebElement username = assertLoginPage("/orders", "idle",
				"You were signed out after a period of inactivity. Please sign in again.", "generated-login-image");
		// The navigation's answer saved /orders in a new session; now the image of the
		// ended session is answered, after it
		this.gate.release();
		this.driver.switchTo().window(second);
		chromium.waitUpTo15Seconds()
			.until((driver) -> "answered".equals(((JavascriptExecutor) driver).executeScript("return window.pixel")));
		this.driver.switchTo().window(first);
		username.sendKeys("user");
		assertSignsInAndReturns("/orders", "Orders of user");
	}

	private void signIn(String username) {
		this.driver.get(url("/orders"));
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(url("/login")));
		this.driver.findElement(By.id("username")).sendKeys(username);
		this.driver.findElement(By.id("password")).sendKeys("password");
		this.driver.findElement(By.tagName("form")).submit();
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(url("/orders?continue")));
	}

	private void open(String path) {
		this.driver.get(url(path));
		assertThat(this.driver.getCurrentUrl()).isEqualTo(url(path));
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
	}

	private void assertSignsInAgainAndReturns(String path, String reason, String message, String username,
			String screenshot) {
		WebElement usernameField = assertLoginPage(path, reason, message, screenshot);
		assertThat(usernameField.getAttribute("readonly")).as("an ended session is nobody's").isNull();
		usernameField.sendKeys(username);
		assertSignsInAndReturns(path, "Orders of " + username);
	}

	private WebElement assertLoginPage(String path, String reason, String message, String screenshot) {
		this.driver.get(url(path));
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(url("/login?expired=" + reason)));
		assertThat(this.driver.findElement(By.tagName("h2")).getText()).isEqualTo("Please sign in");
		assertThat(this.driver.findElement(By.cssSelector("[role=alert]")).getText()).isEqualTo(message);
		chromium.screenshot(screenshot);
		return this.driver.findElement(By.id("username"));
	}

	private void assertSignsInAndReturns(String path, String text) {
		WebElement password = this.driver.findElement(By.id("password"));
		password.sendKeys("password");
		password.submit();
		chromium.waitUpTo15Seconds().until(ExpectedConditions.urlToBe(url(path + "?continue")));
		assertThat(this.driver.findElement(By.tagName("body")).getText()).contains(text);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	/**
	 * The application; a plain configuration rather than a
	 * {@code SpringBootConfiguration}, so that the sample's own tests keep finding the
	 * sample.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Pages.class)
	static class GeneratedLoginPageApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		FilterRegistrationBean<Gate> gateRegistration(Gate gate) {
			FilterRegistrationBean<Gate> registration = new FilterRegistrationBean<>(gate);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build(),
					User.withUsername("auditor").password("{noop}password").roles("USER", "AUDITOR").build());
		}

	}

	/**
	 * Holds a request for {@code /pixel} in front of every filter, once armed, until the
	 * test releases it.
	 */
	static final class Gate extends OncePerRequestFilter {

		private volatile CountDownLatch held = new CountDownLatch(0);

		private volatile CountDownLatch released = new CountDownLatch(0);

		void arm() {
			this.released = new CountDownLatch(1);
			this.held = new CountDownLatch(1);
		}

		void awaitHeld() throws InterruptedException {
			assertThat(this.held.await(15, TimeUnit.SECONDS)).as("the image's request reached the server").isTrue();
		}

		void release() {
			this.released.countDown();
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if ("/pixel".equals(request.getRequestURI())) {
				this.held.countDown();
				try {
					// Let go after 15 seconds at most: the test fails then anyway
					this.released.await(15, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			chain.doFilter(request, response);
		}

	}

	/**
	 * The pages name their icon, so that Chromium asks for no {@code /favicon.ico} after
	 * loading them, at a moment the tests do not control: the race such a request of an
	 * ended session can run against a navigation is tested on its own, with an image
	 * whose timing the test controls.
	 */
	@RestController
	static class Pages {

		private static final String HEAD = "<head><link rel=\"icon\" href=\"data:,\"></head>";

		@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
		String orders(Authentication authentication, HttpSession session) {
			Integer visits = (Integer) session.getAttribute("visits");
			visits = (visits != null) ? visits + 1 : 1;
			session.setAttribute("visits", visits);
			return "<!DOCTYPE html><html>" + HEAD + "<body><h1>Orders of " + authentication.getName() + ", visit "
					+ visits + "</h1></body></html>";
		}

		@GetMapping(path = "/account/password", produces = MediaType.TEXT_HTML_VALUE)
		String password(Authentication authentication) {
			return "<!DOCTYPE html><html>" + HEAD + "<body><h1>Change the password of " + authentication.getName()
					+ "</h1></body></html>";
		}

	}

}
