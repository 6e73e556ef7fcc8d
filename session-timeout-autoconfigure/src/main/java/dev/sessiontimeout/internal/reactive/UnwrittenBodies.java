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
import java.util.function.Consumer;

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
 * so that it is never written: the buffers that the body holds already
 * ({@code Mono.just(buffer)}, also with a context written around it, as Spring's encoders
 * hand over a single value's with a discard hook, and {@code Flux.just} of several),
 * pooled ones such as an encoder allocates on Netty, go back to their pool. A body that
 * would have to run to produce its buffers is left alone, never subscribed: subscribing
 * is what runs the application's work (a repository's save, a call to another service),
 * which must not run for a request the starter refused.
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
	 * Reactor's publisher of several values held already in an array
	 * ({@code Flux.just(first, second)}): emitting them runs nothing of the application.
	 */
	private static final String HELD_ARRAY = "reactor.core.publisher.FluxArray";

	/**
	 * Release a body that is never written.
	 * @param body the body
	 */
	static void release(Publisher<?> body) {
		forEachHeld(body, 0, (value) -> {
			if (value instanceof DataBuffer buffer) {
				DataBufferUtils.release(buffer);
			}
		});
	}

	/**
	 * Release a body of groups, each to be flushed, that is never written.
	 * @param body the body
	 */
	static void releaseAll(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		forEachHeld(body, 0, (group) -> {
			if (group instanceof Publisher<?> publisher) {
				release(publisher);
			}
		});
	}

	/**
	 * Release the values that a body holds already beyond those it handed over before it
	 * was stopped (cancelled): Reactor's array publisher drops the rest without a
	 * discard.
	 * @param <T> the type of the values
	 * @param body the body
	 * @param taken how many values it handed over
	 * @param release how to release one value
	 */
	@SuppressWarnings("unchecked")
	static <T> void releaseUntaken(Publisher<T> body, long taken, Consumer<T> release) {
		forEachHeld(body, taken, (value) -> release.accept((T) value));
	}

	/**
	 * Return a body that passes on another, built from it (each element checked, say),
	 * and tells the values the other holds already, if any, for a decorator further in
	 * that does not write it to release them.
	 * @param source the body as it was written
	 * @param body the body built from it
	 * @return the body to pass on
	 */
	static Publisher<? extends DataBuffer> holding(Publisher<? extends DataBuffer> source,
			Publisher<? extends DataBuffer> body) {
		return (held(source) != null) ? new Holding(source, body) : body;
	}

	/**
	 * Hand each value that a body holds already, after the skipped ones, to an action,
	 * without running anything of the application: the one value of {@code Mono.just},
	 * read without subscribing, or the values of {@code Flux.just} of several, which only
	 * emits its array.
	 */
	private static void forEachHeld(Publisher<?> body, long skipped, Consumer<Object> action) {
		Publisher<?> held = held((body instanceof Holding holding) ? holding.source : body);
		if (held instanceof Fuseable.ScalarCallable<?> scalar) {
			if (skipped > 0) {
				return;
			}
			Object value;
			try {
				value = scalar.call();
			}
			catch (Exception ex) {
				// A body that fails holds nothing to release
				return;
			}
			if (value != null) {
				action.accept(value);
			}
		}
		else if (held != null) {
			Flux.from(held).skip(skipped).subscribe(action, (ex) -> {
				// An array emits no error
			});
		}
	}

	/**
	 * Return the publisher of values held already that a body is, or passes on as it is
	 * through operators that only write to the subscriber's context, or {@code null}.
	 */
	private static @Nullable Publisher<?> held(Publisher<?> body) {
		Object publisher = body;
		while (publisher != null && CONTEXT_WRITES.contains(publisher.getClass().getName())) {
			publisher = ((Scannable) publisher).scan(Scannable.Attr.PARENT);
		}
		if (publisher instanceof Fuseable.ScalarCallable<?>
				|| (publisher != null && HELD_ARRAY.equals(publisher.getClass().getName()))) {
			return (Publisher<?>) publisher;
		}
		return null;
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
