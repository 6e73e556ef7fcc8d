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

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Finds the {@code session-timeout.*} properties of the environment that name no property
 * of {@link SessionTimeoutProperties} ({@code session-timeout.idel}): Spring Boot ignores
 * them, so that a misspelt clock keeps its default in silence.
 *
 * @author session-timeout
 */
final class UnknownSessionTimeoutProperties {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("session-timeout");

	private UnknownSessionTimeoutProperties() {
	}

	/**
	 * Log a WARN for each {@code session-timeout.*} property that names no property.
	 * @param environment the environment
	 * @param logger the logger
	 */
	static void warn(Environment environment, Log logger) {
		for (String name : find(environment)) {
			logger.warn(name + " is no property of session-timeout and is ignored: check its spelling against the"
					+ " session-timeout.* properties of the README or your IDE's completion");
		}
	}

	static Set<String> find(Environment environment) {
		Set<String> unknown = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(PREFIX::isAncestorOf)
					.stream()
					.filter((name) -> !isKnown(ResolvableType.forClass(SessionTimeoutProperties.class), name,
							PREFIX.getNumberOfElements()))
					.forEach((name) -> unknown.add(name.toString()));
			}
		}
		return unknown;
	}

	private static boolean isKnown(ResolvableType type, ConfigurationPropertyName name, int element) {
		if (element == name.getNumberOfElements()) {
			return true;
		}
		Class<?> resolved = type.toClass();
		if (Collection.class.isAssignableFrom(resolved)) {
			return name.isNumericIndex(element) && isKnown(type.asCollection().getGeneric(0), name, element + 1);
		}
		if (Map.class.isAssignableFrom(resolved)) {
			return true;
		}
		if (!resolved.getName().startsWith("dev.sessiontimeout.") || resolved.isEnum()) {
			return false;
		}
		String property = name.getElement(element, Form.UNIFORM);
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(resolved)) {
			if (descriptor.getReadMethod() != null && !"class".equals(descriptor.getName())
					&& uniform(descriptor.getName()).equals(property)) {
				return isKnown(ResolvableType.forMethodReturnType(descriptor.getReadMethod(), resolved), name,
						element + 1);
			}
		}
		return false;
	}

	private static String uniform(String javaBeanName) {
		return ConfigurationPropertyName.adapt(javaBeanName, '.').getElement(0, Form.UNIFORM);
	}

}
