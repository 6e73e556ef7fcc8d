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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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
 * The answers the starter writes before Spring Security's filter chain runs (a session
 * that ended, an unknown session id) carry the headers that chain adds to every response,
 * through the real filter chain on Spring Session's map store: the same
 * {@code X-Content-Type-Options}, {@code X-Frame-Options}, {@code Cache-Control},
 * {@code Pragma}, {@code Expires} and {@code X-XSS-Protection} as a page the chain
 * serves, and HSTS on HTTPS (behind a proxy that says so). Idle 30m.
 */
@SpringBootTest(classes = SecurityHeadersIntegrationTests.HeadersApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.idle=30m", "server.forward-headers-strategy=native",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class SecurityHeadersIntegrationTests extends AbstractLiveApplicationTests {

	private static final List<String> SECURITY_HEADERS = List.of("X-Content-Type-Options", "X-Frame-Options",
			"Cache-Control", "Pragma", "Expires", "X-XSS-Protection");

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void anApiCallWithAnEndedSessionGetsTheChainsHeaders() {
		Response served = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(served.status()).isEqualTo(200);
		assertThat(served.header("X-Content-Type-Options")).as("the chain's own headers").isEqualTo("nosniff");
		String sessionCookie = this.browser.cookie("SESSION");
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertSameSecurityHeaders(ended, served);
		this.browser.setCookie("SESSION", sessionCookie);
		Response unknown = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(unknown.status()).as("the ended session's id again: %s", unknown).isEqualTo(401);
		assertSameSecurityHeaders(unknown, served);
	}

	@Test
	void aBrowserWithAnEndedSessionGetsTheChainsHeadersOnItsRedirect() {
		Response served = this.browser.get("/orders", TestBrowser.HTML);
		assertThat(served.status()).isEqualTo(200);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.HTML);
		assertThat(ended.status()).as("%s", ended).isEqualTo(302);
		assertThat(ended.location()).endsWith("/login?expired=idle");
		assertSameSecurityHeaders(ended, served);
	}

	@Test
	void anEndedSessionOverHttpsGetsHsts() {
		Response served = this.browser.get("/orders", TestBrowser.JSON, "X-Forwarded-Proto", "https");
		assertThat(served.header("Strict-Transport-Security")).as("the chain's HSTS over HTTPS").isNotNull();
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.JSON, "X-Forwarded-Proto", "https");
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		assertThat(ended.header("Strict-Transport-Security")).isEqualTo(served.header("Strict-Transport-Security"));
		assertSameSecurityHeaders(ended, served);
	}

	private static void assertSameSecurityHeaders(Response answer, Response served) {
		for (String name : SECURITY_HEADERS) {
			assertThat(served.header(name)).as("%s of a served page", name).isNotNull();
			assertThat(answer.header(name)).as("%s of %s", name, answer).isEqualTo(served.header(name));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class HeadersApplication {

		@RestController
		static class Orders {

			@GetMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> orders() {
				return Map.of("orders", List.of());
			}

			@GetMapping(path = "/orders", produces = MediaType.TEXT_HTML_VALUE)
			String ordersPage() {
				return "<html><body>No orders</body></html>";
			}

		}

	}

}
