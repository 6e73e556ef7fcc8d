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

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * The sessions of each user in the session store of a WebFlux application, to list and to
 * revoke them, as {@link UserSessions} does on servlet: all of a user's sessions when the
 * account is compromised, all but the current one after a password change. A revoked
 * session ends with reason {@link ExpiryReason#REVOKED} on every node at its next
 * request, and the store drops it after the store grace. It works on Spring Session's
 * reactive map and Redis repositories (where the store keeps no index of sessions by
 * user, the starter keeps one, written at login) and on WebFlux's own in-memory session
 * store, whose sessions it searches. The auto-configuration provides the bean on WebFlux.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see UserSessions
 */
public interface ReactiveUserSessions {

	/**
	 * Return the live sessions of a user: those that were neither revoked nor are past
	 * one of their deadlines.
	 * @param username the user's name
	 * @return the status of each session; an {@link IllegalStateException} if the store
	 * cannot find sessions by user
	 */
	Flux<SessionStatus> list(String username);

	/**
	 * Revoke every session of a user.
	 * @param username the user's name
	 * @return how many sessions were revoked; an {@link IllegalStateException} if the
	 * store cannot find sessions by user
	 */
	Mono<Integer> revokeAll(String username);

	/**
	 * Revoke every session of the exchange's user but the exchange's own, as after a
	 * password change. The exchange's user is the user of its security context, named as
	 * the user's sessions are filed ({@code Authentication.getName()}), else its
	 * principal, else the user signed in in its session; a session that holds another
	 * user is not the exchange's own.
	 * @param exchange an exchange of a signed-in user
	 * @return how many sessions were revoked; an {@link IllegalStateException} if the
	 * exchange has no signed-in user (an anonymous one included), or if the store cannot
	 * find sessions by user
	 */
	Mono<Integer> revokeOthers(ServerWebExchange exchange);

}
