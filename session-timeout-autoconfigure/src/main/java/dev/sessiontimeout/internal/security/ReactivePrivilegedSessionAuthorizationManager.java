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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.reactive.PrivilegedDecision;
import dev.sessiontimeout.internal.reactive.ReactivePrivilegedOperations;

/**
 * Decides {@link RequiresPrivilegedSession} methods that return a {@code Mono} or a
 * {@code Flux} on WebFlux: the caller's session (the one of the request, found in the
 * Reactor context, if it holds the caller's user) must have been authenticated within the
 * maximum age. A call without such a session is decided as on servlet, by the time its
 * newest factor was proven (Spring Security's reactive logins issue no factor
 * authorities: one without is never privileged). A call of a request authenticated by a
 * bearer token that the starter cannot read is refused, as on servlet, whatever session
 * is sent along. A refusal carries the maximum age, for the challenge.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReactivePrivilegedSessionAuthorizationManager implements ReactiveAuthorizationManager<MethodInvocation> {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final Supplier<ReactivePrivilegedOperations> operations;

	private final Supplier<ReactiveSecuritySessionAuthentication> tokens;

	private final Supplier<SessionTimeoutSettings> settings;

	private final Map<MethodClassKey, Optional<Duration>> maxAges = new ConcurrentHashMap<>();

	/**
	 * Create a new manager.
	 * @param operations decides on the session of a request, asked for at the first call
	 * @param tokens decides on an authentication that comes with each request, asked for
	 * at the first call
	 * @param settings the effective configuration, asked for at the first refusal
	 */
	public ReactivePrivilegedSessionAuthorizationManager(Supplier<ReactivePrivilegedOperations> operations,
			Supplier<ReactiveSecuritySessionAuthentication> tokens, Supplier<SessionTimeoutSettings> settings) {
		this.operations = operations;
		this.tokens = tokens;
		this.settings = settings;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, MethodInvocation invocation) {
		Duration required = maxAge(invocation).orElse(null);
		return authentication.filter((current) -> current.isAuthenticated() && !this.trustResolver.isAnonymous(current))
			.flatMap((current) -> {
				// A bearer token decides by itself, with or without a session
				PrivilegedDecision token = this.tokens.get().tokenPrivileges(current, required);
				return (token != null) ? Mono.just(decision(token.granted(), token.maxAge(), token.acrValues()))
						: decideBySession(current, required);
			})
			.switchIfEmpty(Mono.fromSupplier(() -> refusal(required)));
	}

	private Mono<AuthorizationResult> decideBySession(Authentication current, @Nullable Duration required) {
		return Mono.deferContextual((context) -> {
			Optional<ServerWebExchange> exchange = context.getOrEmpty(ServerWebExchange.class);
			return exchange
				.map((found) -> this.tokens.get()
					.isAuthenticatedByBearerToken(found, current)
					.flatMap((bearer) -> bearer
							// A bearer token that the starter cannot read: never by the
							// session sent along, even its own user's
							? Mono.just(unreadableToken(current, required))
							: this.operations.get()
								.decide(found, current.getName(), required)
								.map((decision) -> decision(decision.granted(), decision.maxAge(), List.of()))))
				.orElseGet(Mono::empty)
				.switchIfEmpty(Mono.fromSupplier(() -> {
					// Without a session of its user (HTTP Basic, an API key), as on
					// servlet: by the time its newest factor was proven
					PrivilegedDecision own = this.tokens.get().privilegesWithoutSession(current, required);
					return decision(own.granted(), own.maxAge(), own.acrValues());
				}));
		});
	}

	private AuthorizationResult unreadableToken(Authentication current, @Nullable Duration required) {
		PrivilegedDecision refusal = this.tokens.get().unreadableTokenPrivileges(current, required);
		return decision(refusal.granted(), refusal.maxAge(), refusal.acrValues());
	}

	private AuthorizationResult refusal(@Nullable Duration required) {
		Duration maxAge = (required != null) ? required
				: PrivilegedSessionAuthorizationManager.policyOf(this.settings.get(), null, null).privilegedMaxAge();
		return decision(false, (maxAge != null) ? maxAge : Duration.ZERO, List.of());
	}

	private static AuthorizationResult decision(boolean granted, Duration maxAge, List<String> acrValues) {
		return new PrivilegedSessionDecision(granted, FactorGrantedAuthority.PASSWORD_AUTHORITY, maxAge, acrValues);
	}

	private Optional<Duration> maxAge(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		return this.maxAges.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass), (key) -> Optional
			.ofNullable(PrivilegedSessionAuthorizationManager.maxAgeOf(invocation.getMethod(), targetClass)));
	}

}
