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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PolicyRule}.
 *
 * @author session-timeout
 */
class PolicyRuleTests {

	private static final SessionTimeoutPolicy POLICY = new SessionTimeoutPolicy("administrators", Duration.ofHours(1),
			Duration.ofMinutes(10), null, Duration.ofMinutes(5));

	@Test
	void matchesWhenOneOfTheAuthoritiesGrantedThenTrue() {
		PolicyRule rule = rule(Set.of("ROLE_ADMIN", "ROLE_OPERATOR"), null);
		assertThat(rule.matches(List.of("ROLE_USER", "ROLE_OPERATOR"), false)).isTrue();
		assertThat(rule.matches(List.of("ROLE_ADMIN"), false)).isTrue();
	}

	@Test
	void matchesWhenNoneOfTheAuthoritiesGrantedThenFalse() {
		PolicyRule rule = rule(Set.of("ROLE_ADMIN", "ROLE_OPERATOR"), null);
		assertThat(rule.matches(List.of("ROLE_USER", "SCOPE_read"), false)).isFalse();
	}

	@Test
	void matchesWhenNoAuthorityGrantedThenFalse() {
		assertThat(rule(Set.of("ROLE_ADMIN"), null).matches(List.of(), false)).isFalse();
	}

	@Test
	void matchesWhenAuthorityDiffersInCaseThenFalse() {
		assertThat(rule(Set.of("ROLE_ADMIN"), null).matches(List.of("role_admin"), false)).isFalse();
	}

	@Test
	void matchesWhenRememberMeRequiredThenOnlyRememberMeAuthentications() {
		PolicyRule rule = rule(Set.of(), true);
		assertThat(rule.matches(List.of("ROLE_USER"), true)).isTrue();
		assertThat(rule.matches(List.of(), true)).isTrue();
		assertThat(rule.matches(List.of("ROLE_USER"), false)).isFalse();
	}

	@Test
	void matchesWhenRememberMeExcludedThenOnlyOtherAuthentications() {
		PolicyRule rule = rule(Set.of(), false);
		assertThat(rule.matches(List.of("ROLE_USER"), false)).isTrue();
		assertThat(rule.matches(List.of("ROLE_USER"), true)).isFalse();
	}

	@Test
	void matchesWhenRememberMeUnsetThenEitherKindOfAuthentication() {
		PolicyRule rule = rule(Set.of("ROLE_ADMIN"), null);
		assertThat(rule.matches(List.of("ROLE_ADMIN"), true)).isTrue();
		assertThat(rule.matches(List.of("ROLE_ADMIN"), false)).isTrue();
	}

	@Test
	void matchesWhenAuthoritiesAndRememberMeThenBothMustHold() {
		PolicyRule rule = rule(Set.of("ROLE_ADMIN"), true);
		assertThat(rule.matches(List.of("ROLE_ADMIN"), true)).isTrue();
		assertThat(rule.matches(List.of("ROLE_USER"), true)).isFalse();
		assertThat(rule.matches(List.of("ROLE_ADMIN"), false)).isFalse();
		assertThat(rule.matches(List.of("ROLE_USER"), false)).isFalse();
	}

	@Test
	void matchesWhenAuthoritiesAndRememberMeExcludedThenBothMustHold() {
		PolicyRule rule = rule(Set.of("ROLE_ADMIN"), false);
		assertThat(rule.matches(List.of("ROLE_ADMIN"), false)).isTrue();
		assertThat(rule.matches(List.of("ROLE_ADMIN"), true)).isFalse();
		assertThat(rule.matches(List.of("ROLE_USER"), false)).isFalse();
	}

	@Test
	void matchesWhenNoConditionThenEveryAuthentication() {
		PolicyRule rule = rule(Set.of(), null);
		assertThat(rule.matches(List.of(), false)).isTrue();
		assertThat(rule.matches(List.of("ROLE_USER"), true)).isTrue();
	}

	@Test
	void authoritiesWhenSourceChangesAfterwardsThenRuleUnchanged() {
		Set<String> authorities = new HashSet<>(Set.of("ROLE_ADMIN"));
		PolicyRule rule = rule(authorities, null);
		authorities.add("ROLE_USER");
		assertThat(rule.authorities()).containsExactly("ROLE_ADMIN");
		assertThat(rule.matches(List.of("ROLE_USER"), false)).isFalse();
	}

	private static PolicyRule rule(Set<String> authorities, @Nullable Boolean rememberMe) {
		return new PolicyRule(POLICY, authorities, rememberMe);
	}

}
