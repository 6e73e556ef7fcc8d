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
package dev.sessiontimeout.sample;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The access tokens of the API under {@code /api/v1/}: their claims and lifetime.
 *
 * @author session-timeout
 */
final class AccessTokens {

	/**
	 * The claim of the user's roles, without the {@code ROLE_} prefix.
	 */
	static final String ROLES = "roles";

	/**
	 * The claim of the time the user signed in (RFC 9470), in seconds since the epoch.
	 */
	static final String AUTH_TIME = "auth_time";

	/**
	 * How long a token is accepted.
	 */
	static final Duration LIFETIME = Duration.ofMinutes(30);

	private AccessTokens() {
	}

	/**
	 * Return the time a token says its user signed in.
	 * @param token the token
	 * @return its {@code auth_time}, or {@code null} if it has none
	 */
	static @Nullable Instant authTime(Jwt token) {
		Object authTime = token.getClaim(AUTH_TIME);
		return (authTime instanceof Number seconds) ? Instant.ofEpochSecond(seconds.longValue()) : null;
	}

}
