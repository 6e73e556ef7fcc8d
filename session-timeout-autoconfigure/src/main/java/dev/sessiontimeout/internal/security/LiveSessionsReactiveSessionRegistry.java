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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.util.Assert;

import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;

/**
 * The application's {@link ReactiveSessionRegistry}, whose answer to
 * {@link #getAllSessions(Object)} leaves out the sessions that the store still holds
 * though the starter ended them: revoked (kept for the store grace, so that their next
 * request is answered why), or past a deadline of their clocks with no request since.
 * Spring Session's {@code SpringSessionBackedReactiveSessionRegistry} reads the user's
 * sessions from the store and reads no mark of an end, so Spring Security's
 * concurrent-session control would count them: with
 * {@code PreventLoginServerMaximumSessionsExceededHandler} the user's next sign-in would
 * be refused, and {@code InvalidateLeastUsedServerMaximumSessionsExceededHandler} would
 * invalidate a live session rather than a revoked one, whose revocation is its last
 * access. Only that lookup, which Spring Security makes at a login, reads the store once
 * more; every other call goes to the application's registry as it is, and the sessions
 * left in the answer are the registry's own, so that invalidating them works as before.
 * <p>
 * {@link #decorate} keeps the registry's class where it can (a subclass proxy), so that
 * the application may still inject it as the class it declared, and every interface it
 * implements in any case.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class LiveSessionsReactiveSessionRegistry implements ReactiveSessionRegistry {

	private static final Log logger = LogFactory.getLog(LiveSessionsReactiveSessionRegistry.class);

	private final ReactiveSessionRegistry delegate;

	private final Supplier<@Nullable ReactiveStoreUserSessions> userSessions;

	/**
	 * Create a new instance.
	 * @param delegate the application's registry
	 * @param userSessions the starter's lookup of a user's sessions, read at the first
	 * lookup; {@code null} if the application replaced it, then nothing is left out
	 */
	public LiveSessionsReactiveSessionRegistry(ReactiveSessionRegistry delegate,
			Supplier<@Nullable ReactiveStoreUserSessions> userSessions) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.notNull(userSessions, "'userSessions' must not be null");
		this.delegate = delegate;
		this.userSessions = userSessions;
	}

	/**
	 * Return the application's registry whose {@code getAllSessions} leaves out the
	 * sessions the starter ended, and which passes every other call to it: a proxy of its
	 * own class if its class can be subclassed (not final, no final method of
	 * {@link ReactiveSessionRegistry}, not a proxy already), as
	 * {@code LiveSessionsSessionRegistry} decorates a servlet registry; else a proxy of
	 * every interface it implements, which is not of the class the application declared.
	 * Either way it stays what else it is, such as a listener of events.
	 * @param registry the application's registry
	 * @param userSessions the starter's lookup of a user's sessions
	 * @return the registry to use in its place
	 */
	public static ReactiveSessionRegistry decorate(ReactiveSessionRegistry registry,
			Supplier<@Nullable ReactiveStoreUserSessions> userSessions) {
		return LiveSessionsProxies.decorate(registry, ReactiveSessionRegistry.class,
				new LiveSessionsReactiveSessionRegistry(registry, userSessions), "getAllSessions");
	}

	/**
	 * Return whether a registry is one that {@link #decorate} returned.
	 * @param registry the registry
	 * @return {@code true} if it leaves out the sessions the starter ended
	 */
	public static boolean isDecorated(Object registry) {
		return registry instanceof LiveSessionsReactiveSessionRegistry
				|| LiveSessionsProxies.isDecorated(registry, ReactiveSessionRegistry.class);
	}

	/**
	 * Return the application's registry.
	 * @return the registry
	 */
	public ReactiveSessionRegistry getDelegate() {
		return this.delegate;
	}

	@Override
	public Flux<ReactiveSessionInformation> getAllSessions(Object principal) {
		return this.delegate.getAllSessions(principal).collectList().flatMapMany((sessions) -> {
			ReactiveStoreUserSessions lookup = sessions.isEmpty() ? null : this.userSessions.get();
			if (lookup == null || lookup.unsupportedReason() != null) {
				return Flux.fromIterable(sessions);
			}
			return lookup.endedSessionIds(nameOf(principal))
				.map((ended) -> live(sessions, ended))
				// Spring Security's answer without the starter: the store that did not
				// answer this lookup most likely failed the registry's own
				.onErrorResume((ex) -> {
					logger.debug("Could not tell which sessions of the user ended; all are counted", ex);
					return Mono.just(sessions);
				})
				.flatMapMany(Flux::fromIterable);
		});
	}

	private static List<ReactiveSessionInformation> live(List<ReactiveSessionInformation> sessions, Set<String> ended) {
		if (ended.isEmpty()) {
			return sessions;
		}
		return sessions.stream().filter((session) -> !ended.contains(session.getSessionId())).toList();
	}

	/**
	 * Return the name of a principal as Spring Security's
	 * {@code AbstractAuthenticationToken.getName()} gives it, which Spring Session's
	 * registry looks the sessions up by.
	 */
	static String nameOf(Object principal) {
		return PrincipalNames.nameOf(principal);
	}

	@Override
	public Mono<Void> saveSessionInformation(ReactiveSessionInformation information) {
		return this.delegate.saveSessionInformation(information);
	}

	@Override
	public Mono<ReactiveSessionInformation> getSessionInformation(String sessionId) {
		return this.delegate.getSessionInformation(sessionId);
	}

	@Override
	public Mono<ReactiveSessionInformation> removeSessionInformation(String sessionId) {
		return this.delegate.removeSessionInformation(sessionId);
	}

	@Override
	public Mono<ReactiveSessionInformation> updateLastAccessTime(String sessionId) {
		return this.delegate.updateLastAccessTime(sessionId);
	}

}
