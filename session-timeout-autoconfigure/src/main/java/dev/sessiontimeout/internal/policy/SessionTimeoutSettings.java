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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

import static dev.sessiontimeout.internal.policy.SessionDurations.format;

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

	/**
	 * How often, by default, a response that outlives the decision to serve it reads its
	 * session from the store again: 10 seconds.
	 */
	public static final Duration DEFAULT_RESPONSE_CHECK_INTERVAL = Duration.ofSeconds(10);

	/**
	 * The shortest response check interval: 1 millisecond, the precision to which the
	 * session clocks read the time, so that a shorter one would be checked no more often.
	 */
	public static final Duration MIN_RESPONSE_CHECK_INTERVAL = Duration.ofMillis(1);

	private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9._-]+");

	/**
	 * How many different stored policies are kept decoded: sessions hold the configured
	 * policies and per-session overrides, so a few; beyond that, they are decoded each
	 * time.
	 */
	private static final int STORED_POLICIES_KEPT = 256;

	private final SessionTimeoutPolicy defaultPolicy;

	private final List<PolicyRule> policies;

	private final Limits limits;

	private final Duration storeGrace;

	private final Duration responseCheckInterval;

	private final @Nullable Preset preset;

	private final @Nullable String presetDeviation;

	private final List<LoweredDefault> notes;

	private final List<ClampedValue> warnings;

	private final Map<String, SessionTimeoutPolicy> storedPolicies = new ConcurrentHashMap<>();

	SessionTimeoutSettings(SessionTimeoutPolicy defaultPolicy, List<PolicyRule> policies, Limits limits,
			Duration storeGrace, Duration responseCheckInterval, @Nullable Preset preset,
			@Nullable String presetDeviation, List<LoweredDefault> notes, List<ClampedValue> warnings) {
		this.defaultPolicy = defaultPolicy;
		this.policies = List.copyOf(policies);
		this.limits = limits;
		this.storeGrace = storeGrace;
		this.responseCheckInterval = responseCheckInterval;
		this.preset = preset;
		this.presetDeviation = presetDeviation;
		this.notes = notes;
		this.warnings = warnings;
	}

	/**
	 * Return whether a text can name a policy: one or more letters, digits, {@code -},
	 * {@code _} and {@code .}, since the name is written as it is into log lines, events
	 * and metrics.
	 * @param name the text
	 * @return whether it can name a policy
	 */
	public static boolean isPolicyName(String name) {
		return POLICY_NAME.matcher(name).matches();
	}

	/**
	 * Return a builder for settings, where every value is unset: the defaults, no
	 * policies, no preset, no limits and {@link #DEFAULT_STORE_GRACE}.
	 * @return a new builder
	 */
	public static SessionTimeoutSettingsBuilder builder() {
		return new SessionTimeoutSettingsBuilder();
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
	 * Return the policy of the given name as this node is configured now.
	 * @param name the name of a policy, {@link SessionTimeoutPolicy#DEFAULT_NAME} for the
	 * global one
	 * @return the policy, or {@code null} if this node has none of that name
	 */
	public @Nullable SessionTimeoutPolicy configuredPolicy(String name) {
		if (this.defaultPolicy.name().equals(name)) {
			return this.defaultPolicy;
		}
		for (PolicyRule rule : this.policies) {
			if (rule.policy().name().equals(name)) {
				return rule.policy();
			}
		}
		return null;
	}

	/**
	 * Return whether the global policy or a configured one gives sessions a persistent
	 * cookie.
	 * @return {@code true} if some session cookie may outlive the browser session
	 */
	public boolean hasPersistentCookies() {
		return this.defaultPolicy.cookiePersistent()
				|| this.policies.stream().anyMatch((rule) -> rule.policy().cookiePersistent());
	}

	/**
	 * Return the policy a session was given when its user authenticated, as this node
	 * applies it: lowered to the current limits, and clock by clock to the shorter of it
	 * and this node's current configuration of the policy of the same name, so that a
	 * tightened clock reaches existing sessions and a lengthened one new logins only.
	 * Policies read are kept, as sessions share few.
	 * @param text the policy as {@link PolicyCodec} writes it
	 * @return the policy, or {@code null} if the text is not a policy, or names it with a
	 * name that no policy can have ({@link #isPolicyName(String)}; the store was written
	 * otherwise than by this starter), as it would be written as it is into log lines,
	 * events and metrics
	 */
	public @Nullable SessionTimeoutPolicy storedPolicy(String text) {
		SessionTimeoutPolicy policy = this.storedPolicies.get(text);
		if (policy != null) {
			return policy;
		}
		SessionTimeoutPolicy stored = PolicyCodec.decode(text);
		if (stored == null || !isPolicyName(stored.name())) {
			return null;
		}
		policy = applied(stored);
		if (this.storedPolicies.size() < STORED_POLICIES_KEPT) {
			this.storedPolicies.put(text, policy);
		}
		return policy;
	}

	private SessionTimeoutPolicy applied(SessionTimeoutPolicy stored) {
		SessionTimeoutPolicy limited = this.limits.clamp(stored);
		SessionTimeoutPolicy configured = configuredPolicy(stored.name());
		if (configured == null) {
			// A per-session override's own name: bounded by the preset as at its login
			return withinPreset(limited);
		}
		return stricter(limited, configured);
	}

	/**
	 * Return a policy with no clock weaker than the preset's, unless the configuration
	 * gives a written deviation from the preset (then, as for configured values, weaker
	 * is allowed): clock by clock, the shorter of the two.
	 */
	private SessionTimeoutPolicy withinPreset(SessionTimeoutPolicy policy) {
		return (this.preset != null && this.presetDeviation == null) ? stricter(policy, this.preset.policy()) : policy;
	}

	/**
	 * Return a policy with, clock by clock, the shorter value of two policies, where a
	 * clock not enabled is the longest; the name and cookie persistence are the first's.
	 * @param first the first policy
	 * @param second the second policy
	 * @return the stricter policy
	 */
	public static SessionTimeoutPolicy stricter(SessionTimeoutPolicy first, SessionTimeoutPolicy second) {
		return new SessionTimeoutPolicy(first.name(), shorter(first.absolute(), second.absolute()),
				shorter(first.idle(), second.idle()), shorter(first.reauthentication(), second.reauthentication()),
				shorter(first.privilegedMaxAge(), second.privilegedMaxAge()), first.cookiePersistent());
	}

	/**
	 * Return the shorter of two clock values, where {@code null} (a clock not enabled) is
	 * the longest.
	 */
	private static @Nullable Duration shorter(@Nullable Duration first, @Nullable Duration second) {
		if (first == null) {
			return second;
		}
		return (second != null && second.compareTo(first) < 0) ? second : first;
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
	 * every value above its limit is lowered to it, every value that breaks the ordering
	 * is lowered to fit, as defaults are, and, with a preset and no written deviation
	 * from it, every value weaker than the preset's (longer, or a clock the preset
	 * enables disabled) is lowered to the preset's, where a configured value would fail
	 * startup. Nothing fails.
	 * @param policy the policy
	 * @return the fitted policy and what was changed
	 */
	public FittedPolicy fit(SessionTimeoutPolicy policy) {
		PolicyResolver resolver = new PolicyResolver(null, true, this.limits);
		SessionTimeoutPolicy fitted = withinPreset(resolver
			.resolve(new ConfiguredClocks(policy.name(), PolicyRef.GLOBAL, null, null, null, null), policy));
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
	 * Return how often a response that outlives the decision to serve it (server-sent
	 * events, a streamed body, a deferred result) reads its session from the store again,
	 * for a revocation, a logout or another request's activity.
	 * @return the interval
	 */
	public Duration getResponseCheckInterval() {
		return this.responseCheckInterval;
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

}
