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
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;

/**
 * Reads the clocks of an exchange's session as the store keeps them, for the status
 * endpoint and the application's own code, without counting as activity.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class ReactiveSessionStatuses implements ReactiveSessionTimeouts {

	/**
	 * The exchange attribute that holds the decision of a request whose activity the
	 * endpoint it reaches records.
	 */
	private static final String ACTIVITY_AT_ENDPOINT_ATTRIBUTE = SessionAttributes.PREFIX + "activityAtEndpoint";

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
	 * Leave the activity of a request served from its session to the endpoint it names
	 * (the status endpoint's {@code POST}), which only a request that the application's
	 * security accepted reaches.
	 * @param exchange the exchange
	 * @param session its session, as the decision read it
	 * @param decision the decision to serve it
	 */
	static void deferActivity(ServerWebExchange exchange, WebSession session, SessionDecision decision) {
		exchange.getAttributes().put(ACTIVITY_AT_ENDPOINT_ATTRIBUTE, new ActivityAtEndpoint(session.getId(), decision));
	}

	/**
	 * Record the activity of a request that its decision left to the endpoint it reached
	 * (the status endpoint's {@code POST}), as on servlet: only a request that the
	 * application's security accepted gets there, so one it refused (for want of the CSRF
	 * token, say) is no activity. The session manager saves it with the response, and the
	 * session cookie of a persistent policy is aimed from it then. Any other request
	 * records nothing.
	 * @param exchange the exchange, as the endpoint got it
	 * @param session its session, as the request sees it
	 * @see SessionClocks#recordActivity
	 */
	void recordActivityAtEndpoint(ServerWebExchange exchange, WebSession session) {
		if (!(exchange.getAttributes().remove(ACTIVITY_AT_ENDPOINT_ATTRIBUTE) instanceof ActivityAtEndpoint deferred)) {
			return;
		}
		WebSession stored = ObservedWebSession.unwrap(exchange, session);
		if (stored.isStarted() && !stored.isExpired() && stored.getId().equals(deferred.sessionId())) {
			this.clocks.recordActivity(new WebSessionAccess(stored), deferred.decision());
		}
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

	/**
	 * A request whose activity the endpoint it reaches records.
	 *
	 * @param sessionId the id of the session it was served
	 * @param decision the decision to serve it
	 */
	private record ActivityAtEndpoint(String sessionId, SessionDecision decision) {

	}

}
