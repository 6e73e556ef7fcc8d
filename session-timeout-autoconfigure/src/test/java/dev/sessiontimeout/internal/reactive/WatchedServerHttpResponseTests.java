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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionStore;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WatchedServerHttpResponse}: what it does with a body it does not write
 * once the session ended.
 *
 * @author session-timeout
 */
class WatchedServerHttpResponseTests {

	private final MutableClock clock = new MutableClock();

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(new PooledByteBufAllocator(false));

	private final SessionClocks clocks;

	private final WebSession session;

	private final MockServerHttpResponse response = new MockServerHttpResponse();

	private ExpiryReason answered;

	WatchedServerHttpResponseTests() {
		this.clock.fixAt(Instant.parse("2026-12-08T10:00:00Z"));
		this.clocks = new SessionClocks(SessionTimeoutSettings.builder().idle(Duration.ofMinutes(30)).build(),
				this.clock, (event) -> {
				});
		this.session = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
		this.session.start();
		this.clocks.start(new WebSessionAccess(this.session));
	}

	@Test
	void aGroupWrittenOnceTheSessionEndedIsNeverRun() {
		// Subscribing to a group is what runs its work (a repository's save, a call
		// to another service): it must not run once the session ended
		AtomicBoolean ran = new AtomicBoolean();
		Flux<DataBuffer> group = Flux.defer(() -> {
			ran.set(true);
			return Mono.just(buffer("group"));
		});
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00Z"));
		watched().writeAndFlushWith(Mono.just(group)).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(ran).isFalse();
	}

