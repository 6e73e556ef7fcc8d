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

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Responses that outlive the decision to serve their request (server-sent events, a
 * streamed body, a deferred result) write nothing once their session ended or their user
 * must authenticate again, through the real filter chain (Spring Session's map store).
 * The granularity: a deadline stops the response at its first write from the deadline on,
 * to the millisecond; a logout or revocation elsewhere at its first write once the
 * response check interval (here 10s, the default) has passed since its store was last
 * read. Absolute 1h, idle 30m; re-authentication 45m for auditors.
 */
class LongLivedResponseIntegrationTests extends AbstractLongLivedResponseTests {

	@Test
	void serverSentEventsStopAtTheAbsoluteDeadlineOfTheirSession() throws Exception {
		signIn("user");
		openEvents();
		at(Duration.ofMinutes(29));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		assertEventSent("two");
		at(Duration.ofMinutes(58));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofHours(1).minusMillis(1));
		assertEventSent("three");
		at(Duration.ofHours(1));
		assertEventRefused("four");
		assertEndOfStream();
	}

	@Test
	void serverSentEventsStopAtTheIdleDeadlineUnlessAnotherRequestWasActive() throws Exception {
		signIn("user");
		openEvents();
		at(Duration.ofMinutes(20));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofMinutes(49).plusSeconds(59));
		assertEventSent("two");
		at(Duration.ofMinutes(50).minusMillis(1));
		assertEventSent("three");
		at(Duration.ofMinutes(50));
		assertEventRefused("four");
		assertEndOfStream();
	}

	@Test
	void serverSentEventsStopWhenTheirUserMustAuthenticateAgain() throws Exception {
		signIn("auditor");
		openEvents();
		at(Duration.ofMinutes(25));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofMinutes(45).minusMillis(1));
		assertEventSent("two");
		at(Duration.ofMinutes(45));
		assertEventRefused("three");
		assertEndOfStream();
	}

	@Test
	void serverSentEventsStopWithinTheCheckIntervalOfALogoutElsewhere() throws Exception {
		signIn("user");
		openEvents();
		at(CHECK_INTERVAL);
		assertEventSent("two");
		Response logout = this.browser.post("/logout", Map.of(), TestBrowser.HTML);
		assertThat(logout.status()).as("%s", logout).isEqualTo(302);
		at(CHECK_INTERVAL.multipliedBy(2).minusMillis(1));
		assertEventSent("three");
		at(CHECK_INTERVAL.multipliedBy(2));
		assertEventRefused("four");
		assertEndOfStream();
	}

	@Test
	void aStreamedBodyStopsAtTheAbsoluteDeadlineOfItsSession() throws Exception {
		signIn("user");
		this.stream = open("/stream", "text/plain");
		assertThat(this.stream.status()).isEqualTo(200);
		assertThat(this.stream.nextLine()).isEqualTo("open");
		assertThat(this.streams.write("one\n")).isEqualTo("one\n");
		assertThat(this.stream.nextLine()).isEqualTo("one");
		at(Duration.ofMinutes(29));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofMinutes(58));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofHours(1).minusMillis(1));
		assertThat(this.streams.write("two\n")).isEqualTo("two\n");
		assertThat(this.stream.nextLine()).isEqualTo("two");
		at(Duration.ofHours(1));
		assertThat(this.streams.write("three\n")).isInstanceOf(IOException.class);
		assertEndOfStream();
	}

	@Test
	void aServletsOwnAsyncWriterStopsAtTheAbsoluteDeadlineOfItsSession() throws Exception {
		signIn("user");
		this.stream = open("/plain", "text/plain");
		assertThat(this.stream.status()).isEqualTo(200);
		assertThat(this.stream.nextLine()).isEqualTo("open");
		at(Duration.ofMinutes(29));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofMinutes(58));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofHours(1).minusMillis(1));
		assertThat(this.streams.print("two")).as("written").isTrue();
		assertThat(this.stream.nextLine()).isEqualTo("two");
		at(Duration.ofHours(1));
		assertThat(this.streams.print("three")).as("written").isFalse();
		assertEndOfStream();
	}

	@Test
	void theApplicationGetsTheStartersRequestAndWritesTheWatchedResponse() {
		signIn("user");
		assertThat(layers()).contains("\"startersRequest\":true", "\"watchedResponse\":true");
	}

}
