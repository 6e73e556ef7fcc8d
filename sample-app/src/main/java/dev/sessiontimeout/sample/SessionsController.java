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

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The "Your sessions" page: every browser and device signed in as the user, each with a
 * "Sign out" button, and "Sign out everywhere else". The page's script reads and ends the
 * sessions through the starter's self-service endpoint ({@code /session/sessions}),
 * sending the CSRF token from the page's meta tags.
 *
 * @author session-timeout
 */
@RestController
class SessionsController {

	private final String sessionsPath;

	SessionsController(@Value("${session-timeout.sessions.path:/session/sessions}") String sessionsPath) {
		this.sessionsPath = sessionsPath;
	}

	@GetMapping(path = "/account/sessions", produces = MediaType.TEXT_HTML_VALUE)
	String sessions(CsrfToken csrfToken) {
		return Html.page("Your sessions", Html.csrfMeta(csrfToken) + Html.banner()
				+ "<p>These browsers and devices are signed in as you. Sign out of any you do not know or no longer"
				+ " use; changing your password signs out all but this one.</p>" + "<table id=\"sessions\" data-path=\""
				+ Html.escape(this.sessionsPath) + "\"><thead><tr>"
				+ "<th>Device</th><th>Started</th><th>Last active</th><th>Ends</th><th></th></tr></thead>"
				+ "<tbody></tbody></table>"
				+ "<p><button type=\"button\" id=\"sign-out-others\" disabled>Sign out everywhere else</button></p>"
				+ "<p id=\"sessions-result\" role=\"status\"></p><script src=\"/sessions.js\" defer></script>"
				+ Html.NAVIGATION);
	}

}
