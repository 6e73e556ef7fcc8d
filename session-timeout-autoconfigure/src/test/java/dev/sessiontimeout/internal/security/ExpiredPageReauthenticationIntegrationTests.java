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

import java.security.Principal;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose {@code session-timeout.expired-url} is a page of its own that also
 * shows the signed-in user's data (its home page, with a banner that tells why): that
 * page is never refused, but a user whose re-authentication is due must not be served as
 * signed in there either. Spring Session's map store, re-authentication 1h.
 */
@SpringBootTest(classes = ExpiredPageReauthenticationIntegrationTests.HomePageApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.reauthentication=1h", "session-timeout.idle=1h",
				"session-timeout.privileged.max-age=15m", "session-timeout.expired-url=/home?expired={reason}" })
class ExpiredPageReauthenticationIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	@Test
	void theExpiredPageDoesNotServeAUserWhoseReauthenticationIsDueAsSignedIn() {
		assertThat(this.browser.login("user", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		assertThat(this.browser.get("/home", TestBrowser.JSON).jsonString("user")).isEqualTo("user");
		this.clock.fixAt(this.start.plus(Duration.ofHours(1)));
		Response account = this.browser.get("/account", TestBrowser.HTML);
		assertThat(account.status()).as("%s", account).isEqualTo(302);
		assertThat(account.location()).endsWith("/home?expired=reauthentication");
		Response home = this.browser.get("/home?expired=reauthentication", TestBrowser.JSON);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).as("the page is served, but not to the user who must sign in again")
			.doesNotContain("\"user\":\"user\"")
			.doesNotContain("4111");
	}

	@Test
	void theExpiredPageDoesNotServeTheUserOfASessionPastItsAbsoluteDeadline() {
		assertThat(this.browser.login("user", "password").location()).doesNotContain("error");
		for (int hours = 1; hours <= 8; hours++) {
			this.clock.fixAt(this.start.plus(Duration.ofHours(hours)).minus(Duration.ofMinutes(1)));
			assertThat(this.browser.login("user", "password").location()).doesNotContain("error");
		}
		this.clock.fixAt(this.start.plus(Duration.ofHours(8)));
		Response home = this.browser.get("/home?expired=absolute", TestBrowser.JSON);
		assertThat(home.status()).as("%s", home).isEqualTo(200);
		assertThat(home.body()).doesNotContain("\"user\":\"user\"");
		this.clock.fixAt(this.start.plus(Duration.ofHours(8)).plusSeconds(1));
		assertThat(this.browser.get("/home", TestBrowser.JSON).body()).doesNotContain("\"user\":\"user\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class HomePageApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/login", "/error", "/session/status", "/home")
						.permitAll()
						.anyRequest()
						.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class HomeController {

			@GetMapping(path = "/home", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> home(@Nullable Principal principal) {
				if (principal == null) {
					return Map.of("user", "anonymous");
				}
				return Map.of("user", principal.getName(), "card", "4111 1111 1111 1111");
			}

			@GetMapping(path = "/account", produces = { MediaType.TEXT_HTML_VALUE, MediaType.APPLICATION_JSON_VALUE })
			String account(Principal principal) {
				return principal.getName();
			}

		}

	}

}
