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
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Reads a setting that one of Spring Session's repositories keeps in a private field
 * without a getter (the key namespace of its Redis repositories, the table name of its
 * JDBC one), for what the starter keeps next to the repository's sessions. Where the
 * repository has no such field (a version of Spring Session that renamed it), the caller
 * falls back to the setting's property, and a WARN says so once per repository class: an
 * application that set the setting on the repository itself would find the starter's keys
 * or rows where its sessions are not.
 *
 * @author session-timeout
 */
final class SpringSessionFields {

	private static final Log logger = LogFactory.getLog(SpringSessionFields.class);

	private static final String SPRING_SESSION = "org.springframework.session.";

	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private SpringSessionFields() {
	}

	/**
	 * Return the value of a text field of one of Spring Session's repositories, logging a
	 * WARN once per repository class if it has none of the given names.
	 * @param repository the repository
	 * @param setting what the field holds, for the WARN
	 * @param fallback what the caller uses instead, for the WARN
	 * @param names the field's names, in the order to look for them
	 * @return the field's value, or {@code null} if the field is missing or holds none
	 */
	static @Nullable String read(Object repository, String setting, String fallback, String... names) {
		for (String name : names) {
			Field field = ReflectionUtils.findField(repository.getClass(), name, String.class);
			if (field != null && field.getDeclaringClass().getName().startsWith(SPRING_SESSION)) {
				ReflectionUtils.makeAccessible(field);
				return (ReflectionUtils.getField(field, repository) instanceof String value) ? value : null;
			}
		}
		String type = repository.getClass().getName();
		if (warned.add(type + Arrays.toString(names))) {
			logger.warn("Cannot read the " + setting + " of " + type + ", which has no Spring Session field "
					+ String.join(" or ", names) + " (renamed by this version of Spring Session?): the starter uses "
					+ fallback + ", which is wrong if the application set another on the repository itself");
		}
		return null;
	}

}
