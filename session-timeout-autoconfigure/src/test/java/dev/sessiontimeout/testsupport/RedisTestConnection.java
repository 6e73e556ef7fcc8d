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
package dev.sessiontimeout.testsupport;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * A connection to the test Redis ({@link RedisServers#get()}) outside any application: a
 * template with string keys and Java-serialized values, as Spring Session's default Redis
 * configuration has, for tests that drive the starter's Redis code directly.
 *
 * @author session-timeout
 */
public final class RedisTestConnection implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisTemplate<String, Object> template;

	/**
	 * Connect to the test Redis.
	 */
	public RedisTestConnection() {
		RedisServers.Endpoint endpoint = RedisServers.get();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.template = new RedisTemplate<>();
		this.template.setKeySerializer(RedisSerializer.string());
		this.template.setHashKeySerializer(RedisSerializer.string());
		this.template.setConnectionFactory(this.connectionFactory);
		this.template.afterPropertiesSet();
	}

	/**
	 * Return the template.
	 * @return the template
	 */
	public RedisTemplate<String, Object> template() {
		return this.template;
	}

	/**
	 * Return a reactive template on the same connection factory, with string keys and
	 * hash keys.
	 * @return the reactive template
	 */
	public ReactiveRedisTemplate<String, Object> reactiveTemplate() {
		return new ReactiveRedisTemplate<>(this.connectionFactory,
				RedisSerializationContext.<String, Object>newSerializationContext(RedisSerializer.java())
					.key(RedisSerializer.string())
					.hashKey(RedisSerializer.string())
					.build());
	}

	/**
	 * Delete every key that starts with the given prefix.
	 * @param prefix the prefix
	 */
	public void deleteKeys(String prefix) {
		this.template.delete(this.template.keys(prefix + "*"));
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
