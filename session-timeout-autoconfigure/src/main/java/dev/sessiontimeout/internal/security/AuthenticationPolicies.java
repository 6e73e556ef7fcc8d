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

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * The policy of the session of an authentication: the first configured policy that claims
 * it (by authority, or remember-me), with the authorities that the application's
 * {@link RoleHierarchy} makes reachable from its own, adjusted by the application's
 * {@link SessionPolicyOverride}s and fitted to the limits.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class AuthenticationPolicies {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final SessionTimeoutSettings settings;

	private final List<SessionPolicyOverride> overrides;

	private final @Nullable RoleHierarchy roleHierarchy;

	/**
	 * Create a new instance.
	 * @param settings the effective configuration
	 * @param overrides the application's per-session policy overrides, applied in order
	 */
	public AuthenticationPolicies(SessionTimeoutSettings settings, List<SessionPolicyOverride> overrides) {
		this(settings, overrides, null);
	}

	/**
	 * Create a new instance.
	 * @param settings the effective configuration
	 * @param overrides the application's per-session policy overrides, applied in order
	 * @param roleHierarchy the application's role hierarchy, which Spring Security's
	 * authorization applies, or {@code null} if it has none
	 */
	public AuthenticationPolicies(SessionTimeoutSettings settings, List<SessionPolicyOverride> overrides,
			@Nullable RoleHierarchy roleHierarchy) {
		this.settings = settings;
		this.overrides = List.copyOf(overrides);
		this.roleHierarchy = roleHierarchy;
	}

	/**
	 * Return the configured policy that the authorities of an authentication choose, with
	 * those that a role hierarchy makes reachable from them, as Spring Security's
	 * authorization sees them, before any {@link SessionPolicyOverride}.
	 * @param settings the settings
	 * @param authentication the authentication
	 * @param rememberMe whether it is a remember-me authentication
	 * @param roleHierarchy the application's role hierarchy, or {@code null} if it has
	 * none
	 * @return the policy
	 */
	static SessionTimeoutPolicy configuredPolicyOf(SessionTimeoutSettings settings, Authentication authentication,
			boolean rememberMe, @Nullable RoleHierarchy roleHierarchy) {
		return settings.policyFor(reachableAuthorities(authentication.getAuthorities(), roleHierarchy), rememberMe);
	}

	/**
	 * Return the names of authorities with those that a role hierarchy makes reachable
	 * from them, as Spring Security's authorization sees them: what every policy of an
	 * authentication is chosen by, with a session or without (a bearer token, HTTP
	 * Basic).
	 * @param granted the authorities
	 * @param roleHierarchy the application's role hierarchy, or {@code null} if it has
	 * none
	 * @return the names of the authorities and of those they reach
	 */
	static List<String> reachableAuthorities(Collection<? extends GrantedAuthority> granted,
			@Nullable RoleHierarchy roleHierarchy) {
		Collection<? extends GrantedAuthority> reachable = (roleHierarchy != null)
				? roleHierarchy.getReachableGrantedAuthorities(granted) : granted;
		List<String> names = new ArrayList<>(reachable.size());
		for (GrantedAuthority authority : reachable) {
			String name = authority.getAuthority();
			if (name != null) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * Return the role hierarchy that these policies are chosen with.
	 * @return the application's role hierarchy, or {@code null} if it has none
	 */
	public @Nullable RoleHierarchy getRoleHierarchy() {
		return this.roleHierarchy;
	}

	/**
	 * Return the policy of the session of an authentication.
	 * @param authentication the authentication
	 * @param request the request of the authentication, or of the first request that
	 * found its session without a policy of its own
	 * @param sessionIdHash the hash of the session id, for the log
	 * @return the policy
	 */
	public SessionTimeoutPolicy policyOf(Authentication authentication, HttpServletRequest request,
			String sessionIdHash) {
		SessionTimeoutPolicy policy = configuredPolicyOf(this.settings, authentication,
				this.trustResolver.isRememberMe(authentication), this.roleHierarchy);
		for (SessionPolicyOverride override : this.overrides) {
			policy = PolicyOverrides.adjusted(this.settings, override, policy,
					override.override(policy, authentication, request), sessionIdHash);
		}
		return policy;
	}

}
