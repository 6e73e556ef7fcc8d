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

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The bearer-token API under {@code /api/v1/}: a stateless resource-server chain of its
 * own, before the form-login one, that accepts JWT access tokens signed by an RSA key
 * that the sample generates at every start (so a restart invalidates every token). A
 * token's {@code roles} claim gives its authorities ({@code ROLE_ADMIN} chooses the
 * {@code administrators} policy), and its {@code auth_time} tells the starter when its
 * user signed in.
 *
 * @author session-timeout
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http) throws Exception {
		// With the resource's metadata (RFC 9728), which every 401 of the API points to
		http.securityMatcher("/api/v1/**", "/.well-known/oauth-protected-resource/**");
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		http.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(roles()))
			.protectedResourceMetadata((metadata) -> metadata
				.protectedResourceMetadataCustomizer((resource) -> resource.resourceName("session-timeout sample API")
					.tlsClientCertificateBoundAccessTokens(false))));
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		// No cookies, so no cross-site request forgery
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	private static JwtAuthenticationConverter roles() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName(AccessTokens.ROLES);
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		return converter;
	}

	/**
	 * The key pair that signs the sample's access tokens, new at every start.
	 * @return the key pair
	 * @throws NoSuchAlgorithmException never: every Java runtime has RSA
	 */
	@Bean
	KeyPair accessTokenKeys() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	@Bean
	JwtEncoder jwtEncoder(KeyPair accessTokenKeys) {
		return NimbusJwtEncoder
			.withKeyPair((RSAPublicKey) accessTokenKeys.getPublic(), (RSAPrivateKey) accessTokenKeys.getPrivate())
			.build();
	}

	/**
	 * Decodes the access tokens with the public key, and checks their {@code exp} on the
	 * starter's clock, the one that decides how old their {@code auth_time} is, and that
	 * minted them: without Spring Security's default minute of clock skew, so that a
	 * token ends when the session it was minted from would.
	 * @param accessTokenKeys the key pair
	 * @param clock the starter's clock, if the application has one
	 * @return the decoder
	 */
	@Bean
	JwtDecoder jwtDecoder(KeyPair accessTokenKeys, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
		timestamps.setClock(clock.getIfAvailable(Clock::systemUTC));
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) accessTokenKeys.getPublic()).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(timestamps)));
		return decoder;
	}

}
