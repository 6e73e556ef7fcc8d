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

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.util.Assert;

import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

/**
 * The application's {@link SessionRegistry}, whose answer to
 * {@link #getAllSessions(Object, boolean)} leaves out the sessions that the store still
 * holds though the starter ended them: past a deadline of their clocks with no request
 * since, or revoked. Spring Session's {@code SpringSessionBackedSessionRegistry} reads
 * the user's sessions from the store, which keeps them until its own expiry, so Spring
 * Security's concurrent-session control would count them: with
 * {@code maxSessionsPreventsLogin(true)} the user's next sign-in would be refused, and
 * without it a live session would be expired rather than one that cannot be served again.
 * Only that lookup, which Spring Security makes at a login, reads the store once more;
 * every other call goes to the application's registry as it is (Spring Security's
 * {@code ConcurrentSessionFilter} calls it at every request), and the sessions left in
 * the answer are the registry's own, so that expiring them works as before.
 * <p>
 * {@link #decorate} keeps the registry's class where it can (a subclass proxy), so that
 * the application may still inject it as the class it declared, as Spring Session's
 * reference does, and every interface it implements in any case.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class LiveSessionsSessionRegistry implements SessionRegistry {

	private static final Log logger = LogFactory.getLog(LiveSessionsSessionRegistry.class);

	private final SessionRegistry delegate;

	private final Supplier<@Nullable SpringSessionUserSessions> userSessions;

	/**
	 * Create a new instance.
	 * @param delegate the application's registry
	 * @param userSessions the starter's lookup of a user's sessions, read at each lookup;
	 * {@code null} if there is none (the application replaced it), then nothing is left
	 * out
	 */
	public LiveSessionsSessionRegistry(SessionRegistry delegate,
			Supplier<@Nullable SpringSessionUserSessions> userSessions) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.notNull(userSessions, "'userSessions' must not be null");
		this.delegate = delegate;
		this.userSessions = userSessions;
	}

	/**
	 * Return the application's registry whose {@code getAllSessions} leaves out the
	 * sessions the starter ended, and which passes every other call to it: a proxy of its
	 * own class if its class can be subclassed (not final, no final method of
	 * {@link SessionRegistry}, not a proxy already); else a proxy of every interface it
	 * implements, so that it still hears the events it listens to (Spring Security's
	 * {@code SessionRegistryImpl} listens to session events), which is not of the class
	 * the application declared.
	 * @param registry the application's registry
	 * @param userSessions the starter's lookup of a user's sessions
	 * @return the registry to use in its place
	 */
	public static SessionRegistry decorate(SessionRegistry registry,
			Supplier<@Nullable SpringSessionUserSessions> userSessions) {
		return LiveSessionsProxies.decorate(registry, SessionRegistry.class,
				new LiveSessionsSessionRegistry(registry, userSessions), "getAllSessions");
	}

	/**
	 * Return whether a registry is one that {@link #decorate} returned.
	 * @param registry the registry
	 * @return {@code true} if it leaves out the sessions the starter ended
	 */
	public static boolean isDecorated(Object registry) {
		return registry instanceof LiveSessionsSessionRegistry
				|| LiveSessionsProxies.isDecorated(registry, SessionRegistry.class);
	}

	/**
	 * Return the application's registry that a registry {@link #decorate} returned
	 * decorates, for calls that leave out nothing: only a decoration that is not of the
	 * application's class is unwrapped.
	 * @param registry the registry
	 * @return the application's registry
	 */
	public static SessionRegistry undecorated(SessionRegistry registry) {
		if (registry instanceof LiveSessionsSessionRegistry live) {
			return live.delegate;
		}
		return LiveSessionsProxies.undecorated(registry, SessionRegistry.class);
	}

	/**
	 * Return the application's registry.
	 * @return the registry
	 */
	public SessionRegistry getDelegate() {
		return this.delegate;
	}

	@Override
	public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
		List<SessionInformation> sessions = this.delegate.getAllSessions(principal, includeExpiredSessions);
		SpringSessionUserSessions lookup = sessions.isEmpty() ? null : this.userSessions.get();
		if (lookup == null || lookup.unsupportedReason() != null) {
			return sessions;
		}
		Set<String> ended;
		try {
			ended = lookup.endedSessionIds(PrincipalNames.nameOf(principal));
		}
		catch (RuntimeException ex) {
			// Spring Security's answer without the starter: the store that did not
			// answer this lookup most likely failed the registry's own
			logger.debug("Could not tell which sessions of the user ended; all are counted", ex);
			return sessions;
		}
		if (ended.isEmpty()) {
			return sessions;
		}
		return sessions.stream().filter((session) -> !ended.contains(session.getSessionId())).toList();
	}

	@Override
	public List<Object> getAllPrincipals() {
		return this.delegate.getAllPrincipals();
	}

	@Override
	public @Nullable SessionInformation getSessionInformation(String sessionId) {
		return this.delegate.getSessionInformation(sessionId);
	}

	@Override
	public void refreshLastRequest(String sessionId) {
		this.delegate.refreshLastRequest(sessionId);
	}

	@Override
	public void registerNewSession(String sessionId, Object principal) {
		this.delegate.registerNewSession(sessionId, principal);
	}

	@Override
	public void removeSessionInformation(String sessionId) {
		this.delegate.removeSessionInformation(sessionId);
	}

}
