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
package dev.sessiontimeout.internal.users;

import org.jspecify.annotations.Nullable;

/**
 * The failures of one lookup or revocation of a user's sessions, thrown once all of it
 * was tried: the first, with the others suppressed, so that one session that fails stops
 * no other.
 *
 * @author session-timeout
 */
final class CollectedFailures {

	private @Nullable RuntimeException failure;

	/**
	 * Run an action, collecting its failure.
	 * @param action the action
	 */
	void run(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			RuntimeException failure = this.failure;
			if (failure == null) {
				this.failure = ex;
			}
			else {
				failure.addSuppressed(ex);
			}
		}
	}

	/**
	 * Return whether a failure was collected.
	 * @return {@code true} if one was
	 */
	boolean any() {
		return this.failure != null;
	}

	/**
	 * Add a failure as suppressed to the first failure collected, if any.
	 * @param suppressed the failure
	 */
	void suppress(Throwable suppressed) {
		RuntimeException failure = this.failure;
		if (failure != null && failure != suppressed) {
			failure.addSuppressed(suppressed);
		}
	}

	/**
	 * Throw the first failure collected, if any.
	 */
	void throwIfAny() {
		RuntimeException failure = this.failure;
		if (failure != null) {
			throw failure;
		}
	}

}
