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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged operation whose work a request hands to another thread (with its security
 * context, as README asks) is decided when that work calls it, not when the request
 * started it: a request 14 minutes after the login (privileged age 15m) starts the work,
 * which calls the {@code @RequiresPrivilegedSession} method 16 minutes after the login
 * and is refused. Spring Session's map store.
 */
@SpringBootTest(classes = DeferredPrivilegedWorkIntegrationTests.DeferredWorkApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session-timeout.privileged.max-age=15m",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class DeferredPrivilegedWorkIntegrationTests extends AbstractLiveApplicationTests {

	@Autowired
	BlockingQueue<Runnable> work;

	@Test
	void privilegedWorkCalledAfterThePrivilegedAgeIsRefusedAlthoughItsRequestStartedWithin() throws Exception {
		assertThat(runWorkStartedAt14MinutesAfter(Duration.ofMinutes(2))).contains("refused")
			.doesNotContain("exported");
	}

	@Test
	void privilegedWorkCalledWithinThePrivilegedAgeIsServed() throws Exception {
		assertThat(runWorkStartedAt14MinutesAfter(Duration.ofSeconds(30))).contains("exported");
	}

	private String runWorkStartedAt14MinutesAfter(Duration delay) throws Exception {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(14)));
		CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/export-later"))
				.header("Accept", TestBrowser.JSON)
				.header("Cookie", "SESSION=" + this.browser.cookie("SESSION"))
				.build(), BodyHandlers.ofString());
		Runnable work = this.work.poll(30, TimeUnit.SECONDS);
		assertThat(work).as("the work handed over").isNotNull();
		this.clock.fixAt(this.clock.instant().plus(delay));
		Thread worker = new Thread(work, "deferred-work");
		worker.start();
		worker.join(30_000);
		return response.get(30, TimeUnit.SECONDS).body();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class DeferredWorkApplication {

		@Bean
		BlockingQueue<Runnable> work() {
			return new LinkedBlockingQueue<>();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@RestController
		static class Pages {

			private final Exports exports;

			private final BlockingQueue<Runnable> work;

			Pages(Exports exports, BlockingQueue<Runnable> work) {
				this.exports = exports;
				this.work = work;
			}

			@GetMapping("/export-later")
			DeferredResult<String> exportLater() {
				DeferredResult<String> result = new DeferredResult<>(60_000L);
				this.work.add(new DelegatingSecurityContextRunnable(() -> {
					try {
						result.setResult(this.exports.export());
					}
					catch (AuthorizationDeniedException ex) {
						result.setResult("refused");
					}
				}));
				return result;
			}

		}

	}

	@Service
	static class Exports {

		@RequiresPrivilegedSession
		String export() {
			return "exported";
		}

	}

}
