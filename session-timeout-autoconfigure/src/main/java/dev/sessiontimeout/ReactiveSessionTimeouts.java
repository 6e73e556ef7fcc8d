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
package dev.sessiontimeout;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the clocks of a request's session in a WebFlux application, as
 * {@link SessionTimeouts} does on servlet, for an application's own pages and APIs.
 * Reading never counts as activity. The auto-configuration provides the bean on WebFlux.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionTimeouts
 */
@FunctionalInterface
public interface ReactiveSessionTimeouts {

	/**
	 * Return the state of the exchange's session, without counting it as activity.
	 * @param exchange the exchange of the request
	 * @return the status, or empty if the request has no session with clocks (no session,
	 * or one that has not gone through the starter's filter)
	 */
	Mono<SessionStatus> status(ServerWebExchange exchange);

}
