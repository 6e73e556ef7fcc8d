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
package dev.sessiontimeout.testsupport;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what happens when a store a test needs is missing: CI sets
 * {@code -Ddev.sessiontimeout.stores.required=true} so that the test fails; elsewhere it
 * is skipped, loudly.
 */
public final class StoreRequirement {

	/**
	 * The system property (and Maven property) that makes stores mandatory.
	 */
	public static final String PROPERTY = "dev.sessiontimeout.stores.required";

	private StoreRequirement() {
	}

	/**
	 * Fail or skip the current test because a store is missing.
	 * @param store the store, for example {@code PostgreSQL}
	 * @param why what was tried and how to point the tests at a server
	 */
	public static void missing(String store, String why) {
		String message = store + " is not available, so the " + store + " store tests cannot run: " + why;
		if (Boolean.getBoolean(PROPERTY)) {
			Assertions.fail(message + " (" + PROPERTY + "=true: a missing store fails the build)");
		}
		System.err.println();
		System.err.println("!!!!!!!! SKIPPED: " + message);
		System.err.println();
		Assumptions.abort("SKIPPED: " + message);
	}

}
