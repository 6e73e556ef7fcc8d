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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionRequest}.
 *
 * @author session-timeout
 */
class SessionRequestTests {

	@Test
	void carriesBearerTokenWhenAuthorizationIsOfTheBearerSchemeInAnyCaseThenTrue() {
		assertThat(SessionRequest.carriesBearerToken("Bearer abc", null)).isTrue();
		assertThat(SessionRequest.carriesBearerToken("bearer abc", "")).isTrue();
		assertThat(SessionRequest.carriesBearerToken("BEARER abc", "page=1")).isTrue();
	}

	@Test
	void carriesBearerTokenWhenAuthorizationIsOfAnotherSchemeAndNoAccessTokenThenFalse() {
		assertThat(SessionRequest.carriesBearerToken(null, null)).isFalse();
		assertThat(SessionRequest.carriesBearerToken("Basic dXNlcjpwYXNzd29yZA==", "page=1")).isFalse();
		assertThat(SessionRequest.carriesBearerToken("Bearer", null)).as("no token after the scheme").isFalse();
		assertThat(SessionRequest.carriesBearerToken("Bearerabc", null)).isFalse();
	}

	@Test
	void carriesBearerTokenWhenTheQueryHasAnAccessTokenParameterThenTrue() {
		assertThat(SessionRequest.carriesBearerToken(null, "access_token=abc")).isTrue();
		assertThat(SessionRequest.carriesBearerToken(null, "page=1&access_token=abc")).isTrue();
		assertThat(SessionRequest.carriesBearerToken(null, "access_token")).isTrue();
		assertThat(SessionRequest.carriesBearerToken(null, "access_token=")).isTrue();
	}

	@Test
	void carriesBearerTokenWhenTheParameterNameIsPercentEncodedThenComparesItDecoded() {
		assertThat(SessionRequest.carriesBearerToken(null, "access%5Ftoken=abc")).isTrue();
		assertThat(SessionRequest.carriesBearerToken(null, "page=1&%61ccess_token=abc")).isTrue();
		assertThat(SessionRequest.carriesBearerToken(null, "access%5Ftokens=abc")).isFalse();
		assertThat(SessionRequest.carriesBearerToken(null, "access%zz_token=abc")).as("malformed, kept as sent")
			.isFalse();
	}

	@Test
	void carriesBearerTokenWhenOnlyAnotherParameterLooksLikeItThenFalse() {
		assertThat(SessionRequest.carriesBearerToken(null, "access_tokens=abc")).isFalse();
		assertThat(SessionRequest.carriesBearerToken(null, "my_access_token=abc")).isFalse();
		assertThat(SessionRequest.carriesBearerToken(null, "next=access_token")).isFalse();
	}

}
