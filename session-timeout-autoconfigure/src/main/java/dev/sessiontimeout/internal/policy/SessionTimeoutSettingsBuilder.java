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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.policy.SettingViolation.Rule;
import dev.sessiontimeout.SessionTimeoutPolicy;

import static dev.sessiontimeout.internal.policy.SessionDurations.format;

/**
 * A builder of {@link SessionTimeoutSettings}: the values a user configures, from which
 * {@link #build()} resolves the settings. A clock that is not set (or set to
 * {@code null}) takes its default; {@link SessionDurations#DISABLED} disables it.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionTimeoutSettings#builder()
 */
public final class SessionTimeoutSettingsBuilder {

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

	private Duration storeGrace = SessionTimeoutSettings.DEFAULT_STORE_GRACE;

	private Duration responseCheckInterval = SessionTimeoutSettings.DEFAULT_RESPONSE_CHECK_INTERVAL;

	SessionTimeoutSettingsBuilder() {
	}

	/**
	 * Set the global absolute lifetime.
	 * @param absolute the configured value, {@code null} for the default
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder absolute(@Nullable Duration absolute) {
		this.absolute = absolute;
		return this;
	}

	/**
	 * Set the global idle timeout.
	 * @param idle the configured value, {@code null} for the default
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder idle(@Nullable Duration idle) {
		this.idle = idle;
		return this;
	}

	/**
	 * Set the global re-authentication lifetime.
	 * @param reauthentication the configured value, {@code null} for the default
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder reauthentication(@Nullable Duration reauthentication) {
		this.reauthentication = reauthentication;
		return this;
	}

	/**
	 * Set the global privileged age.
	 * @param privilegedMaxAge the configured value, {@code null} for the default
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder privilegedMaxAge(@Nullable Duration privilegedMaxAge) {
		this.privilegedMaxAge = privilegedMaxAge;
		return this;
	}

	/**
	 * Set whether session cookies outlive the browser session unless a policy says
	 * otherwise; {@code false} unless set.
	 * @param cookiePersistent whether session cookies are persistent
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder cookiePersistent(boolean cookiePersistent) {
		this.cookiePersistent = cookiePersistent;
		return this;
	}

	/**
	 * Add a policy, after those added before: the first policy that claims an
	 * authentication wins.
	 * @param policy the configured policy
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder policy(ConfiguredPolicy policy) {
		this.policies.add(Objects.requireNonNull(policy, "'policy' must not be null"));
		return this;
	}

	/**
	 * Set the session timeout that Spring Boot or the container has, the default idle
	 * timeout.
	 * @param platformIdle the platform's timeout; {@code null} for
	 * {@link SessionTimeoutSettings#DEFAULT_IDLE}, zero or negative for none
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder platformIdle(@Nullable Duration platformIdle) {
		this.platformIdle = platformIdle;
		return this;
	}

	/**
	 * Set the preset that supplies defaults.
	 * @param preset the preset, {@code null} for none
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder preset(@Nullable Preset preset) {
		this.preset = preset;
		return this;
	}

	/**
	 * Set why the configuration may deviate from the preset; a blank text is no
	 * justification.
	 * @param presetDeviation the justification, {@code null} for none
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder presetDeviation(@Nullable String presetDeviation) {
		this.presetDeviation = presetDeviation;
		return this;
	}

	/**
	 * Set the ceilings; {@link Limits#NONE} unless set.
	 * @param limits the configured limits, a {@code null} or
	 * {@link SessionDurations#DISABLED} ceiling for none
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder limits(Limits limits) {
		this.limits = Objects.requireNonNull(limits, "'limits' must not be null");
		return this;
	}

	/**
	 * Set how long a store keeps an ended session;
	 * {@link SessionTimeoutSettings#DEFAULT_STORE_GRACE} unless set.
	 * @param storeGrace the store grace
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder storeGrace(Duration storeGrace) {
		this.storeGrace = Objects.requireNonNull(storeGrace, "'storeGrace' must not be null");
		return this;
	}

	/**
	 * Set how often a response that outlives the decision to serve it reads its session
	 * from the store again;
	 * {@link SessionTimeoutSettings#DEFAULT_RESPONSE_CHECK_INTERVAL} unless set.
	 * @param responseCheckInterval the interval
	 * @return this builder
	 */
	public SessionTimeoutSettingsBuilder responseCheckInterval(Duration responseCheckInterval) {
		this.responseCheckInterval = Objects.requireNonNull(responseCheckInterval,
				"'responseCheckInterval' must not be null");
		return this;
	}

