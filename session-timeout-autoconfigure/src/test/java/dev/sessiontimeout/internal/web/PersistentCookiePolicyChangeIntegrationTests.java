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

import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login that keeps its session's id (session fixation protection turned off) and moves
 * the session from a policy with a persistent cookie to one without: the browser is told
 * that the cookie ends with the browser session, on container sessions (embedded Tomcat,
 * no Spring Session).
 */
@SpringBootTest(classes = PersistentCookiePolicyChangeIntegrationTests.PolicyChangeApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=2h", "session-timeout.idle=30m",
				"session-timeout.policies[0].name=travellers", "session-timeout.policies[0].authorities=ROLE_TRAVELLER",
				"session-timeout.policies[0].absolute=90m", "session-timeout.policies[0].cookie-persistent=true",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class PersistentCookiePolicyChangeIntegrationTests extends AbstractLiveApplicationTests {

	@Test
	void aLoginIntoAPolicyWithoutPersistentCookieLeavesABrowserSessionCookie() {
		Response traveller = login("traveller");
		assertThat(traveller.status()).as("%s", traveller).isEqualTo(302);
		assertThat(sessionCookies(traveller)).as("%s", traveller).last().asString().containsIgnoringCase("Max-Age=");
		String session = this.browser.cookie("JSESSIONID");
		Response user = login("user");
		assertThat(user.status()).as("%s", user).isEqualTo(302);
		assertThat(this.browser.cookie("JSESSIONID")).as("the same session").isEqualTo(session);
		assertThat(sessionCookies(user)).as("%s", user)
			.isNotEmpty()
			.last()
			.asString()
			.doesNotContainIgnoringCase("Max-Age=")
			.doesNotContainIgnoringCase("Expires=");
		Response served = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(sessionCookies(served)).as("%s", served)
			.noneMatch((cookie) -> cookie.toLowerCase(Locale.ROOT).contains("max-age="));
	}

	private Response login(String username) {
		return this.browser.post("/login", Map.of("username", username, "password", "password"), TestBrowser.HTML);
	}

	private static List<String> sessionCookies(Response response) {
		return response.setCookies().stream().filter((cookie) -> cookie.startsWith("JSESSIONID=")).toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PolicyChangeApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.sessionManagement((sessions) -> sessions.sessionFixation((fixation) -> fixation.none()));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("traveller").password("{noop}password").roles("TRAVELLER").build(),
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Orders {

			@GetMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> orders() {
				return Map.of("orders", List.of());
			}

		}

	}

}
