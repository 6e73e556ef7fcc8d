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

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.FormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code Set-Cookie} of the session cookie that the starter causes keeps every
 * attribute the application configured ({@code server.servlet.session.cookie.*}:
 * SameSite, Secure, HttpOnly, Domain, Path, Partitioned), through the real filter chain:
 * the persistent cookie's {@code Max-Age} on each response, and the dropped cookie of an
 * ended session; and which answers of an ended session drop the cookie. Idle 30m,
 * persistent cookie.
 */
abstract class AbstractSessionCookieAttributesIntegrationTests extends AbstractLiveApplicationTests {

	private static final String IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

	/**
	 * Return the name of the session cookie.
	 * @return the name
	 */
	abstract String cookieName();

	@Test
	void everySessionCookieKeepsEveryConfiguredAttribute() {
		List<String> cookies = new ArrayList<>();
		Response login = this.browser.login("user", "password");
		assertThat(login.status()).isEqualTo(302);
		cookies.addAll(sessionCookies(login));
		Response served = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(served.status()).isEqualTo(200);
		List<String> persistent = sessionCookies(served);
		assertThat(persistent).as("the persistent cookie's Max-Age on the response")
			.anySatisfy((cookie) -> assertThat(cookie).containsPattern("Max-Age=[1-9]"));
		cookies.addAll(persistent);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		Response ended = this.browser.get("/orders", TestBrowser.JSON);
		assertThat(ended.status()).isEqualTo(401);
		List<String> dropped = sessionCookies(ended);
		assertThat(dropped).as("the ended session's cookie dropped")
			.anySatisfy((cookie) -> assertThat(cookie).containsPattern("Max-Age=0|Expires=Thu, 01 Jan 1970"));
		cookies.addAll(dropped);
		assertThat(cookies).allSatisfy((cookie) -> assertThat(cookie).contains("SameSite=Strict", "Secure", "HttpOnly",
				"Domain=localhost", "Path=/", "Partitioned"));
	}

	@Test
	void aBrowsersLoadOfSomethingAPageUsesKeepsTheEndedSessionsCookieThatAScriptsRequestDrops() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(30)));
		// An image whose request ends the session, then the page's icon: both keep the
		// cookie, which a navigation's answer may have replaced with a new session's
		Response image = this.browser.get("/orders", IMAGE, "Sec-Fetch-Dest", "image", "Sec-Fetch-Mode", "no-cors");
		assertThat(image.status()).isEqualTo(401);
		assertThat(sessionCookies(image)).as("the cookie of the request that ended the session").isEmpty();
		Response icon = this.browser.get("/favicon.ico", IMAGE, "Sec-Fetch-Dest", "image", "Sec-Fetch-Mode", "no-cors");
		assertThat(icon.status()).isEqualTo(401);
		assertThat(sessionCookies(icon)).as("the cookie of a request of the session ended before").isEmpty();
		Response script = this.browser.get("/orders", TestBrowser.JSON, "Sec-Fetch-Dest", "empty", "Sec-Fetch-Mode",
				"cors");
		assertThat(script.status()).isEqualTo(401);
		assertThat(sessionCookies(script)).as("the cookie of a script's request, which starts afresh next")
			.anySatisfy((cookie) -> assertThat(cookie).containsPattern("Max-Age=0|Expires=Thu, 01 Jan 1970"));
	}

	private List<String> sessionCookies(Response response) {
		return response.setCookies().stream().filter((cookie) -> cookie.startsWith(cookieName() + "=")).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(FormLoginConfiguration.class)
	static class CookieApplication {

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
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
