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

import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;

import dev.sessiontimeout.internal.session.PendingLogoutCheck;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The {@link PendingLogoutCheck} of WebFlux, which reads the store without blocking.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface ReactivePendingLogoutCheck {

	/**
	 * Revoke a session (its {@link SessionAttributes#REVOKED_AT revocation}, which the
	 * decision that follows ends) if a logout kept since its login looked ends that
	 * login, and remove its {@link SessionAttributes#LOGOUT_CHECK_PENDING mark}.
	 * @param session a session with the mark
	 * @param now the current instant of the clock of every decision
	 * @return completes once checked; an error if the store does not answer, and the
	 * session keeps its mark
	 */
	Mono<Void> check(WebSession session, Instant now);

}
