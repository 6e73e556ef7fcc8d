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
package dev.sessiontimeout.stores;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout on Spring Session's {@link MapSessionRepository}, on Tomcat, while a request
 * of the same session whose response is already out has not yet returned through Spring
 * Session's filter: that request's second save (spring-session#508) puts its whole copy
 * of the session back into the map after the logout deleted it, and plain Spring Session
 * serves it to anyone who still has its cookie: signed in after a logout of the
 * application's own that invalidates the session, signed out after Spring Security's,
 * which clears the authentication of the security context that every copy of the session
 * in the map holds. The starter ends such a session at its next request, reason
 * {@code invalid}.
 */
class LogoutSecondSaveIntegrationTests {

	@Test
	void aSessionThatALateSaveBroughtBackAfterSpringSecuritysLogoutIsEndedAtItsNextRequest() throws Exception {
		try (SecondSaveApplication application = SecondSaveApplication.start(LogoutApplication.class, true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout", false);
			application.assertEndedAsInvalid(cookie);
		}
	}

	@Test
	void aSessionThatALateSaveBroughtBackAfterTheApplicationInvalidatedItIsNeverServedAgain() throws Exception {
		try (SecondSaveApplication application = SecondSaveApplication.start(LogoutApplication.class, true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/signout", false);
			application.assertEndedAsInvalid(cookie);
		}
	}

	/**
	 * Spring Security's logout clears the authentication of the security context it read
	 * from the session, and the map's copies of a session share that object: the copy
	 * that the late save brings back is signed out, but Spring Session serves it.
	 */
	@Test
	void withoutTheStarterALateSaveBringsBackASessionSignedOutBySpringSecuritysLogout() throws Exception {
		try (SecondSaveApplication application = SecondSaveApplication.start(LogoutApplication.class, false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout", false);
			Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
			application.awaitReturned();
			assertThat(page.status()).as("%s", page).isEqualTo(302);
			assertThat(page.location()).endsWith("/login");
			assertThat(application.stored(cookie)).as("served").isTrue();
		}
	}

	@Test
	void withoutTheStarterALateSaveServesASessionThatTheApplicationInvalidatedAsItsUser() throws Exception {
		try (SecondSaveApplication application = SecondSaveApplication.start(LogoutApplication.class, false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/signout", false);
			Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
			application.awaitReturned();
			assertThat(page.status()).as("%s", page).isEqualTo(200);
			assertThat(page.body()).isEqualTo("home of user");
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(SecondSaveApplication.HeldFormLoginConfiguration.class)
	static class LogoutApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/csrf", "/error")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.permitAll());
			return http.build();
		}

		@Bean
		LogoutController logoutController() {
			return new LogoutController();
		}

	}

	@RestController
	static class LogoutController {

		/**
		 * An application's own logout, which invalidates the session and leaves Spring
		 * Security's security context as it is.
		 */
		@PostMapping("/signout")
		void signOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			response.sendRedirect("/login?logout");
		}

	}

}
