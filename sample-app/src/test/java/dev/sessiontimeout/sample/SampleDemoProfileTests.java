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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sessiontimeout.SessionTimeoutPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code demo} profile starts (its short clocks keep the ordering rules, which fail
 * startup otherwise) and has the clocks the README promises.
 */
class SampleDemoProfileTests {

	@Test
	void theDemoProfileStartsWithShortClocksForEveryPolicy() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("demo")
			.properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:sample-demo-profile;DB_CLOSE_DELAY=-1")
			.run()) {
			PolicyClocks clocks = context.getBean(PolicyClocks.class);
			assertThat(clocks.global()).isEqualTo(new SessionTimeoutPolicy("default", Duration.ofMinutes(5),
					Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(1)));
			assertThat(clocks.policies()).containsExactly(new SessionTimeoutPolicy("administrators",
					Duration.ofMinutes(4), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(30)));
			assertThat(context.getEnvironment().getProperty("session-timeout.store-grace")).isEqualTo("30s");
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> login = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(login.statusCode()).isEqualTo(200);
			assertThat(login.body()).contains("<h1>Sign in</h1>");
		}
	}

}
