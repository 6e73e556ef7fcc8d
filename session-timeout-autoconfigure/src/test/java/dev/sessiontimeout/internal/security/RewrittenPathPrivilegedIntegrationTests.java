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
package dev.sessiontimeout.internal.security;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.UrlHandlerFilter;

import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path whose request a filter of the application rewrites before Spring
 * Security sees it: Spring Framework's {@link UrlHandlerFilter} that takes the trailing
 * slash off ({@code trailingSlashHandler("/**").wrapRequest()}), registered between the
 * starter's {@link SessionTimeoutFilter} and Spring Security's filter chain (order
 * {@code -1000}), so that Spring Security's rules see the path the handler serves.
 * {@code GET /account/transfer/} is served by the handler of {@code /account/transfer}, a
 * privileged path, and must be challenged as it is; {@code /account/overview/}, an
 * ordinary path rewritten, is served as before and counts as activity; whether a request
 * counts as activity is decided once, by the path it came with. Spring Session's map
 * store; privileged age 15m on {@code /account/transfer}.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = RewrittenPathPrivilegedIntegrationTests.RewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/transfer",
				"session-timeout.activity.passive-paths=/api/poll",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class RewrittenPathPrivilegedIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void aPrivilegedPathThatAFilterRewritesBeforeSpringSecurityIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(5)));
		assertServed("/account/transfer/", "transfer of user");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertChallenged("/account/transfer");
		assertChallenged("/account/transfer/");
	}

	@Test
	void aRewrittenPrivilegedPathThatIsChallengedIsNoActivity() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/account/transfer/");
		// Idle 30m from the login: the challenged request moved nothing
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(11)));
		Response ended = this.browser.get("/account/overview", TestBrowser.JSON);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"").doesNotContain("overview of user");
	}

	@Test
	void aBrowserSentToARewrittenPrivilegedPathIsSentToLogIn() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		Response page = this.browser.get("/account/transfer/", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=privileged");
		assertThat(page.body()).doesNotContain("transfer of user");
	}

	@Test
	void anOrdinaryPathThatAFilterRewritesIsServedAndCountsAsActivity() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertServed("/account/overview/", "overview of user");
		// Idle 30m: 25 minutes after that request the session is still there
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(25)));
		assertServed("/account/overview", "overview of user");
	}

	@Test
	void aRequestIsPassiveOrActiveByThePathItCameWithNotByItsRewrite() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		// The passive path itself moves nothing
		assertServed("/api/poll", "poll of user");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(5)));
		// Not a passive path as it came, though rewritten to one: activity
		assertServed("/api/poll/", "poll of user");
		// Idle 30m: 29 minutes after that request the session is still there
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(29)));
		assertServed("/api/poll", "poll of user");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(31)));
		Response ended = this.browser.get("/account/overview", TestBrowser.JSON);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"").doesNotContain("overview of user");
	}

	private void assertServed(String path, String content) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains(content);
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("transfer of user");
		assertThat(challenged.header("WWW-Authenticate")).contains("insufficient_user_authentication", "max_age=900");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class RewritingApplication {

		/**
		 * Takes the trailing slash off a request's path, after the starter's filter and
		 * ahead of Spring Security.
		 */
		@Bean
		FilterRegistrationBean<UrlHandlerFilter> trailingSlashFilter() {
			FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
					UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build());
			registration.setOrder(-1000);
			return registration;
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/account/transfer",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			String transfer(Authentication authentication) {
				return "transfer of " + authentication.getName();
			}

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			String overview(Authentication authentication) {
				return "overview of " + authentication.getName();
			}

			@GetMapping(path = "/api/poll", produces = MediaType.APPLICATION_JSON_VALUE)
			String poll(Authentication authentication) {
				return "poll of " + authentication.getName();
			}

		}

	}

}
