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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An application whose {@link HttpSessionSecurityContextRepository} keeps the security
 * context under a key of its own
 * ({@code setSpringSecurityContextKey("APP_SECURITY_CONTEXT")}, given to
 * {@code HttpSecurity.securityContext}): its users are signed in with the session all the
 * same, so the clocks that count from authentication must hold for them, or the starter
 * must refuse to start, never treat every session as anonymous and enforce no
 * re-authentication. The starter, as Spring Session's principal indexes, reads Spring
 * Security's default attribute: the application fails to start with a report naming the
 * chain, the attribute and the fix. With the default key (named explicitly) the
 * re-authentication holds. Spring Session's map store; re-authentication 1h.
 *
 * @author session-timeout
 */
class CustomContextAttributeIntegrationTests {

	private static final String[] PROPERTIES = { "--server.port=0", "--session-timeout.absolute=4h",
			"--session-timeout.idle=30m", "--session-timeout.reauthentication=1h",
			"--spring.autoconfigure.exclude="
					+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
					+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
					+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };

	@Test
	void anApplicationThatKeepsItsUsersUnderAContextAttributeOfItsOwnFailsToStart() {
		Throwable failure = catchThrowable(() -> run("APP_SECURITY_CONTEXT").close());
		assertThat(failure).as("the application started").isNotNull();
		Throwable invalid = failure;
		while (invalid != null && !invalid.getClass().getSimpleName().equals("InvalidSessionTimeoutException")) {
			invalid = invalid.getCause();
		}
		assertThat(invalid).as("%s", failure).isNotNull();
		assertThat(invalid.getMessage()).contains("SecurityFilterChain=securityFilterChain",
				"keeps the signed-in user in the session attribute 'APP_SECURITY_CONTEXT'",
				"keep the security context under Spring Security's default session attribute 'SPRING_SECURITY_CONTEXT'");
	}

	@Test
	void theReauthenticationHoldsForAUserSignedInUnderTheDefaultAttributeNamedExplicitly() {
		try (ConfigurableApplicationContext context = run(
				HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)) {
			MutableClock clock = context.getBean(MutableClock.class);
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
			Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			clock.fixAt(start);
			Response login = browser.login("alice", "password");
			assertThat(login.status()).as("%s", login).isEqualTo(302);
			for (int minutes = 20; minutes < 60; minutes += 20) {
				clock.fixAt(start.plus(Duration.ofMinutes(minutes)));
				assertThat(browser.get("/home", TestBrowser.HTML).body()).as("signed in").isEqualTo("home, alice");
			}
			clock.fixAt(start.plus(Duration.ofMinutes(61)));
			Response home = browser.get("/home", TestBrowser.HTML);
			assertThat(home.body()).as("signed in 61 minutes ago, re-authentication 1h: %s", home)
				.doesNotContain("alice");
		}
	}

	private static ConfigurableApplicationContext run(String attribute) {
		String[] args = new String[PROPERTIES.length + 1];
		System.arraycopy(PROPERTIES, 0, args, 0, PROPERTIES.length);
		args[PROPERTIES.length] = "--app.security-context-attribute=" + attribute;
		return new SpringApplication(App.class).run(args);
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
		SecurityFilterChain securityFilterChain(HttpSecurity http,
				@Value("${app.security-context-attribute}") String attribute) throws Exception {
			HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
			repository.setSpringSecurityContextKey(attribute);
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/account/**").authenticated().anyRequest().permitAll());
			http.securityContext((context) -> context.securityContextRepository(repository));
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

			@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
			String home(@Nullable Principal principal) {
				return "home, " + ((principal != null) ? principal.getName() : "none");
			}

		}

	}

}
