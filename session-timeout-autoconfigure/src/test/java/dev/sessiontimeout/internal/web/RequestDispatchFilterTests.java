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

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.util.WebUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestDispatchFilter}.
 */
class RequestDispatchFilterTests {

	private final List<HttpServletRequest> filtered = new ArrayList<>();

	private final RequestDispatchFilter filter = new RequestDispatchFilter() {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws java.io.IOException, jakarta.servlet.ServletException {
			RequestDispatchFilterTests.this.filtered.add(request);
			chain.doFilter(request, response);
		}

	};

	@Test
	void doFilterWhenTheRequestsOwnDispatchThenFiltersItAndSetsNoAttribute() throws Exception {
		AttributeRecordingRequest request = new AttributeRecordingRequest("GET", "/");
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		assertThat(this.filtered).containsExactly(request);
		assertThat(chain.getRequest()).isSameAs(request);
		assertThat(request.setAttributes()).isEmpty();
	}

	@Test
	void doFilterWhenAnErrorOrAsynchronousDispatchThenOnlyPassesItOn() throws Exception {
		for (DispatcherType dispatcherType : List.of(DispatcherType.ERROR, DispatcherType.ASYNC)) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
			request.setDispatcherType(dispatcherType);
			MockFilterChain chain = new MockFilterChain();
			this.filter.doFilter(request, new MockHttpServletResponse(), chain);
			assertThat(chain.getRequest()).as(dispatcherType.name()).isSameAs(request);
		}
		MockHttpServletRequest forwardOfAnError = new MockHttpServletRequest("GET", "/");
		forwardOfAnError.setDispatcherType(DispatcherType.FORWARD);
		forwardOfAnError.setAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE, "/failed");
		this.filter.doFilter(forwardOfAnError, new MockHttpServletResponse(), new MockFilterChain());
		assertThat(this.filtered).isEmpty();
	}

	@Test
	void doFilterWhenAForwardOrIncludeThatItIsNotFilteringThenFiltersIt() throws Exception {
		// A request that no filter chain with this filter saw, forwarded to one that has
		// it
		for (DispatcherType dispatcherType : List.of(DispatcherType.FORWARD, DispatcherType.INCLUDE)) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
			request.setDispatcherType(dispatcherType);
			this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
		}
		assertThat(this.filtered).hasSize(2);
	}

	@Test
	void doFilterWhenAForwardOrIncludeWithinTheRequestItIsFilteringThenOnlyPassesItOn() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		MockHttpServletRequest forward = new MockHttpServletRequest("GET", "/forwarded");
		forward.setDispatcherType(DispatcherType.FORWARD);
		MockHttpServletRequest include = new MockHttpServletRequest("GET", "/included");
		include.setDispatcherType(DispatcherType.INCLUDE);
		this.filter.doFilter(request, new MockHttpServletResponse(), (servletRequest, servletResponse) -> {
			this.filter.doFilter(forward, servletResponse, new MockFilterChain());
			this.filter.doFilter(include, servletResponse, new MockFilterChain());
		});
		assertThat(this.filtered).containsExactly(request);
		// And again once the request's own filtering is over
		this.filter.doFilter(forward, new MockHttpServletResponse(), new MockFilterChain());
		assertThat(this.filtered).containsExactly(request, forward);
	}

	@Test
	void doFilterWhenItShouldNotFilterARequestThenPassesItOnAndFiltersTheForwardItMakes() throws Exception {
		List<HttpServletRequest> filtered = new ArrayList<>();
		RequestDispatchFilter forwardsOnly = new RequestDispatchFilter() {

			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				return !request.getRequestURI().startsWith("/privileged");
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws java.io.IOException, jakarta.servlet.ServletException {
				filtered.add(request);
				chain.doFilter(request, response);
			}

		};
		AttributeRecordingRequest request = new AttributeRecordingRequest("GET", "/public");
		MockHttpServletRequest forward = new MockHttpServletRequest("GET", "/privileged/export");
		forward.setDispatcherType(DispatcherType.FORWARD);
		MockFilterChain chain = new MockFilterChain();
		forwardsOnly.doFilter(request, new MockHttpServletResponse(),
				(servletRequest, servletResponse) -> forwardsOnly.doFilter(forward, servletResponse, chain));
		assertThat(filtered).containsExactly(forward);
		assertThat(chain.getRequest()).isSameAs(forward);
		assertThat(request.setAttributes()).isEmpty();
	}

}
