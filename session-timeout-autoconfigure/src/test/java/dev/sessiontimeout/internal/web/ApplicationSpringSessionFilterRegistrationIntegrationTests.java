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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that registers Spring Session's {@code SessionRepositoryFilter} itself,
 * as a {@link DelegatingFilterProxyRegistrationBean} of its bean
 * {@code springSessionRepositoryFilter} (Spring Session's documented pattern), here at
 * {@code -200}, without Spring Boot's registration of it: still before Spring Security's
 * filter chain ({@code -100}), but after the {@code SessionTimeoutFilter}'s default
 * ({@code Integer.MIN_VALUE + 60}). The sessions' clocks must still be enforced (or the
 * application must fail to start, naming the registration). Idle 30m.
 */
@SpringBootTest(classes = ApplicationSpringSessionFilterRegistrationIntegrationTests.OrdersApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ApplicationSpringSessionFilterRegistrationIntegrationTests extends AbstractLiveApplicationTests {

	@Test
	void aSessionPastItsIdleDeadlineIsNotServed() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		Response served = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(ended.status()).as("30 minutes idle: %s", ended).isEqualTo(401);
		assertThat(ended.body()).contains("\"reason\":\"idle\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class OrdersApplication {

		@Bean
		DelegatingFilterProxyRegistrationBean sessionFilterRegistration() {
			DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(
					"springSessionRepositoryFilter");
			registration.setOrder(-200);
			return registration;
		}

		@RestController
		static class Orders {

			@GetMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> orders() {
				return Map.of("orders", List.of());
			}

		}

	}

}
