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
package dev.sessiontimeout.autoconfigure;

import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.internal.policy.PolicyRef;
import dev.sessiontimeout.internal.policy.SessionClock;
import dev.sessiontimeout.internal.policy.Setting;

/**
 * Names the property of a {@link Setting}, as {@link SessionTimeoutProperties} binds it:
 * {@code session-timeout.idle}, {@code session-timeout.policies[0].privileged-max-age},
 * {@code session-timeout.limits.absolute}.
 *
 * @author session-timeout
 */
final class SessionTimeoutPropertyNames {

	/**
	 * The prefix of every property.
	 */
	static final String PREFIX = "session-timeout.";

	/**
	 * The paths whose requests need a privileged session.
	 */
	static final String PRIVILEGED_PATHS = PREFIX + "privileged.paths";

	/**
	 * The authentication context classes a bearer token must name for a privileged
	 * operation.
	 */
	static final String PRIVILEGED_ACR_VALUES = PREFIX + "privileged.acr-values";

	/**
	 * The paths whose requests never count as activity.
	 */
	static final String PASSIVE_PATHS = PREFIX + "activity.passive-paths";

	/**
	 * The path of the status endpoint.
	 */
	static final String STATUS_PATH = PREFIX + "status.path";

	/**
	 * The path of the self-service endpoint.
	 */
	static final String SESSIONS_PATH = PREFIX + "sessions.path";

	/**
	 * Where browsers whose session ended, or whose user must sign in again, go.
	 */
	static final String EXPIRED_URL = PREFIX + "expired-url";

	/**
	 * The global idle timeout, which inherits the platform's session timeout.
	 */
	static final String IDLE = PREFIX + "idle";

	/**
	 * Whether the global policy's session cookie outlives the browser session.
	 */
	static final String COOKIE_PERSISTENT = PREFIX + "cookie.persistent";

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("session-timeout");

	private SessionTimeoutPropertyNames() {
	}

	/**
	 * Return the {@code session-timeout.*} properties that an environment sets, those of
	 * every iterable property source, sorted by name: whether or not they name a property
	 * of session-timeout.
	 * @param environment the environment
	 * @return the names, each with its name as a source gave it, none if it sets none
	 */
	static SortedMap<String, ConfigurationPropertyName> setIn(Environment environment) {
		SortedMap<String, ConfigurationPropertyName> names = new TreeMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(ROOT::isAncestorOf).stream().forEach((name) -> names.put(name.toString(), name));
			}
		}
		return names;
	}

	/**
	 * Return the full name of the property of a setting.
	 * @param setting the setting
	 * @return the property name
	 */
	static String of(Setting setting) {
		PolicyRef policy = setting.policy();
		return switch (setting.kind()) {
			case CLOCK -> prefix(policy) + clock(policy, setting.requiredClock());
			case COOKIE_PERSISTENT -> prefix(policy) + (policy.isGlobal() ? "cookie.persistent" : "cookie-persistent");
			case LIMIT -> PREFIX + "limits." + clock(policy, setting.requiredClock());
			case STORE_GRACE -> PREFIX + "store-grace";
			case RESPONSE_CHECK_INTERVAL -> PREFIX + "response-check-interval";
			case PRESET_DEVIATION -> PREFIX + "preset-deviation";
			case NAME -> prefix(policy) + "name";
			case AUTHORITIES ->
				prefix(policy) + "authorities" + ((setting.entry() >= 0) ? "[" + setting.entry() + "]" : "");
			case REMEMBER_ME -> prefix(policy) + "remember-me";
		};
	}

	/**
	 * Return the prefix of the properties of a policy.
	 * @param policy the policy
	 * @return {@code session-timeout.} for the global values, else for example
	 * {@code session-timeout.policies[0].}
	 */
	static String prefix(PolicyRef policy) {
		return policy.isGlobal() ? PREFIX : PREFIX + "policies[" + policy.index() + "].";
	}

	private static String clock(PolicyRef policy, SessionClock clock) {
		return switch (clock) {
			case ABSOLUTE -> "absolute";
			case IDLE -> "idle";
			case REAUTHENTICATION -> "reauthentication";
			case PRIVILEGED -> policy.isGlobal() ? "privileged.max-age" : "privileged-max-age";
		};
	}

}
