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
package dev.sessiontimeout.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Keeps the requests a reactive test application is still answering, until their response
 * is complete, with what happened to each so far, so that a test that waited in vain for
 * an answer can tell whether the server ever saw its request and where the answer stopped
 * ({@link DiagnoseTimeouts}). Registered as a bean, it runs before every other filter.
 *
 * @author session-timeout
 */
public class InFlightRequests implements WebFilter, Ordered {

	private static final Map<Long, Request> IN_FLIGHT = new ConcurrentHashMap<>();

	private static final AtomicLong IDS = new AtomicLong();

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long id = IDS.incrementAndGet();
		Request request = new Request(exchange.getRequest().getMethod() + " " + exchange.getRequest().getURI(),
				System.nanoTime(), new CopyOnWriteArrayList<>());
		IN_FLIGHT.put(id, request);
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> request.event("commit begins")));
		return chain.filter(exchange)
			.doOnSuccess((done) -> request.event("filter chain completed"))
			.doOnError((ex) -> request.event("filter chain failed: " + ex))
			.doOnCancel(() -> request.event("filter chain cancelled"))
			// Kept until the response is complete: its commit actions (the starter's, the
			// session's save) and its write come after the filter chain; completing it
			// here rather than in WebFlux's handler adapter changes nothing, the
			// adapter's
			// own completion then finds it done
			.then(Mono.defer(() -> exchange.getResponse().setComplete())
				.doOnSuccess((done) -> request.event("response complete"))
				.doOnError((ex) -> request.event("response failed: " + ex)))
			.doFinally((signal) -> IN_FLIGHT.remove(id));
	}

	/**
	 * Describe the requests that are still being answered.
	 * @return one line per request, oldest first
	 */
	public static String describe() {
		if (IN_FLIGHT.isEmpty()) {
			return "(none: every request the servers received was answered)\n";
		}
		StringBuilder text = new StringBuilder();
		IN_FLIGHT.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> text.append(entry.getValue()).append('\n'));
		return text.toString();
	}

	private record Request(String line, long started, List<String> events) {

		void event(String event) {
			this.events.add(Duration.ofNanos(System.nanoTime() - this.started).toMillis() + " ms " + event + " on "
					+ Thread.currentThread().getName());
		}

		@Override
		public String toString() {
			return this.line + " for " + Duration.ofNanos(System.nanoTime() - this.started).toMillis() + " ms: "
					+ (this.events.isEmpty() ? "nothing yet" : String.join("; ", this.events));
		}

	}

}
