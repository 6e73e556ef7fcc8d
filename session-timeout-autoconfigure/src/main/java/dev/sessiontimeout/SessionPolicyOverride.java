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

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * Adjusts the policy of one session when its user authenticates, for example a shorter
 * lifetime for a login from an unknown device. Declare one as a bean. Whatever it returns
 * is lowered to the configured limits and to the ordering of the clocks, so it can
 * shorten a session freely and lengthen it only up to the limits.
 *
 * <pre class="code">
 * &#64;Bean
 * SessionPolicyOverride unknownDevices(DeviceRegistry devices) {
 *     return (policy, authentication, request) -&gt; devices.isKnown(request)
 *             ? policy : policy.withName("unknown-device").withAbsolute(Duration.ofHours(1));
 * }
 * </pre>
 * <p>
 * It is also asked, once, for a signed-in session that holds no policy of its own (its
 * user signed in before the starter was deployed, or by the application's own code): then
 * the request is the first one that found the session so, before Spring Security's filter
 * chain ran, with the request exposed through {@code RequestContextHolder}. An exception
 * it throws fails that request; it never gives the session a looser policy: a login it
 * fails leaves its session signed out. The name of a policy it returns may hold only
 * letters, digits, {@code -}, {@code _} and {@code .}, as configured names; another fails
 * the request the same way.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see ReactiveSessionPolicyOverride
 */
@FunctionalInterface
public interface SessionPolicyOverride {

	/**
	 * Adjust the policy of the session of an authentication that just succeeded.
	 * @param policy the policy resolved from the configuration
	 * @param authentication the authentication
	 * @param request the request of the authentication (or, for a session without a
	 * policy of its own, the first request that found it so)
	 * @return the policy for this session, {@code policy} to keep it (never {@code null}:
	 * that fails the login as an exception does)
	 */
	SessionTimeoutPolicy override(SessionTimeoutPolicy policy, Authentication authentication,
			HttpServletRequest request);

}
