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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.DigestUtils;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Serves the browser script that defines the countdown banner,
 * {@code <session-timeout-banner>}, at {@value #PATH} within the application's context
 * path.
 * <p>
 * A servlet filter ordered ahead of Spring Session's {@code SessionRepositoryFilter}
 * ({@code Integer.MIN_VALUE + 50}) rather than a Spring MVC resource handler: a request
 * for the script never reaches Spring Session, the session-timeout filter or Spring
 * Security. So the script is public whatever the application's security rules, as Spring
 * Security's own {@code /default-ui.css} is (its {@code DefaultResourcesFilter} answers
 * it before authorization); it never loads, creates or extends a session, so a page whose
 * session just ended (or whose cookie names an unknown session) still loads it; and it
 * needs neither Spring MVC nor a static-resource location, which the application may have
 * configured differently. The script is a classpath resource read once; it answers
 * {@code GET} and {@code HEAD} with a strong {@code ETag} (a conditional request gets a
 * {@code 304}) and a {@code Cache-Control} for an unversioned static asset, and any other
 * method with a {@code 405}.
 *
 * @author session-timeout
 */
final class SessionTimeoutScriptFilter extends OncePerRequestFilter {

	/**
	 * Where the script is served, within the context path.
	 */
	static final String PATH = "/session-timeout/session-timeout.js";

	/**
	 * Ahead of Spring Session's {@code SessionRepositoryFilter}
	 * ({@code Integer.MIN_VALUE + 50}), so that no session is looked up.
	 */
	static final int ORDER = Integer.MIN_VALUE + 40;

	static final String RESOURCE = "dev/sessiontimeout/session-timeout.js";

	private static final String CONTENT_TYPE = new MediaType("text", "javascript", StandardCharsets.UTF_8).toString();

	private static final String CACHE_CONTROL = CacheControl.maxAge(Duration.ofHours(1)).cachePublic().getHeaderValue();

	private final byte[] content;

	private final String etag;

	SessionTimeoutScriptFilter() {
		this(new ClassPathResource(RESOURCE, SessionTimeoutScriptFilter.class.getClassLoader()));
	}

	SessionTimeoutScriptFilter(ClassPathResource resource) {
		try {
			this.content = resource.getContentAsByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the session-timeout browser script " + resource, ex);
		}
		this.etag = "\"" + DigestUtils.md5DigestAsHex(this.content) + "\"";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATH.equals(UrlPathHelper.defaultInstance.getPathWithinApplication(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean head = HttpMethod.HEAD.matches(request.getMethod());
		if (!head && !HttpMethod.GET.matches(request.getMethod())) {
			response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
			return;
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
		response.setHeader("X-Content-Type-Options", "nosniff");
		if (new ServletWebRequest(request, response).checkNotModified(this.etag)) {
			return;
		}
		response.setContentType(CONTENT_TYPE);
		response.setContentLength(this.content.length);
		if (!head) {
			response.getOutputStream().write(this.content);
		}
	}

}
