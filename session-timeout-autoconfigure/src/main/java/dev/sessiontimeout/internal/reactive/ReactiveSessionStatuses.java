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

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.ReactiveSessionTimeouts;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * Reads the clocks of an exchange's session as the store keeps them, for the status
 * endpoint and the application's own code, without counting as activity.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class ReactiveSessionStatuses implements ReactiveSessionTimeouts {

	private final SessionClocks clocks;

	/**
	 * Create a new reader.
	 * @param clocks the session clocks
	 */
	public ReactiveSessionStatuses(SessionClocks clocks) {
		this.clocks = clocks;
	}

	@Override
	public Mono<SessionStatus> status(ServerWebExchange exchange) {
		return exchange.getSession().flatMap((session) -> status(exchange, session));
	}

	/**
	 * Return the status of a session of an exchange: a user who must authenticate again
	 * is hidden from the request, not from the session's status.
	 * @param exchange the exchange
	 * @param session the session as the request sees it
	 * @return the status, or empty for a session without clocks
	 */
	Mono<SessionStatus> status(ServerWebExchange exchange, WebSession session) {
		WebSession stored = ObservedWebSession.unwrap(exchange, session);
		return stored.isStarted() ? Mono.justOrEmpty(this.clocks.status(stored::getAttribute)) : Mono.empty();
	}

}
