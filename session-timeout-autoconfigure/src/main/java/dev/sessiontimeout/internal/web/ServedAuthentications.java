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
package dev.sessiontimeout.internal.web;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.SessionWatch;
import dev.sessiontimeout.internal.session.WeakIdentityKey;

/**
 * Remembers, for each authentication that a request serves from its session, the state of
 * that session as the request read it (its policy and when its user authenticated) and a
 * watch over that session, which tells when it no longer serves the authentication. A
 * privileged operation that the request hands to another thread along with its security
 * context (an {@code @Async} method, a {@code Callable}) finds it there by the very
 * authentication object, and is decided as in the request, never by the global default.
 * Entries go with their authentication: they are held weakly and found by identity, so
 * that an equal authentication of another session never finds them.
 *
 * @author session-timeout
 */
final class ServedAuthentications {

	private final ReferenceQueue<Object> released = new ReferenceQueue<>();

	private final Map<WeakIdentityKey, Served> states = new ConcurrentHashMap<>();

	/**
	 * Remember the state of the session that holds an authentication.
	 * @param authentication the authentication
	 * @param state the state of its session
	 * @param watches makes a watch over its session, which must not hold the
	 * authentication: one now, and another after a watch found the store failing
	 */
	void remember(Object authentication, SessionState state, Supplier<SessionWatch> watches) {
		forgetReleased();
		this.states.put(new WeakIdentityKey(authentication, this.released), new Served(state, watches));
	}

	/**
	 * Return the state of the session that held an authentication when a request last
	 * served it.
	 * @param authentication the authentication
	 * @return the state, or {@code null} if no request served it from a session
	 */
	@Nullable SessionState stateOf(Object authentication) {
		Served served = this.states.get(new WeakIdentityKey(authentication, null));
		return (served != null) ? served.state : null;
	}

	/**
	 * Return why the session that held an authentication when a request last served it no
	 * longer serves it, as its watch tells.
	 * @param authentication the authentication
	 * @return the reason, {@link ExpiryReason#INVALID} if no request served it from a
	 * session, or {@code null} while the session serves it
	 * @throws RuntimeException if the store does not answer: this call fails, and the
	 * next one asks the store again
	 */
	@Nullable ExpiryReason endOf(Object authentication) {
		Served served = this.states.get(new WeakIdentityKey(authentication, null));
		return (served != null) ? served.check() : ExpiryReason.INVALID;
	}

	int size() {
		forgetReleased();
		return this.states.size();
	}

	private void forgetReleased() {
		for (Reference<?> key = this.released.poll(); key != null; key = this.released.poll()) {
			this.states.remove(key);
		}
	}

	/**
	 * The state of a served session and the watch over it, made again after a store
	 * failure: a watch keeps the first failure it met, for the one response it watches,
	 * where calls on other threads each ask the store anew.
	 */
	private static final class Served {

		private final SessionState state;

		private final Supplier<SessionWatch> watches;

		private volatile SessionWatch watch;

		Served(SessionState state, Supplier<SessionWatch> watches) {
			this.state = state;
			this.watches = watches;
			this.watch = watches.get();
		}

		@Nullable ExpiryReason check() {
			SessionWatch watch = this.watch;
			try {
				return watch.check();
			}
			catch (RuntimeException ex) {
				this.watch = this.watches.get();
				throw ex;
			}
		}

	}

}
