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
package dev.sessiontimeout.internal.policy;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * Published session-lifetime recommendations, used as defaults.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public enum Preset {

	/**
	 * NIST SP 800-63B authenticator assurance level 1: 30 days, no idle timeout.
	 */
	NIST_AAL1(Duration.ofDays(30), Duration.ofDays(30), null, Duration.ofMinutes(15)),

	/**
	 * NIST SP 800-63B authenticator assurance level 2: 24 hours, 1 hour idle.
	 */
	NIST_AAL2(Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(1), Duration.ofMinutes(15)),

	/**
	 * NIST SP 800-63B authenticator assurance level 3: 12 hours, 15 minutes idle.
	 */
	NIST_AAL3(Duration.ofHours(12), Duration.ofHours(12), Duration.ofMinutes(15), Duration.ofMinutes(15)),

	/**
	 * PCI DSS 4.0 requirement 8.2.8: 15 minutes idle.
	 */
	PCI_DSS(Duration.ofHours(12), Duration.ofHours(12), Duration.ofMinutes(15), Duration.ofMinutes(15)),

	/**
	 * OWASP session management guidance for high-value applications.
	 */
	OWASP_HIGH_VALUE(Duration.ofHours(4), Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(5)),

	/**
	 * OWASP session management guidance for low-risk applications.
	 */
	OWASP_LOW_RISK(Duration.ofHours(8), Duration.ofHours(8), Duration.ofMinutes(30), Duration.ofMinutes(15));

	private final SessionTimeoutPolicy policy;

	Preset(Duration absolute, Duration reauthentication, @Nullable Duration idle, Duration privilegedMaxAge) {
		this.policy = new SessionTimeoutPolicy(value(), absolute, idle, reauthentication, privilegedMaxAge);
	}

	/**
	 * Return the name users write, for example {@code nist-aal2}.
	 * @return the value
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Return the clocks this preset recommends.
	 * @return the policy, named after the preset
	 */
	public SessionTimeoutPolicy policy() {
		return this.policy;
	}

}
