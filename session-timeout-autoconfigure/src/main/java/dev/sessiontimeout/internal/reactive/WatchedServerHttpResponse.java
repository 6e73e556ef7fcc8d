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

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionStore;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionWatch;

/**
 * The response of a WebFlux request whose session the clocks decided to serve: every
 * element of its body (a server-sent event, a chunk of a streamed body, the value of a
 * {@code Mono} that comes late) asks the {@link SessionWatch} before it is written. Once
 * the session ended or its user must authenticate again, nothing more is written: a
 * response already committed ends there (its body completes, so the client sees the end
 * of the stream), one not committed yet is answered as a request of the ended session, or
 * with the challenge to authenticate again. When the watch reads the session from its
 * store, the store is read first, without blocking, and the watch is handed what it
 * answered.
 *
 * @author session-timeout
 */
final class WatchedServerHttpResponse extends ServerHttpResponseDecorator {

	private final Supplier<@Nullable Watch> watches;

	private volatile @Nullable Watch watch;

	private final BiFunction<ExpiryReason, Duration, Mono<Void>> answer;

	private final Supplier<Mono<Void>> unavailable;

	private final boolean answeredFurtherIn;

	private WatchedServerHttpResponse(ServerHttpResponse response, Supplier<@Nullable Watch> watches,
			BiFunction<ExpiryReason, Duration, Mono<Void>> answer, Supplier<Mono<Void>> unavailable,
			boolean answeredFurtherIn) {
		super(response);
		this.watches = watches;
		this.answer = answer;
		this.unavailable = unavailable;
		this.answeredFurtherIn = answeredFurtherIn;
	}

	/**
	 * Return the response of a request whose session the clocks decided to serve, as the
	 * application writes it.
	 * @param response the response
	 * @param watch creates the watch over the session, given how it reads the session
	 * from its store
	 * @param session the session of the request
	 * @param store the session manager's store, {@code null} if unknown
	 * @param answer answers the request once its session can no longer serve it and its
	 * response is not committed yet, given why and, for a challenge, how old the new
	 * authentication may be at most
	 * @param unavailable answers the request once its store did not answer and its
	 * response is not committed yet
	 * @param answeredFurtherIn whether the response is a decorator of the starter's that
	 * may answer instead of the application and release the body it does not write
	 * ({@link UnwrittenBodies}): then each body passed on tells the buffer that the
	 * written one holds already, if any. Where the starter's answers are decorated
	 * outside the watched response, as they should be, they see the body as the
	 * application wrote it, and nothing is looked at
	 * @return the watched response
	 */
	static WatchedServerHttpResponse watch(ServerHttpResponse response,
			Function<Supplier<@Nullable SessionAttributeSource>, SessionWatch> watch, WebSession session,
			@Nullable WebSessionStore store, BiFunction<ExpiryReason, Duration, Mono<Void>> answer,
			Supplier<Mono<Void>> unavailable, boolean answeredFurtherIn) {
		SessionReads reads = new SessionReads(session, store);
		Watch made = new Watch(watch.apply(reads::current), reads);
		return new WatchedServerHttpResponse(response, () -> made, answer, unavailable, answeredFurtherIn);
	}

	/**
	 * Return the response of a request that has no started session yet (the first request
	 * of a visitor), as the application writes it: it writes through until the request
	 * started a session and its clocks, and is watched over that session from then on.
	 * @param response the response
	 * @param sessions the session of the request once it looked it up, if any
	 * @param watch creates the watch over a session whose clocks started, given how it
	 * reads the session from its store, {@code null} before
	 * @param store the session manager's store, {@code null} if unknown
	 * @param answer answers the request once its session can no longer serve it and its
	 * response is not committed yet
	 * @param unavailable answers the request once its store did not answer and its
	 * response is not committed yet
	 * @return the watched response
	 */
	static WatchedServerHttpResponse watchOnceStarted(ServerHttpResponse response,
			Supplier<@Nullable WebSession> sessions,
			BiFunction<WebSession, Supplier<@Nullable SessionAttributeSource>, @Nullable SessionWatch> watch,
			@Nullable WebSessionStore store, BiFunction<ExpiryReason, Duration, Mono<Void>> answer,
			Supplier<Mono<Void>> unavailable) {
		return new WatchedServerHttpResponse(response, () -> {
			WebSession session = sessions.get();
			if (session == null || !session.isStarted()) {
				return null;
			}
			SessionReads reads = new SessionReads(session, store);
			SessionWatch made = watch.apply(session, reads::current);
			return (made != null) ? new Watch(made, reads) : null;
		}, answer, unavailable, false);
	}

