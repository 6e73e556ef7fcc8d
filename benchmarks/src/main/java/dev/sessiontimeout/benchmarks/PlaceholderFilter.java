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
package dev.sessiontimeout.benchmarks;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * A filter that does nothing but pass the request on, in the place of the starter's
 * enforcement filter, in the application whose starter is disabled
 * ({@code benchmark.placeholder-filter=true}, off by default; given to both applications,
 * it applies to that one only). Compared with it, the starter's cost leaves out what any
 * filter in that place costs: one more level of the filter chain for every request and
 * for the JIT compiler to compile through.
 *
 * @author session-timeout
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("benchmark.placeholder-filter")
class PlaceholderFilter {

	@Bean
	@ConditionalOnBooleanProperty(name = "session-timeout.enabled", havingValue = false)
	FilterRegistrationBean<Filter> benchmarkPlaceholderFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
				(request, response, chain) -> chain.doFilter(request, response));
		registration.setOrder(SessionTimeoutFilter.DEFAULT_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

}
