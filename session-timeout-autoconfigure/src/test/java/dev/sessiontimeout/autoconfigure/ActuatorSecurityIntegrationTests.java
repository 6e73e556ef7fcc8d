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
package dev.sessiontimeout.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.testsupport.ReadmeSnippets;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's security configuration for the operations endpoint, compiled from the
 * README: an operator lists and revokes a user's sessions with basic authentication while
 * the application keeps CSRF protection and its form login, on Spring Session JDBC (H2).
 */
@SpringBootTest(classes = ActuatorSecurityIntegrationTests.OperatedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:session-timeout-actuator;DB_CLOSE_DELAY=-1",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"management.endpoints.web.exposure.include=sessiontimeouts" })
class ActuatorSecurityIntegrationTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	private static final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void anOperatorListsAndRevokesAUsersSessionsWithBasicAuthentication() throws Exception {
		TestBrowser alice = new TestBrowser(this.port);
		Response loginPage = alice.get("/login", TestBrowser.HTML);
		Matcher csrf = CSRF.matcher(loginPage.body());
		assertThat(csrf.find()).as("%s", loginPage).isTrue();
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "alice");
		form.put("password", "password");
		form.put("_csrf", csrf.group(1));
		assertThat(alice.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		assertThat(alice.get("/api/me", TestBrowser.JSON).status()).isEqualTo(200);

		HttpResponse<String> list = send("GET", "operator", "/actuator/sessiontimeouts/alice");
		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).contains("\"username\":\"alice\"", "\"policy\":\"default\"");
		HttpResponse<String> revocation = send("DELETE", "operator", "/actuator/sessiontimeouts/alice");
		assertThat(revocation.statusCode()).as(revocation.body()).isEqualTo(200);
		assertThat(revocation.headers().firstValue("Set-Cookie")).as("stateless").isEmpty();

		Response revoked = alice.get("/api/me", TestBrowser.JSON);
		assertThat(revoked.status()).isEqualTo(401);
		assertThat(revoked.body()).contains("\"reason\":\"revoked\"");
	}

	@Test
	void aUserWhoIsNoOperatorCannotRevokeSessions() throws Exception {
		assertThat(send("DELETE", "alice", "/actuator/sessiontimeouts/alice").statusCode()).isEqualTo(403);
		HttpResponse<String> anonymous = send("DELETE", null, "/actuator/sessiontimeouts/alice");
		assertThat(anonymous.statusCode()).as("%s %s", anonymous.headers(), anonymous.body()).isEqualTo(401);
	}

	@Test
	void theApplicationKeepsItsCsrfProtection() throws Exception {
		HttpResponse<String> logout = send("POST", "alice", "/logout");
		assertThat(logout.statusCode()).as("no CSRF token: %s", logout.headers()).isEqualTo(403);
	}

	private HttpResponse<String> send(String method, String user, String path) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":password").getBytes(StandardCharsets.UTF_8)));
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReadmeActuatorSecurity.class)
	static class OperatedApplication {

		@Bean
		@Order(2)
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("operator").password("{noop}password").roles("OPERATOR").build());
		}

		@RestController
		static class Api {

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> me(Authentication authentication) {
				return Map.of("name", authentication.getName());
			}

		}

	}

	/**
	 * Registers the README's {@code ActuatorSecurityConfiguration}, compiled from the
	 * README itself.
	 */
	static class ReadmeActuatorSecurity implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			registry.registerBeanDefinition("actuatorSecurityConfiguration", new RootBeanDefinition(
					ReadmeSnippets.compiled().load("com.example.demo.ActuatorSecurityConfiguration")));
		}

	}

}
