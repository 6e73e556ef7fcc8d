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

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Releases the body of an answer of the application's that the starter's answer replaced,
 * so that it is never written: a buffer that the body holds already
 * ({@code Mono.just(buffer)}, also with a context written around it, as Spring's encoders
 * hand over a single value's with a discard hook), a pooled one such as an encoder
 * allocates on Netty, goes back to its pool. A body that would have to run to produce its
 * buffers is left alone, never subscribed: subscribing is what runs the application's
 * work (a repository's save, a call to another service), which must not run for a request
 * the starter refused.
 *
 * @author session-timeout
 */
final class UnwrittenBodies {

	/**
	 * Reactor's operators that write to a subscriber's context and pass every value on as
	 * it is ({@code contextWrite}, {@code doOnDiscard}).
	 */
	private static final Set<String> CONTEXT_WRITES = Set.of("reactor.core.publisher.MonoContextWrite",
			"reactor.core.publisher.MonoContextWriteRestoringThreadLocals", "reactor.core.publisher.FluxContextWrite",
			"reactor.core.publisher.FluxContextWriteRestoringThreadLocals",
			"reactor.core.publisher.FluxContextWriteRestoringThreadLocalsFuseable");

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
		return (scalar(source) != null) ? new Holding(source, body) : body;
	}

	/**
	 * Return the one value that a publisher holds already, such as {@code Mono.just}'s,
	 * read without subscribing to it, or {@code null}.
	 */
	private static @Nullable Object held(Publisher<?> body) {
		Fuseable.ScalarCallable<?> scalar = scalar((body instanceof Holding holding) ? holding.source : body);
		if (scalar == null) {
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
	 * Return the publisher of one value held already that a body is, or passes on as it
	 * is through operators that only write to the subscriber's context, or {@code null}.
	 */
	private static Fuseable.@Nullable ScalarCallable<?> scalar(Publisher<?> body) {
		Object publisher = body;
		while (publisher != null && CONTEXT_WRITES.contains(publisher.getClass().getName())) {
			publisher = ((Scannable) publisher).scan(Scannable.Attr.PARENT);
		}
		return (publisher instanceof Fuseable.ScalarCallable<?> scalar) ? scalar : null;
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
