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

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status endpoint's {@code POST} ("stay signed in") counts as activity only with the
 * CSRF token where CSRF protection is on (SPEC §4). A {@code POST} that Spring Security
 * refuses for want of the token (a forged one, from another site) must not keep the
 * session alive. Idle 30m, Spring Session's map store, CSRF on (the login form aside).
 */
@SpringBootTest(classes = StatusCsrfRefusedActivityIntegrationTests.CsrfApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class StatusCsrfRefusedActivityIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void aStatusPostRefusedForWantOfTheCsrfTokenDoesNotKeepTheSessionAlive() {
		shiftBy(Duration.ofMinutes(25));
		Response forged = this.browser.post("/session/status", Map.of(), TestBrowser.JSON);
		assertThat(forged.status()).as("refused without the token: %s", forged).isEqualTo(403);
		shiftBy(Duration.ofMinutes(6));
		Response after = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(after.status()).as("31 minutes after the last activity: %s", after).isEqualTo(401);
		assertThat(after.body()).contains("\"reason\":\"idle\"");
	}

	@Test
	void aStatusPostWithTheCsrfTokenKeepsTheSessionAlive() {
		Response page = this.browser.get("/login", TestBrowser.HTML);
		Matcher token = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page.body());
		assertThat(token.find()).as("the login page's CSRF token: %s", page).isTrue();
		Instant accepted = shiftBy(Duration.ofMinutes(25));
		Response post = this.browser.post("/session/status", Map.of("_csrf", token.group(1)), TestBrowser.JSON);
		assertThat(post.status()).as("accepted with the token: %s", post).isEqualTo(200);
		assertThat(post.body()).contains("\"lastActivityAt\":\"" + accepted + "\"");
		shiftBy(Duration.ofMinutes(6));
		Response after = this.browser.get("/session/status", TestBrowser.JSON);
		assertThat(after.status()).as("6 minutes after the accepted POST: %s", after).isEqualTo(200);
		assertThat(after.body()).contains("\"lastActivityAt\":\"" + accepted + "\"");
	}

	private Instant shiftBy(Duration duration) {
		Instant instant = this.clock.instant().plus(duration);
		this.clock.fixAt(instant);
		return instant;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class CsrfApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/session/status").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.ignoringRequestMatchers("/login"));
			return http.build();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

	}

}
