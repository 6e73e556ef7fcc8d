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

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The Redis operations of Spring Session's Redis repositories, default and indexed, for
 * what the starter keeps next to their sessions.
 *
 * @author session-timeout
 */
final class SpringSessionRedis {

	private static final String SPRING_SESSION_REDIS = "org.springframework.session.data.redis.";

	/**
	 * Spring Session's Redis repositories, default and indexed, servlet and reactive.
	 */
	private static final Set<String> REPOSITORIES = Set.of(SPRING_SESSION_REDIS + "RedisSessionRepository",
			SPRING_SESSION_REDIS + "RedisIndexedSessionRepository",
			SPRING_SESSION_REDIS + "ReactiveRedisSessionRepository",
			SPRING_SESSION_REDIS + "ReactiveRedisIndexedSessionRepository");

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
	 * The property that sets the key namespace of Spring Session's Redis repositories.
	 */
	private static final String NAMESPACE_PROPERTY = "spring.session.data.redis.namespace";

	/**
	 * The namespace of Spring Session's Redis repositories where none is set.
	 */
	private static final String DEFAULT_NAMESPACE = "spring:session";

	/**
	 * Return the key namespace that the starter's own records in Redis (its index of a
	 * user's sessions, the records of ended sessions) are kept under: that of
	 * {@code spring.session.data.redis.namespace}, else Spring Session's default, also
	 * where the application set another one on the repository itself. Earlier versions
	 * stored them there; moving them to the repository's namespace would strand the
	 * records stored before an upgrade. What the starter keeps in the repository's own
	 * keys (the grant's claim, the indexed repository's index) uses
	 * {@link #namespaceOf(Object, Environment)}.
	 * @param environment the environment
	 * @return the namespace, without a trailing {@code :}
	 */
	static String recordsNamespace(Environment environment) {
		return environment.getProperty(NAMESPACE_PROPERTY, DEFAULT_NAMESPACE);
	}

	/**
	 * Return the key namespace that one of Spring Session's Redis repositories keeps its
	 * sessions under, as {@link #namespaceOf(Object, String)} reads it, falling back to
	 * {@code spring.session.data.redis.namespace}, else Spring Session's default.
	 * @param repository the application's session repository
	 * @param environment the environment
	 * @return the namespace, without its trailing {@code :}
	 */
	static String namespaceOf(@Nullable Object repository, Environment environment) {
		return namespaceOf(repository, recordsNamespace(environment));
	}

	/**
	 * Return the key namespace that one of Spring Session's Redis repositories (default
	 * or indexed, servlet or reactive) keeps its sessions under, as set on the repository
	 * itself: by Spring Boot from {@code spring.session.data.redis.namespace}, or by the
	 * application ({@code @EnableRedisHttpSession(redisNamespace = ...)}, a
	 * {@code SessionRepositoryCustomizer}). Spring Session has no getter for it, so the
	 * field that its {@code setRedisKeyNamespace} writes is read
	 * ({@link SpringSessionFields}: a WARN where it is missing).
	 * @param repository the application's session repository
	 * @param fallback the namespace to answer where the repository's cannot be read
	 * @return the namespace, without its trailing {@code :}
	 */
	static String namespaceOf(@Nullable Object repository, String fallback) {
		if (!isSpringSessionRedis(repository)) {
			return fallback;
		}
		String namespace = SpringSessionFields.read(repository, "key namespace", "namespace " + fallback,
				"keyNamespace", "namespace");
		return (namespace != null && namespace.length() > 1 && namespace.endsWith(":"))
				? namespace.substring(0, namespace.length() - 1) : fallback;
	}

	/**
	 * Return whether an object is one of Spring Session's Redis repositories, told by
	 * name: the reactive ones need Reactor, which a servlet application may not have.
	 */
	private static boolean isSpringSessionRedis(@Nullable Object repository) {
		for (Class<?> type = (repository != null) ? repository.getClass() : null; type != null; type = type
			.getSuperclass()) {
			if (REPOSITORIES.contains(type.getName())) {
				return true;
			}
		}
		return false;
	}

}
