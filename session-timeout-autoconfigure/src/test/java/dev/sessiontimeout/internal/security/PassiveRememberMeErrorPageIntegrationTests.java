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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.rememberme.InMemoryTokenRepositoryImpl;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A passive request refused by an entry point that sends an error (as HTTP Basic's does)
 * is answered by the error page, in a dispatch of its own that Spring Security filters
 * again: the remember-me cookie stays hidden there too, so the error page signs nobody in
 * and renews no persistent token.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = PassiveRememberMeErrorPageIntegrationTests.RememberMeApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.activity.passive-paths=/api/poll",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class PassiveRememberMeErrorPageIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aPassivePollRefusedWithAnErrorLeavesTheRememberMeCookieToTheNextActiveRequest() {
		TestBrowser login = new TestBrowser(this.port);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(login.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = login.cookie("remember-me");
		assertThat(rememberMe).as("the remember-me cookie").isNotNull();
		TestBrowser reopened = new TestBrowser(this.port);
		reopened.setCookie("remember-me", rememberMe);
		TestBrowser.Response poll = reopened.get("/api/poll", TestBrowser.JSON);
		assertThat(poll.status()).as("%s", poll).isEqualTo(401);
		assertThat(poll.setCookies()).as("%s", poll).noneMatch((cookie) -> cookie.startsWith("remember-me="));
		assertThat(reopened.cookie("SESSION")).as("a session of the poll").isNull();
		// The persistent token is the same: the cookie signs the user in
		TestBrowser.Response me = reopened.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(200);
		assertThat(me.jsonString("name")).isEqualTo("user");
		assertThat(reopened.cookie("remember-me")).isNotEqualTo(rememberMe);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class RememberMeApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users) {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated());
			http.formLogin((form) -> form.permitAll());
			http.rememberMe((rememberMe) -> rememberMe.tokenRepository(new InMemoryTokenRepositoryImpl())
				.userDetailsService(users));
			// Refused requests are answered by the error page, as with HTTP Basic
			http.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint((request, response, ex) -> response.sendError(401)));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		PollController pollController() {
			return new PollController();
		}

	}

	@RestController
	static class PollController {

		@GetMapping({ "/api/poll", "/api/me" })
		Map<String, String> me(Principal principal) {
			return Map.of("name", principal.getName());
		}

	}

}
