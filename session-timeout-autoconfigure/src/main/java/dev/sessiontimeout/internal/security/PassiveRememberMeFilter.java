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
package dev.sessiontimeout.internal.security;

import java.io.IOException;
import java.util.Arrays;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.Assert;
import org.springframework.web.filter.GenericFilterBean;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Keeps Spring Security's remember-me login away from passive requests (polling,
 * heartbeats, the status endpoint's {@code GET}): it sits right before the
 * {@code RememberMeAuthenticationFilter} and hands a passive request that runs without a
 * user on with the remember-me cookie hidden. A passive request thus signs nobody in, and
 * leaves the cookie and its persistent token as they are (the remember-me services would
 * renew both before any session authentication strategy could refuse the login), for the
 * user's next active request to sign in with. The error page, forward or asynchronous
 * dispatch of such a request has the cookie hidden too. A request without the cookie, or
 * with its user, is passed on as it is.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class PassiveRememberMeFilter extends GenericFilterBean {

	/**
	 * The request attribute that marks a request whose remember-me cookie is hidden, for
	 * its later dispatches.
	 */
	private static final String HIDDEN_ATTRIBUTE = SessionAttributes.PREFIX + "rememberMeHidden";

	private final ServletSessionClocks clocks;

	private final String cookieName;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	/**
	 * Create a new filter.
	 * @param clocks tells passive requests
	 * @param cookieName the name of the remember-me cookie
	 * @param securityContextHolderStrategy holds the request's authentication
	 */
	public PassiveRememberMeFilter(ServletSessionClocks clocks, String cookieName,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.hasText(cookieName, "'cookieName' must not be empty");
		Assert.notNull(securityContextHolderStrategy, "'securityContextHolderStrategy' must not be null");
		this.clocks = clocks;
		this.cookieName = cookieName;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest httpRequest && hidesCookie(httpRequest)) {
			chain.doFilter(new CookieHidingRequest(httpRequest, this.cookieName), response);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/**
	 * Return whether the request's remember-me cookie is hidden: asked in that order,
	 * which spares a request without the cookie, or with its user, the passive check.
	 */
	private boolean hidesCookie(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null || !hasCookie(cookies)) {
			return false;
		}
		if (request.getDispatcherType() != DispatcherType.REQUEST && request.getAttribute(HIDDEN_ATTRIBUTE) != null) {
			// The error page of a refused passive request, say
			return true;
		}
		if (this.securityContextHolderStrategy.getContext().getAuthentication() != null
				|| !this.clocks.isPassive(request)) {
			return false;
		}
		request.setAttribute(HIDDEN_ATTRIBUTE, Boolean.TRUE);
		return true;
	}

	private boolean hasCookie(Cookie[] cookies) {
		for (Cookie cookie : cookies) {
			if (this.cookieName.equals(cookie.getName())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A request without the remember-me cookie.
	 */
	private static final class CookieHidingRequest extends HttpServletRequestWrapper {

		private final String cookieName;

		CookieHidingRequest(HttpServletRequest request, String cookieName) {
			super(request);
			this.cookieName = cookieName;
		}

		@Override
		public Cookie @Nullable [] getCookies() {
			Cookie[] cookies = super.getCookies();
			if (cookies == null) {
				return null;
			}
			Cookie[] kept = Arrays.stream(cookies)
				.filter((cookie) -> !this.cookieName.equals(cookie.getName()))
				.toArray(Cookie[]::new);
			return (kept.length != 0) ? kept : null;
		}

	}

}
