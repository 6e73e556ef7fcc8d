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

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

class UnwrittenBodiesTests {

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(new PooledByteBufAllocator(false));

	@Test
	void releasesTheBufferThatABodyHoldsAlready() {
		NettyDataBuffer mono = buffer("mono");
		NettyDataBuffer flux = buffer("flux");
		UnwrittenBodies.release(Mono.just(mono));
		UnwrittenBodies.release(Flux.just(flux));
		assertThat(mono.getNativeBuffer().refCnt()).isZero();
		assertThat(flux.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void releasesTheBufferThatTheOneGroupOfABodyHoldsAlready() {
		NettyDataBuffer held = buffer("held");
		UnwrittenBodies.releaseAll(Mono.just(Mono.just(held)));
		assertThat(held.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void neverRunsABodyThatWouldHaveToRunToProduceItsBuffers() {
		// Subscribing is what runs the application's work: a refused request must
		// not run it, even at the cost of a buffer left to the garbage collector
		AtomicBoolean subscribed = new AtomicBoolean();
		NettyDataBuffer first = buffer("first");
		UnwrittenBodies.release(Flux.just(first, buffer("second")).doOnSubscribe((s) -> subscribed.set(true)));
		UnwrittenBodies
			.release(Mono.defer(() -> Mono.just(buffer("deferred"))).doOnSubscribe((s) -> subscribed.set(true)));
		UnwrittenBodies
			.releaseAll(Flux.just(Mono.fromCallable(() -> buffer("group")).doOnSubscribe((s) -> subscribed.set(true))));
		assertThat(subscribed).isFalse();
		assertThat(first.getNativeBuffer().refCnt()).isOne();
		first.release();
	}

	@Test
	void aBodyBuiltFromOneThatHoldsItsBufferReleasesThatBufferWithoutRunning() {
		AtomicBoolean subscribed = new AtomicBoolean();
		NettyDataBuffer held = buffer("held");
		Mono<DataBuffer> source = Mono.just(held);
		Flux<DataBuffer> built = Flux.from(source).doOnSubscribe((s) -> subscribed.set(true));
		UnwrittenBodies.release(UnwrittenBodies.holding(source, built));
		assertThat(held.getNativeBuffer().refCnt()).isZero();
		assertThat(subscribed).isFalse();
	}

	@Test
	void aBodyBuiltFromOneThatHoldsItsBufferPassesItOn() {
		NettyDataBuffer held = buffer("held");
		Mono<DataBuffer> source = Mono.just(held);
		assertThat(Flux.<DataBuffer>from(UnwrittenBodies.holding(source, Flux.from(source))).collectList().block())
			.containsExactly(held);
		held.release();
	}

	@Test
	void aBodyBuiltFromOneThatDoesNotHoldItsBufferIsPassedOnAsItIs() {
		Flux<DataBuffer> source = Flux.defer(() -> Mono.just(buffer("deferred")));
		Flux<DataBuffer> built = source.map((buffer) -> buffer);
		assertThat(UnwrittenBodies.holding(source, built)).isSameAs(built);
	}

	@Test
	void releasesTheBufferThatABodyHoldsBehindAContextWrittenAroundIt() {
		// As Spring's EncoderHttpMessageWriter hands a single value over
		NettyDataBuffer held = buffer("held");
		Mono<DataBuffer> encoded = Mono.<DataBuffer>just(held).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		Flux<DataBuffer> built = Flux.from(encoded);
		UnwrittenBodies.release(UnwrittenBodies.holding(encoded, built));
		assertThat(held.getNativeBuffer().refCnt()).isZero();
		NettyDataBuffer again = buffer("again");
		UnwrittenBodies.release(Mono.just(again).contextWrite((context) -> context.put("key", "value")));
		assertThat(again.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void neverRunsABodyBehindAContextWrittenAroundIt() {
		AtomicBoolean subscribed = new AtomicBoolean();
		UnwrittenBodies.release(Mono.fromCallable(() -> buffer("called"))
			.doOnSubscribe((s) -> subscribed.set(true))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
		assertThat(subscribed).isFalse();
	}

	@Test
	void aBodyThatFailsOrHoldsNothingIsIgnored() {
		UnwrittenBodies.release(Mono.error(new IllegalStateException("failed")));
		UnwrittenBodies.release(Mono.empty());
		UnwrittenBodies.releaseAll(Mono.error(new IllegalStateException("failed")));
	}

	private NettyDataBuffer buffer(String content) {
		return this.buffers.allocateBuffer(16).write(content.getBytes(StandardCharsets.UTF_8));
	}

}
