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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privileged paths with a maximum age of zero (one use of the login's grant) of
 * {@link UncoveredRewrittenPathPrivilegedIntegrationTests}'s application: a request that
 * a filter of the application rewrites to a zero-age path that no security filter chain
 * covers ({@code /open/**} ignored, {@code /side/**} left out by the chain) spends the
 * grant once, as a request of that path does, and one rewritten to a covered zero-age
 * path spends it once too. Spring Session's map store.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = UncoveredRewrittenPathPrivilegedIntegrationTests.UncoveredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/open/transfer,/side/transfer,/alias/transfer,/account/transfer",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class UncoveredZeroAgeRewrittenPathIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void anUncoveredZeroAgePathRequestedItselfSpendsTheGrantOnce() {
		assertServed("/open/transfer", "served: open");
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenToAnIgnoredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/alias/open", "served: open");
		assertChallenged("/alias/open");
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenToAZeroAgePathNoChainMatchesSpendsTheGrantOnce() {
		assertServed("/alias/side", "served: side");
		assertChallenged("/alias/side");
		assertChallenged("/side/transfer");
	}

	@Test
	void aRewrittenRequestFindsTheGrantSpentByARequestOfThePathItself() {
		assertServed("/open/transfer", "served: open");
		assertChallenged("/alias/open");
	}

	@Test
	void aCoveredZeroAgePathRewrittenToAnUncoveredOneSpendsTheGrantOnce() {
		assertServed("/alias/transfer", "served: open");
		assertChallenged("/alias/transfer");
		assertChallenged("/open/transfer");
	}

	@Test
	void anOrdinaryPathRewrittenToACoveredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/alias/account", "served: transfer of user");
		assertChallenged("/alias/account");
		assertChallenged("/account/transfer");
	}

	@Test
	void aCoveredZeroAgePathSpendsTheGrantOnce() {
		assertServed("/account/transfer", "served: transfer of user");
		assertChallenged("/account/transfer");
	}

	private void assertServed(String path, String content) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains(content);
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("the grant is used once: %s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("served");
	}

}
