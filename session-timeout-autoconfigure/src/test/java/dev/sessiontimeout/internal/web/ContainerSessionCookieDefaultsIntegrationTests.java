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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container session cookie the starter writes keeps what the container gives its own
 * even where the configuration says less: {@code HttpOnly} (as Tomcat adds it),
 * {@code Secure} on an HTTPS request (behind a proxy that says so), and the context path
 * as its path, on the persistent cookie and on the dropped cookie of an ended session.
 */
@SpringBootTest(classes = ContainerSessionCookieDefaultsIntegrationTests.DefaultsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.idle=30m", "session-timeout.cookie.persistent=true",
				"server.servlet.context-path=/app", "server.forward-headers-strategy=native",
				"server.servlet.session.cookie.http-only=false", "server.servlet.session.cookie.secure=false",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ContainerSessionCookieDefaultsIntegrationTests extends AbstractLiveApplicationTests {

	private static final String[] HTTPS = { "X-Forwarded-Proto", "https" };

	@BeforeEach
	void browseTheApplicationsContextPath() {
		this.browser = new TestBrowser("http://localhost:" + this.port + "/app");
	}

	@Test
	void theStartersCookiesAreHttpOnlySecureOverHttpsAndScopedToTheContextPath() {
		Response login = this.browser.post("/login", Map.of("username", "user", "password", "password"),
				TestBrowser.HTML, HTTPS);
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		List<String> cookies = new ArrayList<>();
		Response served = this.browser.get("/orders", TestBrowser.JSON, HTTPS);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		cookies.addAll(sessionCookies(served));
		assertThat(cookies).as("the persistent cookie's Max-Age")
			.anySatisfy((cookie) -> assertThat(cookie).containsPattern("Max-Age=[1-9]"));
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.JSON, HTTPS);
		assertThat(ended.status()).as("%s", ended).isEqualTo(401);
		List<String> dropped = sessionCookies(ended);
		assertThat(dropped).as("the dropped cookie").isNotEmpty();
		cookies.addAll(dropped);
		assertThat(cookies).allSatisfy((cookie) -> assertThat(cookie).contains("Path=/app", "Secure", "HttpOnly"));
	}

	@Test
	void theStartersCookieIsScopedToTheContextPathHoweverTheRequestSpellsIt() {
		Response login = this.browser.post("/login", Map.of("username", "user", "password", "password"),
				TestBrowser.HTML);
		assertThat(login.status()).as("%s", login).isEqualTo(302);
		// The context path percent-encoded, as a link may spell it: the container maps it
		// to the context and scopes its own cookie to the context path
		Response served = this.browser.getUrl("http://localhost:" + this.port + "/%61pp/orders", TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(sessionCookies(served)).as("%s", served)
			.isNotEmpty()
			.allSatisfy((cookie) -> assertThat(cookie).containsPattern("Path=/app(;|$)"));
	}

	private static List<String> sessionCookies(Response response) {
		return response.setCookies().stream().filter((cookie) -> cookie.startsWith("JSESSIONID=")).toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(AbstractSessionCookieAttributesIntegrationTests.CookieApplication.class)
	static class DefaultsApplication {

	}

}
