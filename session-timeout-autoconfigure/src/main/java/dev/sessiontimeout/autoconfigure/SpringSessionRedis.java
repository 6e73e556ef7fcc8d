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

import java.lang.reflect.Field;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.util.ReflectionUtils;

/**
 * The Redis operations of Spring Session's Redis repositories, default and indexed, for
 * what the starter keeps next to their sessions.
 *
 * @author session-timeout
 */
final class SpringSessionRedis {

	private static final String SPRING_SESSION_REDIS = "org.springframework.session.data.redis.";

	private SpringSessionRedis() {
	}

	/**
	 * Return the Redis operations of a session repository.
	 * @param repository the application's session repository
	 * @return its operations, or {@code null} if it is none of Spring Session's Redis
	 * repositories
	 */
	static @Nullable RedisOperations<String, Object> operationsOf(@Nullable Object repository) {
		if (repository instanceof RedisSessionRepository redis) {
			return redis.getSessionRedisOperations();
		}
		if (repository instanceof RedisIndexedSessionRepository redis) {
			return redis.getSessionRedisOperations();
		}
		return null;
	}

	/**
	 * Return the key namespace that one of Spring Session's Redis repositories (default
	 * or indexed, servlet or reactive) keeps its sessions under, as set on the repository
	 * itself: by Spring Boot from {@code spring.session.data.redis.namespace}, or by the
	 * application ({@code @EnableRedisHttpSession(redisNamespace = ...)}, a
	 * {@code SessionRepositoryCustomizer}). Spring Session has no getter for it, so the
	 * field that its {@code setRedisKeyNamespace} writes is read.
	 * @param repository the application's session repository
	 * @param fallback the namespace to answer where the repository's cannot be read
	 * @return the namespace, without its trailing {@code :}
	 */
	static String namespaceOf(@Nullable Object repository, String fallback) {
		if (repository == null) {
			return fallback;
		}
		for (String name : new String[] { "keyNamespace", "namespace" }) {
			Field field = ReflectionUtils.findField(repository.getClass(), name, String.class);
			if (field != null && field.getDeclaringClass().getName().startsWith(SPRING_SESSION_REDIS)) {
				ReflectionUtils.makeAccessible(field);
				if (ReflectionUtils.getField(field, repository) instanceof String namespace && namespace.length() > 1
						&& namespace.endsWith(":")) {
					return namespace.substring(0, namespace.length() - 1);
				}
			}
		}
		return fallback;
	}

}
