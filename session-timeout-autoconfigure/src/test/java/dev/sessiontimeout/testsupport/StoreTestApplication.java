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
package dev.sessiontimeout.testsupport;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.web.SessionAttributes;

/**
 * The application every store test runs: form login, an HTML page and a JSON endpoint
 * behind it, and a shiftable {@code sessionTimeoutClock}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StoreTestApplication {

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/login", "/error", "/session/status", "/actuator/**")
					.permitAll()
					.anyRequest()
					.authenticated());
		http.formLogin((form) -> form.loginPage("/login"));
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(
				User.withUsername("user").password("{noop}password").roles("USER").build(),
				User.withUsername("admin").password("{noop}password").roles("ADMIN").build());
	}

	@Bean
	SimpleMeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	InMemoryAuditEventRepository auditEventRepository() {
		return new InMemoryAuditEventRepository();
	}

	@Bean
	RecordedEvents recordedEvents() {
		return new RecordedEvents();
	}

	/**
	 * Records every {@link SessionTimeoutEvent}.
	 */
	public static class RecordedEvents implements ApplicationListener<SessionTimeoutEvent> {

		private final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(SessionTimeoutEvent event) {
			this.events.add(event);
		}

		public List<SessionTimeoutEvent> all() {
			return List.copyOf(this.events);
		}

		public void clear() {
			this.events.clear();
		}

	}

	@RestController
	static class PagesController {

		private final MutableClock clock;

		PagesController(MutableClock clock) {
			this.clock = clock;
		}

		@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
		String login(@RequestParam(required = false) String expired) {
			return "<html><body>" + ((expired != null) ? "<p id=\"expired\">Session ended: " + expired + "</p>" : "")
					+ "<form method=\"post\" action=\"/login\"><input name=\"username\"><input name=\"password\""
					+ " type=\"password\"><button>Sign in</button></form></body></html>";
		}

		@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
		String home(Authentication authentication) {
			return "<html><body>Hello " + authentication.getName() + "</body></html>";
		}

		@GetMapping(path = { "/api/me", "/api/poll" }, produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> me(Authentication authentication, HttpServletRequest request) {
			Instant decidedAt = this.clock.lastReadingOnThisThread();
			HttpSession session = request.getSession(false);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("name", authentication.getName());
			body.put("decidedAt", (decidedAt != null) ? decidedAt.toString() : "");
			if (session != null) {
				body.put("maxInactiveInterval", session.getMaxInactiveInterval());
				body.put("createdAt", session.getAttribute(SessionAttributes.CREATED_AT));
				body.put("lastActivityAt", session.getAttribute(SessionAttributes.LAST_ACTIVITY_AT));
			}
			return body;
		}

	}

}
