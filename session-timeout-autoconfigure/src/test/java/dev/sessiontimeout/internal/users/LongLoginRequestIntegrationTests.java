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
package dev.sessiontimeout.internal.users;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login whose request runs on for longer than a minute (a remember-me cookie that signs
 * the user in at the start of a slow request: an upload, a report), with Spring Session's
 * map repository and no absolute deadline, so that the starter's index of the user's
 * sessions keeps entries without an end, which a later login of the user forgets if the
 * store does not hold their sessions.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = LongLoginRequestIntegrationTests.LongLoginApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=-1", "session-timeout.idle=30m" })
class LongLoginRequestIntegrationTests {

	static final CountDownLatch entered = new CountDownLatch(1);

	static final CountDownLatch released = new CountDownLatch(1);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	UserSessions userSessions;

	@BeforeEach
	void fixClock() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	/**
	 * The session that the slow request's login started is saved only as that request
	 * ends; a login of the same user in between, more than a minute after it, must not
	 * make the user's revocation miss it afterwards.
	 */
	@Test
	void aSessionWhoseLoginRequestRunsForMinutesIsRevokedWithItsUsersSessions() throws Exception {
		TestBrowser first = new TestBrowser(this.port);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(first.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = first.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		TestBrowser slow = new TestBrowser(this.port);
		slow.setCookie("remember-me", rememberMe);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Response> held = executor.submit(() -> slow.get("/upload", TestBrowser.JSON));
			assertThat(entered.await(30, TimeUnit.SECONDS)).as("the slow request runs").isTrue();
			this.clock.shift(Duration.ofMinutes(2));
			TestBrowser other = new TestBrowser(this.port);
			assertThat(other.login("user", "password").location()).doesNotContain("error");
			released.countDown();
			Response uploaded = held.get(30, TimeUnit.SECONDS);
			assertThat(uploaded.status()).as("%s", uploaded).isEqualTo(200);
		}
		finally {
			executor.shutdownNow();
		}
		String slowSession = slow.cookie("SESSION");
		assertThat(slowSession).as("the slow request's session cookie").isNotNull();
		assertThat(this.userSessions.revokeAll("user")).as("sessions revoked").isEqualTo(3);
		TestBrowser stolen = new TestBrowser(this.port);
		stolen.setCookie("SESSION", slowSession);
		Response answer = stolen.get("/api/me", TestBrowser.JSON);
		assertThat(answer.status()).as("%s", answer).isEqualTo(401);
		assertThat(answer.body()).contains("\"reason\":\"revoked\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class LongLoginApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.rememberMe((rememberMe) -> rememberMe.key("long-login-request").userDetailsService(users));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/upload", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> upload(Authentication authentication) throws InterruptedException {
				entered.countDown();
				released.await(30, TimeUnit.SECONDS);
				return Map.of("name", authentication.getName());
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
