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
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
 * The sample's bearer-token API over real HTTP: tokens minted from a signed-in session
 * carry the sign-in's {@code auth_time}, the stateless {@code /api/v1/} chain accepts
 * them without cookies or CSRF, and the privileged transfer answers the RFC 9470
 * challenge once the sign-in is older than the privileged age (10m, 5m for
 * administrators), moving the starter's clock by hand.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSessionTimeoutClock
class SampleBearerTokenApiTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(10);

	private static final String HTML = "text/html";

	private static final String JSON = "application/json";

	private static final String TRANSFER = "{\"to\":\"bob\",\"amount\":25}";

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	KeyPair accessTokenKeys;

	private Instant start;

	private HttpClient browser;

	@BeforeEach
	void newBrowser() {
		this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.clock.set(this.start);
		this.browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Test
	void aTokenOfTheSessionTransfersUntilItsSignInIsThePrivilegedAgeOldThenIsChallenged() throws Exception {
		signIn("user");
		HttpResponse<String> minted = mint();
		assertThat(minted.statusCode()).isEqualTo(200);
		assertThat(minted.body()).contains("\"token_type\":\"Bearer\"", "\"expires_in\":900",
				"\"auth_time\":" + this.start.getEpochSecond());
		String token = accessToken(minted);
		this.clock.set(this.start.plus(PRIVILEGED_AGE).minusSeconds(1));
		HttpResponse<String> transfer = api("POST", "/api/v1/transfers", token, TRANSFER);
		assertThat(transfer.statusCode()).as("%s", transfer.body()).isEqualTo(200);
		assertThat(transfer.body()).contains("\"from\":\"user\"", "\"to\":\"bob\"", "\"amount\":25");
		assertThat(transfer.headers().allValues("Set-Cookie")).as("stateless").isEmpty();
		assertThat(api("GET", "/api/v1/me", token, null).body()).contains("\"sub\":\"user\"", "\"roles\":[\"USER\"]",
				"\"auth_time\":\"" + this.start + "\"", "\"ageSeconds\":599");
		this.clock.set(this.start.plus(PRIVILEGED_AGE));
		assertPrivilegedChallenge(api("POST", "/api/v1/transfers", token, TRANSFER), PRIVILEGED_AGE);
		HttpResponse<String> me = api("GET", "/api/v1/me", token, null);
		assertThat(me.statusCode()).as("not privileged").isEqualTo(200);
		assertThat(me.body()).contains("\"ageSeconds\":600");
	}

	@Test
	void expiresInIsTheLifetimeOfTheTokenWhichEndsWithItsSession() throws Exception {
		signIn("user");
		HttpResponse<String> minted = mint();
		assertThat(minted.statusCode()).isEqualTo(200);
		// The session's idle deadline (15m) comes before the token's own lifetime (30m)
		Instant expiresAt = this.start.plus(Duration.ofMinutes(15));
		assertThat(api("GET", "/api/v1/me", accessToken(minted), null).body())
			.contains("\"expiresAt\":\"" + expiresAt + "\"");
		assertThat(minted.body()).contains("\"expires_in\":" + Duration.ofMinutes(15).toSeconds() + ",");
	}

	@Test
	void aTokenEndsWhenTheUserOfItsSessionMustSignInAgain() throws Exception {
		signIn("admin");
		for (int minutes : new int[] { 9, 18, 25 }) {
			this.clock.set(this.start.plus(Duration.ofMinutes(minutes)));
			assertThat(get("/", HTML).statusCode()).as("the session is still valid").isEqualTo(200);
		}
		HttpResponse<String> minted = mint();
		assertThat(minted.statusCode()).isEqualTo(200);
		// The administrators' re-authentication (30m after the sign-in) comes before the
		// session's idle deadline (10m after this request) and the token's own lifetime
		Instant reauthenticateAt = this.start.plus(Duration.ofMinutes(30));
		assertThat(minted.body()).contains("\"expires_in\":" + Duration.ofMinutes(5).toSeconds() + ",");
		String token = accessToken(minted);
		assertThat(api("GET", "/api/v1/me", token, null).body()).contains("\"expiresAt\":\"" + reauthenticateAt + "\"");
		this.clock.set(reauthenticateAt);
		assertThat(get("/", HTML).statusCode()).as("the administrator must sign in again").isEqualTo(302);
		// Spring Security accepts a token at its exp itself
		this.clock.set(reauthenticateAt.plusSeconds(1));
		assertThat(api("GET", "/api/v1/me", token, null).statusCode()).as("and so does the token's script")
			.isEqualTo(401);
	}

	@Test
	void aStaleTokenSentWithSomeoneElsesFreshSessionCookieIsStillDecidedByItsOwnAuthTime() throws Exception {
		signIn("user");
		String token = accessToken(mint());
		this.clock.set(this.start.plus(PRIVILEGED_AGE));
		newBrowser();
		this.clock.set(this.start.plus(PRIVILEGED_AGE));
		signIn("admin");
		assertThat(get("/account/security/password", HTML).statusCode()).as("the admin's session is privileged")
			.isEqualTo(200);
		HttpRequest withTheCookie = HttpRequest.newBuilder(uri("/api/v1/transfers"))
			.header("Accept", JSON)
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", JSON)
			.POST(HttpRequest.BodyPublishers.ofString(TRANSFER))
			.build();
		assertPrivilegedChallenge(this.browser.send(withTheCookie, HttpResponse.BodyHandlers.ofString()),
				PRIVILEGED_AGE);
	}

	@Test
	void aTokenCarriesTheTimeOfTheSignInNotTheTimeItIsMinted() throws Exception {
		signIn("user");
		this.clock.set(this.start.plus(Duration.ofMinutes(12)));
		assertThat(get("/", HTML).statusCode()).as("the session is still valid").isEqualTo(200);
		String token = accessToken(mint());
		assertThat(api("GET", "/api/v1/me", token, null).body()).contains("\"auth_time\":\"" + this.start + "\"",
				"\"ageSeconds\":720");
		assertPrivilegedChallenge(api("POST", "/api/v1/transfers", token, TRANSFER), PRIVILEGED_AGE);
	}

	@Test
	void anAdministratorsTokenGetsTheAdministratorsPrivilegedAge() throws Exception {
		signIn("admin");
		String token = accessToken(mint());
		assertThat(api("GET", "/api/v1/me", token, null).body()).contains("\"roles\":[\"ADMIN\",\"USER\"]");
		this.clock.set(this.start.plus(Duration.ofMinutes(5)).minusSeconds(1));
		assertThat(api("POST", "/api/v1/transfers", token, TRANSFER).statusCode()).isEqualTo(200);
		this.clock.set(this.start.plus(Duration.ofMinutes(5)));
		assertPrivilegedChallenge(api("POST", "/api/v1/transfers", token, TRANSFER), Duration.ofMinutes(5));
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

	@Test
	void anExpiredTokenIsRefusedOnTheStartersClock() throws Exception {
		signIn("user");
		String token = accessToken(mint());
		this.clock.set(this.start.plus(AccessTokens.LIFETIME).plus(Duration.ofMinutes(2)));
		HttpResponse<String> expired = api("GET", "/api/v1/me", token, null);
		assertThat(expired.statusCode()).isEqualTo(401);
		assertThat(expired.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\"", "expired"));
	}

	@Test
	void mintingATokenNeedsASignedInSessionAndItsCsrfToken() throws Exception {
		String anonymousCsrf = csrf(get("/login", HTML));
		assertThat(post("/api/account/tokens", Map.of("_csrf", anonymousCsrf), JSON).statusCode()).isEqualTo(401);
		assertThat(location(get("/account/tokens", HTML))).endsWith("/login");
		signIn("user");
		assertThat(post("/api/account/tokens", Map.of(), JSON).statusCode()).as("no CSRF token").isEqualTo(403);
		assertThat(post("/account/tokens", Map.of(), HTML).statusCode()).as("no CSRF token").isEqualTo(403);
	}

	@Test
	void theTokensPageMintsATokenAndPrintsCurlCommandsThatWork() throws Exception {
		signIn("user");
		this.clock.set(this.start.plus(Duration.ofMinutes(3)));
		HttpResponse<String> page = get("/account/tokens", HTML);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<h1>API tokens</h1>", "You signed in 3 minutes ago",
				"older than 10 minutes are refused by privileged calls", "<button id=\"mint\">Get a token</button>",
				"<a href=\"/account/tokens\">API tokens</a>");
		HttpResponse<String> minted = post("/account/tokens", Map.of("_csrf", csrf(page)), HTML);
		assertThat(minted.statusCode()).isEqualTo(200);
		assertThat(minted.body()).contains(
				"<td id=\"auth-time\">" + this.start.getEpochSecond() + " (" + this.start + ")</td>",
				"<th>Age of the sign-in</th><td id=\"age\">3 minutes</td>",
				"<td id=\"privileged-until\">" + this.start.plus(PRIVILEGED_AGE) + " (in 7 minutes)</td>",
				"<td id=\"expires-at\">" + this.start.plus(Duration.ofMinutes(18)) + " (in 15 minutes)</td>");
		Matcher token = Pattern.compile("<pre id=\"token\">([^<]+)</pre>").matcher(minted.body());
		assertThat(token.find()).isTrue();
		String base = "http://localhost:" + this.port;
		assertThat(minted.body()).contains(
				"curl -s -H &#39;Authorization: Bearer " + token.group(1) + "&#39; " + base + "/api/v1/me",
				"curl -s -i -X POST -H &#39;Authorization: Bearer " + token.group(1)
						+ "&#39; -H &#39;Content-Type: application/json&#39; -d &#39;{&quot;to&quot;:&quot;bob&quot;,"
						+ "&quot;amount&quot;:25}&#39; " + base + "/api/v1/transfers");
		assertThat(api("POST", "/api/v1/transfers", token.group(1), TRANSFER).statusCode()).isEqualTo(200);
	}

	@Test
	void theSessionApiStillAnswersTheBrowserAndNotTheBearerToken() throws Exception {
		signIn("user");
		String token = accessToken(mint());
		assertThat(get("/api/account/export", JSON).statusCode()).isEqualTo(200);
		assertThat(api("GET", "/api/account/export", token, null).statusCode())
			.as("the session's chain takes no bearer token")
			.isEqualTo(401);
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

	private HttpResponse<String> mint() throws IOException, InterruptedException {
		return post("/api/account/tokens", Map.of("_csrf", csrf(get("/account/tokens", HTML))), JSON);
	}

	private static String accessToken(HttpResponse<String> minted) {
		Matcher token = ACCESS_TOKEN.matcher(minted.body());
		assertThat(token.find()).as("access_token in %s", minted.body()).isTrue();
		return token.group(1);
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

	private void signIn(String username) throws IOException, InterruptedException {
		String csrf = csrf(get("/login", HTML));
		HttpResponse<String> login = post("/login", Map.of("username", username, "password", "password", "_csrf", csrf),
				HTML);
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(location(login)).doesNotContain("error");
	}

	private static String csrf(HttpResponse<String> page) {
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("CSRF token in %s", page.body()).isTrue();
		return csrf.group(1);
	}

	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("(no Location in " + response + ")");
	}

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return this.browser.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, Map<String, String> form, String accept)
			throws IOException, InterruptedException {
		String body = form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return this.browser.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", accept)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
