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

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Releases the body of an answer of the application's that the starter's answer replaced,
 * so that it is never written: its buffers, pooled ones such as an encoder allocates on
 * Netty, go back to their pool. What the body holds already is released at once; the rest
 * of it is cancelled, never produced, so that a stream does not go on for nothing.
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
	static void release(Publisher<? extends DataBuffer> body) {
		Flux.from(body).subscribe(DataBufferUtils::release, UnwrittenBodies::ignore).dispose();
	}

	/**
	 * Release a body of groups, each to be flushed, that is never written.
	 * @param body the body
	 */
	static void releaseAll(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		Flux.from(body).subscribe(UnwrittenBodies::release, UnwrittenBodies::ignore).dispose();
	}

	private static void ignore(Throwable ex) {
		// A body that fails is not written either
	}

}
