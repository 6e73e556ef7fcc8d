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

import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;

/**
 * Adjusts the policy of one session when its user authenticates, on WebFlux, as
 * {@link SessionPolicyOverride} does on servlet: for example a shorter lifetime for a
 * login from an unknown device, decided without blocking. Declare one as a bean; several
 * are applied in order, each to what the one before returned. Whatever they return is
 * lowered to the configured limits and to the ordering of the clocks, so they can shorten
 * a session freely and lengthen it only up to the limits.
 *
 * <pre class="code">
 * &#64;Bean
 * ReactiveSessionPolicyOverride unknownDevices(DeviceRegistry devices) {
 *     return (policy, authentication, exchange) -&gt; devices.isKnown(authentication.getName(), exchange)
 *         .map((known) -&gt; known ? policy : policy.withName("unknown-device").withAbsolute(Duration.ofHours(1)));
 * }
 * </pre>
 * <p>
 * The session follows the policy it returns from the login on: the starter records the
 * login once the override answered, before the session is saved with its new id. It is
 * also asked, once, for a signed-in session that holds no policy of its own (its user
 * signed in before the starter was deployed): then the exchange is the first one that
 * found the session so, before Spring Security's filter chain ran. An error it signals
 * fails that exchange, and an empty {@code Mono} counts as one: it never gives the
 * session a looser policy; a login it fails leaves no signed-in session (the session is
 * invalidated). The name of a policy it returns may hold only letters, digits, {@code -},
 * {@code _} and {@code .}, as configured names; another fails the exchange the same way.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionPolicyOverride
 */
@FunctionalInterface
public interface ReactiveSessionPolicyOverride {

	/**
	 * Adjust the policy of the session of an authentication that just succeeded.
	 * @param policy the policy resolved from the configuration (or from the override
	 * before this one)
	 * @param authentication the authentication
	 * @param exchange the exchange of the authentication (or, for a session without a
	 * policy of its own, the first exchange that found it so)
	 * @return the policy for this session, {@code Mono.just(policy)} to keep it
	 */
	Mono<SessionTimeoutPolicy> override(SessionTimeoutPolicy policy, Authentication authentication,
			ServerWebExchange exchange);

}
