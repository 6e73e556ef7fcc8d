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
package dev.sessiontimeout.sample;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.util.HtmlUtils;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * The building blocks of the sample's pages, plain HTML to keep the demo free of a
 * template engine.
 *
 * @author session-timeout
 */
final class Html {

	static final String NAVIGATION = "<nav><a href=\"/\">Home</a> · <a href=\"/account\">Account</a> · "
			+ "<a href=\"/account/security\">Account security</a> · <a href=\"/account/sessions\">Your sessions</a> · "
			+ "<a href=\"/account/tokens\">API tokens</a></nav>";

	private Html() {
	}

	/**
	 * A page for a signed-in user, wide enough for tables and the home page's timeline.
	 * @param title the title
	 * @param body the content, after the title
	 * @return the page
	 */
	static String page(String title, String body) {
		return page(title, body, true);
	}

	/**
	 * A page of the sample.
	 * @param title the title
	 * @param body the content, after the title
	 * @param wide whether the page is wide, else a narrow card like the sign-in page's
	 * @return the page
	 */
	static String page(String title, String body, boolean wide) {
		return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title
				+ " · session-timeout sample</title><link rel=\"stylesheet\" href=\"/sample.css\"></head><body><main"
				+ (wide ? " class=\"wide\"" : "") + "><h1>" + title + "</h1>" + body + "</main></body></html>";
	}

	/**
	 * The starter's countdown banner, {@code <session-timeout-banner>}, which reads the
	 * status endpoint without extending the session, warns in the last two minutes and
	 * offers to stay signed in; the starter serves its script.
	 * @return the banner and its script
	 */
	static String banner() {
		return "<session-timeout-banner id=\"session-banner\" warn-before=\"2m\"></session-timeout-banner>"
				+ "<script src=\"/session-timeout/session-timeout.js\" defer></script>";
	}

	static String row(String name, @Nullable Object value) {
		return row(null, name, value);
	}

	static String row(@Nullable String id, String name, @Nullable Object value) {
		return "<tr><th>" + name + "</th><td" + ((id != null) ? " id=\"" + id + "\"" : "") + ">" + String.valueOf(value)
				+ "</td></tr>";
	}

	static String csrfMeta(CsrfToken csrfToken) {
		return "<meta name=\"_csrf\" content=\"" + csrfToken.getToken() + "\"><meta name=\"_csrf_header\" content=\""
				+ csrfToken.getHeaderName() + "\">";
	}

	static String hidden(CsrfToken csrfToken) {
		return "<input type=\"hidden\" name=\"" + csrfToken.getParameterName() + "\" value=\"" + csrfToken.getToken()
				+ "\">";
	}

	static String signOut(CsrfToken csrfToken, String text) {
		return "<form method=\"post\" action=\"/logout\" class=\"sign-out\">"
				+ (text.isEmpty() ? "" : "<span>" + text + "</span>") + hidden(csrfToken)
				+ "<button>Sign out</button></form>";
	}

	static String escape(@Nullable String text) {
		return (text != null) ? HtmlUtils.htmlEscape(text) : "";
	}

	/**
	 * Describe a policy: its name and its four clocks.
	 * @param policy the policy
	 * @return for example {@code administrators: absolute 1 hour, idle 10 minutes, ...}
	 */
	static String describe(SessionTimeoutPolicy policy) {
		return "<strong>" + escape(policy.name()) + "</strong>: absolute " + words(policy.absolute()) + ", idle "
				+ words(policy.idle()) + ", re-authentication " + words(policy.reauthentication()) + ", privileged age "
				+ words(policy.privilegedMaxAge());
	}

	/**
	 * Say a duration in words: {@code 1 hour 30 minutes}, {@code 10 minutes},
	 * {@code 30 seconds}, {@code off} for a disabled clock.
	 * @param duration the duration, {@code null} for a disabled clock
	 * @return the words
	 */
	static String words(@Nullable Duration duration) {
		if (duration == null) {
			return "off";
		}
		StringBuilder words = new StringBuilder();
		append(words, duration.toDays(), "day");
		append(words, duration.toHoursPart(), "hour");
		append(words, duration.toMinutesPart(), "minute");
		append(words, duration.toSecondsPart(), "second");
		return words.isEmpty() ? "0 seconds" : words.toString();
	}

	private static void append(StringBuilder words, long amount, String unit) {
		if (amount > 0) {
			words.append(words.isEmpty() ? "" : " ").append(amount).append(" ").append(unit);
			words.append((amount == 1) ? "" : "s");
		}
	}

	/**
	 * Say how far an instant is from now: {@code in 9 minutes}, {@code 2 minutes ago},
	 * {@code just now}, to the second.
	 * @param instant the instant
	 * @param now the current instant
	 * @return the words
	 */
	static String relative(Instant instant, Instant now) {
		Duration between = Duration.between(now, instant);
		boolean past = between.isNegative();
		Duration amount = (past ? between.negated() : between).withNanos(0);
		if (amount.isZero()) {
			return "just now";
		}
		return past ? words(amount) + " ago" : "in " + words(amount);
	}

}
