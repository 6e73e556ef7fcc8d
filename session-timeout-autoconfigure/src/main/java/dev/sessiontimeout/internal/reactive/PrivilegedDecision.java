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
package dev.sessiontimeout.internal.reactive;

import java.time.Duration;
import java.util.List;

/**
 * A decision on a privileged operation, with what a refusal's challenge names.
 *
 * @param granted whether the operation may proceed
 * @param maxAge how old the authentication may be at most
 * @param acrValues the authentication context classes one of which the authentication
 * must name, empty for any
 * @author session-timeout
 */
public record PrivilegedDecision(boolean granted, Duration maxAge, List<String> acrValues) {

	/**
	 * Create a new decision.
	 * @param granted whether the operation may proceed
	 * @param maxAge how old the authentication may be at most
	 * @param acrValues the authentication context classes, empty for any
	 */
	public PrivilegedDecision {
		acrValues = List.copyOf(acrValues);
	}

}