	@Test
	void aGroupWrittenOnceTheSessionEndedThatHoldsItsBufferReleasesIt() {
		NettyDataBuffer held = buffer("held");
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00Z"));
		watched().writeAndFlushWith(Mono.just(Mono.just(held))).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(held.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aGroupOfBuffersWrittenOnceTheSessionEndedReleasesThem() {
		// A group that holds its buffers already (Flux.just of several, as a writer
		// that frames each event in buffers it allocated hands over), pooled: refused,
		// they go back to the pool, as they did when the refused group was subscribed
		NettyDataBuffer first = buffer("first");
		NettyDataBuffer second = buffer("second");
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00Z"));
		watched().writeAndFlushWith(Mono.just(Flux.just(first, second))).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(first.getNativeBuffer().refCnt()).isZero();
		assertThat(second.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aGroupWrittenJustBeforeTheSessionEndedIsWritten() {
		this.clock.fixAt(Instant.parse("2026-12-08T10:29:59.999Z"));
		watched().writeAndFlushWith(Mono.just(Mono.just(buffer("group")))).block(Duration.ofSeconds(5));
		assertThat(this.answered).isNull();
		assertThat(this.response.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("group");
	}

	@Test
	void aBodyWrittenJustBeforeTheSessionEndedIsWritten() {
		this.clock.fixAt(Instant.parse("2026-12-08T10:29:59.999Z"));
		watched().writeWith(Flux.just(buffer("first"), buffer("second"))).block(Duration.ofSeconds(5));
		assertThat(this.answered).isNull();
		assertThat(this.response.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("firstsecond");
	}

	@Test
	void aBodyWrittenOnceTheSessionEndedIsAnsweredAndItsElementReleased() {
		NettyDataBuffer element = buffer("element");
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00Z"));
		watched().writeWith(Mono.just(element)).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(element.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aBodyWrittenJustAfterTheSessionEndedIsAnswered() {
		NettyDataBuffer late = buffer("late");
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00.001Z"));
		watched().writeWith(Mono.just(late)).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(late.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void anAnswerFurtherInThatReplacesTheBodyReleasesTheBufferThatTheWrittenOneHolds() {
		// As the answer to a refusal of a request served without its user, which the
		// filter after the security filter chain's authorization decorates first
		NettyDataBuffer held = buffer("held");
		Mono<DataBuffer> encoded = Mono.<DataBuffer>just(held).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		ServerHttpResponse answering = new ServerHttpResponseDecorator(this.response) {

			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
				return Mono.fromRunnable(() -> UnwrittenBodies.release(body));
			}

		};
		watched(answering, true).writeWith(encoded).block(Duration.ofSeconds(5));
		assertThat(held.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void anElementWrittenAsTheStoreReadFallsDueIsCheckedAgainstTheStore() {
		// The clock moves on 1 ms at each of its readings, across the instant the
		// store read falls due (1 s after the session was read); the session was
		// revoked in its store meanwhile. The first element, at 999 ms, is before
		// that instant and written; the next is checked against the store, never
		// against the request's own copy (which would put the read off by a whole
		// check interval)
		WatchedServerHttpResponse watched = watchedReadingFrom((copy) -> {
			WebSession stored = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
			stored.start();
			stored.getAttributes().putAll(copy.getAttributes());
			stored.getAttributes().put(SessionAttributes.REVOKED_AT, this.clock.instant().toEpochMilli());
			return Mono.just(stored);
		});
		this.clock.fixAt(Instant.parse("2026-12-08T10:00:00.999Z"));
		this.clock.stepEachReading(Duration.ofMillis(1));
		NettyDataBuffer late = buffer("late");
		watched.writeWith(Flux.just(buffer("first"), late)).block(Duration.ofSeconds(5));
		assertThat(this.response.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("first");
		assertThat(late.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aBodyOfBuffersWrittenOnceTheSessionEndedReleasesThemAll() {
		// Flux.just of several buffers held already: the first is refused and
		// released, the others are never written and must go back to the pool too
		NettyDataBuffer first = buffer("first");
		NettyDataBuffer second = buffer("second");
		NettyDataBuffer third = buffer("third");
		this.clock.fixAt(Instant.parse("2026-12-08T10:30:00Z"));
		watched().writeWith(Flux.just(first, second, third)).block(Duration.ofSeconds(5));
		assertThat(this.answered).isEqualTo(ExpiryReason.IDLE);
		assertThat(first.getNativeBuffer().refCnt()).isZero();
		assertThat(second.getNativeBuffer().refCnt()).isZero();
		assertThat(third.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aBodyOfBuffersWhoseSessionEndsWithinItWritesTheFirstAndReleasesTheRest() {
		// The first buffer is checked just before the idle deadline and written, and
		// the session ends as it is: the second is refused, the response, committed
		// with the first, ends there, and the buffers it never took go back to the
		// pool
		NettyDataBuffer second = buffer("second");
		NettyDataBuffer third = buffer("third");
		this.clock.fixAt(Instant.parse("2026-12-08T10:29:59.999Z"));
		watched(endingOnFirstWrite(), false).writeWith(Flux.just(buffer("first"), second, third))
			.block(Duration.ofSeconds(5));
		assertThat(this.response.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("first");
		assertThat(second.getNativeBuffer().refCnt()).isZero();
		assertThat(third.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void aGroupOfBuffersWhoseSessionEndsWithinItReleasesTheRest() {
		// The same within a group of writeAndFlushWith: its first buffer written, the
		// second refused and the third, held already by the group, released
		NettyDataBuffer second = buffer("second");
		NettyDataBuffer third = buffer("third");
		this.clock.fixAt(Instant.parse("2026-12-08T10:29:59.999Z"));
		watched(endingOnFirstWrite(), false).writeAndFlushWith(Mono.just(Flux.just(buffer("first"), second, third)))
			.block(Duration.ofSeconds(5));
		assertThat(second.getNativeBuffer().refCnt()).isZero();
		assertThat(third.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void anElementWhoseStoreReadIsCancelledIsReleased() {
		// The client goes away while the store is read for an element: the element
		// is never written, and its pooled buffer must go back to the pool
		WatchedServerHttpResponse watched = watchedReadingFrom((copy) -> Mono.never());
		this.clock.fixAt(Instant.parse("2026-12-08T10:00:01Z"));
		NettyDataBuffer element = buffer("element");
		watched.writeWith(Mono.just(element)).subscribe().dispose();
		assertThat(this.answered).isNull();
		assertThat(element.getNativeBuffer().refCnt()).isZero();
	}

	/**
	 * The response, with the session's idle deadline reached as the first buffer written
	 * to it passes the watch.
	 */
	private ServerHttpResponse endingOnFirstWrite() {
		Instant ended = Instant.parse("2026-12-08T10:30:00Z");
		MutableClock clock = this.clock;
		return new ServerHttpResponseDecorator(this.response) {

			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
				return super.writeWith(Flux.from(body).doOnNext((buffer) -> clock.fixAt(ended)));
			}

			@Override
			public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
				return super.writeAndFlushWith(
						Flux.from(body).map((group) -> Flux.from(group).doOnNext((buffer) -> clock.fixAt(ended))));
			}

		};
	}

	/**
	 * A response watched with a check interval of a second, whose session (read at the
	 * clock's instant) the watch reads from a store that answers as given, with the
	 * request's own copy of the session.
	 */
	private WatchedServerHttpResponse watchedReadingFrom(Function<WebSession, Mono<WebSession>> retrieve) {
		SessionClocks checked = new SessionClocks(SessionTimeoutSettings.builder()
			.idle(Duration.ofMinutes(30))
			.responseCheckInterval(Duration.ofSeconds(1))
			.build(), this.clock, (event) -> {
			});
		WebSession copy = new InMemoryWebSessionStore().createWebSession().block(Duration.ofSeconds(5));
		copy.start();
		checked.start(new WebSessionAccess(copy));
		WebSessionStore store = new WebSessionStore() {

			@Override
			public Mono<WebSession> createWebSession() {
				return Mono.error(new UnsupportedOperationException());
			}

			@Override
			public Mono<WebSession> retrieveSession(String sessionId) {
				return retrieve.apply(copy);
			}

			@Override
			public Mono<Void> removeSession(String sessionId) {
				return Mono.empty();
			}

			@Override
			public Mono<WebSession> updateLastAccessTime(WebSession webSession) {
				return Mono.just(webSession);
			}

		};
		SessionState state = checked.state(copy::getAttribute);
		return WatchedServerHttpResponse.watch(this.response,
				(lookup) -> checked.watch(copy.getId(), state, null, false, lookup), copy, store,
				(reason, maxAge) -> Mono.fromRunnable(() -> this.answered = reason), Mono::empty, false);
	}

	private WatchedServerHttpResponse watched() {
		return watched(this.response, false);
	}

	private WatchedServerHttpResponse watched(ServerHttpResponse response, boolean answeredFurtherIn) {
		SessionState state = this.clocks.state(this.session::getAttribute);
		return WatchedServerHttpResponse.watch(response,
				(lookup) -> this.clocks.watch(this.session.getId(), state, null, false, lookup), this.session, null,
				(reason, maxAge) -> Mono.fromRunnable(() -> this.answered = reason), Mono::empty, answeredFurtherIn);
	}

	private NettyDataBuffer buffer(String content) {
		return this.buffers.allocateBuffer(16).write(content.getBytes(StandardCharsets.UTF_8));
	}

}
