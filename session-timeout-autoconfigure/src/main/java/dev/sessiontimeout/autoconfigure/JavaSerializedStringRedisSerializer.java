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

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.config.annotation.web.http.AbstractRedisHttpSessionConfiguration;

/**
 * Spring Session's default {@link JdkSerializationRedisSerializer} for session
 * attributes, reading a Java-serialized string of {@link JavaSerializedStrings} without
 * an {@code ObjectInputStream}; everything else, and every write, is the delegate's.
 *
 * @author session-timeout
 */
final class JavaSerializedStringRedisSerializer implements RedisSerializer<Object> {

	private final RedisSerializer<Object> delegate;

	private JavaSerializedStringRedisSerializer(RedisSerializer<Object> delegate) {
		this.delegate = delegate;
	}

	/**
	 * Make the given operations of a Spring Session Redis repository read strings
	 * directly where their serializer of hash values (the session's attributes) is the
	 * {@link JdkSerializationRedisSerializer} that their template made for itself: the
	 * application gives Spring Session no {@code springSessionDefaultRedisSerializer},
	 * and nothing gave the template a serializer of hash values of its own. Operations
	 * with any other serializer are left as they are.
	 * @param operations the repository's operations
	 * @param beanFactory the bean factory of Spring Session's configuration
	 */
	static void install(RedisOperations<?, ?> operations, ConfigurableListableBeanFactory beanFactory) {
		if (operations instanceof RedisTemplate<?, ?> template
				&& template.getHashValueSerializer() instanceof JdkSerializationRedisSerializer serializer
				&& serializer.getClass() == JdkSerializationRedisSerializer.class
				&& serializer == template.getDefaultSerializer()
				&& !JavaSerializedStrings.isGiven(beanFactory, AbstractRedisHttpSessionConfiguration.class,
						"setDefaultRedisSerializer", RedisSerializer.class)) {
			template.setHashValueSerializer(new JavaSerializedStringRedisSerializer(serializer));
		}
	}

	@Override
	public byte @Nullable [] serialize(@Nullable Object value) {
		return this.delegate.serialize(value);
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		String string = JavaSerializedStrings.read(bytes);
		return (string != null) ? string : this.delegate.deserialize(bytes);
	}

	@Override
	public boolean canSerialize(Class<?> type) {
		return this.delegate.canSerialize(type);
	}

	@Override
	public Class<?> getTargetType() {
		return this.delegate.getTargetType();
	}

}
