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
package dev.sessiontimeout.testsupport;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * An application's own authentication of a token, as its own authentication converter
 * makes one: the token is its principal, and its authorities are what the converter gives
 * it (with or without Spring Security's factor authorities).
 *
 * @author session-timeout
 */
public class TokenAuthentication extends AbstractAuthenticationToken {

	private final Jwt jwt;

	/**
	 * Create an authenticated token.
	 * @param jwt the token
	 * @param authorities its authorities
	 */
	public TokenAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.jwt = jwt;
		setAuthenticated(true);
	}

	@Override
	public Object getPrincipal() {
		return this.jwt;
	}

	@Override
	public @Nullable Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.jwt.getSubject();
	}

}
