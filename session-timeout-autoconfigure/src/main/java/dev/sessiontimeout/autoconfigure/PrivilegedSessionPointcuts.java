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

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.security.RequiresPrivilegedSessionPointcut;
import dev.sessiontimeout.internal.session.PrivilegedOperations;

/**
 * The pointcut of the {@code @RequiresPrivilegedSession} advisors, servlet and WebFlux,
 * apart so that neither configuration loads the other's types.
 *
 * @author session-timeout
 */
final class PrivilegedSessionPointcuts {

	private PrivilegedSessionPointcuts() {
	}

	/**
	 * Return the pointcut of {@code @RequiresPrivilegedSession} methods, which holds
	 * their {@code maxAge} to the preset's privileged age as the properties are held.
	 * @param operations records the privileged operations found
	 * @param environment the environment, which names the preset
	 * @return the pointcut
	 */
	static RequiresPrivilegedSessionPointcut pointcut(PrivilegedOperations operations, Environment environment) {
		RequiresPrivilegedSessionPointcut pointcut = new RequiresPrivilegedSessionPointcut(operations);
		pointcut.setPreset(() -> heldToPreset(environment));
		return pointcut;
	}

	/**
	 * Return the preset that a {@code @RequiresPrivilegedSession}'s {@code maxAge} is
	 * held to: none without one, or where the application wrote why it deviates. Bound
	 * here, as the advisor is created before the properties; a value that does not bind
	 * is left to the properties' own report.
	 */
	private static @Nullable Preset heldToPreset(Environment environment) {
		try {
			Binder binder = Binder.get(environment);
			String deviation = binder.bind(SessionTimeoutPropertyNames.PREFIX + "preset-deviation", String.class)
				.orElse(null);
			if (deviation != null && !deviation.isBlank()) {
				return null;
			}
			return binder.bind(SessionTimeoutPropertyNames.PREFIX + "preset", Preset.class).orElse(null);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
