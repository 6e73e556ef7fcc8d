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

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy of a session in which an administrator switched to a customer with Spring
 * Security's {@code SwitchUserFilter}: the administrator keeps the clocks of their own
 * login, so the administrators' shorter privileged age and idle timeout still apply after
 * the switch, and the customer's longer ones are never a way around them. Spring
 * Session's map store; administrators idle 10m and privileged age 5m, everyone else 2h
 * and 15m.
 */
@SpringBootTest(classes = AbstractSwitchUserIntegrationTests.SwitchUserApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/privileged-path",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].idle=10m", "session-timeout.policies[0].privileged-max-age=5m" })
class SwitchUserPolicyIntegrationTests extends AbstractSwitchUserIntegrationTests {

	@Test
	void anAdministratorWhoSwitchedToACustomerKeepsTheAdministratorsPrivilegedAge() {
		switchToACustomer();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		Response close = this.browser.get("/api/close", TestBrowser.JSON);
		assertThat(close.status()).as("the administrators' privileged age of 5m, not the customer's 15m: %s", close)
			.isEqualTo(401);
		assertThat(close.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
		Response path = this.browser.get("/api/privileged-path", TestBrowser.JSON);
		assertThat(path.status()).as("the administrators' privileged age of 5m, not the customer's 15m: %s", path)
			.isEqualTo(401);
	}

	@Test
	void anAdministratorWhoSwitchedToACustomerKeepsTheAdministratorsIdleTimeout() {
		switchToACustomer();
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(10)));
		Response idle = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(idle.status()).as("the administrators' idle timeout of 10m, not the customer's 2h: %s", idle)
			.isEqualTo(401);
		assertThat(idle.jsonString("reason")).isEqualTo(ExpiryReason.IDLE.value());
	}

}
