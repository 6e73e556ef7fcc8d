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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequiresPrivilegedSession} and privileged paths in a session whose user switched
 * to another with Spring Security's {@link SwitchUserFilter}: the switch proves no
 * factor, so it must not make a session privileged that was not. Spring Session's map
 * store, privileged age 15m, a remember-me policy with the same privileged age.
 */
@SpringBootTest(classes = AbstractSwitchUserIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/privileged-path", "session-timeout.policies[0].name=remembered",
				"session-timeout.policies[0].remember-me=true" })
class SwitchUserPrivilegedIntegrationTests extends AbstractSwitchUserIntegrationTests {

	private static final Duration PRIVILEGED = Duration.ofMinutes(15);

	@Test
	void anAdministratorRememberedByACookieIsNotPrivilegedAfterSwitchingToACustomer() {
		TestBrowser remembered = rememberedAdministratorDaysLater();
		assertChallenged(remembered.get("/api/close", TestBrowser.JSON));
		assertChallenged(remembered.get("/api/privileged-path", TestBrowser.JSON));
		Response switched = remembered.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		// Nobody proved a factor since the remember-me cookie: still never privileged
		assertChallenged(remembered.get("/api/close", TestBrowser.JSON));
		assertChallenged(remembered.get("/api/privileged-path", TestBrowser.JSON));
	}

	/**
	 * An administrator remembered by a cookie who switches to a customer is still
	 * remembered: the session keeps the policy of remember-me logins, which the
	 * customer's switched authentication, no remember-me one itself, would not choose.
	 */
	@Test
	void anAdministratorRememberedByACookieKeepsTheRememberMePolicyAfterSwitchingToACustomer() {
		TestBrowser remembered = rememberedAdministratorDaysLater();
		assertThat(remembered.get("/session/status", TestBrowser.JSON).jsonString("policy")).isEqualTo("remembered");
		Response switched = remembered.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		assertThat(remembered.get("/session/status", TestBrowser.JSON).jsonString("policy")).isEqualTo("remembered");
	}

	@Test
	void aSwitchOfUserDoesNotRefreshAStaleAuthentication() {
		assertThat(this.browser.login("admin", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		Response switched = this.browser.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.status()).as("%s", switched).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("customer");
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/privileged-path", TestBrowser.JSON));
		Response back = this.browser.post("/impersonate/exit", Map.of(), TestBrowser.HTML);
		assertThat(back.status()).as("%s", back).isEqualTo(302);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("admin");
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/privileged-path", TestBrowser.JSON));
	}

	/**
	 * Sign in as the administrator with remember-me; days later, return a browser that
	 * holds only the remember-me cookie (a stolen one, say), signed in by it.
	 */
	private TestBrowser rememberedAdministratorDaysLater() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "admin");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).isNotNull();
		// Days later, a browser that holds only the remember-me cookie (a stolen one,
		// say)
		TestBrowser remembered = new TestBrowser(this.port);
		remembered.setCookie("remember-me", rememberMe);
		this.clock.fixAt(this.start.plus(Duration.ofDays(2)));
		assertThat(remembered.get("/api/me", TestBrowser.JSON).body()).contains("admin");
		return remembered;
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
	}

}
