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

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAnswers;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.web.SessionDescriptions;

/**
 * The session status endpoint on WebFlux, as on servlet: every deadline of the caller's
 * session as JSON. {@code GET} is passive (the {@link SessionTimeoutWebFilter} does not
 * count it as activity); {@code POST} is activity, "stay signed in", subject to the
 * application's CSRF protection: recorded here, so that a {@code POST} that the
 * application's security refuses (for want of the CSRF token) is none. Without a valid
 * session it answers a {@code 401} problem with reason {@code invalid}; an ended session
 * never gets here.
 *
 * @author session-timeout
 */
public final class ReactiveSessionStatusHandler implements HandlerFunction<ServerResponse> {

	private final SessionClocks clocks;

	private final ReactiveSessionStatuses statuses;

	/**
	 * Create a new handler.
	 * @param clocks the session clocks
	 */
	public ReactiveSessionStatusHandler(SessionClocks clocks) {
		this.clocks = clocks;
		this.statuses = new ReactiveSessionStatuses(clocks);
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		// The session as the store keeps it: a user who must authenticate again is hidden
		// from the request, not from the session's status
		return request.session().flatMap((session) -> {
			// A POST ("stay signed in") counts as activity here, once the
			// application's security accepted it, not before
			this.statuses.recordActivityAtEndpoint(request.exchange(), session);
			return this.statuses.status(request.exchange(), session);
		})
			.flatMap((status) -> ServerResponse.ok()
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(SessionDescriptions.status(status, this.clocks.now())))
			.switchIfEmpty(Mono.defer(() -> ServerResponse.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.bodyValue(SessionAnswers.problem(request.path(), ExpiryReason.INVALID))));
	}

}
