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
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A due re-authentication in a session in which an administrator switches to a customer
 * with Spring Security's {@code SwitchUserFilter}: the switch counts from the
 * administrator's login, so it neither escapes a due re-authentication nor happens while
 * one is due, and a switch back does not either. Spring Session's map store;
 * administrators idle 10m and re-authentication 30m.
 */
@SpringBootTest(classes = AbstractSwitchUserIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/privileged-path",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].idle=10m", "session-timeout.policies[0].reauthentication=30m",
				"session-timeout.policies[0].privileged-max-age=5m" })
class SwitchUserReauthenticationIntegrationTests extends AbstractSwitchUserIntegrationTests {

	@Test
	void aSwitchedSessionMustAuthenticateAgainAtTheAdministratorsReauthenticationDeadline() {
		switchToACustomer();
		keepActiveUntil(Duration.ofMinutes(30));
		Response due = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(due.status()).as("re-authentication due 30m after the administrator's login: %s", due)
			.isEqualTo(401);
		assertThat(due.jsonString("reason")).isEqualTo(ExpiryReason.REAUTHENTICATION.value());
		Response back = this.browser.post("/impersonate/exit", Map.of(), TestBrowser.HTML);
		assertThat(back.body() + back.location()).doesNotContain("/home");
		Response still = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(still.status()).as("still due after a switch back: %s", still).isEqualTo(401);
		assertThat(still.jsonString("reason")).isEqualTo(ExpiryReason.REAUTHENTICATION.value());
	}

	@Test
	void anAdministratorMustAuthenticateAgainAtTheReauthenticationDeadline() {
		assertThat(this.browser.login("admin", "password").location()).doesNotContain("error");
		keepActiveUntil(Duration.ofMinutes(30));
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(401);
		assertThat(me.jsonString("reason")).isEqualTo(ExpiryReason.REAUTHENTICATION.value());
	}

	@Test
	void anAdministratorWhoseReauthenticationIsDueCannotSwitchToACustomer() {
		assertThat(this.browser.login("admin", "password").location()).doesNotContain("error");
		keepActiveUntil(Duration.ofMinutes(30));
		Response switched = this.browser.post("/impersonate", Map.of("username", "customer"), TestBrowser.HTML);
		assertThat(switched.location()).as("no switch while re-authentication is due: %s", switched)
			.doesNotEndWith("/home");
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("%s", me).isEqualTo(401);
		assertThat(me.jsonString("reason")).isEqualTo(ExpiryReason.REAUTHENTICATION.value());
	}

	/**
	 * Keep the session active, a request every 9 minutes, until the given time after the
	 * start.
	 */
	private void keepActiveUntil(Duration until) {
		for (Duration at = Duration.ofMinutes(9); at.compareTo(until) < 0; at = at.plus(Duration.ofMinutes(9))) {
			this.clock.fixAt(this.start.plus(at));
			Response active = this.browser.get("/api/me", TestBrowser.JSON);
			assertThat(active.status()).as("%s", active).isEqualTo(200);
		}
		this.clock.fixAt(this.start.plus(until));
	}

}
