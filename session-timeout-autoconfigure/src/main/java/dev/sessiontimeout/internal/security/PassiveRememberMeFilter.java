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
import org.springframework.util.StringUtils;
import org.springframework.web.filter.GenericFilterBean;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Sits right before Spring Security's {@code RememberMeAuthenticationFilter}, for the two
 * concerns of its remember-me login.
 * <ul>
 * <li>It keeps the login away from passive requests (polling, heartbeats, the status
 * endpoint's {@code GET}): a passive request that runs without a user is handed on with
 * the remember-me cookie hidden. A passive request thus signs nobody in, and leaves the
 * cookie and its persistent token as they are (the remember-me services would renew both
 * before any session authentication strategy could refuse the login), for the user's next
 * active request to sign in with. The error page, forward or asynchronous dispatch of
 * such a request has the cookie hidden too.</li>
 * <li>It dates the login from before its token check: a request that remember-me may sign
 * in (no user yet, the cookie present and not hidden) is noted as it begins there
 * ({@link ServletSessionClocks#begin}) for the rest of the chain, and forgotten as it
 * returns. A revocation everywhere removes the user's tokens before it records itself
 * (dated after the removal), so a login that still gets in is dated before that record,
 * which ends it ({@code UserRevocations}).</li>
 * </ul>
 * A request without the cookie, or with its user, is passed on as it is, and notes
 * nothing. Where the cookie's name is not known (remember-me services that are no
 * {@code AbstractRememberMeServices}), the filter hides nothing, and notes every request
 * that runs without a user.
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

	private final @Nullable String cookieName;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	/**
	 * Create a new filter.
	 * @param clocks tells passive requests, and notes when a request that remember-me may
	 * sign in began
	 * @param cookieName the name of the remember-me cookie, or {@code null} if it is not
	 * known: the filter then hides nothing, and notes every request without a user
	 * @param securityContextHolderStrategy holds the request's authentication
	 */
	public PassiveRememberMeFilter(ServletSessionClocks clocks, @Nullable String cookieName,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.isTrue(cookieName == null || StringUtils.hasText(cookieName), "'cookieName' must not be empty");
		Assert.notNull(securityContextHolderStrategy, "'securityContextHolderStrategy' must not be null");
		this.clocks = clocks;
		this.cookieName = cookieName;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest)) {
			chain.doFilter(request, response);
			return;
		}
		String cookieName = this.cookieName;
		if (cookieName == null) {
			// Its cookie unknown: any request without a user may be signed in
			if (hasUser()) {
				chain.doFilter(request, response);
			}
			else {
				doFilterDated(request, response, chain);
			}
			return;
		}
		Cookie[] cookies = httpRequest.getCookies();
		if (cookies == null || !hasCookie(cookies, cookieName)) {
			chain.doFilter(request, response);
		}
		else if (httpRequest.getDispatcherType() != DispatcherType.REQUEST
				&& httpRequest.getAttribute(HIDDEN_ATTRIBUTE) != null) {
			// The error page of a refused passive request, say
			chain.doFilter(new CookieHidingRequest(httpRequest, cookieName), response);
		}
		else if (hasUser()) {
			chain.doFilter(request, response);
		}
		else if (this.clocks.isPassive(httpRequest)) {
			httpRequest.setAttribute(HIDDEN_ATTRIBUTE, Boolean.TRUE);
			chain.doFilter(new CookieHidingRequest(httpRequest, cookieName), response);
		}
		else {
			doFilterDated(request, response, chain);
		}
	}

	private boolean hasUser() {
		return this.securityContextHolderStrategy.getContext().getAuthentication() != null;
	}

	/**
	 * Hand on a request that remember-me may sign in, noted as begun from here on: its
	 * login, if any, checks its token after this. What was noted before (a forward within
	 * a request noted already) is noted again as it returns.
	 */
	private void doFilterDated(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		UserRevocations.Begun before = this.clocks.begin();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.clocks.ended(before);
		}
	}

	private static boolean hasCookie(Cookie[] cookies, String cookieName) {
		for (Cookie cookie : cookies) {
			if (cookieName.equals(cookie.getName())) {
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
