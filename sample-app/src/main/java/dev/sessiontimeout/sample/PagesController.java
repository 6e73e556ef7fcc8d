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

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

import dev.sessiontimeout.policy.SessionDeadlines;
import dev.sessiontimeout.policy.SessionDurations;
import dev.sessiontimeout.policy.SessionTimeline;
import dev.sessiontimeout.policy.SessionTimeoutPolicy;
import dev.sessiontimeout.policy.SessionTimeoutSettings;
import dev.sessiontimeout.web.SessionAttributes;

/**
 * The sample's pages, rendered as plain HTML to keep the demo free of a template engine.
 *
 * @author session-timeout
 */
@RestController
class PagesController {

	private static final String NAVIGATION = "<nav><a href=\"/\">Home</a> · <a href=\"/account\">Account</a> · "
			+ "<a href=\"/account/security\">Account security</a></nav>";

	private final SessionTimeoutSettings settings;

	PagesController(SessionTimeoutSettings settings) {
		this.settings = settings;
	}

	@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
	String login(@RequestParam(required = false) String expired, @RequestParam(required = false) String error,
			@RequestParam(required = false) String logout, CsrfToken csrfToken) {
		String notice = "";
		if (expired != null) {
			notice = "<p class=\"notice\" id=\"expired\">" + HtmlUtils.htmlEscape(expiredMessage(expired)) + "</p>";
		}
		else if (error != null) {
			notice = "<p class=\"error\">Wrong user name or password.</p>";
		}
		else if (logout != null) {
			notice = "<p class=\"notice\">You have signed out.</p>";
		}
		return page("Sign in", notice + "<form method=\"post\" action=\"/login\">"
				+ "<label>User name <input name=\"username\" autocomplete=\"username\" autofocus></label>"
				+ "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>"
				+ hidden(csrfToken) + "<button>Sign in</button></form>"
				+ "<p class=\"hint\">Demo users: <code>user</code> and <code>admin</code>, password <code>password</code>.</p>");
	}

	private String expiredMessage(String reason) {
		SessionTimeoutPolicy policy = this.settings.getDefaultPolicy();
		return switch (reason) {
			case "idle" -> "You were signed out after " + words(policy.idle()) + " of inactivity.";
			case "absolute" -> "You were signed out at the " + words(policy.absolute()) + " session limit.";
			case "revoked" -> "Your session was ended by an administrator.";
			case "reauthentication", "privileged" -> "Please sign in again to continue.";
			default -> "Your session has ended. Please sign in again.";
		};
	}

	private static String words(@Nullable Duration duration) {
		if (duration == null) {
			return "an unlimited time";
		}
		long minutes = duration.toMinutes();
		if (minutes >= 60 && minutes % 60 == 0) {
			return plural(minutes / 60, "hour");
		}
		return (minutes > 0) ? plural(minutes, "minute") : plural(duration.toSeconds(), "second");
	}

	private static String plural(long amount, String unit) {
		return amount + " " + unit + ((amount == 1) ? "" : "s");
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String home(Authentication authentication, HttpSession session, CsrfToken csrfToken) {
		SessionTimeoutPolicy policy = this.settings.getDefaultPolicy();
		SessionTimeline timeline = SessionAttributes.read(session);
		SessionDeadlines deadlines = (timeline != null) ? policy.deadlines(timeline) : null;
		String rows = row("Signed in as", HtmlUtils.htmlEscape(authentication.getName()))
				+ row("Policy",
						policy.name() + ": absolute " + SessionDurations.format(policy.absolute()) + ", idle "
								+ SessionDurations.format(policy.idle()))
				+ ((timeline != null)
						? row("Session created", timeline.createdAt()) + row("Last activity", timeline.lastActivityAt())
						: "")
				+ ((deadlines != null) ? row("Idle deadline", deadlines.idleExpiresAt())
						+ row("Absolute deadline", deadlines.absoluteExpiresAt())
						+ row("Session ends at the latest", deadlines.expiresAt()) : "");
		return page("Home", csrfMeta(csrfToken) + banner() + "<table>" + rows + "</table>"
				+ "<p>Reload this page to count as activity; stay away longer than the idle timeout and you will be"
				+ " signed out. No amount of activity keeps the session past its absolute deadline.</p>" + NAVIGATION
				+ "<form method=\"post\" action=\"/logout\">" + hidden(csrfToken) + "<button>Sign out</button></form>");
	}

	@GetMapping(path = "/account", produces = MediaType.TEXT_HTML_VALUE)
	String account(Authentication authentication, CsrfToken csrfToken) {
		String roles = authentication.getAuthorities()
			.stream()
			.map((authority) -> HtmlUtils.htmlEscape(String.valueOf(authority.getAuthority())))
			.sorted()
			.reduce((first, second) -> first + ", " + second)
			.orElse("none");
		return page("Account",
				csrfMeta(csrfToken) + banner() + "<table>"
						+ row("User name", HtmlUtils.htmlEscape(authentication.getName())) + row("Authorities", roles)
						+ "</table>" + NAVIGATION);
	}

	@GetMapping(path = "/account/security", produces = MediaType.TEXT_HTML_VALUE)
	String accountSecurity(HttpSession session, CsrfToken csrfToken) {
		SessionTimeline timeline = SessionAttributes.read(session);
		Instant authenticatedAt = (timeline != null) ? timeline.authenticatedAt() : null;
		SessionTimeoutPolicy policy = this.settings.getDefaultPolicy();
		String age = (authenticatedAt != null)
				? words(Duration.between(authenticatedAt, Instant.now()).withNanos(0)) + " ago, at " + authenticatedAt
				: "unknown";
		return page("Account security",
				csrfMeta(csrfToken) + banner() + "<table>" + row("You signed in", age)
						+ row("Privileged operations need a sign-in younger than", words(policy.privilegedMaxAge()))
						+ "</table><p>Sensitive settings such as your password will ask you to sign in again once your"
						+ " sign-in is older than that.</p>" + NAVIGATION);
	}

	private static String banner() {
		return "<div id=\"session-banner\" role=\"status\"><span class=\"countdown\">Checking your session…</span>"
				+ "<button type=\"button\" id=\"stay-signed-in\">Stay signed in</button></div>"
				+ "<script src=\"/session-banner.js\" defer></script>";
	}

	private static String row(String name, Object value) {
		return "<tr><th>" + name + "</th><td>" + ((value instanceof Instant instant) ? instant : String.valueOf(value))
				+ "</td></tr>";
	}

	private static String csrfMeta(CsrfToken csrfToken) {
		return "<meta name=\"_csrf\" content=\"" + csrfToken.getToken() + "\"><meta name=\"_csrf_header\" content=\""
				+ csrfToken.getHeaderName() + "\">";
	}

	private static String hidden(CsrfToken csrfToken) {
		return "<input type=\"hidden\" name=\"" + csrfToken.getParameterName() + "\" value=\"" + csrfToken.getToken()
				+ "\">";
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
				+ " · session-timeout sample</title><link rel=\"stylesheet\" href=\"/sample.css\"></head><body><main><h1>"
				+ title + "</h1>" + body + "</main></body></html>";
	}

}
