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
package dev.sessiontimeout.autoconfigure;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SessionTimeoutScriptFilter}.
 *
 * @author session-timeout
 */
class SessionTimeoutScriptFilterTests {

	private static final String PATH = "/session-timeout/session-timeout.js";

	private final SessionTimeoutScriptFilter filter = new SessionTimeoutScriptFilter();

	@Test
	void getWhenScriptPathThenServesTheScriptAsJavaScriptWithCachingHeaders() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", PATH);
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(request, chain);
		byte[] script = new ClassPathResource("dev/sessiontimeout/session-timeout.js").getContentAsByteArray();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("text/javascript;charset=UTF-8");
		assertThat(response.getContentAsByteArray()).isEqualTo(script);
		assertThat(response.getContentLength()).isEqualTo(script.length);
		assertThat(response.getHeader("ETag")).matches("\"[0-9a-f]{32}\"");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("max-age=3600, public");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(chain.getRequest()).as("answered, not passed on").isNull();
		assertThat(request.getSession(false)).isNull();
	}

	@Test
	void getWhenContextPathThenServesTheScriptWithinIt() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/shop" + PATH);
		request.setContextPath("/shop");
		MockHttpServletResponse response = filter(request, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).contains("<session-timeout-banner>");
	}

	@Test
	void getWhenSameETagThenNotModifiedWithoutBody() throws Exception {
		String etag = filter(new MockHttpServletRequest("GET", PATH), new MockFilterChain()).getHeader("ETag");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", PATH);
		request.addHeader("If-None-Match", etag);
		MockHttpServletResponse response = filter(request, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(304);
		assertThat(response.getContentAsByteArray()).isEmpty();
		assertThat(response.getHeader("ETag")).isEqualTo(etag);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("max-age=3600, public");
	}

	@Test
	void getWhenOtherETagThenServesTheScript() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", PATH);
		request.addHeader("If-None-Match", "\"an-older-script\"");
		MockHttpServletResponse response = filter(request, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).contains("session-timeout-banner");
	}

	@Test
	void headWhenScriptPathThenHeadersWithoutBody() throws Exception {
		MockHttpServletResponse response = filter(new MockHttpServletRequest("HEAD", PATH), new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("text/javascript;charset=UTF-8");
		assertThat(response.getContentLength()).isPositive();
		assertThat(response.getHeader("ETag")).isNotNull();
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test
	void postWhenScriptPathThenMethodNotAllowed() throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = filter(new MockHttpServletRequest("POST", PATH), chain);
		assertThat(response.getStatus()).isEqualTo(405);
		assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
		assertThat(response.getContentAsByteArray()).isEmpty();
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void getWhenOtherPathThenPassedOn() throws Exception {
		for (String path : new String[] { "/session-timeout/other.js", "/session-timeout.js", PATH + "/x", "/" }) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
			MockFilterChain chain = new MockFilterChain();
			MockHttpServletResponse response = filter(request, chain);
			assertThat(chain.getRequest()).as(path).isSameAs(request);
			assertThat(response.getContentAsByteArray()).as(path).isEmpty();
		}
	}

	@Test
	void constructionWhenScriptMissingThenFailsNamingIt() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> new SessionTimeoutScriptFilter(new ClassPathResource("dev/sessiontimeout/missing.js")))
			.withMessageContaining("dev/sessiontimeout/missing.js");
	}

	private MockHttpServletResponse filter(MockHttpServletRequest request, MockFilterChain chain)
			throws ServletException, IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, chain);
		return response;
	}

}