	private @Nullable Watch watch() {
		Watch watch = this.watch;
		if (watch == null) {
			watch = this.watches.get();
			this.watch = watch;
		}
		return watch;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		Flux<? extends DataBuffer> watched = watched(body, DataBufferUtils::release, WatchedServerHttpResponse::ended);
		// Only an answer of the starter's further in, rare, needs to be told the buffer
		// that the written body holds already, to release it if it replaces the body
		return super.writeWith(this.answeredFurtherIn ? UnwrittenBodies.holding(body, watched) : watched)
			.onErrorResume(Stopped.class, this::answer);
	}

	/**
	 * Write a body in groups, each flushed at its end: each group is checked before it
	 * begins, and each element of a group before it is written, so that a group that
	 * gathers many elements (a {@code window}) writes none of them once the session can
	 * no longer serve the response. A committed response then ends with that group.
	 */
	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		Sinks.Empty<Void> ended = Sinks.empty();
		Runnable end = ended::tryEmitEmpty;
		// A group refused before it began is released as a body never written: never
		// subscribed, which would run its work
		Flux<Flux<DataBuffer>> groups = watched(body, UnwrittenBodies::release, end)
			.map((group) -> watched(Flux.<DataBuffer>from(group), DataBufferUtils::release, end))
			.takeUntilOther(ended.asMono());
		return super.writeAndFlushWith(groups).onErrorResume(Stopped.class, this::answer);
	}

	/**
	 * Return the body with each element checked before it is written: once the session
	 * can no longer serve the response, a committed one ends there (and is told to
	 * {@code end}), one not committed yet fails with {@link Stopped}, to be answered.
	 */
	private <T> Flux<T> watched(Publisher<T> body, Consumer<T> release, Runnable end) {
		Checks<T> checks = new Checks<>(release);
		return Flux.from(body).concatMap(checks, 0).onErrorResume(Stopped.class, (ex) -> {
			// The values the body holds already and never handed over, which the
			// stop cancelled, go back too
			UnwrittenBodies.releaseUntaken(body, checks.taken, release);
			if (!getDelegate().isCommitted()) {
				return Flux.error(ex);
			}
			end.run();
			return Flux.empty();
		});
	}

	private <T> Mono<T> checked(T element, Consumer<T> release) {
		// Most elements are checked against the clock alone: answered at once, the
		// element passed on as a value that its operator takes without subscribing.
		// Whether the store is read and the check itself take one reading of the
		// clock, so that a read falling due between two readings is never skipped
		Watch watch;
		Instant now;
		try {
			watch = watch();
			if (watch == null) {
				return Mono.just(element);
			}
			now = watch.watch().now();
			if (!watch.watch().isReadDue(now)) {
				ExpiryReason reason = watch.watch().check(now);
				if (reason == null) {
					return Mono.just(element);
				}
				release.accept(element);
				return Mono.error(new Stopped(reason, null));
			}
		}
		catch (RuntimeException ex) {
			release.accept(element);
			return Mono.error(new Stopped(null, ex));
		}
		// The element goes on, or is released once: refused, failed, or cancelled
		// while the store is read (the client went away)
		AtomicBoolean settled = new AtomicBoolean();
		Runnable released = () -> {
			if (settled.compareAndSet(false, true)) {
				release.accept(element);
			}
		};
		return watch.reads()
			.read()
			.then(Mono.fromCallable(() -> watch.watch().check(later(now, watch.watch().now()))))
			.<T>flatMap((reason) -> Mono.error(new Stopped(reason, null)))
			.onErrorMap((ex) -> !(ex instanceof Stopped), (ex) -> new Stopped(null, ex))
			.switchIfEmpty(Mono.just(element))
			.filter((passed) -> settled.compareAndSet(false, true))
			.doOnError((ex) -> released.run())
			.doOnCancel(released);
	}

	/**
	 * Checks each element of one body as it is handed over, counting them, so that the
	 * values a body holds already and never handed over are released when it stops.
	 */
	private final class Checks<T> implements Function<T, Mono<T>> {

		private final Consumer<T> release;

		/**
		 * The elements handed over: concatMap hands them over one at a time.
		 */
		private long taken;

		Checks(Consumer<T> release) {
			this.release = release;
		}

		@Override
		public Mono<T> apply(T element) {
			this.taken++;
			return checked(element, this.release);
		}

	}

	/**
	 * Return the later of the instant the read fell due and the clock after the read: the
	 * check after a read always looks at what was read, even if the clock went back.
	 */
	private static Instant later(Instant readDue, Instant now) {
		return now.isBefore(readDue) ? readDue : now;
	}

	private Mono<Void> answer(Stopped stopped) {
		ExpiryReason reason = stopped.reason;
		return (reason != null) ? this.answer.apply(reason, Objects.requireNonNull(watch()).watch().reauthentication())
				: this.unavailable.get();
	}

	private static void ended() {
		// A body written at once ends with its stream
	}

	/**
	 * The session of the request as its store holds it now: read again from the session
	 * manager's store, without blocking, when the watch is about to look, under the id it
	 * had when the request was decided. WebFlux's own {@link InMemoryWebSessionStore}
	 * hands every request the session it holds, whose reads would count as an access, so
	 * that one is read live: ended once invalidated or given a new id.
	 */
	private static final class SessionReads {

		private final WebSession session;

		private final String sessionId;

		private final @Nullable WebSessionStore store;

		private final AtomicReference<@Nullable Optional<SessionAttributeSource>> read = new AtomicReference<>();

		private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();

		SessionReads(WebSession session, @Nullable WebSessionStore store) {
			this.session = session;
			this.sessionId = session.getId();
			this.store = (store instanceof InMemoryWebSessionStore) ? null : store;
		}

		Mono<Void> read() {
			WebSessionStore store = this.store;
			if (store == null) {
				return Mono.empty();
			}
			return store.retrieveSession(this.sessionId)
				.map((found) -> Optional.<SessionAttributeSource>of(found::getAttribute))
				.defaultIfEmpty(Optional.empty())
				.doOnNext(this.read::set)
				.onErrorResume((ex) -> {
					this.failure
						.set((ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex));
					return Mono.empty();
				})
				.then();
		}

		@Nullable SessionAttributeSource current() {
			RuntimeException failure = this.failure.get();
			if (failure != null) {
				throw failure;
			}
			Optional<SessionAttributeSource> read = this.read.get();
			if (read != null) {
				return read.orElse(null);
			}
			// Not read from a store: the request's own session, which in WebFlux's own
			// store is the one every request of the session sees
			return (this.session.isStarted() && this.sessionId.equals(this.session.getId()))
					? this.session::getAttribute : null;
		}

	}

	/**
	 * The watch over the session of a response, and how it reads the session again.
	 */
	private record Watch(SessionWatch watch, SessionReads reads) {

	}

	/**
	 * Why a watched response writes nothing more: the session can no longer serve it, or
	 * its store did not answer.
	 */
	private static final class Stopped extends RuntimeException {

		private final transient @Nullable ExpiryReason reason;

		Stopped(@Nullable ExpiryReason reason, @Nullable Throwable cause) {
			super((reason != null) ? "The session of this response can no longer be used (" + reason.value() + ")"
					: "The session store did not answer", cause, false, false);
			this.reason = reason;
		}

	}

}
