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

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when path patterns cannot be parsed, naming each by its index in the list.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InvalidPathPatternsException extends IllegalArgumentException {

	private final List<InvalidPattern> invalidPatterns;

	/**
	 * Create a new instance.
	 * @param invalidPatterns the patterns that cannot be parsed
	 */
	public InvalidPathPatternsException(List<InvalidPattern> invalidPatterns) {
		super("Invalid path patterns: " + invalidPatterns.stream()
			.map((invalid) -> "[" + invalid.index() + "] " + invalid.pattern() + ": " + invalid.reason())
			.collect(Collectors.joining("; ")));
		this.invalidPatterns = List.copyOf(invalidPatterns);
	}

	/**
	 * Return the patterns that cannot be parsed.
	 * @return the invalid patterns, in list order
	 */
	public List<InvalidPattern> getInvalidPatterns() {
		return this.invalidPatterns;
	}

	/**
	 * A pattern that cannot be parsed.
	 *
	 * @param index its index in the list
	 * @param pattern the pattern
	 * @param reason why it cannot be parsed
	 */
	public record InvalidPattern(int index, String pattern, String reason) {

	}

}
