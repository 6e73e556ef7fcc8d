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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeouts;

/**
 * Mints access tokens for the API under {@code /api/v1/} to the user signed in to the
 * browser session: the token's {@code auth_time} is when that user signed in, never when
 * the token was minted, so a token is exactly as fresh as the sign-in behind it. A token
 * minted from a session whose sign-in is older than the privileged age is refused by
 * privileged operations at once.
 *
 * @author session-timeout
 */
@Component
class AccessTokens {

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

	private static final String ROLE_PREFIX = "ROLE_";

	private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	private final JwtEncoder encoder;

	private final SessionTimeouts sessionTimeouts;

	private final PolicyClocks clocks;

	private final Clock clock;

	AccessTokens(JwtEncoder encoder, SessionTimeouts sessionTimeouts, PolicyClocks clocks,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.encoder = encoder;
		this.sessionTimeouts = sessionTimeouts;
		this.clocks = clocks;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Mint a token for the user signed in to a request's session.
	 * @param authentication the signed-in user
	 * @param request the request, whose session knows when the user signed in
	 * @return the token, with {@code auth_time} the time of the sign-in (none if it is
	 * unknown: such a token is never privileged)
	 */
	Jwt mint(Authentication authentication, HttpServletRequest request) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		List<String> roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority != null && authority.startsWith(ROLE_PREFIX))
			.map((authority) -> authority.substring(ROLE_PREFIX.length()))
			.sorted()
			.toList();
		// A token never outlives the session it was minted from, nor the time its user
		// must sign in to it again
		Instant expiresAt = now.plus(LIFETIME);
		SessionStatus status = this.sessionTimeouts.status(request).orElse(null);
		for (Instant sessionEnds : (status != null) ? new Instant[] { status.expiresAt(), status.reauthenticateAt() }
				: new Instant[0]) {
			if (sessionEnds != null && sessionEnds.isBefore(expiresAt)) {
				expiresAt = sessionEnds.truncatedTo(ChronoUnit.SECONDS);
			}
		}
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.subject(authentication.getName())
			.issuedAt(now)
			.expiresAt(expiresAt)
			.claim(ROLES, roles);
		Instant signedInAt = signedInAt(authentication, request);
		if (signedInAt != null) {
			claims.claim(AUTH_TIME, signedInAt.getEpochSecond());
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims.build()));
	}

	/**
	 * Return when the user of a request's session signed in, as the starter counts it:
	 * the session's privileged deadline less its policy's privileged age. Without them
	 * (the privileged age turned off), and for a user remembered by a remember-me cookie,
	 * who proved no factor, the time is unknown: such a token is never privileged.
	 * @param authentication the signed-in user
	 * @param request the request
	 * @return the time of the sign-in, or {@code null} if it is unknown
	 */
	@Nullable Instant signedInAt(Authentication authentication, HttpServletRequest request) {
		if (TRUST.isRememberMe(authentication) || !TRUST.isFullyAuthenticated(authentication)) {
			return null;
		}
		SessionStatus status = this.sessionTimeouts.status(request).orElse(null);
		Instant privilegedUntil = (status != null) ? status.privilegedUntil() : null;
		Duration privilegedAge = (status != null) ? this.clocks.named(status.policy()).privilegedMaxAge() : null;
		return (privilegedUntil != null && privilegedAge != null) ? privilegedUntil.minus(privilegedAge) : null;
	}

	/**
	 * Return the privileged age of a token minted for a request's session: that of the
	 * session's policy, which the token's roles choose as well.
	 * @param request the request
	 * @return the privileged age, or {@code null} if it is turned off
	 */
	@Nullable Duration privilegedAge(HttpServletRequest request) {
		String policy = this.sessionTimeouts.status(request).map(SessionStatus::policy).orElse("default");
		return this.clocks.named(policy).privilegedMaxAge();
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

	/**
	 * Return the current instant on the starter's clock.
	 * @return now
	 */
	Instant now() {
		return this.clock.instant();
	}

}
