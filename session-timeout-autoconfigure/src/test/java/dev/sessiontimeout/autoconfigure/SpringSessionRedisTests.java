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

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SpringSessionRedis}.
 *
 * @author session-timeout
 */
class SpringSessionRedisTests {

	@Test
	void namespaceOfWhenTheApplicationSetItOnTheRepositoryThenThatOne() {
		RedisSessionRepository plain = new RedisSessionRepository(new RedisTemplate<>());
		plain.setRedisKeyNamespace("app:plain");
		RedisIndexedSessionRepository indexed = new RedisIndexedSessionRepository(new RedisTemplate<>());
		indexed.setRedisKeyNamespace("app:indexed");
		assertThat(SpringSessionRedis.namespaceOf(plain, "spring:session")).isEqualTo("app:plain");
		assertThat(SpringSessionRedis.namespaceOf(indexed, "spring:session")).isEqualTo("app:indexed");
	}

	@Test
	@SuppressWarnings("unchecked")
	void namespaceOfWhenAReactiveRepositoryHasItThenThatOne() {
		ReactiveRedisSessionRepository plain = new ReactiveRedisSessionRepository(mock(ReactiveRedisOperations.class));
		plain.setRedisKeyNamespace("app:reactive");
		ReactiveRedisIndexedSessionRepository indexed = new ReactiveRedisIndexedSessionRepository(
				mock(ReactiveRedisOperations.class), mock(ReactiveRedisTemplate.class));
		indexed.setRedisKeyNamespace("app:reactive-indexed");
		assertThat(SpringSessionRedis.namespaceOf(plain, "spring:session")).isEqualTo("app:reactive");
		assertThat(SpringSessionRedis.namespaceOf(indexed, "spring:session")).isEqualTo("app:reactive-indexed");
	}

	@Test
	void namespaceOfWhenNoneIsSetThenSpringSessionsDefault() {
		assertThat(SpringSessionRedis.namespaceOf(new RedisSessionRepository(new RedisTemplate<>()), "other"))
			.isEqualTo("spring:session");
	}

	@Test
	void namespaceOfWhenAnotherRepositoryThenTheFallback() {
		assertThat(SpringSessionRedis.namespaceOf(new Object(), "spring:session")).isEqualTo("spring:session");
		assertThat(SpringSessionRedis.namespaceOf(null, "spring:session")).isEqualTo("spring:session");
	}

}
