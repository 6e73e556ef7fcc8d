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
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.UrlHandlerFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code session-timeout.privileged.paths} in an application that lets Spring Framework's
 * {@link UrlHandlerFilter} strip a trailing slash ahead of Spring Security, as its
 * documentation advises: the privileged path is the one the application serves, with or
 * without the slash. Spring Session's map store, privileged age 15m.
 */
@SpringBootTest(classes = PrivilegedPathNormalizationIntegrationTests.NormalizingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/api/transfer" })
class PrivilegedPathNormalizationIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	private static final Duration PRIVILEGED = Duration.ofMinutes(15);

	@Test
	void aPrivilegedPathAskedWithATrailingSlashThatTheApplicationStripsIsChallenged() {
		assertThat(this.browser.login("user", "password").location()).doesNotContain("error");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/api/transfer", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/transfer/", TestBrowser.JSON));
	}

	private static void assertChallenged(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class NormalizingApplication {

		@Bean
		FilterRegistrationBean<UrlHandlerFilter> trailingSlashFilter() {
			FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
					UrlHandlerFilter.trailingSlashHandler("/api/**").wrapRequest().build());
			// Ahead of Spring Security's filter chain
			registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
			return registration;
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/session/status")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@RestController
		static class TransferController {

			@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> transfer() {
				return Map.of("result", "transferred");
			}

		}

	}

}
