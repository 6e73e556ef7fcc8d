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

import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.SessionClocks;

/**
 * The challenge that the user of a WebFlux request's session must meet: the pending one,
 * else a due re-authentication, which a login in that session is checked against. It is
 * read from the session as the store keeps it, whose user the request may not see.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class ReactivePendingChallenges {

	private final SessionClocks clocks;

	/**
	 * Create a new instance.
	 * @param clocks the session clocks
	 */
	public ReactivePendingChallenges(SessionClocks clocks) {
		this.clocks = clocks;
	}

	/**
	 * Return the challenge that the user of a request's session must meet.
	 * @param exchange the exchange
	 * @return the challenge, or empty if the session's user need not authenticate again
	 */
	public Mono<PendingChallenge> of(ServerWebExchange exchange) {
		return exchange.getSession().mapNotNull((session) -> {
			WebSession stored = ObservedWebSession.unwrap(exchange, session);
			return stored.isStarted() ? this.clocks.challengeToMeet(new WebSessionAccess(stored), this.clocks.now())
					: null;
		});
	}

}
