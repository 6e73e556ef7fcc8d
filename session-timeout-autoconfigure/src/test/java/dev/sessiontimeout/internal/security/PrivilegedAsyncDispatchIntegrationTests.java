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
import java.util.concurrent.Callable;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path reached by an asynchronous dispatch to another path
 * ({@link AsyncContext#dispatch(String)}) from an ordinary one is challenged like a
 * request of that path, as a forward or an include is; an asynchronous dispatch back to
 * the request's own path is not decided again. Spring Session's map store, privileged age
 * 15m on {@code /account/password} and {@code /account/export}.
 */
@SpringBootTest(classes = PrivilegedAsyncDispatchIntegrationTests.AsyncDispatchApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/account/password,/account/export",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class PrivilegedAsyncDispatchIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void anAsyncDispatchToAPrivilegedPathIsChallengedFromThePrivilegedAge() {
		Response served = this.browser.get("/ordinary/async", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains("Change the password of user");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		Response direct = this.browser.get("/account/password", TestBrowser.JSON);
		assertThat(direct.status()).as("%s", direct).isEqualTo(401);
		Response dispatched = this.browser.get("/ordinary/async", TestBrowser.JSON);
		assertThat(dispatched.body()).as("%s", dispatched).doesNotContain("Change the password");
		assertThat(dispatched.status()).as("%s", dispatched).isEqualTo(401);
	}

	@Test
	void anAsyncDispatchBackToAPrivilegedPathIsNotDecidedAgain() {
		// The privileged age runs out while the Callable runs: its path was decided at
		// the request's start, and the privileged age gates starting an operation
		Response exported = this.browser.get("/account/export", TestBrowser.JSON);
		assertThat(exported.status()).as("%s", exported).isEqualTo(200);
		assertThat(exported.body()).contains("Exported for user");
		Response direct = this.browser.get("/account/password", TestBrowser.JSON);
		assertThat(direct.status()).as("%s", direct).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class AsyncDispatchApplication {

		@Bean
		ServletRegistrationBean<HttpServlet> asyncDispatchingServlet() {
			ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) {
					AsyncContext async = request.startAsync();
					async.dispatch("/account/password");
				}

			}, "/ordinary/async");
			registration.setAsyncSupported(true);
			return registration;
		}

		@RestController
		static class Pages {

			private final MutableClock clock;

			Pages(MutableClock clock) {
				this.clock = clock;
			}

			@GetMapping(path = "/account/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Callable<String> export(Authentication authentication) {
				String name = authentication.getName();
				return () -> {
					this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
					return "Exported for " + name;
				};
			}

			@GetMapping(path = "/account/password",
					produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_HTML_VALUE })
			String password(Authentication authentication) {
				return "Change the password of " + authentication.getName();
			}

		}

	}

}
