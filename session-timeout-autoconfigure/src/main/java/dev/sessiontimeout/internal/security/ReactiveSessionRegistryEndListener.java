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
package dev.sessiontimeout.internal.security;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAccess;
import dev.sessiontimeout.internal.session.SessionEndListener;
import dev.sessiontimeout.internal.session.SessionIds;

/**
 * Removes the sessions that a session clock or a revocation ends from the application's
 * {@link ReactiveSessionRegistry}, as {@code SessionRegistryEndListener} does on servlet.
 * The starter ends a session before Spring Security's filter chain, whose own
 * invalidation of a session would remove it, so an in-memory registry (Spring Security's
 * {@code InMemoryReactiveSessionRegistry}) would otherwise count it for good; Spring
 * Session's registry reads the store and removes nothing.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReactiveSessionRegistryEndListener implements SessionEndListener {

	private static final Log logger = LogFactory.getLog(ReactiveSessionRegistryEndListener.class);

	private final Supplier<@Nullable ReactiveSessionRegistry> sessionRegistry;

	/**
	 * Create a new listener.
	 * @param sessionRegistry the application's registry, read at each end; {@code null}
	 * if it has none
	 */
	public ReactiveSessionRegistryEndListener(Supplier<@Nullable ReactiveSessionRegistry> sessionRegistry) {
		Assert.notNull(sessionRegistry, "'sessionRegistry' must not be null");
		this.sessionRegistry = sessionRegistry;
	}

	@Override
	public void sessionEnded(SessionAccess session, ExpiryReason reason) {
		remove(session.getId());
	}

	@Override
	public void sessionRevoked(String sessionId) {
		remove(sessionId);
	}

	private void remove(String sessionId) {
		ReactiveSessionRegistry registry = this.sessionRegistry.get();
		if (registry == null) {
			return;
		}
		// An in-memory registry removes it as this subscribes (Spring Session's
		// removes nothing); a failure of the application's own ends nothing else
		registry.removeSessionInformation(sessionId)
			.subscribe(null, (ex) -> logger.debug(
					"Could not remove session " + SessionIds.hash(sessionId) + " from the ReactiveSessionRegistry",
					ex));
	}

}
