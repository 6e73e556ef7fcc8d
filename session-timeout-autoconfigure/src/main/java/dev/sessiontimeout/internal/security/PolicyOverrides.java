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
package dev.sessiontimeout.internal.security;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings.FittedPolicy;
import dev.sessiontimeout.internal.session.PrincipalLogFormat;

/**
 * What becomes of the policy that a {@link SessionPolicyOverride} or a
 * {@link ReactiveSessionPolicyOverride} returns, on either stack: a name checked as
 * configured names are, then the policy fitted to the limits and to the ordering of the
 * clocks, with a WARN naming what changed.
 *
 * @author session-timeout
 */
final class PolicyOverrides {

	private static final Log logger = LogFactory.getLog(SessionAuthenticationRecorder.class);

	private PolicyOverrides() {
	}

	/**
	 * Return the policy a session gets from what an override returned.
	 * @param settings the effective configuration
	 * @param override the override, for the log and the exception
	 * @param policy the policy the override was given
	 * @param overridden what it returned
	 * @param sessionIdHash the hash of the session id, for the log
	 * @return the policy, fitted to the limits
	 * @throws IllegalStateException if the override returned no policy, or one whose name
	 * holds other than letters, digits, {@code -}, {@code _} and {@code .}
	 */
	static SessionTimeoutPolicy adjusted(SessionTimeoutSettings settings, Object override, SessionTimeoutPolicy policy,
			@Nullable SessionTimeoutPolicy overridden, String sessionIdHash) {
		if (overridden == null) {
			throw new IllegalStateException(override.getClass().getName()
					+ " returned no policy: return the policy it was given to keep it, as a session never gets a"
					+ " looser policy than its override decides");
		}
		if (overridden.equals(policy)) {
			return policy;
		}
		if (!SessionTimeoutSettings.isPolicyName(overridden.name())) {
			throw new IllegalStateException(override.getClass().getName() + " returned a policy named '"
					+ PrincipalLogFormat.NAME.describe(overridden.name())
					+ "': a policy name may hold only letters, digits, '-', '_' and '.', as it is written"
					+ " as it is into log lines, events and metrics");
		}
		FittedPolicy fitted = settings.fit(overridden);
		if (!fitted.changes().isEmpty()) {
			logger.warn("Policy " + overridden.name() + " of session " + sessionIdHash + " from "
					+ override.getClass().getName() + " did not fit: " + fitted.changes());
		}
		return fitted.policy();
	}

}
