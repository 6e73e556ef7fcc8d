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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.sessiontimeout.test.AutoConfigureSessionTimeoutClock;
import dev.sessiontimeout.test.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's bearer-token API over real HTTP: the stateless {@code /api/v1/} chain
 * accepts tokens signed with the sample's key without cookies or CSRF, and the privileged
 * transfer answers the RFC 9470 challenge once the token's {@code auth_time} is older
 * than the privileged age (10m), moving the starter's clock by hand.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SampleBearerTokenApiTests {

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(10);

	private static final String JSON = "application/json";

	private static final String TRANSFER = "{\"to\":\"bob\",\"amount\":25}";

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	KeyPair accessTokenKeys;

	@BeforeEach
	void fixTheClock() {
		this.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
	}

	@Test
	void tokensSignedWithTheSamplesKeyAreDecidedByTheirAuthTime() throws Exception {
		Instant now = this.clock.instant();
		String fresh = sign(this.accessTokenKeys, now.minus(PRIVILEGED_AGE).plusSeconds(1));
		assertThat(api("POST", "/api/v1/transfers", fresh, TRANSFER).statusCode()).isEqualTo(200);
		String old = sign(this.accessTokenKeys, now.minus(PRIVILEGED_AGE));
		assertPrivilegedChallenge(api("POST", "/api/v1/transfers", old, TRANSFER), PRIVILEGED_AGE);
	}

	@Test
	void aTokenWithoutAuthTimeIsNeverPrivileged() throws Exception {
		String token = sign(this.accessTokenKeys, null);
		HttpResponse<String> me = api("GET", "/api/v1/me", token, null);
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"sub\":\"user\"", "\"auth_time\":null", "\"ageSeconds\":null");
		assertPrivilegedChallenge(api("POST", "/api/v1/transfers", token, TRANSFER), PRIVILEGED_AGE);
	}

	@Test
	void aTokenSignedByAnotherKeyOrNoTokenIsRefusedAsUnauthenticated() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		String forged = sign(generator.generateKeyPair(), this.clock.instant());
		for (String path : List.of("/api/v1/me", "/api/v1/transfers")) {
			HttpResponse<String> refused = api(path.endsWith("me") ? "GET" : "POST", path, forged, TRANSFER);
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(refused.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
		}
		HttpResponse<String> anonymous = api("GET", "/api/v1/me", null, null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(
				"Bearer resource_metadata=\"http://localhost:" + this.port + "/.well-known/oauth-protected-resource\"");
		HttpResponse<String> metadata = api("GET", "/.well-known/oauth-protected-resource", null, null);
		assertThat(metadata.statusCode()).isEqualTo(200);
		assertThat(metadata.body()).contains("\"resource\":\"http://localhost:" + this.port + "\"",
				"\"resource_name\":\"session-timeout sample API\"",
				"\"tls_client_certificate_bound_access_tokens\":false");
	}

	private void assertPrivilegedChallenge(HttpResponse<String> response, Duration maxAge) {
		assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer error=\"insufficient_user_authentication\","
					+ " error_description=\"This operation requires a more recent authentication.\", max_age="
					+ maxAge.toSeconds());
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"reason\":\"privileged\"");
	}

	private String sign(KeyPair keys, @Nullable Instant authTime) {
		Instant now = this.clock.instant();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.subject("user")
			.issuedAt(now)
			.expiresAt(now.plus(AccessTokens.LIFETIME))
			.claim(AccessTokens.ROLES, List.of("USER"));
		if (authTime != null) {
			claims.claim(AccessTokens.AUTH_TIME, authTime.getEpochSecond());
		}
		return NimbusJwtEncoder.withKeyPair((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate())
			.build()
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims.build()))
			.getTokenValue();
	}

	/**
	 * Call the API as a script would: no cookies.
	 */
	private HttpResponse<String> api(String method, String path, @Nullable String token, @Nullable String json)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", JSON);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (method.equals("POST")) {
			request.header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(String.valueOf(json)));
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
