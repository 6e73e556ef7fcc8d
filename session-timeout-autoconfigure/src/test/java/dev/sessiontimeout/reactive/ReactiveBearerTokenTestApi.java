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
package dev.sessiontimeout.reactive;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestTokens;

/**
 * What the WebFlux applications of the bearer-token tests share: a shiftable
 * {@code sessionTimeoutClock}, a decoder of {@link TestTokens}' tokens and a privileged
 * {@link Exporter}.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveBearerTokenTestApi {

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder() {
		return NimbusReactiveJwtDecoder.withPublicKey(TestTokens.publicKey()).build();
	}

	@Bean
	Exporter exporter() {
		return new Exporter();
	}

	/**
	 * A privileged operation of reactive method security.
	 */
	static class Exporter {

		@RequiresPrivilegedSession
		public Mono<String> export(String user) {
			return Mono.just("exported for " + user);
		}

	}

}
