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
package dev.sessiontimeout.internal.reactive;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Releases the body of an answer of the application's that the starter's answer replaced,
 * so that it is never written: a buffer that the body holds already (as Spring's encoders
 * hand over a single value's, {@code Mono.just(buffer)}), a pooled one such as an encoder
 * allocates on Netty, goes back to its pool. A body that would have to run to produce its
 * buffers is left alone, never subscribed: subscribing is what runs the application's
 * work (a repository's save, a call to another service), which must not run for a request
 * the starter refused.
 *
 * @author session-timeout
 */
final class UnwrittenBodies {

	private UnwrittenBodies() {
	}

	/**
	 * Release a body that is never written.
	 * @param body the body
	 */
	static void release(Publisher<?> body) {
		if (held(body) instanceof DataBuffer buffer) {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * Release a body of groups, each to be flushed, that is never written.
	 * @param body the body
	 */
	static void releaseAll(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		if (held(body) instanceof Publisher<?> group) {
			release(group);
		}
	}

	/**
	 * Return a body that passes on another, built from it (each element checked, say),
	 * and tells the one value the other holds already, if any, for a decorator further in
	 * that does not write it to release it.
	 * @param source the body as it was written
	 * @param body the body built from it
	 * @return the body to pass on
	 */
	static Publisher<? extends DataBuffer> holding(Publisher<? extends DataBuffer> source,
			Publisher<? extends DataBuffer> body) {
		return (source instanceof Fuseable.ScalarCallable<?>) ? new Holding(source, body) : body;
	}

	/**
	 * Return the one value that a publisher holds already, such as {@code Mono.just}'s,
	 * read without subscribing to it, or {@code null}.
	 */
	private static @Nullable Object held(Publisher<?> body) {
		if (body instanceof Holding holding) {
			return held(holding.source);
		}
		if (!(body instanceof Fuseable.ScalarCallable<?> scalar)) {
			return null;
		}
		try {
			return scalar.call();
		}
		catch (Exception ex) {
			// A body that fails holds nothing to release
			return null;
		}
	}

	/**
	 * A body built from one that holds its value already.
	 */
	private static final class Holding extends Flux<DataBuffer> {

		private final Publisher<? extends DataBuffer> source;

		private final Publisher<? extends DataBuffer> body;

		Holding(Publisher<? extends DataBuffer> source, Publisher<? extends DataBuffer> body) {
			this.source = source;
			this.body = body;
		}

		@Override
		public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
			this.body.subscribe(actual);
		}

	}

}
