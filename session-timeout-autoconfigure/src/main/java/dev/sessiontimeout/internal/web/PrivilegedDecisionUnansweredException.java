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
package dev.sessiontimeout.internal.web;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by the decision of a privileged operation that a request handed to another
 * thread ({@code @Async}, a {@code Callable}) when the session store does not answer the
 * look at the session that served the request: the operation never runs, and the request,
 * which finds this exception among the causes of its own failure, is answered as the
 * store's outage. The store's failure is its cause.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see ServletSessionClocks#isPrivilegedDecisionUnanswered
 */
final class PrivilegedDecisionUnansweredException extends RuntimeException {

	/**
	 * How deep in a failure's causes to look, as for the store's own failures.
	 */
	private static final int MAX_DEPTH = 16;

	/**
	 * Create a new instance.
	 * @param storeFailure what the store's look at the session threw
	 */
	PrivilegedDecisionUnansweredException(RuntimeException storeFailure) {
		super("The session store did not answer the look at the session of a privileged operation on another"
				+ " thread: " + storeFailure, storeFailure);
	}

	/**
	 * Return whether a failure is, or was caused by, a privileged decision that the
	 * session store did not answer.
	 * @param ex the failure
	 * @return {@code true} if one of its causes is such a decision
	 */
	static boolean isCauseOf(@Nullable Throwable ex) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			if (current instanceof PrivilegedDecisionUnansweredException) {
				return true;
			}
			current = current.getCause();
		}
		return false;
	}

}
