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

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * A resolved policy and the authentications it claims: those with any of its authorities,
 * and, when {@code rememberMe} is set, only remember-me authentications ({@code true}) or
 * only others ({@code false}). Both conditions must hold when both are set.
 *
 * @param policy the policy
 * @param authorities the authorities of which an authentication must have one, none for
 * no such condition
 * @param rememberMe the required kind of authentication, {@code null} for any
 * @author session-timeout
 * @since 0.1.0
 */
public record PolicyRule(SessionTimeoutPolicy policy, Set<String> authorities, @Nullable Boolean rememberMe) {

	public PolicyRule {
		authorities = Set.copyOf(authorities);
	}

	/**
	 * Return whether this policy claims an authentication.
	 * @param grantedAuthorities the authorities of the authentication
	 * @param rememberMe whether it is a remember-me authentication
	 * @return {@code true} if the policy applies
	 */
	public boolean matches(Collection<String> grantedAuthorities, boolean rememberMe) {
		if (this.rememberMe != null && this.rememberMe != rememberMe) {
			return false;
		}
		return this.authorities.isEmpty() || grantedAuthorities.stream().anyMatch(this.authorities::contains);
	}

}
