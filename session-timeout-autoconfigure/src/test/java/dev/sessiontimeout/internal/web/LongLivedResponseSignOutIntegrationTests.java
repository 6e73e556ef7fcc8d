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

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Responses that outlive the decision to serve their request, in an application whose
 * logout keeps the session ({@code logout.invalidateHttpSession(false)}): a response that
 * began for a signed-in user writes nothing once that user signed out of the session
 * elsewhere, within the response check interval, as after a logout that ends the session.
 */
@SpringBootTest(
		classes = { AbstractLongLivedResponseTests.LongLivedApplication.class,
				LongLivedResponseSignOutIntegrationTests.KeptSessionLogout.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=1h", "session-timeout.idle=30m",
				"session-timeout.policies[0].name=auditors", "session-timeout.policies[0].authorities=ROLE_AUDITOR",
				"session-timeout.policies[0].reauthentication=45m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class LongLivedResponseSignOutIntegrationTests extends AbstractLongLivedResponseTests {

	@Test
	void serverSentEventsStopWithinTheCheckIntervalOfASignOutThatKeepsTheSession() throws Exception {
		signIn("user");
		openEvents();
		at(CHECK_INTERVAL);
		assertEventSent("two");
		Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		assertThat(logout.location()).endsWith("/login?logout");
		at(CHECK_INTERVAL.multipliedBy(2).minusMillis(1));
		assertEventSent("three");
		at(CHECK_INTERVAL.multipliedBy(2));
		assertEventRefused("four");
		assertEndOfStream();
	}

	@Test
	void aStreamedBodyStopsWithinTheCheckIntervalOfASignOutThatKeepsTheSession() throws Exception {
		signIn("user");
		this.stream = open("/stream", "text/plain");
		assertThat(this.stream.status()).isEqualTo(200);
		assertThat(this.stream.nextLine()).isEqualTo("open");
		at(CHECK_INTERVAL);
		assertThat(this.streams.write("one\n")).isEqualTo("one\n");
		assertThat(this.stream.nextLine()).isEqualTo("one");
		assertThat(this.browser.post("/logout", Map.of(), TestBrowser.HTML).location()).endsWith("/login?logout");
		at(CHECK_INTERVAL.multipliedBy(2).plus(Duration.ofMillis(1)));
		assertThat(this.streams.write("two\n")).isInstanceOf(IOException.class);
		assertEndOfStream();
	}

	@Configuration(proxyBeanMethods = false)
	static class KeptSessionLogout {

		/**
		 * Ahead of the application's chain: the same, with a logout that keeps the
		 * session.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		SecurityFilterChain keptSessionSecurityFilterChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/**");
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.logout((logout) -> logout.invalidateHttpSession(false));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

	}

}
