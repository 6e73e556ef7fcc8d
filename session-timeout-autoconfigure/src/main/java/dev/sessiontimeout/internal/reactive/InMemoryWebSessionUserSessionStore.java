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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * The sessions of WebFlux's own {@link InMemoryWebSessionStore}, searched for a user's:
 * the store holds each session as one object that every request of it shares, so a
 * revocation is seen at once, and no request saves a copy over it.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class InMemoryWebSessionUserSessionStore implements UserSessionStore {

	private final InMemoryWebSessionStore store;

	private final SessionClocks clocks;

	/**
	 * Create a new instance.
	 * @param store the store
	 * @param clocks the session clocks, which tell whose session it is
	 */
	public InMemoryWebSessionUserSessionStore(InMemoryWebSessionStore store, SessionClocks clocks) {
		this.store = store;
		this.clocks = clocks;
	}

	@Override
	public Mono<Found> sessionsOf(String username, Instant now, Set<String> read) {
		return Mono.fromSupplier(() -> {
			List<StoredSession> sessions = new ArrayList<>();
			for (WebSession session : this.store.getSessions().values()) {
				// Signed in as the user, or by the user who then switched to another
				if (!session.isExpired() && this.clocks.status(session::getAttribute)
					.map((status) -> this.clocks.isSessionOf(session::getAttribute, username))
					.orElse(false)) {
					sessions.add(new Stored(session, this.store));
				}
			}
			return new Found(sessions, List.of());
		});
	}

	private record Stored(WebSession session, InMemoryWebSessionStore store) implements StoredSession {

		@Override
		public String id() {
			return this.session.getId();
		}

		@Override
		public SessionAttributeSource attributes() {
			return this.session::getAttribute;
		}

		@Override
		public Instant creationTime() {
			return this.session.getCreationTime();
		}

		@Override
		public Mono<Boolean> revoke(long revokedAtMillis, Duration keep) {
			return Mono.fromSupplier(() -> {
				// The store's own object, whose id may change, but never under it
				this.session.getAttributes().put(SessionAttributes.REVOKED_AT, revokedAtMillis);
				// Its idle time counts from its last request, which only a request sets
				this.session.setMaxIdleTime(
						Duration.between(this.session.getLastAccessTime(), this.store.getClock().instant()).plus(keep));
				return true;
			});
		}

		@Override
		public boolean savedAsCopies() {
			return false;
		}

	}

}
