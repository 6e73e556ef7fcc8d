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

/**
 * Whether the application has privileged operations that need an authentication no other
 * operation has used (a maximum age of zero) besides those that sessions' policies give:
 * only then does a login store a {@link SessionAttributes#PRIVILEGE_GRANT privilege
 * grant} in a session whose policy has another privileged age. The methods that
 * {@code @RequiresPrivilegedSession(maxAge = "0s")} marks are found as their beans are
 * proxied (every method of a class with one privileged method is read then), at startup
 * for singletons; a session that signed in before a lazily created bean was found holds
 * no grant for it, and must authenticate again for it.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class ZeroAgePrivilegedOperations {

	private volatile boolean found;

	/**
	 * Record that an operation with a maximum age of zero exists.
	 */
	public void found() {
		this.found = true;
	}

	/**
	 * Return whether an operation with a maximum age of zero was found.
	 * @return {@code true} if one was
	 */
	public boolean exist() {
		return this.found;
	}

}
