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
package dev.sessiontimeout.internal.policy;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a text is not a session duration.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionDurations#parse(String)
 */
public class InvalidSessionDurationException extends IllegalArgumentException {

	private final String text;

	private final String rule;

	InvalidSessionDurationException(String text, @Nullable Throwable cause) {
		this(text, "not a session duration", cause);
	}

	InvalidSessionDurationException(String text, String rule, @Nullable Throwable cause) {
		super("'" + text + "' is " + rule + "; use " + SessionDurations.SYNTAX, cause);
		this.text = text;
		this.rule = rule;
	}

	/**
	 * Return the text that could not be parsed.
	 * @return the text
	 */
	public String getText() {
		return this.text;
	}

	/**
	 * Return the rule the text breaks, for example {@code not a session duration}.
	 * @return the rule
	 */
	public String getRule() {
		return this.rule;
	}

}
