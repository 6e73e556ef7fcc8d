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

package dev.sessiontimeout;

import java.util.Locale;

/**
 * Why a session ended or why its user is asked to authenticate again. The {@link #value()
 * value} is what HTTP answers, events and metrics carry.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public enum ExpiryReason {

	/**
	 * The session reached its maximum lifetime, counted from its creation.
	 */
	ABSOLUTE(true),

	/**
	 * The session saw no activity for longer than the idle timeout.
	 */
	IDLE(true),

	/**
	 * The last authentication is older than the re-authentication lifetime; the session
	 * is kept.
	 */
	REAUTHENTICATION(false),

	/**
	 * A privileged operation needs a more recent authentication; the session is kept.
	 */
	PRIVILEGED(false),

	/**
	 * The session was revoked by an operator.
	 */
	REVOKED(true),

	/**
	 * The request named a session that is unknown, so why it ended cannot be told.
	 */
	INVALID(true);

	private final boolean ending;

	ExpiryReason(boolean ending) {
		this.ending = ending;
	}

	/**
	 * Return the lower-case value used on the wire, for example {@code idle}.
	 * @return the value
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return whether this reason ends the session, rather than asking its user to
	 * authenticate again.
	 * @return {@code true} if the session is invalidated
	 */
	public boolean isEnding() {
		return this.ending;
	}

	@Override
	public String toString() {
		return value();
	}

}
