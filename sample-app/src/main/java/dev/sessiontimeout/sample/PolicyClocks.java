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
package dev.sessiontimeout.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.autoconfigure.SessionTimeoutPolicyProperties;
import dev.sessiontimeout.autoconfigure.SessionTimeoutProperties;

/**
 * The clocks of the sample's policies, read from its own configuration (the
 * {@code session-timeout.*} properties): a policy's unset values inherit the global ones,
 * and {@code -1} turns a clock off. The pages use them to say how long things last; the
 * session's own deadlines come from {@link dev.sessiontimeout.SessionTimeouts}.
 *
 * @author session-timeout
 */
@Component
class PolicyClocks {

	private final SessionTimeoutPolicy global;

	private final List<SessionTimeoutPolicy> policies = new ArrayList<>();

	PolicyClocks(SessionTimeoutProperties properties) {
		this.global = new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME, on(properties.getAbsolute()),
				on(properties.getIdle()), on(properties.getReauthentication()),
				on(properties.getPrivileged().getMaxAge()));
		for (SessionTimeoutPolicyProperties policy : properties.getPolicies()) {
			this.policies.add(new SessionTimeoutPolicy(String.valueOf(policy.getName()),
					inherit(policy.getAbsolute(), this.global.absolute()),
					inherit(policy.getIdle(), this.global.idle()),
					inherit(policy.getReauthentication(), this.global.reauthentication()),
					inherit(policy.getPrivilegedMaxAge(), this.global.privilegedMaxAge())));
		}
	}

	private static @Nullable Duration on(@Nullable Duration duration) {
		return (duration != null && !duration.isNegative()) ? duration : null;
	}

	private static @Nullable Duration inherit(@Nullable Duration duration, @Nullable Duration global) {
		return (duration != null) ? on(duration) : global;
	}

	/**
	 * Return the global clocks.
	 * @return the global policy
	 */
	SessionTimeoutPolicy global() {
		return this.global;
	}

	/**
	 * Return the configured policies, in priority order.
	 * @return the policies
	 */
	List<SessionTimeoutPolicy> policies() {
		return List.copyOf(this.policies);
	}

	/**
	 * Return the clocks of a policy by name.
	 * @param name the name the status of a session gives
	 * @return the policy, the global one for {@code default} or an unknown name (a
	 * per-session override's)
	 */
	SessionTimeoutPolicy named(String name) {
		return this.policies.stream().filter((policy) -> policy.name().equals(name)).findFirst().orElse(this.global);
	}

}
