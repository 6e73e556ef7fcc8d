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
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.JdbcHttpSessionConfiguration;

/**
 * Spring Session's default {@link DeserializingConverter} for the session attributes of
 * its JDBC store, reading a Java-serialized string of {@link JavaSerializedStrings}
 * without an {@code ObjectInputStream}; everything else is the delegate's.
 *
 * @author session-timeout
 */
final class JavaSerializedStringDeserializingConverter implements Converter<byte[], Object> {

	private final DeserializingConverter delegate;

	private JavaSerializedStringDeserializingConverter(@Nullable ClassLoader classLoader) {
		this.delegate = new DeserializingConverter(classLoader);
	}

	/**
	 * Return a customizer that gives the repository the conversion service that Spring
	 * Session gives it by default (Java serialization with the bean class loader),
	 * reading strings directly, unless the application gives Spring Session a conversion
	 * service of its own ({@code springSessionConversionService} or
	 * {@code conversionService}), which is then left as it is. The customizer is
	 * {@link PriorityOrdered} and runs before every customizer that is not, so that one
	 * of the application's that gives the repository a conversion service of its own
	 * comes after it.
	 * @param beanFactory the bean factory of Spring Session's configuration
	 * @return the customizer
	 */
	static SessionRepositoryCustomizer<JdbcIndexedSessionRepository> customizer(
			ConfigurableListableBeanFactory beanFactory) {
		return new Customizer(beanFactory);
	}

	@Override
	public Object convert(byte[] source) {
		String string = JavaSerializedStrings.read(source);
		return (string != null) ? string : this.delegate.convert(source);
	}

	private static final class Customizer
			implements SessionRepositoryCustomizer<JdbcIndexedSessionRepository>, PriorityOrdered {

		private final ConfigurableListableBeanFactory beanFactory;

		Customizer(ConfigurableListableBeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void customize(JdbcIndexedSessionRepository repository) {
			if (isGiven("setSpringSessionConversionService") || isGiven("setConversionService")) {
				return;
			}
			GenericConversionService conversionService = new GenericConversionService();
			conversionService.addConverter(Object.class, byte[].class, new SerializingConverter());
			conversionService.addConverter(byte[].class, Object.class,
					new JavaSerializedStringDeserializingConverter(this.beanFactory.getBeanClassLoader()));
			repository.setConversionService(conversionService);
		}

		private boolean isGiven(String setter) {
			return JavaSerializedStrings.isGiven(this.beanFactory, JdbcHttpSessionConfiguration.class, setter,
					ConversionService.class);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
