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
package dev.sessiontimeout.test;

import java.time.Duration;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.autoconfigure.SessionTimeoutAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link AutoConfigureSessionTimeoutClock} in a {@code @WebMvcTest}
 * slice, which includes the starter's auto-configuration only when the test imports it.
 */
@WebMvcTest(properties = "session-timeout.idle=5m")
@ImportAutoConfiguration(SessionTimeoutAutoConfiguration.class)
@AutoConfigureSessionTimeoutClock
class AutoConfigureSessionTimeoutClockWebMvcTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MovableClock clock;

	@Test
	void sessionOfAControllerEndsWithReasonIdleWhenTheClockPassesTheIdleTimeout() {
		MvcTestResult first = this.mvc.get().uri("/visits").accept(MediaType.APPLICATION_JSON).exchange();
		assertThat(first).hasStatusOk().hasBodyTextEqualTo("1");
		MockHttpSession session = (MockHttpSession) first.getRequest().getSession();
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(visit(session)).hasStatusOk().hasBodyTextEqualTo("2");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(visit(session)).hasStatus(HttpStatus.UNAUTHORIZED)
			.bodyJson()
			.extractingPath("$.reason")
			.isEqualTo("idle");
	}

	private MvcTestResult visit(MockHttpSession session) {
		return this.mvc.get().uri("/visits").session(session).accept(MediaType.APPLICATION_JSON).exchange();
	}

	@SpringBootConfiguration
	@Import(VisitsController.class)
	static class TestApplication {

	}

	@RestController
	static class VisitsController {

		@GetMapping("/visits")
		String visits(HttpSession session) {
			int visits = (session.getAttribute("visits") instanceof Integer previous) ? previous + 1 : 1;
			session.setAttribute("visits", visits);
			return Integer.toString(visits);
		}

	}

}
