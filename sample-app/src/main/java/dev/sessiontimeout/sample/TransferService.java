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
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ResponseStatusException;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * Transfers money, in pretend: a privileged operation that only a recent sign-in may
 * start. Called with a bearer token, the token's {@code auth_time} must be younger than
 * the privileged age of the policy its roles choose.
 *
 * @author session-timeout
 */
@Service
class TransferService {

	private final Clock clock;

	TransferService(@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * Transfer an amount from one user to another.
	 * @param from who pays
	 * @param to who receives
	 * @param amount how much, more than zero
	 * @return the transfer
	 */
	@RequiresPrivilegedSession
	public Transfer transfer(String from, @Nullable String to, @Nullable BigDecimal amount) {
		if (!StringUtils.hasText(to) || amount == null || amount.signum() <= 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A transfer needs a receiver and an amount");
		}
		return new Transfer(from, to, amount, this.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
	}

	/**
	 * A transfer that took place.
	 *
	 * @param from who paid
	 * @param to who received
	 * @param amount how much
	 * @param transferredAt when
	 */
	record Transfer(String from, String to, BigDecimal amount, String transferredAt) {

	}

}
