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

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for an application that is its own OpenID Connect provider (Spring Authorization
 * Server beside its form login) and whose sessions the starter keeps: the authorization
 * endpoint answers from the session's signed-in user, so a session whose user must
 * authenticate again gets no authorization code from it, but the challenge. It holds
 * because Spring Security 7 runs the endpoint's filter after its authorization, where the
 * starter answers the challenge first: a filter that answered from the session's user
 * before the authorization would issue the code.
 *
 * @author session-timeout
 */
class AuthorizationServerReauthenticationIntegrationTests {

	private static final String AUTHORIZE = "/oauth2/authorize?response_type=code&client_id=relying-party"
			+ "&scope=openid&state=some-state&nonce=some-nonce&code_challenge_method=S256"
			+ "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
			+ "&redirect_uri=http%3A%2F%2F127.0.0.1%2Flogin%2Foauth2%2Fcode%2Fidp";

	private static final MutableClock clock = new MutableClock();

	private static ConfigurableApplicationContext provider;

	private TestBrowser browser;

	@BeforeAll
	static void startTheProvider() {
		provider = new SpringApplicationBuilder(OidcStepUpIntegrationTests.ProviderApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("sessionTimeoutClock", clock))
			.properties("server.port=0", "session-timeout.absolute=2h", "session-timeout.idle=10m",
					"session-timeout.reauthentication=15m", "session-timeout.privileged.max-age=15m",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
							+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
							+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
			.run();
	}

	@AfterAll
	static void stopTheProvider() {
		if (provider != null) {
			provider.close();
		}
	}

	@BeforeEach
	void signIn() {
		clock.fixAt(Instant.now());
		this.browser = new TestBrowser(OidcStepUpIntegrationTests.port(provider));
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	/**
	 * Let time pass with a request half-way, so that the idle clock does not end the
	 * session.
	 */
	private void activeFor(Duration duration) {
		clock.shift(duration.dividedBy(2));
		assertThat(this.browser.get("/", TestBrowser.HTML).status()).isEqualTo(404);
		clock.shift(duration.dividedBy(2));
	}

	@Test
	void beforeTheReauthenticationIsDueTheAuthorizationEndpointIssuesACode() {
		activeFor(Duration.ofMinutes(14));
		TestBrowser.Response authorized = this.browser.get(AUTHORIZE, TestBrowser.HTML);
		assertThat(authorized.status()).isEqualTo(302);
		assertThat(authorized.location()).startsWith("http://127.0.0.1/login/oauth2/code/idp?code=");
	}

	@Test
	void onceTheReauthenticationIsDueTheAuthorizationEndpointIssuesNoCodeAndTheUserMustSignInAgain() {
		activeFor(Duration.ofMinutes(16));
		TestBrowser.Response authorized = this.browser.get(AUTHORIZE, TestBrowser.HTML);
		assertThat(authorized.location()).as("%s", authorized).doesNotContain("code=");
		assertThat(authorized.status()).isEqualTo(302);
		assertThat(authorized.location()).endsWith("/login?expired=reauthentication");
	}

}
