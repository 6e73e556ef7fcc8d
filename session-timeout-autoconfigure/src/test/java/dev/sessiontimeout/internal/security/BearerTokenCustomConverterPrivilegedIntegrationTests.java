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
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;
import dev.sessiontimeout.testsupport.TestTokens;
import dev.sessiontimeout.testsupport.TokenAuthentication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resource server whose own JWT authentication converter turns the token into an
 * authentication of its own type (one whose principal is the {@link Jwt}, or, nested, a
 * {@link UsernamePasswordAuthenticationToken} of the application's user), keeping the
 * authorities of Spring Security's {@link JwtAuthenticationConverter},
 * {@code FACTOR_BEARER} among them. It is still a bearer token: the authentication time
 * is the token's {@code auth_time}, never the time the {@code FACTOR_BEARER} factor was
 * issued (the request's own time), and a token whose {@code auth_time} cannot be read is
 * never privileged.
 */
@SpringBootTest(classes = BearerTokenCustomConverterPrivilegedIntegrationTests.ResourceServerApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfers" })
class BearerTokenCustomConverterPrivilegedIntegrationTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant now;

	@BeforeEach
	void fixTheClock() {
		this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.fixAt(this.now);
	}

	@Test
	void aConvertedTokenWithoutAuthTimeIsNeverPrivileged() {
		assertThat(call("/api/me", token(null)).status()).isEqualTo(200);
		assertChallenged(call("/api/export", token(null)));
		assertChallenged(call("/api/transfers", token(null)));
	}

	@Test
	void aConvertedTokenWhoseAuthTimeIsTooOldIsChallenged() {
		assertChallenged(call("/api/export", token(this.now.minus(PRIVILEGED_AGE))));
		assertChallenged(call("/api/transfers", token(this.now.minus(Duration.ofDays(30)))));
	}

	@Test
	void aConvertedTokenWhoseUserAuthenticatedRecentlyIsPrivileged() {
		Response export = call("/api/export", token(this.now.minusSeconds(60)));
		assertThat(export.status()).as("%s", export).isEqualTo(200);
		assertThat(export.body()).contains("alice");
		assertThat(call("/api/transfers", token(this.now.minusSeconds(60))).status()).isEqualTo(200);
	}

	@Nested
	@TestPropertySource(properties = "test.converter.keep-token=false")
	class WhenTheConverterKeepsNoTokenAttributes {

		@Test
		void noConvertedTokenIsPrivilegedForItsAuthenticationTimeIsUnknown() {
			Instant aMinuteAgo = BearerTokenCustomConverterPrivilegedIntegrationTests.this.now.minusSeconds(60);
			assertThat(call("/api/me", token(aMinuteAgo)).status()).isEqualTo(200);
			assertChallenged(call("/api/export", token(aMinuteAgo)));
			assertChallenged(call("/api/transfers", token(aMinuteAgo)));
			assertChallenged(call("/api/export", token(null)));
		}

	}

	private Response call(String path, String token) {
		return new TestBrowser(this.port).get(path, TestBrowser.JSON, "Authorization", "Bearer " + token);
	}

	private static String token(@Nullable Instant authTime) {
		return TestTokens.token(authTime, "read", null);
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).as("%s", response)
			.startsWith("Bearer error=\"insufficient_user_authentication\"")
			.endsWith("max_age=" + PRIVILEGED_AGE.toSeconds());
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BearerTokenTestApi.class)
	static class ResourceServerApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http,
				@Value("${test.converter.keep-token:true}") boolean keepToken) throws Exception {
			JwtAuthenticationConverter standard = new JwtAuthenticationConverter();
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			http.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter((token) -> {
				AbstractAuthenticationToken converted = standard.convert(token);
				return keepToken ? new TokenAuthentication(token, converted.getAuthorities())
						: UsernamePasswordAuthenticationToken.authenticated(new ApiUser(token.getSubject()), null,
								converted.getAuthorities());
			})));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@RestController
		static class Transfers {

			@GetMapping(path = "/api/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, Object> transfers(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

	/**
	 * The application's own user.
	 *
	 * @param name the name
	 */
	record ApiUser(String name) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
