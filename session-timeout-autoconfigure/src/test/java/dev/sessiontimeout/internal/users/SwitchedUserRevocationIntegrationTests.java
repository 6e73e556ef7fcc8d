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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation of a user who switched to another user (Spring Security's
 * {@link SwitchUserFilter}) on Spring Session's map repository, whose sessions the
 * starter's own index finds by user: the session is still its administrator's, whose
 * revocation must end it. {@link ContainerSwitchedUserRevocationIntegrationTests} does
 * the same on the container's sessions.
 */
@SpringBootTest(
		classes = { SwitchedUserRevocationIntegrationTests.SwitchUserApplication.class,
				SwitchedUserRevocationIntegrationTests.MapStoreConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"session-timeout.absolute=2h", "session-timeout.idle=30m" })
class SwitchedUserRevocationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	InMemoryUserDetailsManager users;

	@Autowired
	UserSessions userSessions;

	@Autowired
	List<SessionEndedEvent> endedEvents;

	String admin;

	String customer;

	@BeforeEach
	void createUsers() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.admin = "admin-" + UUID.randomUUID();
		this.customer = "customer-" + UUID.randomUUID();
		this.users.createUser(User.withUsername(this.admin).password("{noop}password").roles("ADMIN").build());
		this.users.createUser(User.withUsername(this.customer).password("{noop}password").roles("USER").build());
		this.endedEvents.clear();
	}

	@Test
	void revokingAnAdministratorEndsTheSessionInWhichTheAdministratorSwitchedToAnotherUser() {
		TestBrowser browser = switchedToTheCustomer();

		assertThat(this.userSessions.revokeAll(this.admin)).as("the administrator's sessions revoked").isEqualTo(1);
		Response page = browser.get("/orders", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=revoked");
	}

	@Test
	void revokingAnAdministratorAnnouncesTheSwitchedSessionWithItsUserAsEveryOtherEventOfTheSessionDoes() {
		switchedToTheCustomer();

		assertThat(this.userSessions.revokeAll(this.admin)).as("the administrator's sessions revoked").isEqualTo(1);
		assertThat(this.endedEvents).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.REVOKED);
			assertThat(event.getPrincipal()).as("the session's user").isEqualTo(this.customer);
		});
	}

	private TestBrowser switchedToTheCustomer() {
		TestBrowser browser = new TestBrowser(this.port);
		Response login = browser.login(this.admin, "password");
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		Response switched = browser.post("/impersonate", Map.of("username", this.customer), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(switched.location()).endsWith("/orders");
		Response page = browser.get("/orders", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		assertThat(page.body()).contains("Orders of " + this.customer);
		return browser;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableSpringHttpSession
	static class MapStoreConfiguration {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SwitchUserApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		List<SessionEndedEvent> endedEvents() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		ApplicationListener<SessionEndedEvent> endedEventsListener(List<SessionEndedEvent> endedEvents) {
			return endedEvents::add;
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users) throws Exception {
			SwitchUserFilter switchUser = new SwitchUserFilter();
			switchUser.setUserDetailsService(users);
			switchUser.setSwitchUserUrl("/impersonate");
			switchUser.setTargetUrl("/orders");
			switchUser.afterPropertiesSet();
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/impersonate")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			http.addFilterAfter(switchUser, AuthorizationFilter.class);
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager();
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
