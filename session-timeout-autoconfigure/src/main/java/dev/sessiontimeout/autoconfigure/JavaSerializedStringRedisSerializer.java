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
import org.springframework.session.data.redis.config.annotation.web.server.AbstractRedisWebSessionConfiguration;
import org.springframework.session.data.redis.config.annotation.web.server.RedisWebSessionConfiguration;

/**
 * Spring Session's default {@link JdkSerializationRedisSerializer} for session attributes
 * (servlet and reactive), reading a Java-serialized string of
 * {@link JavaSerializedStrings} without an {@code ObjectInputStream}; everything else,
 * and every write, is the delegate's.
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

	/**
	 * Make the reactive Redis repository of the given Spring Session configuration read
	 * strings directly where its template gets the
	 * {@link JdkSerializationRedisSerializer} that the configuration makes itself: the
	 * application gives Spring Session no {@code springSessionDefaultRedisSerializer}.
	 * Called after the configuration's injection and before it makes the repository,
	 * whose template keeps the serializer it was made with. Anything else is left as it
	 * is.
	 * @param configuration a bean
	 * @param beanFactory the bean factory of Spring Session's configuration
	 */
	static void install(Object configuration, ConfigurableListableBeanFactory beanFactory) {
		if (configuration instanceof RedisWebSessionConfiguration redis && !JavaSerializedStrings.isGiven(beanFactory,
				RedisWebSessionConfiguration.class, "setDefaultRedisSerializer", RedisSerializer.class)) {
			// made by the configuration when it makes the template, from its bean class
			// loader
			redis.setDefaultRedisSerializer(new JavaSerializedStringRedisSerializer(
					new JdkSerializationRedisSerializer(beanFactory.getBeanClassLoader())));
		}
		else if (configuration instanceof AbstractRedisWebSessionConfiguration<?> indexed
				&& indexed.getDefaultRedisSerializer() instanceof JdkSerializationRedisSerializer serializer
				&& serializer.getClass() == JdkSerializationRedisSerializer.class
				&& !JavaSerializedStrings.isGiven(beanFactory, AbstractRedisWebSessionConfiguration.class,
						"setDefaultRedisSerializer", RedisSerializer.class)) {
			// made by the configuration with itself
			indexed.setDefaultRedisSerializer(new JavaSerializedStringRedisSerializer(serializer));
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
