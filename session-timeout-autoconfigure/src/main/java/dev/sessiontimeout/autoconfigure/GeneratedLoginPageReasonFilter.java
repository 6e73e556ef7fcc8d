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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.RequestDispatchFilter;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * Lets Spring Security's generated login page tell why the user must sign in: it serves
 * only {@code /login}, {@code /login?error} and {@code /login?logout}, so a browser sent
 * to {@code /login?expired=idle} would be bounced to a bare {@code /login}, and after the
 * login land on a page that does not exist. This filter, right before the
 * {@link DefaultLoginPageGeneratingFilter}, has that filter render the page for the
 * expired URL (whose path is the login page) as if the reason were not there, and adds
 * the reason's message above the form. The messages come from the application's
 * {@link MessageSource} ({@code session-timeout.login.idle}, ...), with English defaults.
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class GeneratedLoginPageReasonFilter extends RequestDispatchFilter {

	private static final String REASON = "__session_timeout_reason__";

	private static final Map<ExpiryReason, String> DEFAULT_MESSAGES = Map.of(ExpiryReason.ABSOLUTE,
			"Your session reached its maximum length. Please sign in again.", ExpiryReason.IDLE,
			"You were signed out after a period of inactivity. Please sign in again.", ExpiryReason.REVOKED,
			"Your session was ended. Please sign in again.", ExpiryReason.INVALID,
			"Your session has ended. Please sign in again.", ExpiryReason.REAUTHENTICATION,
			"Please sign in again to continue.", ExpiryReason.PRIVILEGED,
			"This needs a recent sign-in. Please sign in again to continue.");

	private final DefaultLoginPageGeneratingFilter loginPage;

	private final MessageSource messageSource;

	private final @Nullable String expiredPath;

	private final @Nullable String reasonParameter;

	private final Set<String> expiredParameters;

	GeneratedLoginPageReasonFilter(DefaultLoginPageGeneratingFilter loginPage, String expiredUrl,
			MessageSource messageSource) {
		this.loginPage = loginPage;
		this.messageSource = messageSource;
		UriComponents expired = (expiredUrl.startsWith("/")) ? UriComponentsBuilder
			.fromUriString(expiredUrl.replace(SessionTimeoutResponder.REASON_PLACEHOLDER, REASON))
			.build() : null;
		MultiValueMap<String, String> parameters = (expired != null) ? expired.getQueryParams()
				: new LinkedMultiValueMap<>();
		this.expiredPath = (expired != null) ? expired.getPath() : null;
		this.reasonParameter = parameters.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().contains(REASON))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
		this.expiredParameters = parameters.keySet();
	}

	/**
	 * Pass on every request but a {@code GET} of the generated login page at the expired
	 * URL's path.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.reasonParameter == null || !"GET".equals(request.getMethod()) || !this.loginPage.isEnabled()
				|| this.expiredPath == null || !this.expiredPath.equals(this.loginPage.getLoginPageUrl())
				|| !PathPatterns.isPathWithinContext(request, this.expiredPath);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ExpiryReason reason = reasonOf(request);
		if (reason == null) {
			if (ServletSessionClocks.hiddenAuthentication(request) == null
					|| !rendersLoginPage(request, request, response)) {
				chain.doFilter(request, response);
			}
			return;
		}
		PageResponse page = new PageResponse(response);
		if (!rendersLoginPage(request, new WithoutReasonRequest(request, this.expiredParameters), page)) {
			chain.doFilter(request, response);
			return;
		}
		String html = withMessage(page.html(), message(reason, request.getLocale()));
		byte[] body = html.getBytes(StandardCharsets.UTF_8);
		response.setContentType("text/html;charset=UTF-8");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Have the generated login page render a request, as {@link #renderLoginPage} does.
	 * @return {@code true} if it rendered the page, {@code false} if it passed the
	 * request on
	 */
	private boolean rendersLoginPage(HttpServletRequest request, HttpServletRequest rendered,
			HttpServletResponse response) throws ServletException, IOException {
		boolean[] passed = new boolean[1];
		renderLoginPage(request, rendered, response, (servletRequest, servletResponse) -> passed[0] = true);
		return !passed[0];
	}

	/**
	 * Have the generated login page render a request. The request runs without the user
	 * whose re-authentication is due (the expired page, like every other, is served
	 * without that user), yet the page names that user, read-only, as Spring Security's
	 * page does for a signed-in user: only that user may continue the session. The user
	 * is shown to the login page's rendering alone.
	 */
	private void renderLoginPage(HttpServletRequest request, HttpServletRequest rendered, HttpServletResponse response,
			FilterChain passed) throws ServletException, IOException {
		Object hidden = ServletSessionClocks.hiddenAuthentication(request);
		Authentication user = (hidden instanceof SecurityContext context) ? context.getAuthentication() : null;
		if (user == null) {
			this.loginPage.doFilter(rendered, response, passed);
			return;
		}
		SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
		Supplier<SecurityContext> previous = strategy.getDeferredContext();
		SecurityContext shown = strategy.createEmptyContext();
		shown.setAuthentication(user);
		strategy.setContext(shown);
		try {
			this.loginPage.doFilter(rendered, response, passed);
		}
		finally {
			strategy.setDeferredContext(previous);
		}
	}

	private @Nullable ExpiryReason reasonOf(HttpServletRequest request) {
		String value = (this.reasonParameter != null) ? request.getParameter(this.reasonParameter) : null;
		if (value == null) {
			return null;
		}
		for (ExpiryReason reason : ExpiryReason.values()) {
			if (reason.value().equals(value)) {
				return reason;
			}
		}
		return null;
	}

	private String message(ExpiryReason reason, Locale locale) {
		return this.messageSource.getMessage("session-timeout.login." + reason.value(), null,
				DEFAULT_MESSAGES.get(reason), locale);
	}

	private static String withMessage(String html, String message) {
		String alert = "\n<div class=\"alert session-timeout-reason\" role=\"alert\" "
				+ "style=\"color:#664d03;background-color:#fff3cd;border:1px solid #ffecb5\">"
				+ HtmlUtils.htmlEscape(message) + "</div>";
		int heading = html.indexOf("</h2>");
		if (heading >= 0) {
			int end = heading + "</h2>".length();
			return html.substring(0, end) + alert + html.substring(end);
		}
		int body = html.indexOf("<body>");
		int end = (body >= 0) ? body + "<body>".length() : 0;
		return html.substring(0, end) + alert + html.substring(end);
	}

	/**
	 * The request of the expired URL without the parameters that the expired URL adds, so
	 * that the generated login page sees a request of itself.
	 */
	private static final class WithoutReasonRequest extends HttpServletRequestWrapper {

		private final Set<String> hidden;

		private final @Nullable String queryString;

		private final Map<String, String[]> parameters;

		WithoutReasonRequest(HttpServletRequest request, Set<String> hidden) {
			super(request);
			this.hidden = hidden;
			this.queryString = queryStringWithout(request.getQueryString(), hidden);
			Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
			parameters.keySet().removeAll(hidden);
			this.parameters = Collections.unmodifiableMap(parameters);
		}

		private static @Nullable String queryStringWithout(@Nullable String queryString, Set<String> hidden) {
			if (queryString == null) {
				return null;
			}
			List<String> kept = new ArrayList<>();
			for (String pair : queryString.split("&")) {
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				if (!pair.isEmpty() && !hidden.contains(name)) {
					kept.add(pair);
				}
			}
			return kept.isEmpty() ? null : String.join("&", kept);
		}

		@Override
		public @Nullable String getQueryString() {
			return this.queryString;
		}

		@Override
		public @Nullable String getParameter(String name) {
			String[] values = getParameterValues(name);
			return (values != null && values.length > 0) ? values[0] : null;
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return this.hidden.contains(name) ? null : this.parameters.get(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return this.parameters;
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(this.parameters.keySet());
		}

	}

	/**
	 * Keeps the page that the generated login page writes, so that the message can be
	 * added to it.
	 */
	private static final class PageResponse extends HttpServletResponseWrapper {

		private final StringWriter html = new StringWriter();

		private final PrintWriter writer = new PrintWriter(this.html);

		PageResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public PrintWriter getWriter() {
			return this.writer;
		}

		@Override
		public ServletOutputStream getOutputStream() {
			throw new IllegalStateException("The generated login page writes text");
		}

		@Override
		public void setContentLength(int length) {
		}

		@Override
		public void setContentLengthLong(long length) {
		}

		String html() {
			this.writer.flush();
			return this.html.toString();
		}

	}

}
