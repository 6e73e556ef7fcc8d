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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
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
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guard: a form login whose success handler answers a JSON body (no redirect), which the
 * starter now commits as its filter finishes so that Spring Session saves the session
 * before the login's last read of its user's revocations: the body, the session cookie
 * and Spring Security's headers reach the client, the session serves the next requests,
 * and a revocation of its user ends it. Spring Session's map store.
 */
@SpringBootTest(classes = JsonLoginResponseIntegrationTests.JsonLoginApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class JsonLoginResponseIntegrationTests extends AbstractLiveApplicationTests {

	@Autowired
	UserSessions userSessions;

	@Test
	void aLoginThatAnswersJsonKeepsItsSessionAndResponse() {
		Response login = this.browser.post("/login", Map.of("username", "user", "password", "password"),
				TestBrowser.JSON);
		assertThat(login.status()).as("%s", login).isEqualTo(200);
		assertThat(login.body()).as("%s", login).isEqualTo("{\"signedIn\":\"user\"}");
		assertThat(login.header("X-Content-Type-Options")).as("%s", login).isEqualTo("nosniff");
		assertThat(login.header("X-Login")).as("%s", login).isEqualTo("json");
		assertThat(this.browser.cookie("SESSION")).as("the login's session cookie").isNotNull();
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(1)));
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);
		assertThat(this.userSessions.revokeAll("user")).isEqualTo(1);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).status()).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class JsonLoginApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin((form) -> form.successHandler((request, response, authentication) -> {
				response.setStatus(200);
				response.setHeader("X-Login", "json");
				response.setContentType(MediaType.APPLICATION_JSON_VALUE);
				response.getOutputStream()
					.write(("{\"signedIn\":\"" + authentication.getName() + "\"}").getBytes(StandardCharsets.UTF_8));
			}));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@RestController
		static class Me {

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

}
