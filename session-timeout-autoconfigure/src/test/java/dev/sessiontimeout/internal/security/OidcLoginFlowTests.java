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
package dev.sessiontimeout.internal.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OidcLoginFlow}.
 */
class OidcLoginFlowTests {

	@Test
	void theAuthorizationRequestAndTheCallbackAreStepsOfTheLogin() {
		OidcLoginFlow flow = new OidcLoginFlow();
		assertThat(flow.isLoginRequest(request("/oauth2/authorization/idp"))).isTrue();
		assertThat(flow.isLoginRequest(request("/login/oauth2/code/idp"))).isTrue();
		assertThat(flow.isLoginRequest(request("/oauth2/authorization"))).isFalse();
		assertThat(flow.isLoginRequest(request("/home"))).isFalse();
	}

	@Test
	void customBaseUriAndCallbackAreStepsOfTheLogin() {
		OidcLoginFlow flow = new OidcLoginFlow("/sso/start", "/sso/callback/*");
		assertThat(flow.isLoginRequest(request("/sso/start/idp"))).isTrue();
		assertThat(flow.isLoginRequest(request("/sso/callback/idp"))).isTrue();
		assertThat(flow.isLoginRequest(request("/oauth2/authorization/idp"))).isFalse();
	}

	@Test
	void aStepOfTheLoginNeedsNoAuthenticationWhateverTheAccessRulesSay() {
		WebInvocationPrivilegeEvaluator denyAll = new WebInvocationPrivilegeEvaluator() {

			@Override
			public boolean isAllowed(String uri, Authentication authentication) {
				return false;
			}

			@Override
			public boolean isAllowed(String contextPath, String uri, String method, Authentication authentication) {
				return false;
			}

		};
		SecuritySessionAuthenticationSupport support = new SecuritySessionAuthenticationSupport(() -> denyAll,
				new HttpSessionRequestCache(), List.of(new OidcLoginFlow()), () -> null,
				new AuthenticationPolicies(SessionTimeoutSettings.builder().build(), List.of()));
		assertThat(support.requiresAuthentication(request("/oauth2/authorization/idp"))).isFalse();
		assertThat(support.requiresAuthentication(request("/login/oauth2/code/idp"))).isFalse();
		assertThat(support.requiresAuthentication(request("/home"))).isTrue();
	}

	private static MockHttpServletRequest request(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app" + path);
		request.setContextPath("/app");
		return request;
	}

}