	/**
	 * Resolve the settings, enforcing every configuration rule.
	 * @return the settings
	 * @throws InvalidSessionTimeoutSettingsException if any value breaks a rule
	 */
	public SessionTimeoutSettings build() {
		String presetDeviation = this.presetDeviation;
		boolean explained = presetDeviation != null && !presetDeviation.isBlank();
		List<SettingViolation> violations = new ArrayList<>();
		Limits checkedLimits = new Limits(limit(violations, SessionClock.ABSOLUTE, this.limits.absolute()),
				limit(violations, SessionClock.IDLE, this.limits.idle()),
				limit(violations, SessionClock.REAUTHENTICATION, this.limits.reauthentication()));
		if (this.storeGrace.isNegative()) {
			violations
				.add(new SettingViolation(Setting.storeGrace(), format(this.storeGrace), Rule.NEGATIVE_STORE_GRACE));
		}
		if (this.responseCheckInterval.isNegative() || this.responseCheckInterval.isZero()) {
			violations.add(new SettingViolation(Setting.responseCheckInterval(), format(this.responseCheckInterval),
					Rule.NON_POSITIVE_RESPONSE_CHECK_INTERVAL));
		}
		else if (this.responseCheckInterval.compareTo(SessionTimeoutSettings.MIN_RESPONSE_CHECK_INTERVAL) < 0) {
			violations.add(new SettingViolation(Setting.responseCheckInterval(), format(this.responseCheckInterval),
					Rule.SUB_MILLISECOND_RESPONSE_CHECK_INTERVAL));
		}
		PolicyResolver resolver = new PolicyResolver(this.preset, explained, checkedLimits);
		violations.forEach(resolver::reject);
		ConfiguredClocks clocks = ConfiguredClocks.global(this.absolute, this.idle, this.reauthentication,
				this.privilegedMaxAge);
		SessionTimeoutPolicy policy = resolver.resolve(clocks, defaults()).withCookiePersistent(this.cookiePersistent);
		List<PolicyRule> rules = new ArrayList<>();
		Set<String> names = new HashSet<>();
		names.add(policy.name());
		Map<ConfiguredPolicy, PolicyRule> matchers = new LinkedHashMap<>();
		for (ConfiguredPolicy configured : this.policies) {
			PolicyRule rule = rule(configured, policy, clocks, resolver, names);
			if (rule != null) {
				rules.add(rule);
				if (hasValidMatcher(configured)) {
					matchers.put(configured, rule);
				}
			}
		}
		rejectUnreachable(matchers, resolver);
		resolver.throwIfInvalid();
		return new SessionTimeoutSettings(policy, rules, checkedLimits, this.storeGrace, this.responseCheckInterval,
				this.preset, explained ? presetDeviation : null, resolver.getNotes(), resolver.getWarnings());
	}

	private static @Nullable PolicyRule rule(ConfiguredPolicy configured, SessionTimeoutPolicy global,
			ConfiguredClocks globalClocks, PolicyResolver resolver, Set<String> names) {
		PolicyRef ref = configured.ref();
		String name = ref.name();
		if (name.isEmpty()) {
			resolver.reject(new SettingViolation(Setting.name(ref), "", Rule.MISSING_NAME));
		}
		else if (!SessionTimeoutSettings.isPolicyName(name)) {
			resolver.reject(new SettingViolation(Setting.name(ref), name, Rule.INVALID_NAME));
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

	private static boolean hasValidMatcher(ConfiguredPolicy configured) {
		return (!configured.authorities().isEmpty() || configured.rememberMe() != null)
				&& configured.authorities().stream().noneMatch(String::isBlank);
	}

	/**
	 * Reject each policy that an earlier one entirely shadows: the first policy that
	 * claims an authentication wins, so a later one whose authentications an earlier one
	 * all claims would never apply, and its users would silently get the earlier policy's
	 * clocks.
	 */
	private static void rejectUnreachable(Map<ConfiguredPolicy, PolicyRule> matchers, PolicyResolver resolver) {
		List<Map.Entry<ConfiguredPolicy, PolicyRule>> entries = new ArrayList<>(matchers.entrySet());
		for (int later = 1; later < entries.size(); later++) {
			ConfiguredPolicy configured = entries.get(later).getKey();
			PolicyRule rule = entries.get(later).getValue();
			for (int earlier = 0; earlier < later; earlier++) {
				if (claimsAll(entries.get(earlier).getValue(), rule)) {
					PolicyRef ref = configured.ref();
					Setting matcher = rule.authorities().isEmpty() ? Setting.rememberMe(ref) : Setting.authorities(ref);
					String value = rule.authorities().isEmpty() ? String.valueOf(configured.rememberMe())
							: String.join(",", configured.authorities());
					resolver.reject(new SettingViolation(matcher, value, Rule.UNREACHABLE_POLICY, null,
							entries.get(earlier).getKey().ref()));
					break;
				}
			}
		}
	}

	private static boolean claimsAll(PolicyRule earlier, PolicyRule later) {
		if (earlier.rememberMe() != null && !earlier.rememberMe().equals(later.rememberMe())) {
			return false;
		}
		return earlier.authorities().isEmpty()
				|| (!later.authorities().isEmpty() && earlier.authorities().containsAll(later.authorities()));
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

	private SessionTimeoutPolicy defaults() {
		if (this.preset != null) {
			return this.preset.policy();
		}
		Duration idle = (this.platformIdle != null) ? this.platformIdle : SessionTimeoutSettings.DEFAULT_IDLE;
		return new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME, SessionTimeoutSettings.DEFAULT_ABSOLUTE,
				(idle.isNegative() || idle.isZero()) ? null : idle, null,
				SessionTimeoutSettings.DEFAULT_PRIVILEGED_MAX_AGE);
	}

}
