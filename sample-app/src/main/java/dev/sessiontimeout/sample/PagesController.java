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
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.SessionTimeouts;

/**
 * The sign-in page, which says why a session ended or why its user must sign in again,
 * the home page with the session's policy and a timeline of its deadlines, and the
 * account page.
 *
 * @author session-timeout
 */
@RestController
class PagesController {

	private final SessionTimeouts sessionTimeouts;

	private final PolicyClocks clocks;

	PagesController(SessionTimeouts sessionTimeouts, PolicyClocks clocks) {
		this.sessionTimeouts = sessionTimeouts;
		this.clocks = clocks;
	}

	@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
	String login(@RequestParam(required = false) String expired, @RequestParam(required = false) String error,
			@RequestParam(required = false) String logout, HttpServletRequest request, CsrfToken csrfToken) {
		HttpSession session = request.getSession(false);
		// A step-up or re-authentication keeps the session: only its user may continue it
		SessionStatus kept = this.sessionTimeouts.status(request).filter(SessionStatus::authenticated).orElse(null);
		String keeper = (kept != null) ? kept.principal() : null;
		String notice = "";
		if (expired != null) {
			notice = "<p class=\"notice\" id=\"expired\">" + Html.escape(expiredMessage(expired, kept)) + "</p>";
		}
		else if (error != null) {
			boolean otherUser = keeper != null && session != null && session
				.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof SessionAuthenticationException;
			notice = "<p class=\"error\" id=\"error\">"
					+ (otherUser
							? "Only " + Html.escape(keeper) + " can continue this session. Sign in as "
									+ Html.escape(keeper) + ", or sign out to sign in as someone else."
							: "Wrong user name or password.")
					+ "</p>";
		}
		else if (logout != null) {
			notice = "<p class=\"notice\">You have signed out.</p>";
		}
		String username = (keeper != null) ? Html.escape(keeper) : "";
		String form = "<form method=\"post\" action=\"/login\">"
				+ "<label>User name <input name=\"username\" autocomplete=\"username\" value=\"" + username + "\""
				+ (username.isEmpty() ? " autofocus" : "") + "></label>"
				+ "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\""
				+ (username.isEmpty() ? "" : " autofocus") + "></label>" + Html.hidden(csrfToken)
				+ "<button>Sign in</button></form>";
		String someoneElse = (keeper != null) ? Html.signOut(csrfToken, "Not " + username + "? ") : "";
		return Html.page("Sign in", notice + form + someoneElse
				+ "<p class=\"hint\">Demo users: <code>user</code> and <code>admin</code>, password <code>password</code>.</p>",
				false);
	}

	private String expiredMessage(String reason, @Nullable SessionStatus kept) {
		return switch (reason) {
			case "idle" -> "You were signed out after " + perPolicy(SessionTimeoutPolicy::idle, " of inactivity") + ".";
			case "absolute" -> "Your session reached its maximum lifetime of "
					+ perPolicy(SessionTimeoutPolicy::absolute, "") + ". Please sign in again.";
			case "revoked" -> "Your session was ended by an administrator.";
			case "privileged" -> privilegedMessage(keptClock(kept, SessionTimeoutPolicy::privilegedMaxAge));
			case "reauthentication" -> reauthenticationMessage(keptClock(kept, SessionTimeoutPolicy::reauthentication));
			default -> "Your session has ended. Please sign in again.";
		};
	}

	/**
	 * Say a clock of the global policy, with the policies that differ: an ended session
	 * is gone, and with it the policy it had.
	 * @param clock the clock
	 * @param suffix what follows the global value
	 * @return for example
	 * {@code 15 minutes of inactivity (10 minutes for administrators)}
	 */
	private String perPolicy(Function<SessionTimeoutPolicy, @Nullable Duration> clock, String suffix) {
		Duration global = clock.apply(this.clocks.global());
		StringBuilder others = new StringBuilder();
		for (SessionTimeoutPolicy policy : this.clocks.policies()) {
			Duration value = clock.apply(policy);
			if (value != null && !value.equals(global)) {
				others.append(others.isEmpty() ? " (" : ", ")
					.append(Html.words(value))
					.append(" for ")
					.append(policy.name());
			}
		}
		return ((global != null) ? Html.words(global) : "the time your policy allows") + suffix
				+ (others.isEmpty() ? "" : others + ")");
	}

	/**
	 * Return a clock of the kept session's policy: a challenge keeps the session, and
	 * with it its policy.
	 */
	private @Nullable Duration keptClock(@Nullable SessionStatus kept,
			Function<SessionTimeoutPolicy, @Nullable Duration> clock) {
		return (kept != null) ? clock.apply(this.clocks.named(kept.policy())) : null;
	}

	private static String privilegedMessage(@Nullable Duration maxAge) {
		if (maxAge == null) {
			return "Please sign in again to continue.";
		}
		return "For your security, this needs "
				+ (maxAge.isZero() ? "a fresh sign-in" : "a sign-in from the last " + Html.words(maxAge))
				+ ". Please sign in again to continue.";
	}

	private static String reauthenticationMessage(@Nullable Duration reauthentication) {
		return ((reauthentication != null)
				? "Your session asks you to sign in again every " + Html.words(reauthentication) + ". " : "")
				+ "Please sign in again to continue.";
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String home(Authentication authentication, HttpServletRequest request, CsrfToken csrfToken) {
		String policy = this.sessionTimeouts.status(request).map(SessionStatus::policy).orElse("default");
		String rows = Html.row("Signed in as", Html.escape(authentication.getName()))
				+ Html.row("policy", "Policy", Html.describe(this.clocks.named(policy)));
		// Drawn in the browser from the status endpoint's JSON, which the banner reads
		String timeline = "<section id=\"session-timeline\" aria-labelledby=\"session-timeline-title\">"
				+ "<h2 id=\"session-timeline-title\">Your session</h2>"
				+ "<div class=\"timeline\"><p class=\"hint\">Reading your session…</p></div>"
				+ "<noscript><p class=\"hint\">The timeline needs JavaScript; <a href=\"/session/status\">"
				+ "/session/status</a> has the same deadlines.</p></noscript></section>"
				+ "<script src=\"/session-timeline.js\" defer></script>";
		return Html.page("Home", Html.csrfMeta(csrfToken) + Html.banner() + "<table>" + rows + "</table>" + timeline
				+ "<p>Reload this page to count as activity; stay away longer than the idle timeout and you will be"
				+ " signed out. No amount of activity keeps the session past its absolute deadline. After the"
				+ " privileged deadline, changing your password asks you to sign in again first.</p>" + Html.NAVIGATION
				+ Html.signOut(csrfToken, ""));
	}

	@GetMapping(path = "/account", produces = MediaType.TEXT_HTML_VALUE)
	String account(Authentication authentication, CsrfToken csrfToken) {
		String roles = authentication.getAuthorities()
			.stream()
			.map((authority) -> Html.escape(String.valueOf(authority.getAuthority())))
			.sorted()
			.reduce((first, second) -> first + ", " + second)
			.orElse("none");
		return Html.page("Account",
				Html.csrfMeta(csrfToken) + Html.banner() + "<table>"
						+ Html.row("User name", Html.escape(authentication.getName())) + Html.row("Authorities", roles)
						+ "</table>" + Html.NAVIGATION);
	}

}
