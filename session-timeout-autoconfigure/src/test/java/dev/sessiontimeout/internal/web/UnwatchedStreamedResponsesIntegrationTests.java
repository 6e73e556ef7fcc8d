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
package dev.sessiontimeout.internal.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code session-timeout.watch-streamed-responses=false}, what a response writes
 * after its request's own dispatch (server-sent events here) is decided once, at its
 * start, and the application gets no wrapper of the starter's around the request and
 * response of a session whose clocks run; the asynchronous dispatch of a deferred result
 * is still checked against its session (the tests of
 * {@link AbstractLongLivedResponseTests}).
 */
@TestPropertySource(properties = "session-timeout.watch-streamed-responses=false")
class UnwatchedStreamedResponsesIntegrationTests extends AbstractLongLivedResponseTests {

	@Test
	void theApplicationGetsNeitherOfTheStartersWrappers() {
		signIn("user");
		assertThat(layers()).contains("\"startersRequest\":false", "\"watchedResponse\":false");
	}

	@Test
	void serverSentEventsAreDecidedOnceAtTheirStart() throws Exception {
		signIn("user");
		openEvents();
		at(Duration.ofHours(1));
		assertEventSent("two");
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).as("the session itself").isEqualTo(401);
		assertEventSent("three");
	}

}
