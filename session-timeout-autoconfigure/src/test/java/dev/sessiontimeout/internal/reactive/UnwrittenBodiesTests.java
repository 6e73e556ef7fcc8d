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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

class UnwrittenBodiesTests {

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(new PooledByteBufAllocator(false));

	@Test
	void releasesTheBuffersOfABodyAtOnce() {
		NettyDataBuffer first = buffer("first");
		NettyDataBuffer second = buffer("second");
		UnwrittenBodies.release(Flux.just(first, second));
		assertThat(first.getNativeBuffer().refCnt()).isZero();
		assertThat(second.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void releasesTheBuffersOfEveryGroup() {
		NettyDataBuffer first = buffer("first");
		NettyDataBuffer second = buffer("second");
		UnwrittenBodies.releaseAll(Flux.just(Mono.just(first), Flux.just(second)));
		assertThat(first.getNativeBuffer().refCnt()).isZero();
		assertThat(second.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void cancelsWhatTheBodyHasNotProducedYet() {
		Sinks.Many<NettyDataBuffer> stream = Sinks.many().unicast().onBackpressureBuffer();
		AtomicBoolean cancelled = new AtomicBoolean();
		NettyDataBuffer ready = buffer("ready");
		stream.tryEmitNext(ready);
		UnwrittenBodies.release(stream.asFlux().doOnCancel(() -> cancelled.set(true)));
		assertThat(ready.getNativeBuffer().refCnt()).isZero();
		assertThat(cancelled).as("a stream does not go on for nothing").isTrue();
	}

	@Test
	void aBodyThatFailsIsIgnored() {
		NettyDataBuffer first = buffer("first");
		UnwrittenBodies.release(Flux.just(first).concatWith(Mono.error(new IllegalStateException("failed"))));
		assertThat(first.getNativeBuffer().refCnt()).isZero();
	}

	private NettyDataBuffer buffer(String content) {
		return this.buffers.allocateBuffer(16).write(content.getBytes(StandardCharsets.UTF_8));
	}

}
