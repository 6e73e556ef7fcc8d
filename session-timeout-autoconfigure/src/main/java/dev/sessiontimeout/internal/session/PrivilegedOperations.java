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
package dev.sessiontimeout.internal.session;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Which privileged operations the application has, as far as anything needs to know:
 * whether there are any, for only then do the {@code ServletSessionClocks} remember the
 * session of each authentication they serve for calls on other threads; and whether any
 * needs an authentication no other operation has used (a maximum age of zero) besides
 * those that sessions' policies give, for only then does a login store a
 * {@link SessionAttributes#PRIVILEGE_GRANT privilege grant} in a session whose policy has
 * another privileged age. The methods that {@code @RequiresPrivilegedSession} marks are
 * found as their beans are proxied (every method of a class with one privileged method is
 * read then), at startup for singletons; a session that signed in before a lazily created
 * bean was found holds no grant for it, and must authenticate again for it.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class PrivilegedOperations {

	private volatile boolean found;

	private volatile boolean zeroAgeFound;

	/**
	 * Record that a privileged operation exists.
	 * @param maxAge its maximum age, {@code null} for its session's privileged age
	 */
	public void found(@Nullable Duration maxAge) {
		this.found = true;
		if (maxAge != null && maxAge.isZero()) {
			this.zeroAgeFound = true;
		}
	}

	/**
	 * Return whether a privileged operation was found.
	 * @return {@code true} if one was
	 */
	public boolean exist() {
		return this.found;
	}

	/**
	 * Return whether an operation with a maximum age of zero was found.
	 * @return {@code true} if one was
	 */
	public boolean zeroAgeExist() {
		return this.zeroAgeFound;
	}

}
