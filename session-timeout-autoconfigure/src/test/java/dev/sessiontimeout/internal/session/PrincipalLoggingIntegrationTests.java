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
package dev.sessiontimeout.internal.session;

import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.FormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user name cannot forge the starter's log lines: through the real filter chain on the
 * map store, a user whose name holds a line break signs in, is challenged to
 * re-authenticate and meets it, and ends idle; every log line names the user on one line,
 * escaped, or as a hash with {@code session-timeout.logging.principal=hash}.
 * Re-authentication 45m, idle 30m.
 */
@SpringBootTest(classes = PrincipalLoggingIntegrationTests.LoggingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"spring.security.filter.dispatcher-types=request", "session-timeout.absolute=12h",
				"session-timeout.idle=30m", "session-timeout.reauthentication=45m" })
@ExtendWith(OutputCaptureExtension.class)
class PrincipalLoggingIntegrationTests extends AbstractLiveApplicationTests {

	static final String FORGED = "2026-12-01T00:00:00.000Z  INFO 1 --- [main] d.s.i.session.SessionClocks : Session"
			+ " 0000000000000000 of admin met its challenge: privileged (policy default)";

	static final String MALLORY = "mallory\n" + FORGED;

	@Test
	void aNameWithALineBreakIsLoggedEscapedOnTheLineOfTheEventItNames(CapturedOutput output) {
		signInChallengeAndEnd();
		assertThat(lines(output)).as("no line of its own for the forged text")
			.noneMatch((line) -> line.startsWith(FORGED));
		String escaped = "mallory\\n" + FORGED;
		assertThat(lines(output)).filteredOn((line) -> line.contains(escaped))
			.anyMatch((line) -> line.contains("must authenticate again: reauthentication"))
			.anyMatch((line) -> line.contains("met its challenge: reauthentication"))
			.anyMatch((line) -> line.contains("ended: idle"));
	}

	@Test
	void noLogLineCarriesASessionIdOnlyItsHash(CapturedOutput output) {
		List<String> ids = new ArrayList<>();
		assertThat(this.browser.login(MALLORY, "password").status()).isEqualTo(302);
		ids.add(sessionId());
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(25));
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(20));
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(401);
		ids.add(sessionId());
		assertThat(this.browser.login(MALLORY, "password").status()).isEqualTo(302);
		ids.add(sessionId());
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(30));
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(401);
		assertThat(ids.get(2)).as("rotated at the login").isNotEqualTo(ids.get(0));
		for (String id : ids) {
			assertThat(output.getOut()).doesNotContain(id);
		}
		assertThat(lines(output))
			.anyMatch((line) -> line.contains("Session " + SessionIds.hash(ids.get(ids.size() - 1)))
					&& line.contains("ended: idle"));
	}

	/**
	 * Return the id of the browser's session, which Spring Session's cookie holds in
	 * Base64.
	 */
	private String sessionId() {
		String cookie = this.browser.cookie("SESSION");
		assertThat(cookie).as("the session cookie").isNotNull();
		return new String(Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8);
	}

	void signInChallengeAndEnd() {
		assertThat(this.browser.login(MALLORY, "password").status()).isEqualTo(302);
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(25));
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(20));
		Response challenged = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(this.browser.login(MALLORY, "password").status()).isEqualTo(302);
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(200);
		shiftBy(Duration.ofMinutes(30));
		assertThat(this.browser.get("/orders", TestBrowser.JSON).status()).isEqualTo(401);
	}

	void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	static java.util.List<String> lines(CapturedOutput output) {
		return Arrays.asList(output.getOut().split("\\R"));
	}

	@Nested
	@TestPropertySource(properties = "session-timeout.logging.principal=hash")
	class WithHashedNames {

		@Test
		void theNameIsNeverLoggedOnlyItsHash(CapturedOutput output) {
			signInChallengeAndEnd();
			String hash = "user-" + SessionIds.hash(MALLORY);
			assertThat(output.getOut()).doesNotContain("mallory");
			assertThat(lines(output)).filteredOn((line) -> line.contains(" of " + hash + " "))
				.anyMatch((line) -> line.contains("must authenticate again: reauthentication"))
				.anyMatch((line) -> line.contains("met its challenge: reauthentication"))
				.anyMatch((line) -> line.contains("ended: idle"));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(FormLoginConfiguration.class)
	static class LoggingApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername(MALLORY).password("{noop}password").roles("USER").build());
		}

		@RestController
		static class Orders {

			@GetMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
			String orders() {
				return "[]";
			}

		}

	}

}
