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

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionStore;

/**
 * The store of WebFlux's {@link DefaultWebSessionManager}, as the starter decorates it:
 * each session it gives the manager (found or created) is the store's own, seen through a
 * view whose {@link WebSession#save() save} does nothing once the starter left the
 * request unserved ({@link #leaveUnsaved(WebSession)}). The manager saves the request's
 * copy of its session as the response commits, whatever the answer; for a request the
 * starter does not serve (its store did not answer, or its decision failed, before the
 * application saw the request) that copy, with the request's start as its last access,
 * would overwrite what the store holds, as it never does on servlet.
 * <p>
 * Every lookup of a request's session (the starter's, and that of an application's filter
 * ordered before the starter's) shares the one session that the exchange caches, and so
 * the view and its mark. The starter decorates only a {@link DefaultWebSessionManager},
 * once; a {@code WebSessionManager} of the application's own is left as it is, and saves
 * what it saves. Everything but the save goes to the store's own session; the store is
 * handed its own sessions back.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class UnservedSessionStore implements WebSessionStore {

	private final WebSessionStore store;

	private UnservedSessionStore(WebSessionStore store) {
		this.store = store;
	}

	/**
	 * Decorate the store of a session manager, unless that is done already.
	 * @param manager the session manager
	 */
	public static void decorate(DefaultWebSessionManager manager) {
		Assert.notNull(manager, "'manager' must not be null");
		WebSessionStore store = manager.getSessionStore();
		if (!(store instanceof UnservedSessionStore)) {
			manager.setSessionStore(new UnservedSessionStore(store));
		}
	}

	/**
	 * Return the store of a session manager, as the application configured it: without
	 * the starter's decoration.
	 * @param manager the session manager
	 * @return its store
	 */
	public static WebSessionStore storeOf(DefaultWebSessionManager manager) {
		WebSessionStore store = manager.getSessionStore();
		return (store instanceof UnservedSessionStore unserved) ? unserved.store : store;
	}

	/**
	 * Keep the session manager from saving a request's session: the request is not
	 * served. A session that the decorated store did not give (that of a session manager
	 * of the application's own) is saved as before.
	 * @param session the session, as the exchange holds it
	 */
	static void leaveUnsaved(WebSession session) {
		if (ObservedWebSession.unwrap(session) instanceof UnservedSession unserved) {
			unserved.unsaved = true;
		}
	}

	@Override
	public Mono<WebSession> createWebSession() {
		return this.store.createWebSession().map(UnservedSession::new);
	}

	@Override
	public Mono<WebSession> retrieveSession(String sessionId) {
		return this.store.retrieveSession(sessionId).map(UnservedSession::new);
	}

	@Override
	public Mono<Void> removeSession(String sessionId) {
		return this.store.removeSession(sessionId);
	}

	@Override
	public Mono<WebSession> updateLastAccessTime(WebSession webSession) {
		// The stores cast the session to their own type
		if (!(webSession instanceof UnservedSession unserved)) {
			return this.store.updateLastAccessTime(webSession);
		}
		return this.store.updateLastAccessTime(unserved.delegate())
			.map((updated) -> (updated == unserved.delegate()) ? unserved : new UnservedSession(updated));
	}

	/**
	 * A session of the store, whose save does nothing once its request is unserved.
	 */
	private static final class UnservedSession extends ForwardingWebSession {

		private volatile boolean unsaved;

		UnservedSession(WebSession session) {
			super(session);
		}

		@Override
		public Mono<Void> save() {
			return Mono.defer(() -> this.unsaved ? Mono.empty() : delegate().save());
		}

	}

}
