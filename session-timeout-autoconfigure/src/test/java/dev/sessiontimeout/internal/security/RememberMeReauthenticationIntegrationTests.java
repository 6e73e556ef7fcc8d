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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.StoreTestApplication.RecordedEvents;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user who signed in with "remember me" and whose re-authentication is due: the
 * remember-me cookie, which proves no factor, does not sign the hidden user in again in
 * the same session; the browser goes to the login. Idle 1h, re-authentication 1h.
 */
@SpringBootTest(classes = RememberMeReauthenticationIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.idle=1h",
				"session-timeout.absolute=8h", "session-timeout.reauthentication=1h",
				"session-timeout.privileged.max-age=15m" })
class RememberMeReauthenticationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordedEvents events;

	Instant start;

	@BeforeEach
	void fixTheClock() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.start);
		this.events.clear();
	}

	@Test
	void aRememberMeCookieDoesNotMeetADueReauthentication() {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.post("/login",
				Map.of("username", "alice", "password", "password", "remember-me", "on"), TestBrowser.HTML);
		assertThat(login.status()).isEqualTo(302);
		assertThat(browser.cookie("remember-me")).as("%s", login).isNotNull();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(30)));
		assertThat(browser.get("/home", TestBrowser.HTML).status()).isEqualTo(200);
		this.clock.fixAt(this.start.plus(Duration.ofHours(1)).plusSeconds(1));
		Response due = browser.get("/home", TestBrowser.HTML);
		assertThat(due.status()).as("re-authentication due: %s", due).isEqualTo(302);
		assertThat(due.location()).endsWith("/login?expired=reauthentication");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		RecordedEvents recordedEvents() {
			return new RecordedEvents();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.key("test-key"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			String home(Authentication authentication) {
				return "<html><body>Hello " + authentication.getName() + "</body></html>";
			}

		}

	}

}
