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
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
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

	private static final int MAX_SUGGESTION_DISTANCE = 2;

	private UnknownSessionTimeoutProperties() {
	}

	/**
	 * Log a WARN for each {@code session-timeout.*} property that names no property, with
	 * the property it is nearest to, if any.
	 * @param environment the environment
	 * @param logger the logger
	 */
	static void warn(Environment environment, Log logger) {
		find(environment).forEach((name, suggestion) -> logger.warn(message(name, suggestion)));
	}

	private static String message(String name, @Nullable String suggestion) {
		String advice = (suggestion != null) ? "did you mean " + suggestion + "?"
				: "check its spelling against the session-timeout.* properties of the README or your IDE's completion";
		return name + " is no property of session-timeout and is ignored: " + advice;
	}

	static Map<String, @Nullable String> find(Environment environment) {
		Map<String, @Nullable String> unknown = new TreeMap<>();
		SessionTimeoutPropertyNames.setIn(environment).forEach((string, name) -> {
			Lookup lookup = lookUp(ResolvableType.forClass(SessionTimeoutProperties.class), name,
					PREFIX.getNumberOfElements());
			if (!lookup.known()) {
				unknown.put(string, lookup.suggestion());
			}
		});
		return unknown;
	}

	private static Lookup lookUp(ResolvableType type, ConfigurationPropertyName name, int element) {
		if (element == name.getNumberOfElements()) {
			return Lookup.KNOWN;
		}
		Class<?> resolved = type.toClass();
		if (Collection.class.isAssignableFrom(resolved)) {
			return name.isNumericIndex(element) ? lookUp(type.asCollection().getGeneric(0), name, element + 1)
					: Lookup.UNKNOWN;
		}
		if (Map.class.isAssignableFrom(resolved)) {
			return Lookup.KNOWN;
		}
		if (!resolved.getName().startsWith("dev.sessiontimeout.") || resolved.isEnum()) {
			return Lookup.UNKNOWN;
		}
		String property = name.getElement(element, Form.UNIFORM);
		PropertyDescriptor nearest = null;
		int nearestDistance = MAX_SUGGESTION_DISTANCE + 1;
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(resolved)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String candidate = uniform(descriptor.getName());
			if (candidate.equals(property)) {
				return lookUp(ResolvableType.forMethodReturnType(descriptor.getReadMethod(), resolved), name,
						element + 1);
			}
			int distance = distance(candidate, property);
			if (distance < nearestDistance) {
				nearest = descriptor;
				nearestDistance = distance;
			}
		}
		if (nearest == null) {
			return Lookup.UNKNOWN;
		}
		String rest = name.toString().substring(name.chop(element + 1).toString().length());
		String suggestion = name.chop(element).append(DataObjectPropertyName.toDashedForm(nearest.getName())) + rest;
		return new Lookup(false, suggestion);
	}

	/**
	 * Return the Levenshtein distance of two names.
	 */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static String uniform(String javaBeanName) {
		return ConfigurationPropertyName.adapt(javaBeanName, '.').getElement(0, Form.UNIFORM);
	}

	private record Lookup(boolean known, @Nullable String suggestion) {

		static final Lookup KNOWN = new Lookup(true, null);

		static final Lookup UNKNOWN = new Lookup(false, null);

	}

}
