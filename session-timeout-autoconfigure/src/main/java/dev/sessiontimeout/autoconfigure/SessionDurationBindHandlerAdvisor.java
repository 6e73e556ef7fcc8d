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

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.internal.policy.SessionDurations;

/**
 * Keeps {@link SessionDuration @SessionDuration} properties to the starter's own syntax.
 * When {@link SessionDurationConverter} rejects a value, Spring Boot's binder tries its
 * own duration conversion next, which reads {@code -1m}, {@code -60s} or {@code PT-1M} as
 * the very value of {@code -1} (a disabled clock) and takes durations too long for any
 * deadline. This parses the text of every such property again, so that a value the
 * starter rejects fails startup, named by its property. A number (YAML reads
 * {@code idle: 240} or {@code reauthentication: -1} as one) is read as its text: minutes,
 * and {@code -1} a disabled clock, not milliseconds.
 *
 * @author session-timeout
 */
class SessionDurationBindHandlerAdvisor implements ConfigurationPropertiesBindHandlerAdvisor {

	private final PlaceholdersResolver placeholders;

	SessionDurationBindHandlerAdvisor(Environment environment) {
		this.placeholders = new PropertySourcesPlaceholdersResolver(environment);
	}

	@Override
	public BindHandler apply(BindHandler bindHandler) {
		return new AbstractBindHandler(bindHandler) {

			@Override
			public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				Object bound = super.onSuccess(name, target, context, result);
				ConfigurationProperty property = context.getConfigurationProperty();
				if (target.getAnnotation(SessionDuration.class) == null || property == null) {
					return bound;
				}
				Object value = SessionDurationBindHandlerAdvisor.this.placeholders
					.resolvePlaceholders(property.getValue());
				if (value instanceof Number number) {
					// A number in YAML (idle: 240, reauthentication: -1), which Spring
					// Boot's converter took as milliseconds: minutes, as written in text
					return SessionDurations.parse(number.toString());
				}
				if (!(value instanceof String text) || text.isBlank()) {
					return bound;
				}
				return SessionDurations.parse(text);
			}

		};
	}

}
