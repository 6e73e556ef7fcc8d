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
package dev.sessiontimeout.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * JWT access tokens of {@code alice} for the bearer-token tests, signed by an RSA key
 * generated once per JVM; issued now and valid for five minutes on the real clock, which
 * resource servers validate them against.
 */
public final class TestTokens {

	private static final KeyPair KEYS = keys();

	private TestTokens() {
	}

	/**
	 * Return the public key that verifies the tokens.
	 * @return the key
	 */
	public static RSAPublicKey publicKey() {
		return (RSAPublicKey) KEYS.getPublic();
	}

	/**
	 * Return a token.
	 * @param authTime its {@code auth_time}, or {@code null} for none
	 * @param scope its scope
	 * @param acr its {@code acr}, or {@code null} for none
	 * @return the serialized token
	 */
	public static String token(@Nullable Instant authTime, String scope, @Nullable String acr) {
		Instant issuedAt = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice")
			.claim("scope", scope)
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(issuedAt.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString());
		if (authTime != null) {
			claims.claim("auth_time", authTime.getEpochSecond());
		}
		if (acr != null) {
			claims.claim("acr", acr);
		}
		return sign(claims.build());
	}

	/**
	 * Return a token whose {@code auth_time} claim is any value.
	 * @param authTime the claim's value
	 * @return the serialized token
	 */
	public static String tokenWithAuthTime(Object authTime) {
		Instant issuedAt = Instant.now();
		return sign(new JWTClaimsSet.Builder().subject("alice")
			.claim("scope", "read")
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(issuedAt.plusSeconds(300)))
			.claim("auth_time", authTime)
			.build());
	}

	private static String sign(JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		try {
			jwt.sign(new RSASSASigner(KEYS.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static KeyPair keys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
