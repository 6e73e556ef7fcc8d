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

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestTokens;

/**
 * What the servlet applications of the bearer-token tests share: a shiftable
 * {@code sessionTimeoutClock}, a decoder of {@link TestTokens}' tokens, a privileged
 * {@link Exporter}, and {@code GET /api/export} (privileged) and {@code GET /api/me}.
 */
@Configuration(proxyBeanMethods = false)
class BearerTokenTestApi {

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	@Bean
	JwtDecoder jwtDecoder() {
		return NimbusJwtDecoder.withPublicKey(TestTokens.publicKey()).build();
	}

	@Bean
	Exporter exporter() {
		return new Exporter();
	}

	@RestController
	static class Api {

		private final Exporter exporter;

		Api(Exporter exporter) {
			this.exporter = exporter;
		}

		@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> export(Authentication authentication) {
			return Map.of("name", authentication.getName(), "result", this.exporter.export());
		}

		@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> me(Authentication authentication) {
			return Map.of("name", authentication.getName());
		}

	}

	/**
	 * Privileged operations of method security.
	 */
	static class Exporter {

		@RequiresPrivilegedSession
		public String export() {
			return "exported";
		}

		@RequiresPrivilegedSession(maxAge = "0")
		public String exportEveryTime() {
			return "exported";
		}

		@Async
		@RequiresPrivilegedSession
		public CompletableFuture<String> exportLater() {
			return CompletableFuture.completedFuture("exported on " + Thread.currentThread().getName());
		}

	}

}
