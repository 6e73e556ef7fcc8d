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

import java.util.EnumSet;

import jakarta.servlet.SessionTrackingMode;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContainerSessionCookieWriter}.
 */
class ContainerSessionCookieWriterTests {

	private final MockServletContext servletContext = new MockServletContext();

	private final MockHttpServletRequest request = new MockHttpServletRequest(this.servletContext);

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private final MockHttpSession session = new MockHttpSession(this.servletContext, "id-1");

	@Test
	void writeWhenTheContainerTracksSessionsByCookieThenWritesTheCookie() {
		new ContainerSessionCookieWriter().write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).singleElement()
			.asString()
			.startsWith("JSESSIONID=id-1;")
			.contains("Max-Age=60");
	}

	@Test
	void writeWhenTheContainerTracksSessionsOnlyByUrlThenWritesNoCookie() {
		this.servletContext.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.URL));
		new ContainerSessionCookieWriter().write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).isEmpty();
	}

	@Test
	void writeWhenTheContainerTracksSessionsOnlyBySslThenWritesNoCookie() {
		this.servletContext.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.SSL));
		new ContainerSessionCookieWriter().write(this.request, this.response, this.session, 60);
		assertThat(this.response.getHeaders("Set-Cookie")).isEmpty();
	}

}
