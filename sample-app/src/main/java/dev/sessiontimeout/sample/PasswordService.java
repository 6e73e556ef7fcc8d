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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.stereotype.Service;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * Changes the password of the signed-in user, a privileged operation: it needs a sign-in
 * younger than the privileged age of the session's policy, whoever calls it.
 *
 * @author session-timeout
 */
@Service
class PasswordService {

	private final InMemoryUserDetailsManager users;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	private final Map<String, Instant> changes = new ConcurrentHashMap<>();

	PasswordService(InMemoryUserDetailsManager users, PasswordEncoder passwordEncoder,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Change the password of the signed-in user.
	 * @param authentication the signed-in user
	 * @param newPassword the new password
	 */
	@RequiresPrivilegedSession
	public void changePassword(Authentication authentication, String newPassword) {
		UserDetails user = this.users.loadUserByUsername(authentication.getName());
		this.users.updatePassword(user, this.passwordEncoder.encode(newPassword));
		this.changes.put(user.getUsername(), this.clock.instant().truncatedTo(ChronoUnit.MILLIS));
	}

	/**
	 * Return when a user last changed their password in this run of the sample.
	 * @param username the user name
	 * @return when, or {@code null} if not yet
	 */
	public @Nullable Instant lastChangedAt(String username) {
		return this.changes.get(username);
	}

}
