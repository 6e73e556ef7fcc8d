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

import java.net.URI;
import java.time.Clock;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.SessionTimeouts;
import dev.sessiontimeout.UserSessions;

/**
 * The account-security pages: how old the sign-in is and until when sensitive operations
 * need no new one, and the password page, which {@code session-timeout.privileged.paths}
 * makes privileged, as is the service that changes the password. A password change signs
 * the user out of every other session ({@link UserSessions#revokeOthers}).
 *
 * @author session-timeout
 */
@RestController
class AccountSecurityController {

	private static final String PASSWORD_PATH = "/account/security/password";

	private static final int MINIMUM_PASSWORD_LENGTH = 8;

	private final SessionTimeouts sessionTimeouts;

	private final PolicyClocks clocks;

	private final PasswordService passwords;

	private final UserSessions userSessions;

	private final Clock clock;

	AccountSecurityController(SessionTimeouts sessionTimeouts, PolicyClocks clocks, PasswordService passwords,
			UserSessions userSessions, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		this.userSessions = userSessions;
		this.sessionTimeouts = sessionTimeouts;
		this.clocks = clocks;
		this.passwords = passwords;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@GetMapping(path = "/account/security", produces = MediaType.TEXT_HTML_VALUE)
	String accountSecurity(Authentication authentication, HttpServletRequest request, CsrfToken csrfToken,
			@RequestParam(name = "password-changed", required = false) String passwordChanged) {
		Instant now = this.clock.instant();
		SessionStatus status = this.sessionTimeouts.status(request).orElse(null);
		SessionTimeoutPolicy policy = this.clocks.named((status != null) ? status.policy() : "default");
		Instant privilegedUntil = (status != null) ? status.privilegedUntil() : null;
		Instant reauthenticateAt = (status != null) ? status.reauthenticateAt() : null;
		Instant passwordChangedAt = this.passwords.lastChangedAt(authentication.getName());
		String notice = (passwordChanged != null) ? "<p class=\"notice\" id=\"password-changed\">Your password was"
				+ " changed, and you were signed out everywhere else (" + signedOutElsewhere(passwordChanged) + ").</p>"
				: "";
		String rows = Html.row("Signed in as", Html.escape(authentication.getName()))
				+ Html.row("policy", "Policy", Html.describe(policy))
				+ Html.row("Privileged operations until",
						until("privileged-until", privilegedUntil, now, "no limit (no privileged age)",
								"privileged operations ask you to sign in again"))
				+ Html.row("Sign in again at",
						until("reauthenticate-at", reauthenticateAt, now, "not required by your policy",
								"your next page asks you to sign in again"))
				+ Html.row("Password last changed",
						(passwordChangedAt != null) ? passwordChangedAt : "not in this run of the sample");
		return Html.page("Account security", Html.csrfMeta(csrfToken) + Html.banner() + notice + "<table>" + rows
				+ "</table><p>Changing your password and exporting your data need a sign-in younger than "
				+ Html.words(policy.privilegedMaxAge())
				+ ", the privileged age of your policy. Once yours is older, they ask you to sign in again first;"
				+ " afterwards you continue where you were.</p>" + "<p><a id=\"change-password\" href=\""
				+ PASSWORD_PATH + "\">Change password</a></p>"
				+ "<p><button type=\"button\" id=\"export\">Export my data (API call)</button></p>"
				+ "<pre id=\"export-result\" hidden></pre><script src=\"/account-export.js\" defer></script>"
				+ Html.NAVIGATION);
	}

	private static String signedOutElsewhere(String count) {
		return switch (count) {
			case "0" -> "no other session";
			case "1" -> "1 other session";
			default -> count.matches("\\d{1,6}") ? count + " other sessions" : "other sessions";
		};
	}

	private static String until(String id, @Nullable Instant deadline, Instant now, String none, String passed) {
		if (deadline == null) {
			return none;
		}
		String time = "<time id=\"" + id + "\" datetime=\"" + deadline + "\">" + deadline + "</time>";
		return time + " (" + Html.relative(deadline, now) + ")" + (deadline.isAfter(now) ? "" : ": " + passed);
	}

	@GetMapping(path = PASSWORD_PATH, produces = MediaType.TEXT_HTML_VALUE)
	String passwordForm(HttpServletRequest request, CsrfToken csrfToken) {
		return passwordPage(request, csrfToken, null);
	}

	@PostMapping(path = PASSWORD_PATH, produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> changePassword(Authentication authentication, HttpServletRequest request,
			CsrfToken csrfToken, @RequestParam String password, @RequestParam String confirmation) {
		String error = null;
		if (password.length() < MINIMUM_PASSWORD_LENGTH) {
			error = "Choose a password of at least " + MINIMUM_PASSWORD_LENGTH + " characters.";
		}
		else if (!password.equals(confirmation)) {
			error = "The two passwords differ.";
		}
		if (error != null) {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST)
				.contentType(MediaType.TEXT_HTML)
				.body(passwordPage(request, csrfToken, error));
		}
		this.passwords.changePassword(authentication, password);
		int signedOut = this.userSessions.revokeOthers(request);
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.location(URI.create("/account/security?password-changed=" + signedOut))
			.build();
	}

	private String passwordPage(HttpServletRequest request, CsrfToken csrfToken, @Nullable String error) {
		SessionStatus status = this.sessionTimeouts.status(request).orElse(null);
		SessionTimeoutPolicy policy = this.clocks.named((status != null) ? status.policy() : "default");
		Instant privilegedUntil = (status != null) ? status.privilegedUntil() : null;
		String signedIn = (privilegedUntil != null)
				? " Yours stops counting " + Html.relative(privilegedUntil, this.clock.instant()) + "." : "";
		return Html.page("Change password",
				Html.csrfMeta(csrfToken) + Html.banner()
						+ ((error != null) ? "<p class=\"error\" id=\"password-error\">" + error + "</p>" : "")
						+ "<p>This page needs a sign-in from the last " + Html.words(policy.privilegedMaxAge()) + "."
						+ signedIn + "</p>" + "<form method=\"post\" action=\"" + PASSWORD_PATH + "\">"
						+ "<label>New password <input name=\"password\" type=\"password\" autocomplete=\"new-password\""
						+ " minlength=\"" + MINIMUM_PASSWORD_LENGTH + "\" required autofocus></label>"
						+ "<label>New password again <input name=\"confirmation\" type=\"password\""
						+ " autocomplete=\"new-password\" required></label>" + Html.hidden(csrfToken)
						+ "<button>Change password</button></form>" + Html.NAVIGATION);
	}

}
