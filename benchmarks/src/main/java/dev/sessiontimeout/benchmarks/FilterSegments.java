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

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Probes between the servlet filters of the application
 * ({@code benchmark.filter-segments=true}, off by default), for {@code segments.sh}: the
 * thread CPU time and the bytes allocated by a request of {@code GET /api/me} between
 * Tomcat and Spring Session, in Spring Session's filter (the session's load, which the
 * second probe triggers so that it is counted there in both applications, and its save on
 * the way back), in the starter's enforcement filter, between it and Spring Security, in
 * Spring Security's filter chain, and inside the {@code DispatcherServlet}. Each probe
 * reads the thread's clocks twice, so an empty segment costs about a microsecond; the
 * figures are for comparing two applications measured alike, not absolute costs.
 *
 * @author session-timeout
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("benchmark.filter-segments")
@RestController
class FilterSegments {

	static final String PATH = "/bench/filter-segments";

	private static final String MEASURED_PATH = "/api/me";

	/**
	 * Where the probes sit: Tomcat, then Spring Session's filter
	 * ({@code Integer.MIN_VALUE + 50}), then the starter's
	 * ({@code Integer.MIN_VALUE + 60}), then Spring Boot's {@code RequestContextFilter}
	 * ({@code -105}) and others, then Spring Security ({@code -100}).
	 */
	private static final int[] ORDERS = { Integer.MIN_VALUE, Integer.MIN_VALUE + 55, Integer.MIN_VALUE + 57,
			Integer.MIN_VALUE + 65, -101, -99 };

	private static final String[] SEGMENTS = { "Spring Session's filter, on the way in",
			"the session's load (HGETALL or SELECT, deserialization)", "the starter's enforcement filter",
			"filters up to Spring Security", "Spring Security's filter chain", "DispatcherServlet (the controller)" };

	private static final String[] SEGMENTS_BACK = { "Spring Session's filter, on the way out (the session's save)", "",
			"the starter's enforcement filter, on the way out", "filters up to Spring Security, on the way out",
			"Spring Security's filter chain, on the way out" };

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final int PROBES = ORDERS.length;

	private static final ThreadLocal<long[][]> marks = ThreadLocal.withInitial(() -> new long[4][PROBES]);

	private final AtomicLongArray bytesIn = new AtomicLongArray(PROBES);

	private final AtomicLongArray bytesOut = new AtomicLongArray(PROBES);

	private final AtomicLongArray cpuIn = new AtomicLongArray(PROBES);

	private final AtomicLongArray cpuOut = new AtomicLongArray(PROBES);

	private final AtomicLong requests = new AtomicLong();

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe0() {
		return probe(0);
	}

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe1() {
		return probe(1);
	}

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe2() {
		return probe(2);
	}

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe3() {
		return probe(3);
	}

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe4() {
		return probe(4);
	}

	@Bean
	FilterRegistrationBean<Filter> filterSegmentsProbe5() {
		return probe(5);
	}

	private FilterRegistrationBean<Filter> probe(int index) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Probe(index));
		registration.setOrder(ORDERS[index]);
		registration.setName("filterSegmentsProbe" + index);
		return registration;
	}

	/**
	 * Return the segments' averages per request since the last reset, and reset them if
	 * asked to.
	 * @param reset whether to start counting again
	 * @return the averages, in bytes and microseconds per request
	 */
	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> segments(@RequestParam(defaultValue = "false") boolean reset) {
		long count = Math.max(1, this.requests.get());
		Map<String, Object> segments = new LinkedHashMap<>();
		segments.put("requests", this.requests.get());
		for (int i = 0; i < PROBES; i++) {
			segments.put(SEGMENTS[i], average(this.bytesIn.get(i), this.cpuIn.get(i), count));
		}
		for (int i = PROBES - 2; i >= 0; i--) {
			if (!SEGMENTS_BACK[i].isEmpty()) {
				segments.put(SEGMENTS_BACK[i], average(this.bytesOut.get(i), this.cpuOut.get(i), count));
			}
		}
		if (reset) {
			for (int i = 0; i < PROBES; i++) {
				this.bytesIn.set(i, 0);
				this.bytesOut.set(i, 0);
				this.cpuIn.set(i, 0);
				this.cpuOut.set(i, 0);
			}
			this.requests.set(0);
		}
		return segments;
	}

	private static Map<String, Object> average(long bytes, long cpuNanos, long count) {
		return Map.of("bytes", bytes / count, "cpuMicros", Math.round(cpuNanos / 10.0 / count) / 100.0);
	}

	private final class Probe implements Filter {

		private final int index;

		Probe(int index) {
			this.index = index;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			HttpServletRequest httpRequest = (HttpServletRequest) request;
			boolean measured = MEASURED_PATH.equals(httpRequest.getRequestURI());
			long[][] at = marks.get();
			int i = this.index;
			if (measured) {
				at[0][i] = THREADS.getCurrentThreadAllocatedBytes();
				at[2][i] = THREADS.getCurrentThreadCpuTime();
				if (i == 1) {
					// The session's load, here in both applications
					httpRequest.getSession(false);
				}
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				if (measured) {
					at[1][i] = THREADS.getCurrentThreadAllocatedBytes();
					at[3][i] = THREADS.getCurrentThreadCpuTime();
					record(at, i);
				}
			}
		}

		private void record(long[][] at, int i) {
			FilterSegments segments = FilterSegments.this;
			if (i < PROBES - 1) {
				segments.bytesIn.addAndGet(i, at[0][i + 1] - at[0][i]);
				segments.cpuIn.addAndGet(i, at[2][i + 1] - at[2][i]);
				segments.bytesOut.addAndGet(i, at[1][i] - at[1][i + 1]);
				segments.cpuOut.addAndGet(i, at[3][i] - at[3][i + 1]);
			}
			else {
				segments.bytesIn.addAndGet(i, at[1][i] - at[0][i]);
				segments.cpuIn.addAndGet(i, at[3][i] - at[2][i]);
			}
			if (i == 0) {
				segments.requests.incrementAndGet();
			}
		}

	}

}
