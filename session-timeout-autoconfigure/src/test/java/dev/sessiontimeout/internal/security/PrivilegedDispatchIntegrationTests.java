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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path reached by a forward or an include from an ordinary path is
 * challenged like a request of that path, through the real filter chain (Spring Session's
 * map store): before the privileged age the content is served, from it a browser is sent
 * to log in and anything else gets the RFC 9470 {@code 401}, never the content.
 * Privileged age 15m on {@code /account/password}.
 */
@SpringBootTest(classes = PrivilegedDispatchIntegrationTests.DispatchApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.privileged.max-age=15m", "session-timeout.privileged.paths=/account/password",
				// Tomcat logs a denied include at ERROR, which this test expects
				"logging.level.org.apache.catalina.core.ContainerBase=off",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class PrivilegedDispatchIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void aForwardToAPrivilegedPathIsChallengedFromThePrivilegedAge() {
		assertServed("/ordinary/forward");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertChallenged("/ordinary/forward");
	}

	@Test
	void anIncludeOfAPrivilegedPathIsChallengedFromThePrivilegedAge() {
		assertServed("/ordinary/include");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertChallenged("/ordinary/include");
	}

	@Test
	void aBrowserForwardedToAPrivilegedPathIsSentToLogIn() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		Response page = this.browser.get("/ordinary/forward", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=privileged");
		assertThat(page.body()).doesNotContain("Change the password");
	}

	private void assertServed(String path) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains("Change the password of user");
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("Change the password");
		assertThat(challenged.header("WWW-Authenticate")).contains("insufficient_user_authentication", "max_age=900");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class DispatchApplication {

		@RestController
		static class Pages {

			@GetMapping(path = "/account/password",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			String password(Authentication authentication) {
				return "Change the password of " + authentication.getName();
			}

			@GetMapping("/ordinary/forward")
			void forward(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/account/password").forward(request, response);
			}

			@GetMapping("/ordinary/include")
			void include(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/account/password").include(request, response);
			}

		}

	}

}
