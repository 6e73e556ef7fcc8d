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

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.GenericFilterBean;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * A filter that acts once in a request's own dispatch, and in a forward or include made
 * outside of it, as an {@link OncePerRequestFilter} does by default: not again in a
 * forward or include that it is already filtering, nor in an error or asynchronous
 * dispatch. It tells the nested dispatch by a flag of the thread (a forward or include
 * runs on the thread that made it) instead of the request attribute that an
 * {@code OncePerRequestFilter} sets and removes on every request, which on Tomcat copies
 * the context's listeners each time. A filter that has nothing to do for most requests
 * says so in {@link #shouldNotFilter(HttpServletRequest)}, which is asked first and
 * leaves the thread as it is. The filters of this starter inside a Spring Security filter
 * chain use it: that chain runs for every dispatch.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public abstract class RequestDispatchFilter extends GenericFilterBean {

	/**
	 * Whether a thread runs inside this filter: set to {@code false} rather than removed
	 * on the way out, so that a request does not cost a new entry of the thread's map.
	 */
	private final ThreadLocal<Boolean> filtering = ThreadLocal.withInitial(() -> Boolean.FALSE);

	@Override
	public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest httpRequest && response instanceof HttpServletResponse httpResponse
				&& !shouldNotFilter(httpRequest) && isFiltered(httpRequest) && !this.filtering.get()) {
			this.filtering.set(Boolean.TRUE);
			try {
				doFilterInternal(httpRequest, httpResponse, chain);
			}
			finally {
				this.filtering.set(Boolean.FALSE);
			}
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private static boolean isFiltered(HttpServletRequest request) {
		DispatcherType dispatcherType = request.getDispatcherType();
		return dispatcherType != DispatcherType.ASYNC && dispatcherType != DispatcherType.ERROR
				&& request.getAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE) == null;
	}

	/**
	 * Return whether this filter has nothing to do for a request, whatever its dispatch:
	 * it is then passed on without being marked as filtered, so that a forward or include
	 * it makes is filtered if it needs to be, as with an {@code OncePerRequestFilter}'s
	 * method of the same name. Asked before anything else, so it must be cheap.
	 * @param request the request, in any dispatch
	 * @return {@code true} to pass the request on untouched; {@code false} by default
	 */
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return false;
	}

	/**
	 * Filter a request.
	 * @param request the request
	 * @param response the response
	 * @param chain the rest of the chain
	 * @throws ServletException from the chain
	 * @throws IOException from the chain or on a write failure
	 */
	protected abstract void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException;

}
