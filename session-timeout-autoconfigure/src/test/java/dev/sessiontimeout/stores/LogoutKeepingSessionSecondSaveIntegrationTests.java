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

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout that keeps the session (Spring Security's {@code logout()} with
 * {@code invalidateHttpSession(false)} and {@code clearAuthentication(false)}) on Spring
 * Session's {@link MapSessionRepository}, on Tomcat, while a request of the same session
 * whose response is already out has not yet returned through Spring Session's filter:
 * that request's second save (spring-session#508) puts its whole copy of the session,
 * signed in, back into the map under the id the logout kept (or, for a logout that also
 * changes the session's id, under the old one). Plain Spring Session serves that copy as
 * its user; the starter ends it at its next request, reason {@code invalid}, and serves
 * the session signed out, and a login in it after the logout.
 */
class LogoutKeepingSessionSecondSaveIntegrationTests {

	@Test
	void aSessionThatALateSaveBroughtBackSignedInAfterALogoutThatKeptItIsEndedAtItsNextRequest() throws Exception {
		try (SecondSaveApplication application = start(true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout", true);
			assertThat(application.browser.cookie("SESSION")).as("the logout kept the session id").isEqualTo(cookie);
			application.assertEndedAsInvalid(cookie);
		}
	}

	@Test
	void aSessionThatALateSaveBroughtBackSignedInUnderItsOldIdAfterALogoutThatChangedItsIdIsEndedThere()
			throws Exception {
		try (SecondSaveApplication application = start(true)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout-renaming", false);
			String renamed = application.browser.cookie("SESSION");
			assertThat(renamed).as("the logout changed the session id").isNotEqualTo(cookie);
			application.assertEndedAsInvalid(cookie);
			Response signedOut = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(signedOut.status()).as("%s", signedOut).isEqualTo(302);
			assertThat(signedOut.location()).as("served without its user").endsWith("/login");
			assertThat(application.stored(renamed)).as("the session kept, signed out").isTrue();
		}
	}

	@Test
	void aSessionSignedOutByALogoutThatKeptItIsServedWithoutItsUserAndALaterLoginInItIsServed() throws Exception {
		try (SecondSaveApplication application = start(true)) {
			String cookie = application.signIn();
			Response logout = application.returned(() -> application.browser.post("/logout",
					Map.of("_csrf", application.csrfToken()), TestBrowser.HTML));
			assertThat(logout.location()).endsWith("/login?logout");
			assertThat(application.browser.cookie("SESSION")).isEqualTo(cookie);
			Response signedOut = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(signedOut.status()).as("%s", signedOut).isEqualTo(302);
			assertThat(signedOut.location()).as("served without its user").endsWith("/login");
			assertThat(application.stored(cookie)).isTrue();
			application.clock.shift(Duration.ofMillis(1));
			assertThat(application.signIn()).as("no session fixation protection").isEqualTo(cookie);
			Response home = application.returned(() -> application.browser.get("/home", TestBrowser.HTML));
			assertThat(home.status()).as("%s", home).isEqualTo(200);
			assertThat(home.body()).isEqualTo("home of user");
		}
	}

	/**
	 * The logout removes the security context from the session, but the held request's
	 * copy still holds it, with its authentication (the logout leaves it as it was).
	 */
	@Test
	void withoutTheStarterALateSaveServesASessionSignedOutByALogoutThatKeptItAsItsUser() throws Exception {
		try (SecondSaveApplication application = start(false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout", true);
			assertServedAsItsUser(application, cookie);
		}
	}

	@Test
	void withoutTheStarterALateSaveServesTheOldIdOfASessionThatALogoutSignedOutAndRenamedAsItsUser() throws Exception {
		try (SecondSaveApplication application = start(false)) {
			String cookie = application.logoutWhileARequestIsOnItsWayBack("/logout-renaming", false);
			assertServedAsItsUser(application, cookie);
		}
	}

	private static SecondSaveApplication start(boolean starterEnabled) {
		return SecondSaveApplication.start(KeepingLogoutApplication.class, starterEnabled);
	}

	private static void assertServedAsItsUser(SecondSaveApplication application, String cookie) {
		Response page = application.sentWith(cookie).get("/home", TestBrowser.HTML);
		application.awaitReturned();
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		assertThat(page.body()).isEqualTo("home of user");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(SecondSaveApplication.HeldFormLoginConfiguration.class)
	static class KeepingLogoutApplication {

		/**
		 * A logout that keeps the session and the security context's authentication as
		 * they are; at {@code /logout-renaming} it also changes the session's id. A login
		 * keeps the session's id too.
		 */
		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/csrf", "/error")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.permitAll());
			http.logout((logout) -> logout
				.logoutRequestMatcher(
						new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/logout"),
								PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/logout-renaming")))
				.addLogoutHandler((request, response, authentication) -> {
					if (request.getRequestURI().equals("/logout-renaming")) {
						request.changeSessionId();
					}
				})
				.invalidateHttpSession(false)
				.clearAuthentication(false));
			http.sessionManagement((session) -> session.sessionFixation((fixation) -> fixation.none()));
			return http.build();
		}

	}

}
