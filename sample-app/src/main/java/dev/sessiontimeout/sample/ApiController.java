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

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bearer-token API: {@code GET /api/v1/me} tells who a token is and how old the
 * sign-in behind it is, and {@code POST /api/v1/transfers} is privileged (its service
 * method is {@code @RequiresPrivilegedSession}): a token whose {@code auth_time} is older
 * than the privileged age, or that has none, gets a {@code 401} with an RFC 9470
 * {@code WWW-Authenticate} challenge.
 *
 * @author session-timeout
 */
@RestController
class ApiController {

	private final TransferService transfers;

	private final Clock clock;

	ApiController(TransferService transfers, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.transfers = transfers;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@GetMapping(path = "/api/v1/me", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, @Nullable Object> me(@AuthenticationPrincipal Jwt token) {
		Instant authTime = AccessTokens.authTime(token);
		Map<String, @Nullable Object> me = new LinkedHashMap<>();
		me.put("sub", token.getSubject());
		me.put(AccessTokens.ROLES, token.getClaimAsStringList(AccessTokens.ROLES));
		me.put(AccessTokens.AUTH_TIME, (authTime != null) ? authTime.toString() : null);
		me.put("ageSeconds", (authTime != null) ? Duration.between(authTime, this.clock.instant()).toSeconds() : null);
		me.put("expiresAt", String.valueOf(token.getExpiresAt()));
		return me;
	}

	@PostMapping(path = "/api/v1/transfers", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	TransferService.Transfer transfer(@AuthenticationPrincipal Jwt token, @RequestBody TransferRequest request) {
		return this.transfers.transfer(String.valueOf(token.getSubject()), request.to(), request.amount());
	}

	/**
	 * A transfer that an API client asks for.
	 *
	 * @param to who receives the amount
	 * @param amount how much
	 */
	record TransferRequest(@Nullable String to, @Nullable BigDecimal amount) {

	}

}
