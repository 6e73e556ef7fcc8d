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
package dev.sessiontimeout.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.policy.SettingViolation.Rule;

import static dev.sessiontimeout.policy.SessionDurations.format;

/**
 * The effective configuration: the global policy, the limits, the store grace and the
 * preset it came from. Built once at startup by a {@link #builder()}, which enforces
 * every configuration rule.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionTimeoutSettings {

	/**
	 * The absolute lifetime when neither a property nor a preset sets one.
	 */
	public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

	/**
	 * The idle timeout when neither a property, a preset nor Spring Boot sets one.
	 */
	public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

	/**
	 * The privileged age when neither a property nor a preset sets one.
	 */
	public static final Duration DEFAULT_PRIVILEGED_MAX_AGE = Duration.ofMinutes(15);

	/**
	 * How long a store keeps an ended session by default.
	 */
	public static final Duration DEFAULT_STORE_GRACE = Duration.ofMinutes(1);

	private final SessionTimeoutPolicy defaultPolicy;

	private final List<PolicyRule> policies;

	private final Limits limits;

	private final Duration storeGrace;

	private final @Nullable Preset preset;

	private final @Nullable String presetDeviation;

	private final List<LoweredDefault> notes;

	private final List<ClampedValue> warnings;

	private SessionTimeoutSettings(SessionTimeoutPolicy defaultPolicy, List<PolicyRule> policies, Limits limits,
			Duration storeGrace, @Nullable Preset preset, @Nullable String presetDeviation, List<LoweredDefault> notes,
			List<ClampedValue> warnings) {
		this.defaultPolicy = defaultPolicy;
		this.policies = List.copyOf(policies);
		this.limits = limits;
		this.storeGrace = storeGrace;
		this.preset = preset;
		this.presetDeviation = presetDeviation;
		this.notes = notes;
		this.warnings = warnings;
	}

	/**
	 * Return a builder for settings, where every value is unset: the defaults, no
	 * policies, no preset, no limits and {@link #DEFAULT_STORE_GRACE}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private static SessionTimeoutSettings resolve(Builder builder) {
		String presetDeviation = builder.presetDeviation;
		boolean explained = presetDeviation != null && !presetDeviation.isBlank();
		List<SettingViolation> violations = new ArrayList<>();
		Limits limits = builder.limits;
		Limits checkedLimits = new Limits(limit(violations, SessionClock.ABSOLUTE, limits.absolute()),
				limit(violations, SessionClock.IDLE, limits.idle()),
				limit(violations, SessionClock.REAUTHENTICATION, limits.reauthentication()));
		if (builder.storeGrace.isNegative()) {
			violations
				.add(new SettingViolation(Setting.storeGrace(), format(builder.storeGrace), Rule.NEGATIVE_STORE_GRACE));
		}
		PolicyResolver resolver = new PolicyResolver(builder.preset, explained, checkedLimits);
		violations.forEach(resolver::reject);
		ConfiguredClocks clocks = ConfiguredClocks.global(builder.absolute, builder.idle, builder.reauthentication,
				builder.privilegedMaxAge);
		SessionTimeoutPolicy policy = resolver.resolve(clocks, defaults(builder.preset, builder.platformIdle))
			.withCookiePersistent(builder.cookiePersistent);
		List<PolicyRule> rules = new ArrayList<>();
		Set<String> names = new HashSet<>();
		names.add(policy.name());
		for (ConfiguredPolicy configured : builder.policies) {
			PolicyRule rule = rule(configured, policy, clocks, resolver, names);
			if (rule != null) {
				rules.add(rule);
			}
		}
		resolver.throwIfInvalid();
		return new SessionTimeoutSettings(policy, rules, checkedLimits, builder.storeGrace, builder.preset,
				explained ? presetDeviation : null, resolver.getNotes(), resolver.getWarnings());
	}

	private static @Nullable PolicyRule rule(ConfiguredPolicy configured, SessionTimeoutPolicy global,
			ConfiguredClocks globalClocks, PolicyResolver resolver, Set<String> names) {
		PolicyRef ref = configured.ref();
		String name = ref.name();
		if (name.isEmpty()) {
			resolver.reject(new SettingViolation(Setting.name(ref), "", Rule.MISSING_NAME));
		}
		else if (!names.add(name)) {
			resolver.reject(new SettingViolation(Setting.name(ref), name, Rule.DUPLICATE_NAME));
		}
		Set<String> authorities = new LinkedHashSet<>();
		for (int i = 0; i < configured.authorities().size(); i++) {
			String authority = configured.authorities().get(i);
			if (authority.isBlank()) {
				resolver.reject(new SettingViolation(Setting.authority(ref, i), "", Rule.BLANK_AUTHORITY));
			}
			else {
				authorities.add(authority.strip());
			}
		}
		if (configured.authorities().isEmpty() && configured.rememberMe() == null) {
			resolver.reject(new SettingViolation(Setting.authorities(ref), "", Rule.NO_AUTHENTICATIONS));
		}
		SessionTimeoutPolicy policy = resolver.resolve(configured.clocks(name.isEmpty() ? "?" : name), global,
				globalClocks);
		if (configured.cookiePersistent() != null) {
			policy = policy.withCookiePersistent(configured.cookiePersistent());
		}
		return name.isEmpty() ? null : new PolicyRule(policy, authorities, configured.rememberMe());
	}

	private static @Nullable Duration limit(List<SettingViolation> violations, SessionClock clock,
			@Nullable Duration limit) {
		if (limit == null || SessionDurations.isDisabled(limit)) {
			return null;
		}
		if (limit.isNegative() || limit.isZero()) {
			violations.add(new SettingViolation(Setting.limit(clock), format(limit), Rule.NON_POSITIVE_LIMIT));
			return null;
		}
		return limit;
	}

	private static SessionTimeoutPolicy defaults(@Nullable Preset preset, @Nullable Duration platformIdle) {
		if (preset != null) {
			return preset.policy();
		}
		Duration idle = (platformIdle != null) ? platformIdle : DEFAULT_IDLE;
		return new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME, DEFAULT_ABSOLUTE,
				(idle.isNegative() || idle.isZero()) ? null : idle, null, DEFAULT_PRIVILEGED_MAX_AGE);
	}

	/**
	 * Return the policy of every session that no other policy claims.
	 * @return the global policy
	 */
	public SessionTimeoutPolicy getDefaultPolicy() {
		return this.defaultPolicy;
	}

	/**
	 * Return the policies, in priority order.
	 * @return the policies
	 */
	public List<PolicyRule> getPolicies() {
		return this.policies;
	}

	/**
	 * Return the policy of an authentication: the first policy that claims it, else the
	 * global one.
	 * @param authorities the authorities of the authentication
	 * @param rememberMe whether it is a remember-me authentication
	 * @return the policy
	 */
	public SessionTimeoutPolicy policyFor(Collection<String> authorities, boolean rememberMe) {
		for (PolicyRule rule : this.policies) {
			if (rule.matches(authorities, rememberMe)) {
				return rule.policy();
			}
		}
		return this.defaultPolicy;
	}

	/**
	 * Fit a policy chosen at run time, such as a per-session override, to the rules:
	 * every value above its limit is lowered to it, and every value that breaks the
	 * ordering is lowered to fit, as defaults are. Nothing fails.
	 * @param policy the policy
	 * @return the fitted policy and what was changed
	 */
	public FittedPolicy fit(SessionTimeoutPolicy policy) {
		PolicyResolver resolver = new PolicyResolver(null, true, this.limits);
		SessionTimeoutPolicy fitted = resolver
			.resolve(new ConfiguredClocks(policy.name(), PolicyRef.GLOBAL, null, null, null, null), policy);
		List<String> changes = new ArrayList<>();
		for (SessionClock clock : SessionClock.values()) {
			Duration from = clock.of(policy);
			Duration to = clock.of(fitted);
			if (!Objects.equals(from, to)) {
				changes.add(clock.displayName() + " " + ((from != null) ? format(from) : "disabled") + " lowered to "
						+ format(to));
			}
		}
		return new FittedPolicy(fitted, changes);
	}

	/**
	 * A policy fitted to the rules, and what fitting changed.
	 *
	 * @param policy the fitted policy
	 * @param changes what was changed, for a log
	 */
	public record FittedPolicy(SessionTimeoutPolicy policy, List<String> changes) {

	}

	/**
	 * Return the ceilings.
	 * @return the limits
	 */
	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * Return how long a store keeps an ended session so that the next request can tell
	 * why it ended.
	 * @return the store grace
	 */
	public Duration getStoreGrace() {
		return this.storeGrace;
	}

	/**
	 * Return the preset that supplied the defaults.
	 * @return the preset, or {@code null}
	 */
	public @Nullable Preset getPreset() {
		return this.preset;
	}

	/**
	 * Return why the configuration may deviate from the preset.
	 * @return the justification, or {@code null}
	 */
	public @Nullable String getPresetDeviation() {
		return this.presetDeviation;
	}

	/**
	 * Return the defaults that were lowered to fit the ordering, for an INFO log.
	 * @return the notes
	 */
	public List<LoweredDefault> getNotes() {
		return this.notes;
	}

	/**
	 * Return the values that were clamped to a limit, for a WARN log.
	 * @return the warnings
	 */
	public List<ClampedValue> getWarnings() {
		return this.warnings;
	}

	/**
	 * A builder of {@link SessionTimeoutSettings}: the values a user configures, from
	 * which {@link #build()} resolves the settings. A clock that is not set (or set to
	 * {@code null}) takes its default; {@link SessionDurations#DISABLED} disables it.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private @Nullable Duration absolute;

		private @Nullable Duration idle;

		private @Nullable Duration reauthentication;

		private @Nullable Duration privilegedMaxAge;

		private boolean cookiePersistent;

		private final List<ConfiguredPolicy> policies = new ArrayList<>();

		private @Nullable Duration platformIdle;

		private @Nullable Preset preset;

		private @Nullable String presetDeviation;

		private Limits limits = Limits.NONE;

		private Duration storeGrace = DEFAULT_STORE_GRACE;

		private Builder() {
		}

		/**
		 * Set the global absolute lifetime.
		 * @param absolute the configured value, {@code null} for the default
		 * @return this builder
		 */
		public Builder absolute(@Nullable Duration absolute) {
			this.absolute = absolute;
			return this;
		}

		/**
		 * Set the global idle timeout.
		 * @param idle the configured value, {@code null} for the default
		 * @return this builder
		 */
		public Builder idle(@Nullable Duration idle) {
			this.idle = idle;
			return this;
		}

		/**
		 * Set the global re-authentication lifetime.
		 * @param reauthentication the configured value, {@code null} for the default
		 * @return this builder
		 */
		public Builder reauthentication(@Nullable Duration reauthentication) {
			this.reauthentication = reauthentication;
			return this;
		}

		/**
		 * Set the global privileged age.
		 * @param privilegedMaxAge the configured value, {@code null} for the default
		 * @return this builder
		 */
		public Builder privilegedMaxAge(@Nullable Duration privilegedMaxAge) {
			this.privilegedMaxAge = privilegedMaxAge;
			return this;
		}

		/**
		 * Set whether session cookies outlive the browser session unless a policy says
		 * otherwise; {@code false} unless set.
		 * @param cookiePersistent whether session cookies are persistent
		 * @return this builder
		 */
		public Builder cookiePersistent(boolean cookiePersistent) {
			this.cookiePersistent = cookiePersistent;
			return this;
		}

		/**
		 * Add a policy, after those added before: the first policy that claims an
		 * authentication wins.
		 * @param policy the configured policy
		 * @return this builder
		 */
		public Builder policy(ConfiguredPolicy policy) {
			this.policies.add(Objects.requireNonNull(policy, "'policy' must not be null"));
			return this;
		}

		/**
		 * Set the session timeout that Spring Boot or the container has, the default idle
		 * timeout.
		 * @param platformIdle the platform's timeout; {@code null} for
		 * {@link #DEFAULT_IDLE}, zero or negative for none
		 * @return this builder
		 */
		public Builder platformIdle(@Nullable Duration platformIdle) {
			this.platformIdle = platformIdle;
			return this;
		}

		/**
		 * Set the preset that supplies defaults.
		 * @param preset the preset, {@code null} for none
		 * @return this builder
		 */
		public Builder preset(@Nullable Preset preset) {
			this.preset = preset;
			return this;
		}

		/**
		 * Set why the configuration may deviate from the preset; a blank text is no
		 * justification.
		 * @param presetDeviation the justification, {@code null} for none
		 * @return this builder
		 */
		public Builder presetDeviation(@Nullable String presetDeviation) {
			this.presetDeviation = presetDeviation;
			return this;
		}

		/**
		 * Set the ceilings; {@link Limits#NONE} unless set.
		 * @param limits the configured limits, a {@code null} or
		 * {@link SessionDurations#DISABLED} ceiling for none
		 * @return this builder
		 */
		public Builder limits(Limits limits) {
			this.limits = Objects.requireNonNull(limits, "'limits' must not be null");
			return this;
		}

		/**
		 * Set how long a store keeps an ended session; {@link #DEFAULT_STORE_GRACE}
		 * unless set.
		 * @param storeGrace the store grace
		 * @return this builder
		 */
		public Builder storeGrace(Duration storeGrace) {
			this.storeGrace = Objects.requireNonNull(storeGrace, "'storeGrace' must not be null");
			return this;
		}

		/**
		 * Resolve the settings, enforcing every configuration rule.
		 * @return the settings
		 * @throws InvalidSessionTimeoutSettingsException if any value breaks a rule
		 */
		public SessionTimeoutSettings build() {
			return resolve(this);
		}

	}

}
