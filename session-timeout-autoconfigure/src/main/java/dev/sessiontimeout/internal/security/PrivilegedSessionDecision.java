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

import java.time.Duration;
import java.util.List;

import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.authorization.RequiredFactorError;

/**
 * A Spring Security decision about a privileged operation: granted, or denied because the
 * factor the user last authenticated with is older than the operation's maximum age, as
 * {@link RequiredFactorError#createExpired(RequiredFactor) an expired factor}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class PrivilegedSessionDecision extends FactorAuthorizationDecision {

	private final Duration maxAge;

	private final List<String> acrValues;

	/**
	 * Create a decision.
	 * @param granted whether the operation may proceed
	 * @param factorAuthority the authority of the factor the user last authenticated
	 * with, for example {@code FACTOR_PASSWORD}
	 * @param maxAge the maximum age of the authentication
	 */
	public PrivilegedSessionDecision(boolean granted, String factorAuthority, Duration maxAge) {
		this(granted, factorAuthority, maxAge, List.of());
	}

	/**
	 * Create a decision about an operation whose authentication must also have one of the
	 * given authentication context classes.
	 * @param granted whether the operation may proceed
	 * @param factorAuthority the authority of the factor the user last authenticated
	 * with, for example {@code FACTOR_BEARER}
	 * @param maxAge the maximum age of the authentication
	 * @param acrValues the authentication context classes, empty for any
	 */
	public PrivilegedSessionDecision(boolean granted, String factorAuthority, Duration maxAge, List<String> acrValues) {
		super(granted ? List.of() : List.of(RequiredFactorError
			.createExpired(RequiredFactor.withAuthority(factorAuthority).validDuration(maxAge).build())));
		this.maxAge = maxAge;
		this.acrValues = List.copyOf(acrValues);
	}

	/**
	 * Return the maximum age of the authentication.
	 * @return the maximum age
	 */
	public Duration getMaxAge() {
		return this.maxAge;
	}

	/**
	 * Return the authentication context classes the authentication must have.
	 * @return the values, empty for any
	 */
	public List<String> getAcrValues() {
		return this.acrValues;
	}

}
