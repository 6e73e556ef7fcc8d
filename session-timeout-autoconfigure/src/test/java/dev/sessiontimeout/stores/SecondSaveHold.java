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
package dev.sessiontimeout.stores;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Holds one request of a test on its way back, just inside Spring Session's filter (after
 * the save at its response's commit, before the one as it returns through
 * {@link SessionRepositoryFilter}, spring-session#508), until released, and tells when it
 * and each other request returned through all the filters. Registered as a bean with its
 * two filters ({@link #returnedFilter()}, {@link #holdFilter()}).
 *
 * @author session-timeout
 */
final class SecondSaveHold {

	volatile CountDownLatch held = new CountDownLatch(1);

	volatile CountDownLatch release = new CountDownLatch(1);

	volatile CountDownLatch returned = new CountDownLatch(1);

	final Semaphore others = new Semaphore(0);

	private final Predicate<HttpServletRequest> isHeld;

	/**
	 * Create a new instance.
	 * @param isHeld which request to hold
	 */
	SecondSaveHold(Predicate<HttpServletRequest> isHeld) {
		this.isHeld = isHeld;
	}

	void reset() {
		this.held = new CountDownLatch(1);
		this.release = new CountDownLatch(1);
		this.returned = new CountDownLatch(1);
	}

	/**
	 * Return the outermost filter, which tells when a request returned through all the
	 * filters.
	 * @return the filter's registration
	 */
	FilterRegistrationBean<Filter> returnedFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			try {
				chain.doFilter(request, response);
			}
			finally {
				if (isHeld(request)) {
					this.returned.countDown();
				}
				else {
					this.others.release();
				}
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Return the filter just inside Spring Session's, which holds the request on its way
	 * back until released.
	 * @return the filter's registration
	 */
	FilterRegistrationBean<Filter> holdFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			chain.doFilter(request, response);
			if (isHeld(request)) {
				this.held.countDown();
				try {
					this.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER + 1);
		return registration;
	}

	private boolean isHeld(ServletRequest request) {
		return request instanceof HttpServletRequest http && this.isHeld.test(http);
	}

}
