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

import org.jspecify.annotations.Nullable;

/**
 * How the starter's log lines name the user of a session. A principal name comes from
 * outside (a login form, an identity provider), so it is never logged as it is: control
 * characters, line and paragraph separators, invisible formatting characters (such as
 * bidirectional overrides) and the backslash are escaped, so that a name cannot start a
 * log line of its own or hide part of one.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public enum PrincipalLogFormat {

	/**
	 * The principal name, escaped.
	 */
	NAME {

		@Override
		String format(String principal) {
			return escape(principal);
		}

	},

	/**
	 * The first 16 hexadecimal digits of the SHA-256 hash of the principal name, for logs
	 * that must not carry user names; the hash is the same on every node, so that the
	 * lines of one user can still be found.
	 */
	HASH {

		@Override
		String format(String principal) {
			return "user-" + SessionIds.hash(principal);
		}

	};

	/**
	 * Return how a log line names the user of a session.
	 * @param principal the principal name, {@code null} for an anonymous session
	 * @return the text for the log line
	 */
	public String describe(@Nullable String principal) {
		return (principal != null) ? format(principal) : "anonymous";
	}

	abstract String format(String principal);

	/**
	 * Escape what could forge or hide a log line: a line feed, carriage return or tab as
	 * a backslash and {@code n}, {@code r} or {@code t}, the backslash as two, and every
	 * other control, separator or format character as a backslash, {@code u} and its four
	 * hexadecimal digits.
	 * @param text the text
	 * @return the escaped text
	 */
	static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = replacement(c);
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (replacement != null) {
					escaped.append(replacement);
				}
				else {
					escaped.append(c);
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

	private static @Nullable String replacement(char c) {
		switch (c) {
			case '\\':
				return "\\\\";
			case '\n':
				return "\\n";
			case '\r':
				return "\\r";
			case '\t':
				return "\\t";
			default:
				int type = Character.getType(c);
				boolean hidden = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
						|| type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
				return hidden ? String.format("\\u%04x", (int) c) : null;
		}
	}

}
