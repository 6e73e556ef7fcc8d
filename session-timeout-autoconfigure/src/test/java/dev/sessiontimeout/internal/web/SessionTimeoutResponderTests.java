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

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.sessiontimeout.ExpiryReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTimeoutResponder}.
 */
class SessionTimeoutResponderTests {

	private final SessionTimeoutResponder responder = new SessionTimeoutResponder("/login?expired={reason}");

	@Test
	void respondWhenBrowserNavigationThenRedirectsToExpiredUrlWithReason() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account");
		request.setContextPath("/app");
		request.addHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.respond(request, response, ExpiryReason.IDLE);
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/app/login?expired=idle");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
	}

	@Test
	void respondWhenExpiredUrlIsAbsoluteThenRedirectsThereUnchanged() throws Exception {
		SessionTimeoutResponder responder = new SessionTimeoutResponder("https://id.example.com/signin?why={reason}");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account");
		request.setContextPath("/app");
		request.addHeader("Sec-Fetch-Mode", "navigate");
		MockHttpServletResponse response = new MockHttpServletResponse();
		responder.respond(request, response, ExpiryReason.ABSOLUTE);
		assertThat(response.getRedirectedUrl()).isEqualTo("https://id.example.com/signin?why=absolute");
	}

	@Test
	void respondWhenApiCallThenProblemJsonWithReason() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders");
		request.addHeader("Accept", "application/json");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.respond(request, response, ExpiryReason.ABSOLUTE);
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unauthorized\","
				+ "\"status\":401,\"detail\":\"The session reached its maximum lifetime.\","
				+ "\"instance\":\"/api/orders\",\"reason\":\"absolute\"}");
	}

	@Test
	void respondWhenInstanceHasQuotesThenJsonStaysValid() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/\"x\\y");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.respond(request, response, ExpiryReason.INVALID);
		assertThat(response.getContentAsString()).contains("\"instance\":\"/api/\\\"x\\\\y\"");
	}

	@Test
	void challengeWhenBrowserNavigationWithoutLoginUrlThenRedirectsToExpiredUrlWithReason() throws Exception {
		MockHttpServletRequest request = browser("/account/password");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.challenge(request, response, ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), null);
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/app/login?expired=privileged");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
		assertThat(response.getHeader("WWW-Authenticate")).isNull();
		assertThat(response.getContentAsString()).isEmpty();
	}

	@Test
	void challengeWhenBrowserNavigationWithLoginUrlThenRedirectsThereWithinContext() throws Exception {
		MockHttpServletRequest request = browser("/account");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.challenge(request, response, ExpiryReason.REAUTHENTICATION, Duration.ofHours(8),
				"/oauth2/authorization/idp");
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/app/oauth2/authorization/idp");
		assertThat(response.getHeader("WWW-Authenticate")).isNull();
	}

	@Test
	void challengeWhenBrowserNavigationWithAbsoluteLoginUrlThenRedirectsThereUnchanged() throws Exception {
		MockHttpServletRequest request = browser("/account");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.challenge(request, response, ExpiryReason.PRIVILEGED, Duration.ZERO,
				"https://id.example.com/login");
		assertThat(response.getRedirectedUrl()).isEqualTo("https://id.example.com/login");
	}

	@Test
	void challengeWhenApiCallThenProblemWithReasonAndStepUpChallenge() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/transfers");
		request.addHeader("Accept", "application/json");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.challenge(request, response, ExpiryReason.PRIVILEGED, Duration.ofMinutes(5),
				"/oauth2/authorization/idp");
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getRedirectedUrl()).isNull();
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("WWW-Authenticate"))
			.isEqualTo("Bearer error=\"insufficient_user_authentication\","
					+ " error_description=\"This operation requires a more recent authentication.\", max_age=300");
		assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unauthorized\","
				+ "\"status\":401,\"detail\":\"This operation requires a more recent authentication.\","
				+ "\"instance\":\"/api/transfers\",\"reason\":\"privileged\"}");
	}

	@Test
	void challengeWhenApiCallForReauthenticationThenItsDetailAndMaxAge() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders");
		request.addHeader("Sec-Fetch-Mode", "cors");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.responder.challenge(request, response, ExpiryReason.REAUTHENTICATION, Duration.ofHours(8), null);
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate"))
			.isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description=\"The authentication"
					+ " is too old; authenticate again to continue.\", max_age=28800");
		assertThat(response.getContentAsString()).contains("\"reason\":\"reauthentication\"",
				"\"detail\":\"The authentication is too old; authenticate again to continue.\"");
	}

	@Test
	void wwwAuthenticateWhenMaxAgeZeroThenZero() {
		assertThat(SessionTimeoutResponder.wwwAuthenticate(ExpiryReason.PRIVILEGED, Duration.ZERO))
			.endsWith(", max_age=0");
	}

	@Test
	void wwwAuthenticateWhenAcrValuesThenNamesThemSpaceSeparatedBeforeTheMaxAge() {
		assertThat(SessionTimeoutResponder.wwwAuthenticate(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5),
				List.of("urn:example:mfa", "phr")))
			.isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description=\"This operation"
					+ " requires a more recent authentication.\", acr_values=\"urn:example:mfa phr\", max_age=300");
		assertThat(SessionTimeoutResponder.wwwAuthenticate(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), List.of()))
			.isEqualTo(SessionTimeoutResponder.wwwAuthenticate(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5)))
			.doesNotContain("acr_values");
	}

	@Test
	void wwwAuthenticateWhenMaxAgeHasFractionOfSecondThenWholeSeconds() {
		assertThat(SessionTimeoutResponder.wwwAuthenticate(ExpiryReason.PRIVILEGED, Duration.ofMillis(90_500)))
			.endsWith(", max_age=90");
	}

	private static MockHttpServletRequest browser(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app" + path);
		request.setContextPath("/app");
		request.addHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
		return request;
	}

	@Test
	void isBrowserNavigationWhenFetchModeIsNotNavigateThenFalseEvenIfHtmlAccepted() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/page");
		request.addHeader("Sec-Fetch-Mode", "cors");
		request.addHeader("Accept", "text/html");
		assertThat(this.responder.isBrowserNavigation(request)).isFalse();
	}

	@Test
	void isBrowserNavigationWhenXmlHttpRequestThenFalse() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/page");
		request.addHeader("X-Requested-With", "XMLHttpRequest");
		request.addHeader("Accept", "text/html");
		assertThat(this.responder.isBrowserNavigation(request)).isFalse();
	}

	@Test
	void isBrowserNavigationWhenOnlyWildcardAcceptedThenFalse() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/page");
		request.addHeader("Accept", "*/*");
		assertThat(this.responder.isBrowserNavigation(request)).isFalse();
	}

	@Test
	void isBrowserNavigationWhenAcceptIsMalformedThenFalse() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/page");
		request.addHeader("Accept", "text/html;q=");
		assertThat(this.responder.isBrowserNavigation(request)).isFalse();
	}

}
