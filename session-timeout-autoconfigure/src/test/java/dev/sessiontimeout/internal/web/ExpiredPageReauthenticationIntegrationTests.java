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
package dev.sessiontimeout.internal.web;

import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expired page while the session's re-authentication is due, on servlet (Spring
 * Session's map store): {@code session-timeout.expired-url} names a page of the
 * application's own, {@code /welcome}, which greets a signed-in user by name and anyone
 * else as a guest. The page is never refused, but it must not be served with the user
 * whose re-authentication is due: every other request anyone may make runs without that
 * user until the user signs in again.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = ExpiredPageReauthenticationIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m", "session-timeout.reauthentication=1h",
				"session-timeout.expired-url=/welcome?reason={reason}",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ExpiredPageReauthenticationIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		Response login = this.browser.login("alice", "password");
		assertThat(login.status()).as("%s", login).isEqualTo(302);
	}

	@Test
	void theExpiredPageIsServedWithoutTheUserWhoseReauthenticationIsDue() {
		shiftBy(Duration.ofMinutes(20));
		assertThat(this.browser.get("/welcome", TestBrowser.HTML).body()).as("signed in").isEqualTo("welcome, alice");
		shiftBy(Duration.ofMinutes(20));
		assertThat(this.browser.get("/home", TestBrowser.HTML).body()).as("signed in").isEqualTo("home, alice");
		// Re-authentication due: the application's other pages run without the user
		shiftBy(Duration.ofMinutes(21));
		Response due = this.browser.get("/home", TestBrowser.HTML);
		assertThat(due.body()).as("another page anyone may see: %s", due).isEqualTo("home, none");
		Response welcome = this.browser.get("/welcome?reason=reauthentication", TestBrowser.HTML);
		assertThat(welcome.status()).as("never refused: %s", welcome).isEqualTo(200);
		assertThat(welcome.body()).as("the expired page while re-authentication is due: %s", welcome)
			.isEqualTo("welcome, guest");
		// The user signs in again: the page greets the user again
		assertThat(this.browser.login("alice", "password").status()).isEqualTo(302);
		assertThat(this.browser.get("/welcome", TestBrowser.HTML).body()).isEqualTo("welcome, alice");
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class App {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/account/**").authenticated().anyRequest().permitAll());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}password").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/welcome", produces = MediaType.TEXT_HTML_VALUE)
			String welcome(@Nullable Principal principal) {
				return "welcome, " + ((principal != null) ? principal.getName() : "guest");
			}

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			String home(@Nullable Principal principal) {
				return "home, " + ((principal != null) ? principal.getName() : "none");
			}

		}

	}

}
