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
package dev.sessiontimeout.internal.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The session cookie's attributes on container sessions (embedded Tomcat, no Spring
 * Session): Spring Boot gives {@code SameSite} to Tomcat's cookie processor, not to the
 * session cookie configuration.
 */
@SpringBootTest(classes = ContainerSessionCookieAttributesIntegrationTests.ContainerCookieApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(
		properties = { "spring.autoconfigure.exclude="
				+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
				+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
				+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
				+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" },
		locations = "classpath:session-cookie-attributes.properties")
class ContainerSessionCookieAttributesIntegrationTests extends AbstractSessionCookieAttributesIntegrationTests {

	@Override
	String cookieName() {
		return "JSESSIONID";
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CookieApplication.class)
	static class ContainerCookieApplication {

	}

}
