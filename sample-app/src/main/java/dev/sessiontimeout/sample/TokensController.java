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
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Access tokens for the API under {@code /api/v1/}, minted for the user signed in to the
 * browser session: the "API tokens" page, which shows a new token, its {@code auth_time}
 * and age, and the {@code curl} commands to call the API with it, and
 * {@code POST /api/account/tokens}, the same for scripts (JSON, with the session's cookie
 * and CSRF token). Both need a signed-in session: a token is never fresher than the
 * sign-in behind it.
 *
 * @author session-timeout
 */
@RestController
class TokensController {

	private static final String PAGE = "/account/tokens";

	private final AccessTokens tokens;

	TokensController(AccessTokens tokens) {
		this.tokens = tokens;
	}

	@GetMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
	String tokens(Authentication authentication, HttpServletRequest request, CsrfToken csrfToken) {
		Instant now = this.tokens.now();
		Instant signedInAt = this.tokens.signedInAt(authentication, request);
		String signIn = (signedInAt != null) ? "You signed in " + Html.relative(signedInAt, now)
				+ ": that is the <code>auth_time</code> of every token you get in this session, and tokens of a"
				+ " sign-in older than " + Html.words(this.tokens.privilegedAge(request))
				+ " are refused by privileged calls." : "This session does not know when you signed in.";
		return Html.page("API tokens",
				Html.csrfMeta(csrfToken) + Html.banner()
						+ "<p>The API under <code>/api/v1/</code> takes no cookies: each request brings a bearer token."
						+ " A token is as fresh as the sign-in behind it. " + signIn + "</p>"
						+ "<form method=\"post\" action=\"" + PAGE + "\">" + Html.hidden(csrfToken)
						+ "<button id=\"mint\">Get a token</button></form>" + Html.NAVIGATION);
	}

	@PostMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
	String mint(Authentication authentication, HttpServletRequest request, CsrfToken csrfToken) {
		Jwt token = this.tokens.mint(authentication, request);
		Instant now = this.tokens.now();
		Instant authTime = AccessTokens.authTime(token);
		Duration privilegedAge = this.tokens.privilegedAge(request);
		Instant privilegedUntil = (authTime != null && privilegedAge != null) ? authTime.plus(privilegedAge) : null;
		String rows = Html.row("Subject", Html.escape(token.getSubject()))
				+ Html.row("Roles", Html.escape(String.join(", ", token.getClaimAsStringList(AccessTokens.ROLES))))
				+ Html.row("auth-time", "<code>auth_time</code>",
						(authTime != null) ? authTime.getEpochSecond() + " (" + authTime + ")" : "none")
				+ Html.row("age", "Age of the sign-in",
						(authTime != null) ? Html.words(Duration.between(authTime, now).withNanos(0))
								: "unknown: never privileged")
				+ Html.row("privileged-until", "Privileged calls until",
						(privilegedUntil != null) ? privilegedUntil + " (" + Html.relative(privilegedUntil, now) + ")"
								: (authTime != null) ? "no limit" : "never")
				+ Html.row("expires-at", "Expires",
						token.getExpiresAt() + " (" + Html.relative(token.getExpiresAt(), now) + ")");
		String base = ServletUriComponentsBuilder.fromContextPath(request).toUriString();
		String bearer = "-H 'Authorization: Bearer " + token.getTokenValue() + "'";
		return Html.page("API tokens", Html.csrfMeta(csrfToken) + Html.banner()
				+ "<p>Your token, signed by a key the sample made at start:</p><pre id=\"token\">"
				+ Html.escape(token.getTokenValue()) + "</pre><table>" + rows + "</table>" + "<h2>Call the API</h2>"
				+ "<p>Who the token is, and how old its sign-in is now:</p><pre id=\"curl-me\">"
				+ Html.escape("curl -s " + bearer + " " + base + "/api/v1/me") + "</pre>"
				+ "<p>A privileged transfer: it answers <code>200</code> until the sign-in is "
				+ Html.words(privilegedAge) + " old, then <code>401</code> with"
				+ " <code>WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"</code>"
				+ " and <code>max_age</code>. Sign in again, and get a new token.</p><pre id=\"curl-transfer\">"
				+ Html.escape("curl -s -i -X POST " + bearer + " -H 'Content-Type: application/json' -d '"
						+ "{\"to\":\"bob\",\"amount\":25}' " + base + "/api/v1/transfers")
				+ "</pre>" + "<form method=\"post\" action=\"" + PAGE + "\">" + Html.hidden(csrfToken)
				+ "<button id=\"mint\">Get another token</button></form>" + Html.NAVIGATION);
	}

	@PostMapping(path = "/api/account/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, @Nullable Object> mintForScripts(Authentication authentication, HttpServletRequest request) {
		Jwt token = this.tokens.mint(authentication, request);
		Instant authTime = AccessTokens.authTime(token);
		Map<String, @Nullable Object> response = new LinkedHashMap<>();
		response.put("access_token", token.getTokenValue());
		response.put("token_type", "Bearer");
		// Its own lifetime, which ends with the session's, or when its user must sign in
		// again, if that comes first
		response.put("expires_in", Duration.between(token.getIssuedAt(), token.getExpiresAt()).toSeconds());
		response.put(AccessTokens.AUTH_TIME, (authTime != null) ? authTime.getEpochSecond() : null);
		return response;
	}

}
