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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.autoconfigure.SessionTimeoutReactiveAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link AutoConfigureSessionTimeoutClock} in a
 * {@code @WebFluxTest} slice, which includes the starter's auto-configuration only when
 * the test imports it.
 */
@WebFluxTest(properties = "session-timeout.idle=5m")
@ImportAutoConfiguration(SessionTimeoutReactiveAutoConfiguration.class)
@AutoConfigureSessionTimeoutClock
class AutoConfigureSessionTimeoutClockWebFluxTests {

	@Autowired
	WebTestClient client;

	@Autowired
	MovableClock clock;

	@Test
	void sessionOfAControllerEndsWithReasonIdleWhenTheClockPassesTheIdleTimeout() {
		EntityExchangeResult<String> first = visit(null);
		assertThat(first.getStatus().value()).isEqualTo(200);
		assertThat(first.getResponseBody()).isEqualTo("1");
		ResponseCookie cookie = first.getResponseCookies().getFirst("SESSION");
		assertThat(cookie).isNotNull();
		this.clock.advance(Duration.ofMinutes(4));
		EntityExchangeResult<String> second = visit(cookie.getValue());
		assertThat(second.getStatus().value()).isEqualTo(200);
		assertThat(second.getResponseBody()).isEqualTo("2");
		this.clock.advance(Duration.ofMinutes(5));
		EntityExchangeResult<String> ended = visit(cookie.getValue());
		assertThat(ended.getStatus().value()).isEqualTo(401);
		assertThat(ended.getResponseBody()).contains("\"reason\":\"idle\"");
	}

	private EntityExchangeResult<String> visit(@Nullable String session) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get()
			.uri("/visits")
			.accept(MediaType.APPLICATION_JSON);
		if (session != null) {
			request = request.cookie("SESSION", session);
		}
		return request.exchange().expectBody(String.class).returnResult();
	}

	@SpringBootConfiguration
	@Import(VisitsController.class)
	static class TestApplication {

	}

	@RestController
	static class VisitsController {

		@GetMapping("/visits")
		Mono<String> visits(WebSession session) {
			int visits = (session.getAttribute("visits") instanceof Integer previous) ? previous + 1 : 1;
			session.getAttributes().put("visits", visits);
			return Mono.just(Integer.toString(visits));
		}

	}

}
