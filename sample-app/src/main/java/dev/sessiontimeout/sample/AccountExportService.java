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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * Exports what the sample knows of the signed-in user. Every method of the type is
 * privileged: an API caller whose sign-in is too old gets a {@code 401} with an RFC 9470
 * {@code WWW-Authenticate} challenge.
 *
 * @author session-timeout
 */
@Service
@RequiresPrivilegedSession
class AccountExportService {

	private final PasswordService passwords;

	private final Clock clock;

	AccountExportService(PasswordService passwords, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.passwords = passwords;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Export the account of the signed-in user.
	 * @param authentication the signed-in user
	 * @return the account data
	 */
	public Map<String, @Nullable Object> export(Authentication authentication) {
		List<String> authorities = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.sorted()
			.toList();
		Instant passwordChangedAt = this.passwords.lastChangedAt(authentication.getName());
		Map<String, @Nullable Object> export = new LinkedHashMap<>();
		export.put("username", authentication.getName());
		export.put("authorities", authorities);
		export.put("passwordChangedAt", (passwordChangedAt != null) ? passwordChangedAt.toString() : null);
		export.put("exportedAt", this.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
		return export;
	}

}
