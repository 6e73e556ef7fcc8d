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
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BearerTokenLoginFlow}: the policy of a token whose authentication
 * Spring Security merged with the authorities of the authentication the request held
 * before (the session's user). Policies: {@code users} ({@code ROLE_USER}, privileged age
 * 1h), then {@code administrators} ({@code ROLE_ADMIN}, 5m); 15m for the rest.
 *
 * @author session-timeout
 */
class BearerTokenLoginFlowTests {

	private final SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
		.policy(new ConfiguredPolicy(0, "users", List.of("ROLE_USER"), null, null, null, null, Duration.ofHours(1),
				null))
		.policy(new ConfiguredPolicy(1, "administrators", List.of("ROLE_ADMIN"), null, null, null, null,
				Duration.ofMinutes(5), null))
		.build();

	private final BearerTokenLoginFlow flow = new BearerTokenLoginFlow();

	@Test
	void policyOfWhenNothingWasCarriedOverThenTheOneAllItsAuthoritiesChoose() {
		assertThat(policyOf(token(admin()))).isEqualTo("administrators");
		assertThat(policyOf(token(new SimpleGrantedAuthority("SCOPE_read")))).isEqualTo("default");
		assertThat(policyOf(token(new SimpleGrantedAuthority("ROLE_USER"), admin()))).isEqualTo("users");
	}

	@Test
	void policyOfWhenTheSessionsAuthoritiesWereAddedThenTheyDoNotChooseIt() {
		GrantedAuthority sessionUser = new SimpleGrantedAuthority("ROLE_USER");
		GrantedAuthority sessionAdmin = admin();
		this.flow.authenticationBeforeToken(
				UsernamePasswordAuthenticationToken.authenticated("bob", null, List.of(sessionUser, sessionAdmin)));
		// As Spring Security merges: the session's authorities whose names the token has
		// not yet, as the very same objects
		assertThat(policyOf(token(admin(), sessionUser))).isEqualTo("administrators");
		assertThat(policyOf(token(new SimpleGrantedAuthority("SCOPE_read"), sessionUser))).isEqualTo("default");
		assertThat(policyOf(token(new SimpleGrantedAuthority("ROLE_USER"), admin()))).as("of its own")
			.isEqualTo("users");
	}

	@Test
	void policyOfWhenTheTokenSharesAnAuthorityObjectWithTheSessionThenTheShortestPrivilegedAgeItMayChoose() {
		GrantedAuthority shared = admin();
		this.flow.authenticationBeforeToken(UsernamePasswordAuthenticationToken.authenticated("bob", null,
				List.of(shared, new SimpleGrantedAuthority("ROLE_USER"))));
		assertThat(policyOf(token(shared))).isEqualTo("administrators");
		assertThat(policyOf(token(new SimpleGrantedAuthority("SCOPE_read"), shared))).isEqualTo("administrators");
	}

	private String policyOf(JwtAuthenticationToken token) {
		return this.flow.policyOf(this.settings, token).name();
	}

	private static GrantedAuthority admin() {
		return new SimpleGrantedAuthority("ROLE_ADMIN");
	}

	private static JwtAuthenticationToken token(GrantedAuthority... authorities) {
		Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("alice").build();
		return new JwtAuthenticationToken(jwt, new ArrayList<>(List.of(authorities)));
	}

}
