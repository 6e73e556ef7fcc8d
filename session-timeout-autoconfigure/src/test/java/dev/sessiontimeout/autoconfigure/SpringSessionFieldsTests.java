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

import java.util.HashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringSessionFields} and its readers,
 * {@link SpringSessionRedis#namespaceOf} and {@link JdbcPrivilegeGrants#tableNameOf}.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringSessionFieldsTests {

	private static final String WARNING = "Cannot read the ";

	@Test
	void readWhenTheRepositoryHasTheFieldThenItsValueWithoutAWarning(CapturedOutput output) {
		RedisSessionRepository repository = new RedisSessionRepository(new RedisTemplate<>());
		repository.setRedisKeyNamespace("app");
		assertThat(SpringSessionFields.read(repository, "key namespace", "namespace spring:session", "keyNamespace",
				"namespace"))
			.isEqualTo("app:");
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void readWhenTheRepositoryHasNoneOfTheFieldsThenNullAndAWarningOnce(CapturedOutput output) {
		Renamed repository = new Renamed();
		for (int i = 0; i < 2; i++) {
			assertThat(SpringSessionFields.read(repository, "session table name", "table SPRING_SESSION", "tableName"))
				.isNull();
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains(WARNING))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN", "session table name", Renamed.class.getName(),
					"tableName", "table SPRING_SESSION"));
	}

	@Test
	void readWhenAFieldOfTheNameIsNotSpringSessionsThenNullAndAWarning(CapturedOutput output) {
		assertThat(SpringSessionFields.read(new NotSpringSessions(), "session table name", "table SPRING_SESSION",
				"tableName"))
			.isNull();
		assertThat(output).contains(WARNING + "session table name of " + NotSpringSessions.class.getName());
	}

	@Test
	void namespaceOfWhenTheRepositoryIsNotOneOfSpringSessionsRedisRepositoriesThenTheFallbackWithoutAWarning(
			CapturedOutput output) {
		assertThat(SpringSessionRedis.namespaceOf(new MapSessionRepository(new HashMap<>()),
				new MockEnvironment().withProperty("spring.session.data.redis.namespace", "app")))
			.isEqualTo("app");
		assertThat(SpringSessionRedis.namespaceOf(null, new MockEnvironment())).isEqualTo("spring:session");
		assertThat(output).doesNotContain(WARNING);
	}

	/**
	 * A repository whose field has another name, as a version of Spring Session that
	 * renamed it would have.
	 */
	static class Renamed {

		String sessionTableName = "APP_SESSION";

	}

	/**
	 * A repository with a field of the name that is not Spring Session's.
	 */
	static class NotSpringSessions {

		String tableName = "APP_SESSION";

	}

}
