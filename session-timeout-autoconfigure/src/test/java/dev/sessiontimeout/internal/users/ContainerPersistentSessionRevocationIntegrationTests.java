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

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
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

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions of the servlet container that it restored at its start
 * ({@code server.servlet.session.persistent}, which Spring Boot's developer tools turn
 * on): Tomcat tells no listener of them, yet a revocation of their user must end them,
 * and a listing must show them.
 */
class ContainerPersistentSessionRevocationIntegrationTests {

	@TempDir
	Path storeDir;

	@Test
	void aSessionTheContainerRestoredAtItsStartIsEndedByItsUsersRevocation() {
		String cookie;
		try (ConfigurableApplicationContext first = start()) {
			TestBrowser browser = new TestBrowser(port(first));
			Response login = browser.login("alice", "password");
			assertThat(login.status()).as("%s", login).isEqualTo(302);
			assertThat(login.location()).doesNotContain("error");
			assertThat(browser.get("/orders", TestBrowser.HTML).status()).isEqualTo(200);
			cookie = browser.cookie("JSESSIONID");
		}
		try (ConfigurableApplicationContext second = start()) {
			TestBrowser browser = new TestBrowser(port(second));
			browser.setCookie("JSESSIONID", cookie);
			UserSessions userSessions = second.getBean(UserSessions.class);
			assertThat(userSessions.list("alice")).as("alice's sessions after the restart").hasSize(1);
			assertThat(userSessions.revokeAll("alice")).as("alice's sessions revoked").isEqualTo(1);
			Response page = browser.get("/orders", TestBrowser.HTML);
			assertThat(page.status()).as("%s", page).isEqualTo(302);
			assertThat(page.location()).endsWith("/login?expired=revoked");
		}
	}

	@Test
	void aSessionThatEndedWhileTheContainerWasDownIsNeitherListedNorServedAfterItsRestart() {
		String cookie;
		try (ConfigurableApplicationContext first = start()) {
			TestBrowser browser = new TestBrowser(port(first));
			Response login = browser.login("alice", "password");
			assertThat(login.status()).as("%s", login).isEqualTo(302);
			assertThat(browser.get("/orders", TestBrowser.HTML).status()).isEqualTo(200);
			cookie = browser.cookie("JSESSIONID");
		}
		// Restarted 31 minutes later, past the session's idle deadline
		try (ConfigurableApplicationContext second = start(Duration.ofMinutes(31))) {
			TestBrowser browser = new TestBrowser(port(second));
			browser.setCookie("JSESSIONID", cookie);
			UserSessions userSessions = second.getBean(UserSessions.class);
			assertThat(userSessions.list("alice")).as("alice's sessions after the restart").isEmpty();
			Response page = browser.get("/orders", TestBrowser.HTML);
			assertThat(page.status()).as("%s", page).isEqualTo(302);
			assertThat(page.location()).endsWith("/login?expired=idle");
		}
	}

	private ConfigurableApplicationContext start() {
		return start(Duration.ZERO);
	}

	private ConfigurableApplicationContext start(Duration later) {
		return new SpringApplicationBuilder(PersistentSessionsApplication.class)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean("sessionTimeoutClock",
					Clock.class, () -> Clock.offset(Clock.systemUTC(), later)))
			.properties("server.port=0", "server.servlet.session.persistent=true",
					"server.servlet.session.store-dir=" + this.storeDir,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
					"session-timeout.absolute=2h", "session-timeout.idle=30m")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PersistentSessionsApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					List.of(User.withUsername("alice").password("{noop}password").roles("USER").build()));
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			String orders(Authentication authentication) {
				return "<html><body>Orders of " + authentication.getName() + "</body></html>";
			}

		}

	}

}
