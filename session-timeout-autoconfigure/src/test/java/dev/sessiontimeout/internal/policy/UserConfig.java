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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * What a user configures, as text, for tests that build {@link SessionTimeoutSettings}
 * the way the auto-configuration does.
 *
 * @author session-timeout
 */
public final class UserConfig {

	private @Nullable String absolute;

	private @Nullable String idle;

	private @Nullable String reauthentication;

	private @Nullable String privileged;

	private @Nullable Duration platformIdle;

	private @Nullable Preset preset;

	private @Nullable String presetDeviation;

	private Limits limits = Limits.NONE;

	private Duration storeGrace = SessionTimeoutSettings.DEFAULT_STORE_GRACE;

	private boolean cookiePersistent;

	private final List<Policy> policies = new ArrayList<>();

	private UserConfig() {
	}

	public UserConfig absolute(String absolute) {
		this.absolute = absolute;
		return this;
	}

	public UserConfig idle(String idle) {
		this.idle = idle;
		return this;
	}

	public UserConfig reauthentication(String reauthentication) {
		this.reauthentication = reauthentication;
		return this;
	}

	public UserConfig privileged(String privileged) {
		this.privileged = privileged;
		return this;
	}

	public UserConfig platformIdle(Duration platformIdle) {
		this.platformIdle = platformIdle;
		return this;
	}

	public UserConfig preset(Preset preset) {
		this.preset = preset;
		return this;
	}

	public UserConfig presetDeviation(String presetDeviation) {
		this.presetDeviation = presetDeviation;
		return this;
	}

	public UserConfig limits(@Nullable String absolute, @Nullable String idle, @Nullable String reauthentication) {
		this.limits = new Limits(parse(absolute), parse(idle), parse(reauthentication));
		return this;
	}

	public UserConfig storeGrace(Duration storeGrace) {
		this.storeGrace = storeGrace;
		return this;
	}

	public UserConfig cookiePersistent(boolean cookiePersistent) {
		this.cookiePersistent = cookiePersistent;
		return this;
	}

	public UserConfig policy(Policy policy) {
		this.policies.add(policy);
		return this;
	}

	/**
	 * Return a builder that holds this configuration.
	 * @return the builder
	 */
	public SessionTimeoutSettingsBuilder builder() {
		SessionTimeoutSettingsBuilder builder = SessionTimeoutSettings.builder()
			.absolute(parse(this.absolute))
			.idle(parse(this.idle))
			.reauthentication(parse(this.reauthentication))
			.privilegedMaxAge(parse(this.privileged))
			.cookiePersistent(this.cookiePersistent)
			.platformIdle(this.platformIdle)
			.preset(this.preset)
			.presetDeviation(this.presetDeviation)
			.limits(this.limits)
			.storeGrace(this.storeGrace);
		for (int i = 0; i < this.policies.size(); i++) {
			builder.policy(this.policies.get(i).configured(i));
		}
		return builder;
	}

	/**
	 * Build the settings of this configuration.
	 * @return the settings
	 * @throws InvalidSessionTimeoutSettingsException if a value breaks a rule
	 */
	public SessionTimeoutSettings resolve() {
		return builder().build();
	}

	/**
	 * Build the settings of this configuration the way a caller does.
	 * @param build how to build, for example one that words violations
	 * @return the settings
	 */
	public SessionTimeoutSettings resolve(Function<SessionTimeoutSettingsBuilder, SessionTimeoutSettings> build) {
		return build.apply(builder());
	}

	/**
	 * Start a configuration where nothing is set.
	 * @return the configuration
	 */
	public static UserConfig config() {
		return new UserConfig();
	}

	/**
	 * Start a policy where nothing but the name is set.
	 * @param name the name, {@code null} for none
	 * @return the policy
	 */
	public static Policy policy(@Nullable String name) {
		return new Policy(name);
	}

	/**
	 * Parse a duration as the auto-configuration does.
	 * @param text the duration, {@code null} for none
	 * @return the duration
	 */
	public static @Nullable Duration parse(@Nullable String text) {
		return (text != null) ? SessionDurations.parse(text) : null;
	}

	/**
	 * What a user configures under one entry of the list of policies, as text.
	 */
	public static final class Policy {

		private final @Nullable String name;

		private List<String> authorities = List.of();

		private @Nullable Boolean rememberMe;

		private @Nullable String absolute;

		private @Nullable String idle;

		private @Nullable String reauthentication;

		private @Nullable String privileged;

		private @Nullable Boolean cookiePersistent;

		private Policy(@Nullable String name) {
			this.name = name;
		}

		public Policy authorities(String... authorities) {
			this.authorities = Arrays.asList(authorities);
			return this;
		}

		public Policy rememberMe(boolean rememberMe) {
			this.rememberMe = rememberMe;
			return this;
		}

		public Policy absolute(String absolute) {
			this.absolute = absolute;
			return this;
		}

		public Policy idle(String idle) {
			this.idle = idle;
			return this;
		}

		public Policy reauthentication(String reauthentication) {
			this.reauthentication = reauthentication;
			return this;
		}

		public Policy privileged(String privileged) {
			this.privileged = privileged;
			return this;
		}

		public Policy cookiePersistent(boolean cookiePersistent) {
			this.cookiePersistent = cookiePersistent;
			return this;
		}

		public ConfiguredPolicy configured(int index) {
			return new ConfiguredPolicy(index, this.name, this.authorities, this.rememberMe, parse(this.absolute),
					parse(this.idle), parse(this.reauthentication), parse(this.privileged), this.cookiePersistent);
		}

	}

}
