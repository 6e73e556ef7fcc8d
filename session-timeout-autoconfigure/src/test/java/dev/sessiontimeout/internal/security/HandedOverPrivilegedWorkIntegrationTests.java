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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged operation whose work a request hands to another thread with its security
 * context, and which runs after its request answered: once the session that served the
 * authentication no longer serves it (a logout, a revocation, its idle deadline), the
 * call is refused, at the latest the response check interval (10s) after the request.
 * Spring Session's map store, privileged age 15m, idle 30m.
 */
@SpringBootTest(classes = HandedOverPrivilegedWorkIntegrationTests.HandedOverWorkApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "session-timeout.privileged.max-age=15m",
				"session-timeout.idle=30m", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class HandedOverPrivilegedWorkIntegrationTests extends AbstractLiveApplicationTests {

	private static final Duration PAST_THE_CHECK_INTERVAL = Duration.ofSeconds(11);

	@Autowired
	BlockingQueue<Runnable> work;

	@Autowired
	BlockingQueue<String> outcomes;

	@Autowired
	UserSessions userSessions;

	@BeforeEach
	void clear() {
		this.work.clear();
		this.outcomes.clear();
	}

	@Test
	void workHandedOverWithinThePrivilegedAgeIsServed() throws Exception {
		Runnable work = handOverWork();
		this.clock.fixAt(this.clock.instant().plus(PAST_THE_CHECK_INTERVAL));
		assertThat(run(work)).isEqualTo("exported");
	}

	@Test
	void workRunAfterItsSessionSignedOutIsRefused() throws Exception {
		Runnable work = handOverWork();
		assertThat(this.browser.post("/logout", Map.of(), TestBrowser.HTML).status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(PAST_THE_CHECK_INTERVAL));
		assertThat(run(work)).as("the session signed out").isEqualTo("refused");
	}

	@Test
	void workRunAfterItsUsersSessionsWereRevokedIsRefused() throws Exception {
		Runnable work = handOverWork();
		assertThat(this.userSessions.revokeAll("user")).isPositive();
		this.clock.fixAt(this.clock.instant().plus(PAST_THE_CHECK_INTERVAL));
		assertThat(run(work)).as("the session revoked").isEqualTo("refused");
	}

	@Test
	void workRunAtItsSessionsIdleDeadlineIsRefused() throws Exception {
		Runnable work = handOverWork("/export-within-an-hour-later");
		Runnable served = handOverWork("/export-within-an-hour-later");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)).minusMillis(1));
		assertThat(run(served)).as("just before the idle deadline").isEqualTo("exported");
		this.clock.fixAt(this.clock.instant().plusMillis(1));
		assertThat(run(work)).as("at the idle deadline, within the maximum age of 1h").isEqualTo("refused");
	}

	@Test
	void workThatNeedsAFreshAuthenticationIsRefusedOnAnotherThreadRightAfterTheLogin() throws Exception {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		Runnable work = handOverWork("/export-fresh-later");
		assertThat(run(work)).as("a maxAge of zero is met on the request's own thread only").isEqualTo("refused");
	}

	private Runnable handOverWork() throws InterruptedException {
		return handOverWork("/export-later");
	}

	private Runnable handOverWork(String path) throws InterruptedException {
		if (this.browser.cookie("SESSION") == null) {
			assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
			this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(1)));
		}
		assertThat(this.browser.post(path, Map.of(), TestBrowser.JSON).status()).isEqualTo(200);
		Runnable work = this.work.poll(30, TimeUnit.SECONDS);
		assertThat(work).as("the work handed over").isNotNull();
		return work;
	}

	private String run(Runnable work) throws InterruptedException {
		Thread worker = new Thread(work, "handed-over-work");
		worker.start();
		worker.join(30_000);
		String outcome = this.outcomes.poll(30, TimeUnit.SECONDS);
		assertThat(outcome).as("the work's outcome").isNotNull();
		return outcome;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class HandedOverWorkApplication {

		@Bean
		BlockingQueue<Runnable> work() {
			return new LinkedBlockingQueue<>();
		}

		@Bean
		BlockingQueue<String> outcomes() {
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

			private final BlockingQueue<String> outcomes;

			Pages(Exports exports, BlockingQueue<Runnable> work, BlockingQueue<String> outcomes) {
				this.exports = exports;
				this.work = work;
				this.outcomes = outcomes;
			}

			@PostMapping("/export-later")
			String exportLater() {
				return handOver(this.exports::export);
			}

			@PostMapping("/export-fresh-later")
			String exportFreshLater() {
				return handOver(this.exports::exportFresh);
			}

			@PostMapping("/export-within-an-hour-later")
			String exportWithinAnHourLater() {
				return handOver(this.exports::exportWithinAnHour);
			}

			private String handOver(Supplier<String> export) {
				// A context of its own with the request's authentication, as a store that
				// reads each request's copy of the session hands one over: a logout
				// elsewhere does not empty it
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(SecurityContextHolder.getContext().getAuthentication());
				this.work.add(new DelegatingSecurityContextRunnable(() -> {
					try {
						this.outcomes.add(export.get());
					}
					catch (AuthorizationDeniedException ex) {
						this.outcomes.add("refused");
					}
					catch (RuntimeException ex) {
						this.outcomes.add("failed: " + ex);
					}
				}, context));
				return "started";
			}

		}

	}

	@Service
	static class Exports {

		@RequiresPrivilegedSession
		String export() {
			return "exported";
		}

		@RequiresPrivilegedSession(maxAge = "0")
		String exportFresh() {
			return "exported";
		}

		@RequiresPrivilegedSession(maxAge = "1h")
		String exportWithinAnHour() {
			return "exported";
		}

	}

}
