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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BearerTokenLoginFlow}: how it reads a token's {@code auth_time} and
 * {@code acr} claims of any type, and the policy of a token whose authentication Spring
 * Security merged with the authorities of the authentication the request held before (the
 * session's user). Policies: {@code users} ({@code ROLE_USER}, privileged age 1h), then
 * {@code administrators} ({@code ROLE_ADMIN}, 5m); 15m for the rest.
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

	@Test
	void policyOfWhenARoleHierarchyThenTheAuthoritiesItMakesReachableChooseItToo() {
		RoleHierarchy hierarchy = RoleHierarchyImpl
			.fromHierarchy("SCOPE_superadmin > ROLE_ADMIN\nROLE_SUPERADMIN > ROLE_ADMIN");
		GrantedAuthority superadmin = new SimpleGrantedAuthority("SCOPE_superadmin");
		assertThat(this.flow.policyOf(this.settings, token(superadmin), hierarchy).name()).isEqualTo("administrators");
		assertThat(this.flow.policyOf(this.settings, token(superadmin), null).name()).as("without a hierarchy")
			.isEqualTo("default");
		GrantedAuthority sessionUser = new SimpleGrantedAuthority("ROLE_USER");
		GrantedAuthority sessionSuperadmin = new SimpleGrantedAuthority("ROLE_SUPERADMIN");
		this.flow.authenticationBeforeToken(UsernamePasswordAuthenticationToken.authenticated("bob", null,
				List.of(sessionUser, sessionSuperadmin)));
		assertThat(this.flow.policyOf(this.settings, token(superadmin, sessionUser), hierarchy).name())
			.as("a carried authority never makes the privileged age longer")
			.isEqualTo("administrators");
		assertThat(this.flow
			.policyOf(this.settings, token(new SimpleGrantedAuthority("SCOPE_read"), sessionSuperadmin), hierarchy)
			.name()).as("the shortest privileged age that a carried authority may choose").isEqualTo("administrators");
	}

	@Test
	void authenticatedAtWhenTheClaimIsReadableThenItsInstantElseUnknown() {
		Instant at = Instant.ofEpochSecond(1796217386);
		assertThat(authenticatedAt(1796217386)).isEqualTo(at);
		assertThat(authenticatedAt(1796217386L)).isEqualTo(at);
		assertThat(authenticatedAt(1796217386.9)).isEqualTo(at);
		assertThat(authenticatedAt(new BigDecimal("1796217386"))).isEqualTo(at);
		assertThat(authenticatedAt("1796217386")).isEqualTo(at);
		assertThat(authenticatedAt("2026-12-02T13:16:26Z")).isEqualTo(at);
		assertThat(authenticatedAt(at)).isEqualTo(at);
		for (Object unreadable : new Object[] { -1, 1e20, Double.NaN, Double.POSITIVE_INFINITY, new BigDecimal("1e400"),
				"", " 1796217386", "1796217386.5", "-1", "1796217386000000", "yesterday", true, List.of(1796217386),
				Map.of("seconds", 1796217386) }) {
			assertThat(authenticatedAt(unreadable)).as("%s", unreadable).isNull();
		}
	}

	@Test
	void authenticationContextClassWhenNotAStringThenNone() {
		assertThat(this.flow.authenticationContextClass(tokenWith("acr", "urn:example:mfa")))
			.isEqualTo("urn:example:mfa");
		assertThat(this.flow.authenticationContextClass(tokenWith("acr", List.of("urn:example:mfa")))).isNull();
		assertThat(this.flow.authenticationContextClass(tokenWith("acr", 2))).isNull();
	}

	private @Nullable Instant authenticatedAt(Object authTime) {
		return this.flow.authenticatedAt(tokenWith(BearerTokenLoginFlow.AUTH_TIME, authTime));
	}

	private static JwtAuthenticationToken tokenWith(String claim, Object value) {
		Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("alice").claim(claim, value).build();
		return new JwtAuthenticationToken(jwt, List.of());
	}

	private String policyOf(JwtAuthenticationToken token) {
		return this.flow.policyOf(this.settings, token, null).name();
	}

	private static GrantedAuthority admin() {
		return new SimpleGrantedAuthority("ROLE_ADMIN");
	}

	private static JwtAuthenticationToken token(GrantedAuthority... authorities) {
		Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("alice").build();
		return new JwtAuthenticationToken(jwt, new ArrayList<>(List.of(authorities)));
	}

}
