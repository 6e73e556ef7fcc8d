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

import java.util.HashMap;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringSessionCookieWriter}.
 */
class SpringSessionCookieWriterTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private final MockHttpSession session = new MockHttpSession(null, "id-1");

	@Test
	void writeWhenSpringSessionHasNoCookieSerializerThenWritesNothing() {
		this.request.setAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR,
				new MapSessionRepository(new HashMap<>()));
		new SpringSessionCookieWriter(() -> null, new ContainerSessionCookieWriter()).write(this.request, this.response,
				this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).isEmpty();
	}

	@Test
	void writeWhenNoSpringSessionThenWritesTheContainersCookie() {
		new SpringSessionCookieWriter(DefaultCookieSerializer::new, new ContainerSessionCookieWriter())
			.write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).singleElement()
			.asString()
			.startsWith("JSESSIONID=id-1;")
			.contains("Max-Age=60", "Path=/", "HttpOnly");
	}

	@Test
	void writeWhenTheRequestedSessionIsKeptThenWritesThroughTheSerializer() {
		this.request.setAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR,
				new MapSessionRepository(new HashMap<>()));
		this.request.setCookies(new Cookie("SESSION", "aWQtMQ=="));
		this.request.setRequestedSessionId("id-1");
		this.request.setRequestedSessionIdValid(true);
		new SpringSessionCookieWriter(DefaultCookieSerializer::new, new ContainerSessionCookieWriter())
			.write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).singleElement()
			.asString()
			.startsWith("SESSION=aWQtMQ==;")
			.contains("Max-Age=60");
	}

	@Test
	void writeWhenTheSessionIsIdentifiedByAHeaderThenWritesNoCookie() {
		// HeaderHttpSessionIdResolver (X-Auth-Token) next to a CookieSerializer bean of
		// the application: the request names its session in a header, and its client,
		// which chose a header over a cookie, gets no session cookie
		this.request.setAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR,
				new MapSessionRepository(new HashMap<>()));
		this.request.addHeader("X-Auth-Token", "id-1");
		this.request.setRequestedSessionId("id-1");
		this.request.setRequestedSessionIdValid(true);
		new SpringSessionCookieWriter(DefaultCookieSerializer::new, new ContainerSessionCookieWriter())
			.write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).isEmpty();
	}

	@Test
	void expireWhenTheSessionIsIdentifiedByAHeaderThenWritesNoCookie() {
		this.request.setAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR,
				new MapSessionRepository(new HashMap<>()));
		this.request.addHeader("X-Auth-Token", "id-1");
		this.request.setRequestedSessionId("id-1");
		new SpringSessionCookieWriter(DefaultCookieSerializer::new, new ContainerSessionCookieWriter())
			.expire(this.request, this.response);
		assertThat(this.response.getHeaders("Set-Cookie")).isEmpty();
	}

	@Test
	void expireWhenTheRequestCarriesTheSessionCookieThenDropsIt() {
		this.request.setAttribute(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR,
				new MapSessionRepository(new HashMap<>()));
		this.request.setCookies(new Cookie("SESSION", "aWQtMQ=="));
		this.request.setRequestedSessionId("id-1");
		new SpringSessionCookieWriter(DefaultCookieSerializer::new, new ContainerSessionCookieWriter())
			.expire(this.request, this.response);
		assertThat(this.response.getHeaders("Set-Cookie")).singleElement()
			.asString()
			.startsWith("SESSION=;")
			.contains("Max-Age=0");
	}

}
