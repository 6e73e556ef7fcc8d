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

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * Decides whether the session of a WebFlux request lets its user perform a privileged
 * operation now: only a session that holds the caller's user decides, by its policy's
 * privileged age (or the operation's own) and the time of its user's last login. With a
 * maximum age of zero, the one use of the login's grant is claimed, without blocking, in
 * the store where it keeps the sessions (Spring Session's Redis repositories), else
 * decided in this node's memory.
 *
 * @author session-timeout
 */
public final class ReactivePrivilegedOperations {

	private static final String PRIVILEGE_GRANT_USED = SessionAttributes.PREFIX + "privilegeGrantUsed";

	private final SessionClocks clocks;

	private final ReactiveSessionAuthentication authentication;

	private final @Nullable ReactivePrivilegeGrants privilegeGrants;

	/**
	 * Create a new instance.
	 * @param clocks the session clocks
	 * @param authentication the application's security
	 * @param privilegeGrants the grants in the store, {@code null} to use them in this
	 * node's memory
	 */
	public ReactivePrivilegedOperations(SessionClocks clocks, ReactiveSessionAuthentication authentication,
			@Nullable ReactivePrivilegeGrants privilegeGrants) {
		this.clocks = clocks;
		this.authentication = authentication;
		this.privilegeGrants = privilegeGrants;
	}

	/**
	 * Decide whether the session of a request lets its user perform a privileged
	 * operation now.
	 * @param exchange the exchange of the request
	 * @param user the name of the caller
	 * @param requiredMaxAge the operation's own maximum age, or {@code null} for the
	 * privileged age of the session's policy
	 * @return the decision, or empty if the request has no session of that user; an error
	 * if the store did not answer the claim of a grant
	 */
	public Mono<Decision> decide(ServerWebExchange exchange, String user, @Nullable Duration requiredMaxAge) {
		return exchange.getSession().flatMap((session) -> {
			Operation operation = new Operation(exchange, this.privilegeGrants);
			Decision decision = decide(exchange, session, user, requiredMaxAge, operation);
			Mono<Boolean> claimed = operation.claimLeftGrant();
			if (decision == null || claimed == null) {
				return Mono.justOrEmpty(decision);
			}
			// Granted only on the store's yes
			return claimed.map((used) -> used ? new Decision(true, decision.maxAge()) : decision);
		});
	}

	private @Nullable Decision decide(ServerWebExchange exchange, WebSession session, String user,
			@Nullable Duration requiredMaxAge, Operation operation) {
		Object stored = this.authentication.userOf(session);
		if (!user.equals(this.authentication.nameOf(stored))) {
			return null;
		}
		WebSessionAccess access = new WebSessionAccess(session);
		Duration maxAge = (requiredMaxAge != null) ? requiredMaxAge : this.clocks.privilegedMaxAge(access);
		if (!this.authentication.mayBePrivileged(stored)) {
			return new Decision(false, (maxAge != null) ? maxAge : Duration.ZERO);
		}
		if (maxAge == null) {
			return new Decision(true, Duration.ZERO);
		}
		return new Decision(this.clocks.isPrivileged(access, maxAge, operation), maxAge);
	}

	/**
	 * Return whether an earlier check of a request used its session's privilege grant.
	 */
	static boolean hasUsedPrivilegeGrant(ServerWebExchange exchange) {
		return exchange.getAttribute(PRIVILEGE_GRANT_USED) != null;
	}

	/**
	 * Remember that a request used its session's privilege grant.
	 */
	static void usePrivilegeGrant(ServerWebExchange exchange) {
		exchange.getAttributes().put(PRIVILEGE_GRANT_USED, Boolean.TRUE);
	}

	/**
	 * A decision on a privileged operation.
	 *
	 * @param granted whether the operation may proceed
	 * @param maxAge how old the authentication may be at most, for the challenge
	 */
	public record Decision(boolean granted, Duration maxAge) {
	}

	/**
	 * A privileged operation of a request, as the clocks ask about it: the session holds
	 * the caller's user, who may be privileged.
	 */
	private static final class Operation extends ExchangeSessionRequest {

		Operation(ServerWebExchange exchange, @Nullable ReactivePrivilegeGrants privilegeGrants) {
			super(exchange, privilegeGrants);
		}

		@Override
		public boolean isPassive() {
			return true;
		}

		@Override
		public boolean isAuthenticated() {
			return true;
		}

		@Override
		public boolean mayBePrivileged() {
			return true;
		}

		@Override
		public boolean requiresAuthentication() {
			return true;
		}

		@Override
		public boolean isPrivilegedPath() {
			return false;
		}

	}

}
